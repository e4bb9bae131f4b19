#!/usr/bin/env bash
# The daemons against a running localnet's nodes (scripts/localnet.sh; e2e.sh
# runs this last, since its parts 1 and 3 stop and restart nodes):
#
#   1. a plain chain: org-a's reporter daemon reports gateway-c, which runs
#      neither the statusreporter sidecar nor x/wasm, through all its nodes.
#      The main chain records its validators, orgs and a transaction total
#      equal to the sum of the blocks' transaction counts (read from CometBFT's
#      /blockchain). Its node 0 is stopped (the chain halts) and restarted under
#      the reporter while a transaction waits in node 1's mempool: the next
#      report counts it. The same with the main chain's node 0, the reporter's
#      only main-chain endpoint: its submissions fail while the node is down,
#      and the change lands once it is back. A heartbeat later carries new
#      transactions as a window with a TPS.
#   2. a far-future report: org-b's monitor claims subchain-b at height 10^9,
#      which the main chain refuses as implausible (more blocks than fit in the
#      time since the latest report). One at a height the sidecar never
#      snapshots is refused as uncheckable. It then claims a height 120 blocks
#      ahead with a wrong contract count, within the bounds: taken, but the
#      subchain's own next report over IBC still lands and is the latest.
#   3. endpoint health: a watcher of subchain-b is given a dead endpoint first,
#      then every node. It fails over; the dead endpoint shows down, and the
#      report ahead of the nodes is put aside with an alert instead of holding
#      the watcher up. Stopping every node but the first halts the chain (no
#      2/3 of the power left):
#      the watcher says "halted", not "unreachable". Stopping the first too:
#      "unreachable". The watcher is stopped with that alert open, the nodes
#      restarted; the watcher started again clears the alert at once. When
#      subchain-b reaches the far-future report's height, the watcher checks
#      it, files the dispute on subchain-b, the sidecar's evidence reaches the
#      main chain and the dispute is upheld there: org-b is suspended.
#
# Usage: bash scripts/daemons-e2e.sh      (on a running localnet)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

SUMMARY="$LOCALNET_DIR/localnet.json"
require_chain_binaries
require_cmd curl "Install it (Debian: 'apt-get install -y curl')."
[[ -f "$SUMMARY" ]] || die "$SUMMARY not found: start the localnet first (bash scripts/localnet.sh)"
[[ -n "$(localnet_running)" ]] || die "no localnet is running (start it with: bash scripts/localnet.sh)"

MAIN_ID="$(scnet json --file "$SUMMARY" main_chain)"
MAIN_BIN_P="$(localnet_chain "$MAIN_ID" binary)"
MAIN_HOME="$(localnet_chain "$MAIN_ID" home)"
MAIN_RPC="$(localnet_chain "$MAIN_ID" rpc)"
GW_ID="${GATEWAY_CHAIN:-gateway-c}"
HB_ID="${HEALTH_CHAIN:-subchain-b}"
REPORTER_METRICS=127.0.0.1:26693
WATCHER_METRICS=127.0.0.1:26694
DEAD_ENDPOINT=127.0.0.1:1 # nothing listens on port 1
REPORTER_PID="" WATCHER_PID=""
STEP="starting"
on_exit() {
	local rc=$?
	for pid in "$REPORTER_PID" "$WATCHER_PID"; do
		# A daemon killed here exits 143: that must not replace the script's own status.
		if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
	done
	((rc == 0)) || log "daemons check FAILED while $STEP (exit $rc)"
	exit "$rc"
}
trap on_exit EXIT

# nodes_of CHAIN FIELD [SEP]: FIELD (grpc, rpc) of every node of CHAIN, node 0
# first, joined by SEP (default ","): gRPC as host:port, RPC as tcp://host:port.
nodes_of() {
	scnet nodes --summary "$SUMMARY" -- "$1" "$2" "${3:-,}"
}

# wait_metrics ADDR SECONDS WANT...: wait until every WANT ('name{labels} value',
# labels as Prometheus prints them, exported: absent is not 0) holds on
# ADDR/metrics; fail showing them.
wait_metrics() {
	scnet wait-metrics --present -- "$@"
}

