#!/usr/bin/env bash
# End-to-end test of the local network (scripts/localnet.sh: the main chain,
# subchain-a, subchain-b and the plain chain gateway-c, several validators
# each, rly), stopped again at the end:
#
#   1. ICS-20: send AMOUNT umain from the main chain's user to subchain-a's user
#      over the linked transfer channel; wait until the voucher (ibc/<hash>)
#      shows in the receiver's balance and the acknowledgement is back.
#   2. Status channel: wait until the main chain has a status report from every
#      subchain over IBC (liveness ACTIVE, link.last_ibc_report >= 1).
#   3. Contracts: store and instantiate testdata/hackatom.wasm on subchain-a and
#      wait until the main chain has recorded a report of subchain-a listing the
#      contract in new_contracts, with the typed event
#      statuscollect.collector.v1.EventContractsChanged in that block; report
#      how many main-chain blocks and seconds that took.
#   4. The overview lists every subchain with its countdown and link; the
#      reporter on subchain-a has its reports acknowledged.
#   5. Daemons: observe matches the sidecar; org-b's reporter daemon reports
#      subchain-b; a key without rights is refused; org-a's monitor forges a
#      report of subchain-a, a watcher disputes it on the subchain and org-a is
#      suspended (the main-chain blocks it took are printed); org-b's
#      main-chain watcher files its own dispute.
#   6. scripts/collector-cli.sh: the collector's transactions and queries from
#      the command line, gRPC reflection (grpcurl) and REST.
#   7. scripts/daemons-e2e.sh: a reporter on the plain chain gateway-c (no
#      sidecar, no x/wasm; transactions counted from blocks); a watcher's
#      endpoint failover, and "halted" told apart from "unreachable" by
#      stopping subchain-b's nodes; its kept alert cleared after a restart.
#
# Usage: bash scripts/e2e.sh
# Env:   E2E_AMOUNT (default 1000), E2E_TIMEOUT seconds to wait for the voucher (default 120),
#        E2E_STATUS_TIMEOUT seconds to wait for a status report (default 150)
# Needs: build/mainchaind, build/subchaind ('make build'), build/rly and build/grpcurl ('make tools').
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

AMOUNT="${E2E_AMOUNT:-1000}"
TIMEOUT="${E2E_TIMEOUT:-120}"
STATUS_TIMEOUT="${E2E_STATUS_TIMEOUT:-150}"
SUMMARY="$LOCALNET_DIR/localnet.json"

require_chain_binaries
require_rly
require_grpcurl
[[ -f "$REPO_ROOT/testdata/hackatom.wasm" ]] || die "$REPO_ROOT/testdata/hackatom.wasm is missing (see testdata/README.md)"

command -v chromium >/dev/null 2>&1 || die "chromium is not installed (make deps installs it): the status page is checked in it"
STEP="building the status page's browser test"
(cd "$REPO_ROOT" && go test -c -o "$BUILD_DIR/dashboard.test" ./dashboard) || die "go test -c ./dashboard failed"

