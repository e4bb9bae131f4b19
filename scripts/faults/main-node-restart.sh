#!/usr/bin/env bash
# Fault scenario: a main-chain node restarted while the daemons run.
#
# A fresh localnet; the daemons of docs/daemons.md run against it: org-b's
# reporter for subchain-b, subchain-a's watcher (subchaind) and org-b's
# main-chain watcher of subchain-a (mainchaind), all with the main chain's
# node 0 as their node for transactions. To have disputes and a suspension in
# the state, org-a's monitor forges a report of subchain-a: the watcher
# disputes it on subchain-a, the dispute is upheld over IBC (org-a suspended)
# and org-b's main-chain watcher files its own (open, deposit escrowed).
#
# Then the main chain's node 0 (the daemons' and rly's node; with two
# validators the main chain halts meanwhile) is stopped for at least
# MIN_DOWN_S, longer than the watchers' websocket timeout, and started again.
#
# Checked: every report, dispute and membership (and the orgs and subchains)
# read through node 0 at a height before the restart is byte-equal to what
# node 0 serves for the same height after it; at a height after the restart
# node 0 and node 1 serve the same; every report and dispute of before is in
# the latest state unchanged (new reports appended only); the reporter's
# submissions failed while node 0 was down and are recorded again after; the
# watchers filed no dispute twice.
#
# Usage: bash scripts/faults/main-node-restart.sh    (no localnet may be running)
set -euo pipefail
FAULT=main-node-restart
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R_METRICS=127.0.0.1:26693
W_METRICS=127.0.0.1:26694
MIN_DOWN_S=40 # node 0 stays down at least this long: past the watchers' 30 s --block-timeout

fault_localnet_up

SA=subchain-a
SB=subchain-b
SA_BIN="$(localnet_chain "$SA" binary)"
SA_RPC="$(localnet_chain "$SA" rpc)"
MAIN_RPC1="$(nodes_of "$MAIN_ID" rpc | cut -d, -f2)"
CHAINS=(subchain-a subchain-b gateway-c)

step "waiting for the first reports over IBC"
wait_ibc_report "$SA" 0 150 >/dev/null
wait_ibc_report "$SB" 0 150 >/dev/null

step "starting the daemons"
R_LOG="$FAULT_LOG_DIR/reporter-$FAULT-$SB.log"
"$MAIN_BIN_P" reporter start --sub-grpc "$(nodes_of "$SB" grpc)" --sub-bech32-prefix "$(localnet_chain "$SB" prefix)" \
	--from org-b-monitor --keyring-backend test --home "$MAIN_HOME" --node "$MAIN_RPC" --chain-id "$MAIN_ID" \
	--poll 2s --heartbeat 6s --state "$LOCALNET_DIR/reporter-$FAULT-$SB.json" --metrics-addr "$R_METRICS" >"$R_LOG" 2>&1 &
R_PID=$!
fault_track "$R_PID"
W_LOG="$FAULT_LOG_DIR/watcher-$FAULT-$SA.log"
: >"$W_LOG"
start_sub_watcher "$SA" "$W_METRICS" "$W_LOG"
MW_LOG="$FAULT_LOG_DIR/main-watcher-$FAULT-$SA.log"
"$MAIN_BIN_P" watcher start --main-grpc "$(nodes_of "$MAIN_ID" grpc)" --main-rpc "$(nodes_of "$MAIN_ID" rpc)" \
	--sub-grpc "$(nodes_of "$SA" grpc)" --sub-bech32-prefix "$(localnet_chain "$SA" prefix)" --subchain-id "$SA" \
	--org-id org-b --node "$MAIN_RPC" --chain-id "$MAIN_ID" --from org-b-monitor --keyring-backend test \
	--home "$MAIN_HOME" --poll 2s --state "$LOCALNET_DIR/main-watcher-$FAULT-$SA.json" >"$MW_LOG" 2>&1 &
MW_PID=$!
fault_track "$MW_PID"
# recorded: the reporter's submissions recorded so far.
recorded() { metric_sum "$R_METRICS" statuscollect_reporter_submissions_total 'outcome="recorded"'; }
recorded_over() { (($(recorded) > $1)); }
poll_until 90 "a report of $SB recorded by org-b's reporter" recorded_over 0
check "org-b's reporter daemon has a report of $SB recorded"

step "org-a's monitor forging a report of $SA"
read -r _ _ forged_h < <(forge_report "$SA_BIN" "$SA_RPC" "$SA" "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" org-a-monitor 5) ||
	forged_h=""