# wait_log FILE SECONDS TEXT: wait until a line of FILE contains TEXT (as is).
wait_log() {
	local i
	for ((i = 0; i < $2; i++)); do
		grep -qF -- "$3" "$1" && return 0
		sleep 1
	done
	return 1
}

# metric_at_least ADDR NAME MIN: the metric NAME (no labels) on ADDR/metrics is at least MIN.
metric_at_least() {
	scnet wait-metrics --present --at-least -- "$1" 0 "$2 $3"
}

# ---------------------------------------------------------------- 1. a plain chain

STEP="sending transactions on $GW_ID"
GW_BIN="$(localnet_chain "$GW_ID" binary)"
GW_HOME="$(localnet_chain "$GW_ID" home)"
GW_RPC="$(localnet_chain "$GW_ID" rpc)"
GW_DENOM="$(localnet_chain "$GW_ID" denom)"
GW_TO="$(localnet_chain "$GW_ID" keys.relayer)"
GW_NODES="$(nodes_of "$GW_ID" grpc)"
send_gw() {
	local i
	for ((i = 0; i < $1; i++)); do
		submit_tx "$GW_BIN" "$GW_RPC" "$GW_HOME" "$GW_ID" bank send user "$GW_TO" "1$GW_DENOM" --from user >/dev/null
	done
}
send_gw 3

STEP="running org-a's reporter daemon on $GW_ID (no sidecar, no x/wasm)"
"$MAIN_BIN_P" reporter start --sub-grpc "$GW_NODES" --sub-bech32-prefix "$(localnet_chain "$GW_ID" prefix)" \
	--orgs org-a,org-b --from org-a-monitor --keyring-backend test --home "$MAIN_HOME" \
	--node "$MAIN_RPC" --chain-id "$MAIN_ID" --poll 2s --heartbeat 6s \
	--state "$LOCALNET_DIR/reporter-$GW_ID.json" --metrics-addr "$REPORTER_METRICS" \
	>"$LOCALNET_DIR/logs/reporter-$GW_ID.log" 2>&1 &
REPORTER_PID=$!

# report_after MIN_TOTAL: wait for the main chain's latest report of the
# gateway from org-a with total_txs >= MIN_TOTAL; print it (the snapshot).
report_after() {
	local i out
	for ((i = 0; i < 60; i++)); do
		out="$("$MAIN_BIN_P" q statuscollect status "$GW_ID" --node "$MAIN_RPC" --output json 2>/dev/null)" &&
			printf '%s' "$out" | scnet json --first "report[source.org_id=org-a,snapshot.total_txs>=$1].snapshot" 2>/dev/null && return 0
		kill -0 "$REPORTER_PID" 2>/dev/null || die "the reporter exited: $(tail -n 5 "$LOCALNET_DIR/logs/reporter-$GW_ID.log")"
		sleep 1
	done
	die "no report of $GW_ID from org-a with total_txs >= $1: $(tail -n 5 "$LOCALNET_DIR/logs/reporter-$GW_ID.log")"
}
first="$(report_after 3)"
# The transactions in blocks 1..height, as CometBFT's block metas count them.
txs_in_blocks() {
	local rpc lo hi n counts total=0
	rpc="http://127.0.0.1:$(localnet_chain "$GW_ID" ports.rpc)"
	for ((lo = 1; lo <= $1; lo += 20)); do # 20 block metas a page
		hi=$((lo + 19 < $1 ? lo + 19 : $1))
		counts="$(scnet rpc "$rpc" "/blockchain?minHeight=$lo&maxHeight=$hi" | scnet json 'block_metas[].num_txs')" || return 1
		for n in $counts; do total=$((total + n)); done
	done
	echo "$total"
}
# counted_after MIN WHEN: wait for the report with total_txs >= MIN; it must
# equal the blocks' count. Sets r_h and f_total to its height and total.
counted_after() {
	local r
	r="$(report_after "$1")"
	r_h="$(printf '%s' "$r" | json_get height)"
	f_total="$(printf '%s' "$r" | json_get total_txs)"
	[[ "$f_total" == "$(txs_in_blocks "$r_h")" ]] ||
		die "$GW_ID report at $r_h $2: total_txs $f_total, the blocks hold $(txs_in_blocks "$r_h")"
}
f_h="$(scnet json height <<<"$first")"
read -r f_total f_contracts < <(scnet json --or 0 total_txs contract_count <<<"$first")
f_vals="$(scnet json 'validators[]#' <<<"$first")"
f_orgs="$(scnet json --join , 'orgs[]' <<<"$first")"
want_total="$(txs_in_blocks "$f_h")"
want_vals="$(nodes_of "$GW_ID" grpc ' ' | wc -w)"
[[ "$f_total" == "$want_total" ]] || die "$GW_ID report at $f_h has total_txs $f_total; its blocks hold $want_total"
[[ "$f_vals" == "$want_vals" ]] || die "$GW_ID report has $f_vals validators; the chain runs $want_vals"
[[ "$f_orgs" == "org-a,org-b" ]] || die "$GW_ID report has orgs '$f_orgs', want org-a,org-b"
[[ "$f_contracts" == 0 ]] || die "$GW_ID has no x/wasm, yet its report counts $f_contracts contracts"
log "plain chain $GW_ID: org-a's reporter recorded height $f_h, $f_total txs (= the blocks' count), $f_vals validators, orgs $f_orgs"
# One log line per report, with its height and tx; the gauges of the last one.
wait_log "$LOCALNET_DIR/logs/reporter-$GW_ID.log" 30 "report of $GW_ID at height $f_h recorded (tx " ||
	die "the reporter logged no line for its report at $f_h: $(tail -n 5 "$LOCALNET_DIR/logs/reporter-$GW_ID.log")"