STEP="starting the localnet"
LOCALNET_UP=0
# Logs older than this marker are from an earlier run: don't show them.
MARK="$(mktemp "${TMPDIR:-/tmp}/e2e-mark.XXXXXX")"
ERRORS_FILE="$(mktemp "${TMPDIR:-/tmp}/e2e-errors.XXXXXX")"
export ERRORS_FILE
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	local daemon
	for daemon in "${REPORTER_PID:-}" "${WATCHER_PID:-}" "${MAIN_WATCHER_PID:-}" "${PAGE_TEST_PID:-}" "${DASHBOARD_PID:-}"; do
		if [[ -n "$daemon" ]] && kill -0 "$daemon" 2>/dev/null; then
			kill "$daemon" 2>/dev/null || true
			wait "$daemon" 2>/dev/null || true
		fi
	done
	if ((rc != 0)); then
		log "e2e FAILED while $STEP (exit $rc)"
		if ((LOCALNET_UP == 1)); then
			local f shown=" "
			for f in "$LOCALNET_DIR"/logs/rly.log "$LOCALNET_DIR"/logs/link-*.log "$LOCALNET_DIR"/logs/*.log; do
				[[ -f "$f" && "$f" -nt "$MARK" && "$shown" != *" $f "* ]] || continue
				shown+="$f "
				echo "----- last 25 lines of $f -----" >&2
				tail -n 25 "$f" >&2 || true
			done
			echo "-----" >&2
		fi
	fi
	if ((LOCALNET_UP == 1)); then
		bash "$REPO_ROOT/scripts/localnet-stop.sh" || rc=1
	fi
	rm -f "$MARK"
	((rc == 0)) || errors_noted_last e2e "$STEP" "$rc"
	rm -f "$ERRORS_FILE"
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Never stop a localnet someone else started: refuse up front. Once that check
# passed, whatever runs from the localnet's pid files is ours to stop.
refuse_if_localnet_running
T0=$SECONDS
MS_START="$(date +%s%3N)"
LOCALNET_UP=1
# Without the localnet's own daemons: this test starts the ones it checks.
LOCALNET_DAEMONS=0 bash "$REPO_ROOT/scripts/localnet.sh"
T_LOCALNET=$((SECONDS - T0))
log "localnet up in ${T_LOCALNET}s"

STEP="reading $SUMMARY"
# Fields of the first path (main chain -> first subchain) and of both chains.
read -r MAIN_ID SUB_ID SRC_CH DST_CH < <(scnet json --file "$SUMMARY" paths.0.{src,dst}.chain_id paths.0.{src,dst}.channel)
read -r MAIN_BIN_P MAIN_HOME MAIN_DENOM MAIN_RPC MAIN_USER < <(scnet json --file "$SUMMARY" "chains[chain_id=$MAIN_ID]."{binary,home,denom,rpc,keys.user})
read -r SUB_BIN_P SUB_RPC SUB_USER < <(scnet json --file "$SUMMARY" "chains[chain_id=$SUB_ID]."{binary,rpc,keys.user})
[[ -n "${DST_CH:-}" && -n "${MAIN_USER:-}" && -n "${SUB_USER:-}" ]] || die "could not read the chains and channel from $SUMMARY"

# The voucher denom on the subchain: ibc/SHA256("transfer/<dst channel>/<base denom>").
VOUCHER="ibc/$(printf '%s' "transfer/$DST_CH/$MAIN_DENOM" | sha256sum | cut -d' ' -f1 | tr a-f A-F)"

STEP="reading balances before the transfer"
sender_before="$(balance_of "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_USER" "$MAIN_DENOM")" || die "cannot query $MAIN_ID"
voucher_before="$(balance_of "$SUB_BIN_P" "$SUB_RPC" "$SUB_USER" "$VOUCHER")" || die "cannot query $SUB_ID"
log "sender $MAIN_USER on $MAIN_ID has $sender_before$MAIN_DENOM; receiver $SUB_USER on $SUB_ID has $voucher_before $VOUCHER"

STEP="sending $AMOUNT$MAIN_DENOM over transfer/$SRC_CH"
log "ICS-20 transfer: $AMOUNT$MAIN_DENOM $MAIN_ID transfer/$SRC_CH -> $SUB_ID transfer/$DST_CH ($SUB_USER)"
t_send=$SECONDS
ms_send="$(date +%s%3N)"
h_send="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"
tx="$(submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" \
	ibc-transfer transfer transfer "$SRC_CH" "$SUB_USER" "$AMOUNT$MAIN_DENOM" --from user)" ||
	die "the transfer tx failed"
h_tx="$(printf '%s' "$tx" | json_get height)"
seq="$(printf '%s' "$tx" | tx_event_attr send_packet packet_sequence)" || seq="?"
log "transfer tx in $MAIN_ID block $h_tx (packet sequence $seq)"

STEP="waiting (up to ${TIMEOUT}s) for $AMOUNT $VOUCHER on $SUB_ID"
want=$((voucher_before + AMOUNT))
while :; do
	got="$(balance_of "$SUB_BIN_P" "$SUB_RPC" "$SUB_USER" "$VOUCHER")" || got=0 # keep trying until the deadline
	((got >= want)) && break
	if ((SECONDS - t_send >= TIMEOUT)); then
		die "after ${TIMEOUT}s the receiver holds $got $VOUCHER, want $want; balances: $("$SUB_BIN_P" q bank balances "$SUB_USER" --node "$SUB_RPC" --output json 2>&1 | tr -d '\n ')"
	fi
	sleep 0.5
done
ms_recv="$(date +%s%3N)"
h_seen="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"
((got == want)) || die "the receiver holds $got $VOUCHER, want exactly $want"

# The acknowledgement back on the main chain deletes the packet commitment.
STEP="waiting (up to ${TIMEOUT}s after the send) for the acknowledgement on $MAIN_ID"
while :; do
	if out="$("$MAIN_BIN_P" q ibc channel packet-commitments transfer "$SRC_CH" --node "$MAIN_RPC" --output json 2>/dev/null)" &&
		printf '%s' "$out" | scnet json --want 0 "commitments[sequence=$seq]#" 2>/dev/null; then
		break
	fi
	((SECONDS - t_send >= TIMEOUT)) && die "packet $seq is still unacknowledged on $MAIN_ID after ${TIMEOUT}s"
	sleep 0.5
done
ms_ack="$(date +%s%3N)"
h_ack="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"

STEP="checking the sender's balance"
sender_after="$(balance_of "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_USER" "$MAIN_DENOM")" || die "cannot query $MAIN_ID"
((sender_after == sender_before - AMOUNT)) ||
	die "the sender holds $sender_after$MAIN_DENOM after the transfer, want $((sender_before - AMOUNT)) (fees are zero)"

secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
log "received $AMOUNT $VOUCHER on $SUB_ID"
log "transfer took $(secs $((ms_recv - ms_send)))s from broadcast to voucher on $SUB_ID:" \
	"$((h_seen - h_send)) $MAIN_ID blocks (broadcast at height $h_send, tx in block $h_tx, voucher seen at height $h_seen)"
log "acknowledgement back on $MAIN_ID after $(secs $((ms_ack - ms_send)))s ($MAIN_ID height $h_ack)"
T_TRANSFER_DONE=$SECONDS

# ---------------------------------------------------------------- status reports over IBC

MAIN_API="http://127.0.0.1:$(localnet_chain "$MAIN_ID" ports.api)"
REST="$MAIN_API/statuscollect/collector/v1"
mapfile -t STATUS_SUBS < <(scnet json --file "$SUMMARY" 'status_paths[].subchain')
((${#STATUS_SUBS[@]} >= 2)) || die "$SUMMARY lists ${#STATUS_SUBS[@]} status paths, want one per subchain (2)"

# ibc_report_state CHAIN: "liveness last_ibc_report" of CHAIN on the main
# chain, as an operator reads it with the CLI.
ibc_report_state() {
	local out
	out="$("$MAIN_BIN_P" q statuscollect subchain "$1" --node "$MAIN_RPC" --output json 2>/dev/null)" || { echo "? 0"; return; }
	echo "$(scnet json --or '?' health.subchain.liveness <<<"$out") $(scnet json --or 0 health.link.last_ibc_report <<<"$out")"
}

# first_report_at CHAIN: when the main chain recorded CHAIN's first report (its
# block time), from the e2e start.
first_report_at() {
	local t h ns
	read -r t h < <(rest_get "$REST/subchains/$1/history?pagination.limit=1" | scnet json reports.0.main_time reports.0.main_height) &&
		ns="$(scnet rfc3339-ns "$t")" || return 1
	awk -v ms=$((ns / 1000000 - MS_START)) 'BEGIN { printf "%.1f", ms / 1000 }'
	echo "s after the e2e start ($MAIN_ID height $h)"
}

STEP="waiting (up to ${STATUS_TIMEOUT}s) for a status report over IBC from ${STATUS_SUBS[*]}"
log "waiting for a status report over IBC from each of: ${STATUS_SUBS[*]}"
declare -A FIRST_REPORT_AT
t_wait=$SECONDS
while :; do
	pending=()
	for id in "${STATUS_SUBS[@]}"; do
		[[ -n "${FIRST_REPORT_AT[$id]:-}" ]] && continue
		read -r liveness n <<<"$(ibc_report_state "$id")"
		if [[ "$liveness" == LIVENESS_ACTIVE ]] && ((n >= 1)); then
			# When the first report was recorded: its main-chain block time.
			FIRST_REPORT_AT[$id]="$(first_report_at "$id")" || FIRST_REPORT_AT[$id]="?"
			log "$MAIN_ID has $id ACTIVE with $n report(s) over IBC; the first recorded ${FIRST_REPORT_AT[$id]}"
		else
			pending+=("$id ($liveness, $n over IBC)")
		fi
	done
	((${#pending[@]} == 0)) && break
	((SECONDS - t_wait >= STATUS_TIMEOUT)) && die "after ${STATUS_TIMEOUT}s no status report over IBC from: ${pending[*]}"
	sleep 1
done

# ---------------------------------------------------------------- the status page, in a browser

# mainchaind dashboard, and dashboard.TestPageOnLocalnet driving it in
# headless Chromium from here on: it opens subchain-a's page, then the
# contract below must appear there, and gateway-c must turn active on the
# overview once scripts/daemons-e2e.sh starts its reporter, both without a
# reload. It says when the page is open; its result is waited for at the end.
STEP="starting the status page"
DASHBOARD_ADDR=127.0.0.1:28088 # beside the localnet's own services (scripts/localnet-services.sh)
PAGE_READY="$(mktemp -u "${TMPDIR:-/tmp}/e2e-page-ready.XXXXXX")"
PAGE_LOG="$LOCALNET_DIR/logs/dashboard-test.log"
start_bg "$LOCALNET_DIR/pids/dashboard.pid" "$LOCALNET_DIR/logs/dashboard.log" "$MAIN_BIN_P" dashboard \
	--main-grpc "127.0.0.1:$(localnet_chain "$MAIN_ID" ports.grpc)" --main-rpc "$MAIN_RPC" --listen "$DASHBOARD_ADDR"
DASHBOARD_PID="$(sed -n 1p "$LOCALNET_DIR/pids/dashboard.pid")"
(cd "$REPO_ROOT/dashboard" && DASHBOARD_E2E_URL="http://$DASHBOARD_ADDR/" DASHBOARD_E2E_READY="$PAGE_READY" \
	DASHBOARD_E2E_CONTRACT=hackatom-e2e exec "$BUILD_DIR/dashboard.test" -test.run '^TestPageOnLocalnet$' -test.v \
	>"$PAGE_LOG" 2>&1) &
PAGE_TEST_PID=$!
t_page=$SECONDS
until [[ -f "$PAGE_READY" ]]; do
	kill -0 "$PAGE_TEST_PID" 2>/dev/null || { tail -n 30 "$PAGE_LOG" >&2; die "the browser test ended before the page was open"; }
	((SECONDS - t_page < 120)) || { tail -n 30 "$PAGE_LOG" >&2; die "the status page was not open in Chromium after 120s"; }
	sleep 1
done
rm -f "$PAGE_READY"
log "status page on http://$DASHBOARD_ADDR/ open in Chromium after $((SECONDS - t_page))s: every subchain listed, subchain-a's page shown"

# ---------------------------------------------------------------- a contract on subchain-a

CT_ID="${STATUS_SUBS[0]}"
CT_BIN="$(localnet_chain "$CT_ID" binary)"
CT_HOME="$(localnet_chain "$CT_ID" home)"
CT_RPC="$(localnet_chain "$CT_ID" rpc)"
CT_DENOM="$(localnet_chain "$CT_ID" denom)"
STEP="storing testdata/hackatom.wasm on $CT_ID"
log "storing hackatom.wasm on $CT_ID"
tx="$(submit_tx "$CT_BIN" "$CT_RPC" "$CT_HOME" "$CT_ID" wasm store "$REPO_ROOT/testdata/hackatom.wasm" --from user)" ||
	die "wasm store failed"
CODE_ID="$(printf '%s' "$tx" | tx_event_attr store_code code_id)" || die "no code id in the store tx"
STEP="instantiating code $CODE_ID on $CT_ID"
INIT_MSG="{\"verifier\":\"$(localnet_chain "$CT_ID" keys.validator)\",\"beneficiary\":\"$(localnet_chain "$CT_ID" keys.relayer)\"}"
tx="$(submit_tx "$CT_BIN" "$CT_RPC" "$CT_HOME" "$CT_ID" wasm instantiate "$CODE_ID" "$INIT_MSG" \
	--label hackatom-e2e --no-admin --amount "1000$CT_DENOM" --from user)" || die "wasm instantiate failed"
ms_inst="$(date +%s%3N)"
h_main_inst="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"
CONTRACT="$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)" || die "no contract address in the instantiate tx"
read -r h_sub_inst t_sub_inst < <(printf '%s' "$tx" | scnet json height timestamp)
log "contract $CONTRACT (code $CODE_ID) instantiated in $CT_ID block $h_sub_inst; $MAIN_ID is at height $h_main_inst"

STEP="waiting (up to ${STATUS_TIMEOUT}s) for $MAIN_ID to record a report of $CT_ID listing $CONTRACT"
report=""
while :; do
	if hist="$(rest_get "$REST/subchains/$CT_ID/history?pagination.reverse=true&pagination.limit=10" 2>/dev/null)"; then
		report="$(printf '%s' "$hist" | scnet json --first --or '' "reports[snapshot.new_contracts[address=$CONTRACT]]")" || report=""
	fi
	[[ -n "$report" ]] && break
	((($(date +%s%3N) - ms_inst) / 1000 >= STATUS_TIMEOUT)) &&
		die "after ${STATUS_TIMEOUT}s $MAIN_ID has no report of $CT_ID listing $CONTRACT in new_contracts; latest: $(rest_get "$REST/subchains/$CT_ID/status" 2>&1 | head -c 600)"
	sleep 0.5
done
ms_seen="$(date +%s%3N)"
read -r rep_seq rep_main_h rep_main_t rep_sub_h < <(printf '%s' "$report" | scnet json sequence main_height main_time snapshot.height)
rep_src_ch="$(printf '%s' "$report" | scnet json --or - source.channel_id)"
want_ch="$(localnet_status "$CT_ID" dst.channel)"
[[ "$rep_src_ch" == "$want_ch" ]] || die "report $rep_seq of $CT_ID came from '$rep_src_ch', not the status channel $want_ch"
log "$MAIN_ID recorded report $rep_seq of $CT_ID (subchain height $rep_sub_h) over $rep_src_ch at height $rep_main_h"

STEP="looking for EventContractsChanged of $CT_ID in $MAIN_ID block $rep_main_h"
# Typed event attributes are JSON: the chain id attribute is "\"subchain-a\"".
query="statuscollect.collector.v1.EventContractsChanged.chain_id='\"$CT_ID\"' AND tx.height=$rep_main_h"
# Its events, one JSON line each: {height, txhash, code, msgs, attrs (decoded)}.
txs="$(scnet tx-events --bin "$MAIN_BIN_P" --node "$MAIN_RPC" "$query" statuscollect.collector.v1.EventContractsChanged 2>&1)" ||
	die "q txs --query \"$query\" failed: $txs"
ev="$(printf '%s' "$txs" | scnet json --lines --first \
	"[attrs.chain_id=$CT_ID,attrs.added[address=$CONTRACT],msgs[=/ibc.core.channel.v1.MsgRecvPacket]]")" ||
	die "no EventContractsChanged for $CT_ID with $CONTRACT in $MAIN_ID block $rep_main_h: $(printf '%s' "$txs" | head -c 600)"
read -r ev_tx ev_before ev_after < <(printf '%s' "$ev" | scnet json txhash attrs.count_before attrs.count_after)
log "EventContractsChanged (chain_id \"$CT_ID\", count $ev_before -> $ev_after) in RecvPacket tx $ev_tx, $MAIN_ID block $rep_main_h"
bt_ns=$(($(scnet rfc3339-ns "$rep_main_t") - $(scnet rfc3339-ns "$t_sub_inst")))
bt_secs="$(awk -v ns="$bt_ns" 'BEGIN { printf "%.3f", ns / 1e9 }')"
CT_BLOCKS=$((rep_main_h - h_main_inst))
CT_SECS="$(secs $((ms_seen - ms_inst)))"

# ---------------------------------------------------------------- overview and the reporter's link

STEP="checking the overview"
cli_ov="$("$MAIN_BIN_P" q statuscollect overview --node "$MAIN_RPC" --output json)" || die "q statuscollect overview failed"
rest_ov="$(rest_get "$REST/overview")" || die "REST overview failed"
scnet check-overview --summary "$SUMMARY" "$cli_ov" "$rest_ov" || die "the overview does not show every subchain with its countdown and link"
log "overview: every subchain listed with seconds_until_due and its link"

STEP="checking the reporter's link on $CT_ID"
CT_API="http://127.0.0.1:$(localnet_chain "$CT_ID" ports.api)"
# The two reads are a moment apart and an acknowledgement may land between
# them: read again until they agree.
for _ in 1 2 3 4 5; do
	cli_link="$("$CT_BIN" q statusreporter link --node "$CT_RPC" --output json)" || die "subchaind q statusreporter link failed"
	rest_link="$(rest_get "$CT_API/statuscollect/reporter/v1/link")" || die "REST link of $CT_ID failed"
	acked="$(printf '%s' "$cli_link" | scnet json --or '' link.last_acked)"
	rest_acked="$(printf '%s' "$rest_link" | scnet json link.last_acked)"
	[[ "$acked" == "$rest_acked" ]] && break
	sleep 1
done
[[ "$acked" == "$rest_acked" ]] || die "the CLI says last_acked '$acked', REST says '$rest_acked'"
((acked >= 1)) || die "the reporter on $CT_ID has last_acked $acked, want >= 1: $rest_link"
log "reporter on $CT_ID: last_acked $acked ($(printf '%s' "$rest_link" | tr -d '\n' | head -c 300))"
# The sidecar shows the client of the main chain it pinned: the one under the
# status path's subchain end, and still Active.
want_pin="$(localnet_status "$CT_ID" src.client_id)"
printf '%s' "$rest_link" | scnet json --or "''" --want "$want_pin Active" link.main_client_id link.main_client_status ||
	die "the reporter's pinned client of $MAIN_ID is wrong"
pinned="$want_pin"
log "reporter on $CT_ID: the status channel runs over its pinned client $pinned of $MAIN_ID (Active)"

STEP="checking that $CT_ID's sidecar named its unchanged lists by hash"
# The main chain's acknowledgements say it takes lists by hash, so the report
# of the contract (its lists those of the report before it, acknowledged)
# left them out; the main chain recorded it with them.
printf '%s' "$rest_link" | scnet json --or False --want True link.main_takes_lists_hash ||
	die "the reporter on $CT_ID was not told that $MAIN_ID takes lists by hash: $rest_link"
ibc_seq="$(printf '%s' "$report" | scnet json source.ibc_sequence)"
ct_rpc_http="${CT_RPC/#tcp:/http:}"
h_sent="$(scnet block-search "$ct_rpc_http" "statuscollect.reporter.v1.EventReportSent.sequence='\"$ibc_seq\"'" | head -n 1)"
[[ -n "$h_sent" ]] || die "no EventReportSent of report $ibc_seq on $CT_ID"
scnet block-events "$ct_rpc_http" "$h_sent" statuscollect.reporter.v1.EventReportSent |
	scnet json --lines --first --or False --want True "[sequence=$ibc_seq].lists_by_hash" ||
	die "$CT_ID's report $ibc_seq (block $h_sent) carried its lists whole"
rep_vals="$(printf '%s' "$report" | scnet json 'snapshot.validators[]#')"
((rep_vals >= 1)) || die "$MAIN_ID recorded report $rep_seq of $CT_ID without its validators"
log "$CT_ID's report $ibc_seq (block $h_sent) named its lists by hash; $MAIN_ID recorded it with its $rep_vals validators"

# ---------------------------------------------------------------- an observer agrees with the sidecar

STEP="comparing $CT_ID's own latest snapshot with what 'observe' reads from its node at that height"
CT_GRPC="127.0.0.1:$(localnet_chain "$CT_ID" ports.grpc)"
# The sidecar keeps a snapshot every report_interval blocks; the report of
# the contract left at once, from block $h_sub_inst, so the snapshot that
# counts it is the first at or after that height (at most an interval on).
t_own=$SECONDS
while :; do
	own="$("$CT_BIN" q statusreporter snapshot --node "$CT_RPC" --output json)" || die "q statusreporter snapshot failed"
	own_h="$(printf '%s' "$own" | json_get snapshot.height)"
	((own_h >= h_sub_inst)) && break
	((SECONDS - t_own < 60)) || die "$CT_ID's sidecar kept no snapshot at or after height $h_sub_inst within 60s (latest: $own_h)"
	sleep 1
done
seen="$("$MAIN_BIN_P" observe --grpc "$CT_GRPC" --bech32-prefix "$(chain_prefix "$CT_BIN")" --height "$own_h")" ||
	die "mainchaind observe --grpc $CT_GRPC failed"
scnet compare-snapshot-facts "$own" "$seen" || die "the observer and $CT_ID's own snapshot at height $own_h disagree"
log "observe at $CT_ID height $own_h agrees with its sidecar on chain id, orgs, validators and contract count"

# ---------------------------------------------------------------- an org's reporter daemon

RD_ID="${STATUS_SUBS[1]}"
STEP="running org-b's reporter daemon for $RD_ID"
RD_GRPC="127.0.0.1:$(localnet_chain "$RD_ID" ports.grpc)"
MAIN_HOME_E2E="$(localnet_chain "$MAIN_ID" home)"
RD_LOG="$LOCALNET_DIR/logs/reporter-$RD_ID.log"
RD_METRICS="127.0.0.1:26690"
"$MAIN_BIN_P" reporter start --sub-grpc "$RD_GRPC" --sub-bech32-prefix "$(chain_prefix "$(localnet_chain "$RD_ID" binary)")" \
	--from org-b-monitor --keyring-backend test --home "$MAIN_HOME_E2E" --node "$MAIN_RPC" --chain-id "$MAIN_ID" \
	--poll 2s --state "$LOCALNET_DIR/reporter-$RD_ID.json" --metrics-addr "$RD_METRICS" >"$RD_LOG" 2>&1 &
REPORTER_PID=$!
rd_seq=""
for _ in $(seq 1 60); do
	rd_seq="$("$MAIN_BIN_P" q statuscollect history "$RD_ID" --page-reverse --page-limit 20 --node "$MAIN_RPC" --output json |
		scnet json --first --or '' 'reports[source.org_id=org-b].sequence')" || true
	[[ -n "$rd_seq" ]] && break
	kill -0 "$REPORTER_PID" 2>/dev/null || die "the reporter daemon exited: $(tail -n 3 "$RD_LOG")"
	sleep 1
done
[[ -n "$rd_seq" ]] || die "no report of $RD_ID from org-b's reporter daemon within 60s: $(tail -n 5 "$RD_LOG")"
# The daemon counts a submission once it has seen the tx in a block, which
# may be a moment after the report shows in the history.
scnet wait-metrics --at-least "$RD_METRICS" 30 'statuscollect_reporter_submissions_total{error="",outcome="recorded"} 1' ||
	die "the reporter daemon's metrics do not show a recorded submission"
kill "$REPORTER_PID" 2>/dev/null || true
wait "$REPORTER_PID" 2>/dev/null || true
REPORTER_PID=""
log "org-b's reporter daemon: report $rd_seq of $RD_ID recorded with source org-b (metrics show it)"

STEP="checking that a key without rights cannot start the reporter daemon"
if out="$("$MAIN_BIN_P" reporter start --sub-grpc "$RD_GRPC" --from user --keyring-backend test --home "$MAIN_HOME_E2E" \
	--node "$MAIN_RPC" --chain-id "$MAIN_ID" 2>&1)"; then
	die "the reporter daemon started with a key that is no monitoring account"
fi
[[ "$out" == *"not a monitoring account"* ]] || die "the reporter daemon refused, but not with a clear reason: $out"
log "reporter daemon with a key without rights: refused at start ('not a monitoring account')"

# ---------------------------------------------------------------- a forgery, caught by a watcher

FG_ID="$CT_ID"
STEP="starting the watcher on $FG_ID"
FG_HOME="$(localnet_chain "$FG_ID" home)"
WATCH_LOG="$LOCALNET_DIR/logs/watcher-$FG_ID.log"
"$CT_BIN" watcher start --main-grpc "127.0.0.1:$(localnet_chain "$MAIN_ID" ports.grpc)" --main-rpc "$MAIN_RPC" \
	--sub-grpc "$CT_GRPC" --sub-bech32-prefix "$(chain_prefix "$CT_BIN")" --node "$CT_RPC" --chain-id "$FG_ID" \
	--from validator --keyring-backend test --home "$FG_HOME" --poll 3s \
	--state "$LOCALNET_DIR/watcher-$FG_ID.json" --metrics-addr 127.0.0.1:26691 >"$WATCH_LOG" 2>&1 &
WATCHER_PID=$!
# org-b watches subchain-a too, from the main chain, and files there.
"$MAIN_BIN_P" watcher start --main-grpc "127.0.0.1:$(localnet_chain "$MAIN_ID" ports.grpc)" --main-rpc "$MAIN_RPC" \
	--sub-grpc "$CT_GRPC" --sub-bech32-prefix "$(chain_prefix "$CT_BIN")" --subchain-id "$FG_ID" --org-id org-b \
	--node "$MAIN_RPC" --chain-id "$MAIN_ID" --from org-b-monitor --keyring-backend test --home "$MAIN_HOME_E2E" \
	--poll 3s --state "$LOCALNET_DIR/main-watcher-$FG_ID.json" >"$LOCALNET_DIR/logs/main-watcher-$FG_ID.log" 2>&1 &
MAIN_WATCHER_PID=$!

# The forger: org-a's monitoring account submits the subchain's own latest
# snapshot with a contract count 5 too high, at a sidecar snapshot height the
# main chain has no report of yet (the sidecar sends only when something changed).
STEP="org-a's monitoring account submitting a forged status of $FG_ID"
{ read -r _ forged_main_h forged_h && read -r forged; } < <(forge_report "$CT_BIN" "$CT_RPC" "$FG_ID" "$MAIN_BIN_P" "$MAIN_RPC" \
	"$MAIN_HOME_E2E" "$MAIN_ID" org-a-monitor 5) || forged_h=""
[[ -n "$forged_h" ]] || die "could not land a forged report of $FG_ID (the sidecar's reports kept arriving first)"
log "forged report of $FG_ID at its height $forged_h recorded in $MAIN_ID block $forged_main_h"

STEP="waiting (up to ${STATUS_TIMEOUT}s) for the watcher's dispute to be upheld and org-a suspended"
upheld=""
for _ in $(seq 1 "$STATUS_TIMEOUT"); do
	upheld="$("$MAIN_BIN_P" q statuscollect disputes "$FG_ID" --status upheld --node "$MAIN_RPC" --output json |
		scnet json --or '' disputes.-1.resolved_height)" || true
	[[ -n "$upheld" ]] && break
	kill -0 "$WATCHER_PID" 2>/dev/null || die "the watcher exited: $(tail -n 5 "$WATCH_LOG")"
	sleep 1
done
[[ -n "$upheld" ]] || die "no upheld dispute of $FG_ID: watcher log: $(tail -n 5 "$WATCH_LOG")"
"$MAIN_BIN_P" q statuscollect members "$FG_ID" --node "$MAIN_RPC" --output json |
	scnet json --first --want True 'members[org_id=org-a].suspended' || die "org-a is not suspended on $FG_ID after the upheld dispute"
expect_tx_error "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME_E2E" "$MAIN_ID" "reporting is suspended" \
	statuscollect submit-status "$forged" --from org-a-monitor || die "org-a's monitor could still submit"
scnet wait-metrics --at-least 127.0.0.1:26691 15 'statuscollect_watcher_disputes_filed_total 1' 'statuscollect_watcher_reports_seen_total 1' \
	"statuscollect_watcher_subchain{chain_id=\"$FG_ID\",figure=\"height\"} 1" "statuscollect_watcher_subchain{chain_id=\"$FG_ID\",figure=\"nodes\"} 1" ||
	die "the watcher's metrics do not show its dispute and the subchain's figures"
kill "$WATCHER_PID" 2>/dev/null || true
wait "$WATCHER_PID" 2>/dev/null || true
WATCHER_PID=""
FG_BLOCKS=$((upheld - forged_main_h))

STEP="waiting for org-b's main-chain watcher to file its dispute"
by_b=""
for _ in $(seq 1 30); do
	by_b="$("$MAIN_BIN_P" q statuscollect disputes "$FG_ID" --node "$MAIN_RPC" --output json |
		scnet json --first --or '' 'disputes[filer_org=org-b].id')" || true
	[[ -n "$by_b" ]] && break
	sleep 1
done
[[ -n "$by_b" ]] || die "org-b's main-chain watcher filed no dispute: $(tail -n 5 "$LOCALNET_DIR/logs/main-watcher-$FG_ID.log")"
kill "$MAIN_WATCHER_PID" 2>/dev/null || true
wait "$MAIN_WATCHER_PID" 2>/dev/null || true
MAIN_WATCHER_PID=""
log "org-b's watcher on the main chain filed dispute $by_b (open, deposit escrowed, for an arbiter)"
log "forgery to suspension: $FG_BLOCKS $MAIN_ID blocks (forged report in block $forged_main_h, dispute upheld and org-a suspended in block $upheld)"

# ---------------------------------------------------------------- the collector from the command line

STEP="running scripts/collector-cli.sh"
T_CLI=$SECONDS
bash "$REPO_ROOT/scripts/collector-cli.sh"
T_CLI=$((SECONDS - T_CLI))

STEP="running scripts/daemons-e2e.sh (a plain chain's reporter; endpoint failover, halt and outage)"
T_DAEMONS=$SECONDS
bash "$REPO_ROOT/scripts/daemons-e2e.sh"
T_DAEMONS=$((SECONDS - T_DAEMONS))

STEP="waiting for the browser test of the status page"
t_page=$SECONDS
while kill -0 "$PAGE_TEST_PID" 2>/dev/null && ((SECONDS - t_page < 600)); do sleep 1; done
kill -0 "$PAGE_TEST_PID" 2>/dev/null && kill "$PAGE_TEST_PID" # its own timeout should have ended it
if wait "$PAGE_TEST_PID"; then
	PAGE_TEST_PID=""
	log "status page: the new contract and gateway-c's first report appeared without a reload" \
		"(screenshots build/localnet-*.png; log $PAGE_LOG)"
else
	PAGE_TEST_PID=""
	tail -n 40 "$PAGE_LOG" >&2
	die "the browser test of the status page failed (log $PAGE_LOG)"
fi

STEP="stopping the localnet"
log "----- e2e figures -----"
log "localnet start: ${T_LOCALNET}s; ICS-20 part: $((T_TRANSFER_DONE - T0 - T_LOCALNET))s"
for id in "${STATUS_SUBS[@]}"; do
	log "first status report of $id over IBC recorded ${FIRST_REPORT_AT[$id]}"
done
log "contract on $CT_ID -> report on $MAIN_ID: $CT_BLOCKS $MAIN_ID blocks (instantiated at $MAIN_ID height $h_main_inst," \
	"recorded at $rep_main_h), ${CT_SECS}s wall clock from the instantiate tx's commit to the report seen," \
	"${bt_secs}s from the instantiate block's time to the recording block's time"
log "collector CLI/gRPC/REST check: ${T_CLI}s; daemons check (plain chain, endpoint health): ${T_DAEMONS}s"
log "forgery by org-a's monitor -> watcher's dispute upheld -> org-a suspended: $FG_BLOCKS $MAIN_ID blocks"
log "e2e PASSED in $((SECONDS - T0))s total"