[[ -n "$forged_h" ]] || fail "could not land a forged report of $SA"
disputes_settled() {
	"$MAIN_BIN_P" q statuscollect disputes "$SA" --node "$MAIN_RPC" --output json |
		scnet json --want '1 1' '[disputes[status=DISPUTE_STATUS_UPHELD]]#' '[disputes[filer_org=org-b]]#'
}
poll_until 150 "an upheld dispute of the forged report and org-b's own dispute" disputes_settled
check "the forged report of $SA at height $forged_h: disputed by the watcher and upheld over IBC; org-b's main-chain watcher filed its own dispute"

# ---------------------------------------------------------------- dump

# dump NODE HEIGHT DIR: every report, dispute and membership of every
# subchain, the orgs and the subchains, read through NODE at HEIGHT, a file
# each in DIR (the reports of a subchain one JSON line each, so that the
# reports of before are the first lines of after).
dump() {
	local node="$1" h="$2" dir="$3" c q
	rm -rf "$dir"
	mkdir -p "$dir"
	for c in "${CHAINS[@]}"; do
		history_json "$c" "$node" "$h" | scnet json '[]' >"$dir/history-$c" || return 1
		"$MAIN_BIN_P" q statuscollect disputes "$c" --page-limit 100 --node "$node" --height "$h" --output json >"$dir/disputes-$c" || return 1
		"$MAIN_BIN_P" q statuscollect members "$c" --node "$node" --height "$h" --output json >"$dir/members-$c" || return 1
	done
	for q in orgs subchains; do
		"$MAIN_BIN_P" q statuscollect "$q" --page-limit 100 --node "$node" --height "$h" --output json >"$dir/$q" || return 1
	done
}
# dump_count DIR FILES PATH: the sum of PATH's count over DIR's FILES.
dump_count() {
	local f n=0
	for f in "$1"/$2; do
		n=$((n + $(scnet json --file "$f" "$3")))
	done
	echo "$n"
}
DUMP_DIR="$LOCALNET_DIR/fault-$FAULT"
mkdir -p "$DUMP_DIR"
step "dumping the collector's state through node 0 before the restart"
H_BEFORE="$(main_height)"
BEFORE="$DUMP_DIR/before-h$H_BEFORE"
dump "$MAIN_RPC" "$H_BEFORE" "$BEFORE" || fail "could not dump the state at height $H_BEFORE"
N_REP="$(cat "$BEFORE"/history-* | wc -l)"
N_DISP="$(dump_count "$BEFORE" 'disputes-*' 'disputes[]#')"
N_MEM="$(dump_count "$BEFORE" 'members-*' 'members[]#')"
((N_REP > 0 && N_DISP >= 2 && N_MEM > 0)) || fail "the dump at $H_BEFORE holds $N_REP reports, $N_DISP disputes, $N_MEM memberships"
log "[$FAULT] before: $N_REP reports, $N_DISP disputes, $N_MEM memberships at height $H_BEFORE"
FILED_BEFORE="$(metric_sum "$W_METRICS" statuscollect_watcher_disputes_filed_total)"
FAILED_BEFORE="$(grep -c 'step failed' "$R_LOG" || true)"

# ---------------------------------------------------------------- the restart

step "restarting the main chain's node 0 under the daemons"
T_STOP=$SECONDS
localnet_node_stop "$MAIN_ID" 0 >/dev/null 2>&1 || fail "could not stop $MAIN_ID's node 0"
H_STOPPED="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC1")"
# The reporter keeps trying meanwhile: its submissions fail until node 0 is back.
failed_over() { (($(grep -c 'step failed' "$R_LOG" || true) > $1)); }
poll_until 60 "a failed reporter step while node 0 is down" failed_over "$FAILED_BEFORE"
# Down longer than the watchers' --block-timeout (30 s): their websockets to
# node 0 give up and move to node 1 while node 0 may come back under them (a
# watcher once crashed there).
while ((SECONDS - T_STOP < MIN_DOWN_S)); do sleep 1; done
localnet_node_start "$MAIN_ID" 0 90 >/dev/null 2>&1 || fail "could not start $MAIN_ID's node 0 again"
T_DOWN=$((SECONDS - T_STOP))
wait_for_height "$MAIN_BIN_P" "$MAIN_RPC" $((H_STOPPED + 3)) 90 || fail "the main chain does not make blocks after the restart"
check "$MAIN_ID's node 0 down ${T_DOWN}s (the main chain halted at $H_STOPPED) and back; blocks again"