metric_at_least "$REPORTER_METRICS" statuscollect_reporter_last_report_height "$f_h" &&
	metric_at_least "$REPORTER_METRICS" statuscollect_reporter_last_report_block_time_seconds 1 ||
	die "the reporter's last-report gauges do not show its report at $f_h"

# A node restart under the reporter: node 0 stops (the chain halts, half its
# power gone; the reporter reads through node 1), a transaction is sent to
# node 1's mempool meanwhile, node 0 comes back: nothing is lost.
STEP="restarting $GW_ID's first node under the reporter"
GW_RPC1="$(nodes_of "$GW_ID" rpc | cut -d, -f2)"
localnet_node_stop "$GW_ID" 0
out="$("$GW_BIN" tx bank send user "$GW_TO" "1$GW_DENOM" --from user --home "$GW_HOME" --node "$GW_RPC1" \
	--chain-id "$GW_ID" --keyring-backend test --gas auto --gas-adjustment 1.5 --broadcast-mode sync -y \
	--output json 2>&1 | grep '^{' | tail -n 1)" || die "could not send a transaction to $GW_ID's node 1"
[[ "$(printf '%s' "$out" | json_get code)" == 0 ]] || die "$GW_ID's node 1 refused the transaction: $out"
sleep 3
localnet_node_start "$GW_ID" 0
counted_after $((f_total + 1)) "after its node 0 restarted"
log "plain chain $GW_ID: node 0 stopped and restarted under the reporter; the transaction sent meanwhile is in its report at $r_h ($f_total txs = the blocks' count)"

# The other side: the main chain's node 0, the reporter's only --node, stops
# (the main chain halts too) while gateway-c gets a new transaction. The
# reporter's submissions fail until the node is back; then the change lands.
STEP="restarting $MAIN_ID's first node under the reporter"
failed_before="$(grep -c 'step failed' "$LOCALNET_DIR/logs/reporter-$GW_ID.log" || true)"
localnet_node_stop "$MAIN_ID" 0
send_gw 1
t_down=$SECONDS
until (($(grep -c 'step failed' "$LOCALNET_DIR/logs/reporter-$GW_ID.log" || true) > failed_before)); do
	((SECONDS - t_down < 30)) || die "the reporter did not try to submit while $MAIN_ID's node 0 was down"
	sleep 1
