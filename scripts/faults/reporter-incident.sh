#!/usr/bin/env bash
# Fault scenario: the org reporter killed in the middle of a submission.
#
# A fresh localnet; org-a's reporter daemon reports the plain chain gateway-c
# (no sidecar: the reporters are its only voice on the main chain). The
# reporter runs from the rehearsal build (make build-faults), which can hold
# it at a fault point so that it is killed (SIGKILL) exactly there:
#
#   1. After signing its report's transaction, before broadcasting it. The
#      transaction never reaches the main chain: the account's sequence does
#      not move and no report lands.
#   2. After broadcasting it, before seeing it in a block or saving its state.
#      The report lands; the state file does not know it.
#   3. Restarted, with new transactions on gateway-c meanwhile, the reporter
#      takes up the report that landed, and reports on from there.
#
# Then the whole history of gateway-c on the main chain is checked: one report
# per height, heights rising, every total equal to the transactions the blocks
# hold, and every window starting where the report before it ended (none
# counted twice, none lost). The reporter's metrics show only recorded
# submissions, so its "nothing recorded" alert has nothing to fire on.
#
# Usage: bash scripts/faults/reporter-incident.sh    (no localnet may be running)
set -euo pipefail
FAULT=reporter-incident
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GW=gateway-c
FAULTS_BIN="$REPO_ROOT/build/faults/mainchaind"
[[ -x "$FAULTS_BIN" ]] || die "$FAULTS_BIN not found: run 'make build-faults' (the rehearsal build with fault points)"
R_METRICS=127.0.0.1:26693
fault_localnet_up

GW_BIN="$(localnet_chain "$GW" binary)"
GW_HOME="$(localnet_chain "$GW" home)"
GW_RPC="$(localnet_chain "$GW" rpc)"
GW_RPC_HTTP="http://127.0.0.1:$(localnet_chain "$GW" ports.rpc)"
GW_TO="$(localnet_chain "$GW" keys.relayer)"
GW_DENOM="$(localnet_chain "$GW" denom)"
R_LOG="$FAULT_LOG_DIR/reporter-$FAULT-$GW.log"
R_STATE="$LOCALNET_DIR/reporter-$FAULT-$GW.json"
HOLD_FILE="$LOCALNET_DIR/reporter-$FAULT-hold"
: >"$R_LOG"

# start_reporter [POINT]: org-a's reporter of gateway-c, held at fault point
# POINT (signed, broadcast) if given; sets REPORTER_PID.
start_reporter() {
	rm -f "$HOLD_FILE"
	env STATUSCOLLECT_FAULT_HOLD="${1:-}" STATUSCOLLECT_FAULT_HOLD_FILE="$HOLD_FILE" \
		"$FAULTS_BIN" reporter start --sub-grpc "$(nodes_of "$GW" grpc)" --sub-bech32-prefix "$(localnet_chain "$GW" prefix)" \
		--orgs org-a,org-b --from org-a-monitor --keyring-backend test --home "$MAIN_HOME" \
		--node "$MAIN_RPC" --chain-id "$MAIN_ID" --poll 2s --heartbeat 6s \
		--state "$R_STATE" --metrics-addr "$R_METRICS" >>"$R_LOG" 2>&1 &
	REPORTER_PID=$!
	fault_track "$REPORTER_PID"
}
# held: the reporter is at its fault point; prints what it holds.
held() { [[ -s "$HOLD_FILE" ]] && kill -0 "$REPORTER_PID" && cat "$HOLD_FILE"; }
kill_reporter() {
	kill -KILL "$REPORTER_PID"
	wait "$REPORTER_PID" 2>/dev/null || true
}
send_gw() {
	local i
	for ((i = 0; i < $1; i++)); do
		submit_tx "$GW_BIN" "$GW_RPC" "$GW_HOME" "$GW" bank send user "$GW_TO" "1$GW_DENOM" --from user >/dev/null
	done
}
# reports: "sequence height total_txs" of every report of gateway-c, one a line.
reports() {
	history_json "$GW" | scnet json --each '[]' --or 0 sequence snapshot.height snapshot.total_txs
}
latest_total_at_least() { reports | awk -v m="$1" '$3 >= m { f = 1 } END { exit !f }'; }
# state_height: the height of the last report the state file knows (0 if none).
state_height() {
	[[ -f "$R_STATE" ]] || {
		echo 0
		return
	}
	scnet json --file "$R_STATE" --or 0 --first state.last.height
}
# monitor_sequence: org-a-monitor's account sequence on the main chain.
monitor_sequence() {
	"$MAIN_BIN_P" q auth account "$("$MAIN_BIN_P" keys show org-a-monitor -a --keyring-backend test --home "$MAIN_HOME")" \
		--node "$MAIN_RPC" --output json | scnet json --or 0 --first account.value.sequence
}

# ---------------------------------------------------------------- 0. a first report

step "org-a's reporter of $GW: a first report"
send_gw 2
start_reporter
poll_until 90 "the reporter's first report of $GW" grep -q "report of $GW at height .* recorded" "$R_LOG"
kill "$REPORTER_PID"
wait "$REPORTER_PID" 2>/dev/null || true
read -r R0_SEQ R0_H R0_TOTAL < <(reports | tail -n 1)
((R0_H == $(state_height))) || fail "the state file holds height $(state_height), the main chain's report $R0_H"
check "first report $R0_SEQ of $GW at height $R0_H ($R0_TOTAL txs), saved in the state file; the reporter stopped"

# ---------------------------------------------------------------- 1. killed after signing

