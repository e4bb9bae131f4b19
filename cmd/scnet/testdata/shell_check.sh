# The shell check (scnet's TestShellHelpers): source scripts/faults/lib.sh
# (and with it scripts/lib.sh) of the fake repository $1 and call the helpers,
# printing each one's stdout and exit status. Its output is compared with
# shell_check.golden: what the Python helpers (before scnet) printed for the
# same calls, but for history_json, whose old "read -r all key" split the
# reports at their first space (here: "all orgs up") and printed an empty line.
# Env: B (http://host:port serving the recorded RPC answers and /metrics),
# SCNET_TESTDATA (the recorded answers), FAKECLI (fakecli.sh).
# shellcheck disable=SC2034 # FAULT is read by faults/lib.sh
FAULT=shell-check
# shellcheck source=/dev/null
source "$1/scripts/faults/lib.sh"
M="${B#http://}"
D="$SCNET_TESTDATA"
cd "$TMPDIR" || exit 1
t() {
	local what="$*"
	what="${what//"$B"/\$B}"
	what="${what//"$M"/\$M}"
	echo "== ${what//"$PROXY_PORT"/\$PROXY_PORT}"
	"$@" 2>/dev/null
	echo "rc=$?"
}
t localnet_chain mainchain ports.api
t localnet_chain mainchain keys
t localnet_chain subchain-a kind
t localnet_chain gateway-c plain
t localnet_chain nochain home
t localnet_chain mainchain nope
t localnet_chain mainchain nodes.0
t localnet_node mainchain 1
t localnet_node mainchain 2
t localnet_node nochain 0
t localnet_status subchain-a src.channel
t localnet_status subchain-a dst
t localnet_status subchain-b src.channel
t nodes_of mainchain grpc
t nodes_of mainchain rpc " "
t nodes_of gateway-c rpc
t nodes_of nochain rpc
_fault_main_vars
echo "MAIN_ID=$MAIN_ID MAIN_RPC=$MAIN_RPC MAIN_RPC_HTTP=$MAIN_RPC_HTTP MAIN_HOME=$MAIN_HOME MAIN_BIN_P=$MAIN_BIN_P"
for p in height txhash events.1.attributes.0 events.-1.type tx.body.messages.0.@type gas_wanted code nope events.9 logs; do
	t json_get "$p" <"$D/tx.json"
done
echo '{"a": true, "b": null, "c": 1.50, "d": 1e-7, "e": "x y", "f": "caf\u00e9"}' >j.json
for p in a b c d e f; do t json_get "$p" <j.json; done
echo 'not json' | t json_get a
t tx_event_attr store_code code_id <"$D/tx.json"
t tx_event_attr instantiate _contract_address <"$D/tx.json"
t tx_event_attr store_code nope <"$D/tx.json"
t balance_of "$FAKECLI" tcp://x main1 umain
t balance_of "$FAKECLI" tcp://x main1 nope
t balance_of false tcp://x main1 umain
t rpc_get "$B" "/block?height=57"
t rpc_get "$B" "/block?height=9999"
t block_events "$B" 57 statuscollect.collector.v1.EventSubchainStale
t block_events "$B" 57 none
t block_search "$B" "statuscollect.collector.v1.EventSubchainStale.chain_id='subchain-a' AND block.height > 5"
t block_time "$B" 57
t rfc3339_ns 2026-11-28T13:04:05Z
t rfc3339_ns 2026-11-28T13:04:05.1234567891234Z
t rfc3339_ns 2026-11-28T13:04:05+00:00
t rest_get "$B/block?height=57"
t rest_get "$B/nope"
t metric "$M" 'statuscollect_watcher_disputes_filed_total{chain="subchain-a",kind="forged"}'
t metric "$M" 'statuscollect_reporter_last_report_height{chain="subchain-a"}'
t metric "$M" nope
t metric_sum "$M" statuscollect_watcher_disputes_filed_total
t metric_sum "$M" statuscollect_watcher_disputes_filed_total 'chain="subchain-b"'
t metric_sum 127.0.0.1:1 nope
t wait_metrics "$M" 2 'statuscollect_watcher_disputes_filed_total{chain="subchain-a",kind="forged"} 1' 'statuscollect_watcher_disputes_filed_total{chain="subchain-c",kind="forged"} 0' 'go_goroutines 17.0'
t wait_metrics "$M" 1 'statuscollect_watcher_disputes_filed_total{chain="subchain-a",kind="forged"} 2' 'x 0'
MAIN_BIN_P="$FAKECLI"
t tx_events "$FAKECLI" tcp://127.0.0.1:26657 "message.action='x'" statuscollect.collector.v1.EventDisputeFiled
t history_json subchain-a tcp://127.0.0.1:26757 40
t history_json broken
t latest_seq subchain-a
t latest_seq empty
t wait_ibc_report subchain-a 7 3
printf 'moniker = "old"\n\n[rpc]\nladdr = "tcp://127.0.0.1:26657"\n  pprof_laddr = "localhost:6060" # profiling\n' >c.toml
t toml_set c.toml 'rpc.laddr="tcp://127.0.0.1:36657"' 'rpc.pprof_laddr=""' '.moniker="new"'
t toml_set c.toml 'rpc.nope=1'
cat c.toml
echo '{"app_state": {"statusreporter": {"params": {"report_interval": "10", "admin": ""}, "orgs": []}}}' >g.json
t preset_reporter_genesis g.json sub1admin 5 3 90s org-b org-a org-b
cat g.json
echo
# A connection through tcp_proxy reaches the server; killing it cuts it.
tcp_proxy "$PROXY_PORT" "${M##*:}" proxy.log
t rest_get "http://127.0.0.1:$PROXY_PORT/block?height=57"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null
t rest_get "http://127.0.0.1:$PROXY_PORT/block?height=57"