done
localnet_node_start "$MAIN_ID" 0
counted_after $((f_total + 1)) "after $MAIN_ID's node 0 restarted"
log "$MAIN_ID node 0 stopped and restarted under the reporter: its submissions failed meanwhile, then the report at $r_h carried the transaction sent meanwhile ($f_total txs = the blocks' count)"

STEP="waiting for a report of $GW_ID carrying new transactions"
send_gw 4
report_after $((f_total + 4)) >/dev/null
# The report that first counted one of them holds it in its window (the
# latest may be a heartbeat after it, on a busy machine).
beat="$("$MAIN_BIN_P" q statuscollect history "$GW_ID" --page-reverse --page-limit 50 --node "$MAIN_RPC" --output json |
	scnet json --last "reports[snapshot.total_txs>=$((f_total + 1))].snapshot")" ||
	die "cannot find the report of $GW_ID that first counted the new transactions"
b_h="$(scnet json height <<<"$beat")"
read -r b_wtxs b_wblocks b_tps < <(scnet json --or 0 window_txs window_blocks tps_milli <<<"$beat")
((b_wtxs >= 1 && b_wblocks > 0 && b_tps > 0)) ||
	die "$GW_ID report at $b_h: window_txs $b_wtxs, window_blocks $b_wblocks, tps_milli $b_tps; want txs and a TPS"
# Its lists did not change after its first report: later ones name them by hash.
metric_at_least "$REPORTER_METRICS" statuscollect_reporter_lists_by_hash_total 1 ||
	die "the reporter recorded no report that named its orgs and validators by hash"
log "the reporter's reports after its first named their lists by hash: $(scnet metric "$REPORTER_METRICS" statuscollect_reporter_lists_by_hash_total) of them"
retried="$(grep -c 'step failed' "$LOCALNET_DIR/logs/reporter-$GW_ID.log" || true)"
log "the reporter retried $retried failed step(s), the first: $(grep 'step failed' "$LOCALNET_DIR/logs/reporter-$GW_ID.log" | head -n 1)"
kill "$REPORTER_PID" 2>/dev/null || true
wait "$REPORTER_PID" 2>/dev/null || true
REPORTER_PID=""
grep -qF "received signal terminated: stopped; state as saved in $LOCALNET_DIR/reporter-$GW_ID.json: last report at height" \
	"$LOCALNET_DIR/logs/reporter-$GW_ID.log" ||
	die "the reporter did not say what state it left when stopped: $(tail -n 3 "$LOCALNET_DIR/logs/reporter-$GW_ID.log")"
log "plain chain $GW_ID: report at $b_h carried $b_wtxs txs in $b_wblocks blocks, tps_milli $b_tps"

# ---------------------------------------------------------------- 2. a far-future report

# org-b's monitor claims a height of subchain-b a billion blocks ahead, dated
# 1s after the subchain's snapshot: the main chain refuses it, since no more
# blocks fit between the block times of the latest report and the claim than
# min_block_interval allows. A claim of a height the sidecar does not snapshot
# is refused too: the subchain could not check it. A claim within the bounds
# (120 blocks, dated 30s ahead, 5 contracts too many) is taken (nothing on the
# main chain knows better yet), but the subchain's own next report over IBC
# still lands and becomes the latest: an org's word cannot shut its consensus
# out. Part 3 ends with the subchain proving the claim wrong.
STEP="org-b's monitor submitting a far-future status of $HB_ID"
HB_BIN="$(localnet_chain "$HB_ID" binary)"
HB_RPC="$(localnet_chain "$HB_ID" rpc)"
# ahead_of_snapshot BLOCKS SECONDS [CONTRACTS]: subchain-b's latest snapshot,
# moved BLOCKS and SECONDS ahead, CONTRACTS added to its contract count.
ahead_of_snapshot() {
	"$HB_BIN" q statusreporter snapshot --node "$HB_RPC" --output json |
		scnet forge-snapshot --height "$1" --seconds "$2" --contract-count "${3:-0}"
}
far="$(ahead_of_snapshot 1000000000 1)" || die "could not read $HB_ID's snapshot"
if out="$("$MAIN_BIN_P" tx statuscollect submit-status "$far" --from org-b-monitor --home "$MAIN_HOME" \
	--node "$MAIN_RPC" --chain-id "$MAIN_ID" --keyring-backend test --gas auto -y --output json 2>&1)" &&
	[[ "$(printf '%s\n' "$out" | grep '^{' | tail -n 1 | json_get code 2>/dev/null)" == 0 ]]; then
	die "the main chain took a report of $HB_ID a billion blocks ahead: $out"