step "waiting for the daemons to work again"
REC_BEFORE="$(recorded)"
poll_until 90 "a new report recorded by org-b's reporter after the restart" recorded_over "$REC_BEFORE"
H_REC_AFTER="$(main_height)"
FAILED_AFTER="$(grep -c 'step failed' "$R_LOG" || true)"
check "org-b's reporter: $((FAILED_AFTER - FAILED_BEFORE)) step(s) failed while node 0 was down, then a report recorded again"
W_CURSOR_BEFORE="$(metric_sum "$W_METRICS" statuscollect_watcher_cursor)"
wait_ibc_report "$SA" "$(latest_seq "$SA")" 120 >/dev/null
cursor_over() { (($(metric_sum "$W_METRICS" statuscollect_watcher_cursor) > $1)); }
poll_until 60 "the watcher's cursor past $W_CURSOR_BEFORE" cursor_over "$W_CURSOR_BEFORE"
kill -0 "$WATCHER_PID" 2>/dev/null && kill -0 "$MW_PID" 2>/dev/null && kill -0 "$R_PID" 2>/dev/null ||
	fail "a daemon exited during the restart"
check "the watcher's cursor moved on past $W_CURSOR_BEFORE (a new report of $SA); all three daemons still run"

# ---------------------------------------------------------------- compare

step "dumping again and comparing"
dump "$MAIN_RPC" "$H_BEFORE" "$DUMP_DIR/after-h$H_BEFORE" || fail "could not dump height $H_BEFORE after the restart"
diff -ru "$BEFORE" "$DUMP_DIR/after-h$H_BEFORE" >"$DUMP_DIR/diff-h$H_BEFORE.txt" ||
	fail "node 0 serves height $H_BEFORE differently after its restart: $(head -n 30 "$DUMP_DIR/diff-h$H_BEFORE.txt")"
check "node 0 at height $H_BEFORE, before and after its restart: byte-equal ($N_REP reports, $N_DISP disputes, $N_MEM memberships, orgs, subchains)"
H_NOW="$(main_height)"
wait_for_height "$MAIN_BIN_P" "$MAIN_RPC1" "$H_NOW" 30 || fail "node 1 does not reach $H_NOW"
NOW0="$DUMP_DIR/node0-h$H_NOW"
dump "$MAIN_RPC" "$H_NOW" "$NOW0" || fail "could not dump node 0 at $H_NOW"
dump "$MAIN_RPC1" "$H_NOW" "$DUMP_DIR/node1-h$H_NOW" || fail "could not dump node 1 at $H_NOW"
diff -ru "$NOW0" "$DUMP_DIR/node1-h$H_NOW" >"$DUMP_DIR/diff-nodes-h$H_NOW.txt" ||
	fail "node 0 and node 1 disagree at height $H_NOW: $(head -n 30 "$DUMP_DIR/diff-nodes-h$H_NOW.txt")"
check "node 0 (restarted) and node 1 at height $H_NOW: byte-equal"
# The reports of before are the first ones now; disputes, memberships and orgs unchanged.
N_NEW=0
for c in "${CHAINS[@]}"; do
	n="$(wc -l <"$BEFORE/history-$c")"
	head -n "$n" "$NOW0/history-$c" | cmp -s - "$BEFORE/history-$c" ||
		fail "the state after the restart lost or changed a record of before: the reports of $c at $H_BEFORE are not the first ones at $H_NOW"
	N_NEW=$((N_NEW + $(wc -l <"$NOW0/history-$c") - n))
	for f in "disputes-$c" "members-$c"; do
		cmp -s "$BEFORE/$f" "$NOW0/$f" || fail "the state after the restart lost or changed a record of before: $f differs"
	done
done
cmp -s "$BEFORE/orgs" "$NOW0/orgs" || fail "the state after the restart lost or changed a record of before: the orgs differ"
FILED_AFTER="$(metric_sum "$W_METRICS" statuscollect_watcher_disputes_filed_total)"
[[ "$FILED_AFTER" == "$FILED_BEFORE" ]] || fail "the watcher filed $FILED_BEFORE disputes before and $FILED_AFTER after the restart"
check "latest state (height $H_NOW): every report of before unchanged ($N_NEW new ones appended), disputes, memberships and orgs equal; the watcher filed no dispute again ($FILED_AFTER in all)"
figure "records compared" "$N_REP reports, $N_DISP disputes, $N_MEM memberships: equal before/after (height $H_BEFORE) and across nodes (height $H_NOW)"
figure "outage" "node 0 down ${T_DOWN}s; the main chain halted at height $H_STOPPED meanwhile (2 validators)"
figure "daemons" "org-b's reporter: $((FAILED_AFTER - FAILED_BEFORE)) failed step(s) during the restart, recording again at main height $H_REC_AFTER ($((H_REC_AFTER - H_STOPPED)) blocks after the halt)"
fault_pass