step "new transactions on $GW; the reporter killed after signing its report"
send_gw 2
SEQ_BEFORE="$(monitor_sequence)"
start_reporter signed
read -r _ _ SIGNED_SEQ < <(poll_until 90 "the reporter at its fault point 'signed'" held)
kill_reporter
((SIGNED_SEQ == SEQ_BEFORE)) || fail "the reporter signed with sequence $SIGNED_SEQ, the account's is $SEQ_BEFORE"
sleep 4 # several main-chain blocks: time for a transaction that got out to land
SEQ_AFTER="$(monitor_sequence)"
((SEQ_AFTER == SEQ_BEFORE)) || fail "org-a-monitor's sequence moved from $SEQ_BEFORE to $SEQ_AFTER: a transaction got out"
[[ "$(reports | tail -n 1 | cut -d' ' -f1)" == "$R0_SEQ" ]] || fail "a report of $GW landed after the reporter was killed before broadcasting"
check "killed after signing with sequence $SIGNED_SEQ: nothing reached the main chain (the account's sequence is still $SEQ_AFTER, the latest report still $R0_SEQ)"

# ---------------------------------------------------------------- 2. killed after broadcasting

step "the reporter restarted and killed after broadcasting its report"
start_reporter broadcast
read -r _ HASH < <(poll_until 90 "the reporter at its fault point 'broadcast'" held)
landed() { "$MAIN_BIN_P" q tx "$HASH" --node "$MAIN_RPC" --output json; }
TX="$(poll_until 30 "tx $HASH in a block" landed)"
kill_reporter
[[ "$(printf '%s' "$TX" | json_get code)" == 0 ]] || fail "tx $HASH failed: $(printf '%s' "$TX" | json_get raw_log)"
R1_SEQ="$(printf '%s' "$TX" | tx_event_attr statuscollect.collector.v1.EventStatusReported sequence | tr -d '"')"
TX_SEQ="$(printf '%s' "$TX" | json_get tx.auth_info.signer_infos.0.sequence)"
((TX_SEQ == SIGNED_SEQ)) || fail "the broadcast transaction used sequence $TX_SEQ; the killed one was signed with $SIGNED_SEQ"
read -r _ R1_H R1_TOTAL < <(reports | awk -v s="$R1_SEQ" '$1 == s')
((R1_H > R0_H)) || fail "report $R1_SEQ is at height $R1_H, not above $R0_H"
(($(state_height) == R0_H)) || fail "the state file holds height $(state_height): it should not know report $R1_SEQ"
check "killed after broadcasting tx $HASH (sequence $TX_SEQ, the one the first kill left unused): report $R1_SEQ at height $R1_H landed; the state file still ends at $R0_H"

# ---------------------------------------------------------------- 3. restarted

step "new transactions on $GW; the reporter restarted"
send_gw 2
T_RESTART=$SECONDS
start_reporter
poll_until 30 "the restarted reporter taking up report $R1_SEQ" grep -q "report of $GW at height $R1_H (main-chain report $R1_SEQ) landed before this daemon saved it" "$R_LOG"
poll_until 90 "a report of $GW counting the new transactions" latest_total_at_least $((R1_TOTAL + 2))
T_NEXT=$((SECONDS - T_RESTART))
# The report can be in a block before the reporter has seen it there and
# counted it: wait for its count, then compare.
scnet wait-metrics --at-least -- "$R_METRICS" 30 'statuscollect_reporter_submissions_total{error="",outcome="recorded"} 1' ||
	fail "the restarted reporter never counted a recorded submission (its report is on the main chain)"
SUBMITTED="$(metric_sum "$R_METRICS" statuscollect_reporter_submissions_total)"
RECORDED="$(metric_sum "$R_METRICS" statuscollect_reporter_submissions_total 'outcome="recorded"')"
((RECORDED >= 1 && RECORDED == SUBMITTED)) ||
	fail "the restarted reporter's submissions: $RECORDED recorded of $SUBMITTED"
# Stopped cleanly now, so that no report lands while the history is checked.
kill "$REPORTER_PID"
wait "$REPORTER_PID" 2>/dev/null || true
check "restarted: it took up report $R1_SEQ (height $R1_H) and reported the new transactions ${T_NEXT}s later"

step "checking every report of $GW on the main chain"
history_json "$GW" | scnet check-tx-windows --org org-a "$GW_RPC_HTTP" >"$LOCALNET_DIR/reporter-$FAULT-check" 2>&1 ||
	fail "the history of $GW: $(cat "$LOCALNET_DIR/reporter-$FAULT-check")"
read -r N_REPORTS LAST_H LAST_TOTAL <"$LOCALNET_DIR/reporter-$FAULT-check"
check "$N_REPORTS reports of $GW: one per height, rising; every total = the blocks' count (last: $LAST_TOTAL txs at $LAST_H); every window starts at the report before it"
failed="$(grep -c "step failed" "$R_LOG" || true)"
((failed == 0)) || fail "the reporter logged $failed failed step(s): $(grep -m1 'step failed' "$R_LOG")"
check "the restarted reporter's submissions: $RECORDED of $SUBMITTED recorded, no step failed in any run: its alert rules have nothing to fire on"
figure "reporter killed after signing" "nothing landed (sequence $SIGNED_SEQ unused, latest report unchanged)"
figure "reporter killed after broadcasting" "report $R1_SEQ landed unknown to the state file; restarted, it took it up and reported the next transactions ${T_NEXT}s later; $N_REPORTS reports, none doubled, no window overlapping"
fault_pass