fi
[[ "$out" == *"implausible status"* ]] || die "a report a billion blocks ahead was refused, but not as implausible: $out"
log "a report of $HB_ID a billion blocks ahead, by org-b's monitor: refused ($(printf '%s\n' "$out" | grep -oE '(height [0-9]+ is|block time) .*implausible status' | head -n 1))"
SNAPSHOT_EVERY="$("$HB_BIN" q statusreporter params --node "$HB_RPC" --output json | json_get params.report_interval)"
off="$(ahead_of_snapshot 1 1)" || die "could not read $HB_ID's snapshot"
expect_tx_error "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "keeps no snapshot of" \
	statuscollect submit-status "$off" --from org-b-monitor ||
	die "a report of $HB_ID at a height its sidecar does not snapshot was not refused as uncheckable"
log "a report of $HB_ID one block past a snapshot height (its sidecar snapshots every $SNAPSHOT_EVERY blocks): refused as uncheckable"
# Far enough ahead that the watcher of part 3 finds it still more than its
# --ahead-margin ahead of the nodes, near enough that the subchain reaches it
# before the end.
FAR_AHEAD=120
far="$(ahead_of_snapshot "$FAR_AHEAD" 30 5)" || die "could not read $HB_ID's snapshot"
FAR_HEIGHT="$(printf '%s' "$far" | json_get height)"
out="$(submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" statuscollect submit-status "$far" --from org-b-monitor)" ||
	die "the report $FAR_AHEAD blocks ahead was not recorded"
# The sequence is read from the tx's own event: by the time the latest status
# is queried, the subchain's next report over IBC may already have landed.
far_seq="$(printf '%s' "$out" | tx_event_attr statuscollect.collector.v1.EventStatusReported sequence | tr -d '"')" ||
	die "no status event in the far-future report's tx"
STEP="waiting for $HB_ID's own report over IBC after the far-future one"
own_after=""
for _ in $(seq 1 180); do # the sidecar sends on change or, unchanged, every heartbeat_every snapshots
	own_after="$("$MAIN_BIN_P" q statuscollect status "$HB_ID" --node "$MAIN_RPC" --output json |
		scnet json --first "report[sequence>$far_seq,source.channel_id]" 2>/dev/null | scnet json sequence snapshot.height)" || true
	[[ -n "$own_after" ]] && break
	sleep 1
done
[[ -n "$own_after" ]] || die "no report of $HB_ID over IBC was recorded after the far-future report $far_seq"
log "far-future report $far_seq of $HB_ID (height $FAR_HEIGHT, $FAR_AHEAD blocks ahead, by org-b's monitor) shut nothing out:" \
	"the subchain's own report over IBC followed as the latest (sequence and height: $own_after)"

# ---------------------------------------------------------------- 3. endpoint health

