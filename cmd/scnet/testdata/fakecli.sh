#!/usr/bin/env bash
# A stand-in for mainchaind in the shell check: answers the queries the
# helpers make from the recorded pages in $SCNET_TESTDATA.
D="$SCNET_TESTDATA"
case "$*" in
*"history subchain-a --page-reverse"*) cat "$D/history_reverse.json" ;;
*"history empty --page-reverse"*) echo '{"reports":[],"pagination":{}}' ;;
*"history subchain-a"*"--page-key AAAAAAAAAAM="*) cat "$D/history_page2.json" ;;
*"history subchain-a"*) cat "$D/history_page1.json" ;;
*"history broken"*)
	echo "Error: rpc error: code = NotFound desc = no chain broken" >&2
	exit 1
	;;
"q txs"*"--page 1") cat "$D/txs_page1.json" ;;
"q txs"*"--page 2") cat "$D/txs_page2.json" ;;
"q bank balances"*) cat "$D/balances.json" ;;
*)
	echo "fakecli: unknown $*" >&2
	exit 1
	;;
esac