STEP="starting a watcher of $HB_ID with a dead endpoint first"
HB_HOME="$(localnet_chain "$HB_ID" home)"
HB_NODES="$(nodes_of "$HB_ID" grpc)"
IFS=, read -ra HB_LIST <<<"$HB_NODES"
((${#HB_LIST[@]} >= 2)) || die "$HB_ID runs ${#HB_LIST[@]} node(s); halting it without losing every endpoint needs 2 or more"
HB_STATE="$LOCALNET_DIR/watcher-health-$HB_ID.json"
HB_LOG="$LOCALNET_DIR/logs/watcher-health-$HB_ID.log"
: >"$HB_LOG"
start_watcher() {
	"$HB_BIN" watcher start --main-grpc "$(nodes_of "$MAIN_ID" grpc)" --main-rpc "$(nodes_of "$MAIN_ID" rpc)" \
		--sub-grpc "$DEAD_ENDPOINT,$HB_NODES" --sub-bech32-prefix "$(localnet_chain "$HB_ID" prefix)" \
		--node "$(localnet_chain "$HB_ID" rpc)" --chain-id "$HB_ID" --from validator --keyring-backend test \
		--home "$HB_HOME" --poll 2s --halt-after 10s --ahead-margin 5 --state "$HB_STATE" --metrics-addr "$WATCHER_METRICS" \
		>>"$HB_LOG" 2>&1 &
	WATCHER_PID=$!
}

STEP="pointing the watcher of $HB_ID at another chain's nodes"
if out="$("$HB_BIN" watcher start --main-grpc "$(nodes_of "$MAIN_ID" grpc)" --main-rpc "$MAIN_RPC" \
	--sub-grpc "$HB_NODES,$(nodes_of subchain-a grpc)" \
	--node "$(localnet_chain "$HB_ID" rpc)" --chain-id "$HB_ID" --from validator --keyring-backend test \
	--home "$HB_HOME" --state "$HB_STATE" 2>&1)"; then
	die "the watcher started with an endpoint of subchain-a among $HB_ID's"
fi
[[ "$out" == *"serves chain subchain-a, not $HB_ID"* ]] || die "the watcher refused, but not naming the wrong chain: $out"
log "watcher given an endpoint of subchain-a for $HB_ID: refused to start ('serves chain subchain-a, not $HB_ID')"

# A state file left from chains since re-created (another identity), with a
# cursor past every report and a standing alert: it must be set aside.
STEP="starting a watcher of $HB_ID over a state file from other chains"
printf '%s\n' '{"identity": "mainchain-1@00/subchain-b@00", "state": {"cursor": 1000000,
  "alerts": [{"key": "subchain-halted", "since": "2026-01-01T00:00:00Z", "detail": "from a previous run"}]}}' >"$HB_STATE"
start_watcher
sub_up() { echo "statuscollect_watcher_endpoint_up{chain=\"sub\",endpoint=\"$1\"} $2"; }
cond() { echo "statuscollect_watcher_subchain_condition{condition=\"$1\"} 1"; }
wait_metrics "$WATCHER_METRICS" 30 "$(cond producing)" "$(sub_up "$DEAD_ENDPOINT" 0)" "$(sub_up "${HB_LIST[0]}" 1)" \
	'statuscollect_watcher_open_alerts{kind="ahead"} 1' ||
	die "the watcher does not show $HB_ID producing through its live endpoints, with the far-future report put aside"
grep -q "ALERT raised ahead/$far_seq" "$HB_LOG" || die "the watcher raised no alert for the far-future report $far_seq"
if ! grep -q "was written for mainchain-1@00/subchain-b@00" "$HB_LOG" || ! grep -q "from report 0 " "$HB_LOG" ||
	[[ ! -f "$HB_STATE.stale" ]]; then
	die "the watcher trusted a state file written for other chains: $(head -n 3 "$HB_LOG")"
fi
grep -q '"key": "subchain-halted"' "$HB_STATE" && die "the halted alert of the old state file is open: $(cat "$HB_STATE")"
log "watcher of $HB_ID: a state file from other chains set aside (*.stale), started from report 0 with no alert"
log "watcher of $HB_ID: dead endpoint $DEAD_ENDPOINT down, ${HB_LIST[0]} up, condition producing;" \
	"the far-future report $far_seq put aside with an alert, not holding the watcher up"

STEP="halting $HB_ID by stopping all its nodes but the first"
t_stop=$SECONDS
for ((i = 1; i < ${#HB_LIST[@]}; i++)); do localnet_node_stop "$HB_ID" "$i"; done
wait_metrics "$WATCHER_METRICS" 60 "$(cond halted)" "$(sub_up "${HB_LIST[1]}" 0)" "$(sub_up "${HB_LIST[0]}" 1)" \
	'statuscollect_watcher_open_alerts{kind="subchain-halted"} 1' ||
	die "the watcher does not tell $HB_ID halted"
log "watcher of $HB_ID: 'halted' $((SECONDS - t_stop))s after its other validators stopped (--halt-after 10s), node 0 still answering"

STEP="stopping the last node of $HB_ID"
h_halt="$(chain_height "$HB_BIN" "$(localnet_chain "$HB_ID" rpc)")"
localnet_node_stop "$HB_ID" 0
wait_metrics "$WATCHER_METRICS" 40 "$(cond unreachable)" "$(sub_up "${HB_LIST[0]}" 0)" \
	'statuscollect_watcher_open_alerts{kind="subchain-unreachable"} 1' ||
	die "the watcher does not tell its endpoints down"
kill "$WATCHER_PID" 2>/dev/null || true
wait "$WATCHER_PID" 2>/dev/null || true
WATCHER_PID=""
log "watcher of $HB_ID: 'unreachable' once every endpoint was down; stopped with that alert open"

STEP="restarting $HB_ID's nodes"
for ((i = 0; i < ${#HB_LIST[@]}; i++)); do localnet_node_start "$HB_ID" "$i"; done
wait_for_height "$HB_BIN" "$(localnet_chain "$HB_ID" rpc)" $((h_halt + 2)) 90 ||
	die "$HB_ID does not produce blocks again after its nodes restarted"

STEP="restarting the watcher: the stale alert must clear"
grep -q '"subchain-unreachable"' "$HB_STATE" || die "the unreachable alert is not kept in $HB_STATE"
start_watcher
wait_metrics "$WATCHER_METRICS" 40 "$(cond producing)" "$(sub_up "${HB_LIST[1]}" 1)" ||
	die "the restarted watcher does not see $HB_ID producing"
grep -q "ALERT cleared subchain-unreachable" "$HB_LOG" || die "the restarted watcher did not clear the unreachable alert"
left="$(scnet json --file "$HB_STATE" --join ' ' 'state.alerts[].key')"
[[ "$left" != *subchain-* ]] || die "$HB_STATE still holds a subchain alert: $left"
log "watcher of $HB_ID: after the restart of nodes and watcher, producing again and the kept alert cleared"

# The far-future report of part 2, once the subchain reaches its height: the
# watcher checks it against its nodes, files the dispute on the subchain, and
# the sidecar's evidence upholds it on the main chain.
STEP="waiting for $HB_ID to reach the far-future report's height $FAR_HEIGHT and the watcher's dispute of it to be upheld"
far_upheld=""
for _ in $(seq 1 300); do
	far_upheld="$("$MAIN_BIN_P" q statuscollect disputes "$HB_ID" --status upheld --node "$MAIN_RPC" --output json |
		scnet json --first --or '' "disputes[report_sequence=$far_seq].resolved_height")" || true
	[[ -n "$far_upheld" ]] && break
	kill -0 "$WATCHER_PID" 2>/dev/null || die "the watcher exited: $(tail -n 5 "$HB_LOG")"
	sleep 1
done
[[ -n "$far_upheld" ]] || die "the far-future report $far_seq of $HB_ID was not disputed and upheld: $(tail -n 5 "$HB_LOG")"
grep -q "disputed report $far_seq of $HB_ID" "$HB_LOG" || die "the upheld dispute of report $far_seq is not the watcher's: $(tail -n 5 "$HB_LOG")"
"$MAIN_BIN_P" q statuscollect members "$HB_ID" --node "$MAIN_RPC" --output json |
	scnet json --first --want True 'members[org_id=org-b].suspended' || die "org-b is not suspended on $HB_ID after its far-future report was proven wrong"
log "far-future report $far_seq of $HB_ID: once the subchain reached height $FAR_HEIGHT, the watcher disputed it on $HB_ID;" \
	"the sidecar's evidence upheld it in $MAIN_ID block $far_upheld and org-b's reporting is suspended"
kill "$WATCHER_PID" 2>/dev/null || true
wait "$WATCHER_PID" 2>/dev/null || true
WATCHER_PID=""
grep -qF "received signal terminated: stopped; state as saved in $HB_STATE: checked up to report" "$HB_LOG" ||
	die "the watcher did not say what state it left when stopped: $(tail -n 3 "$HB_LOG")"
