#!/usr/bin/env bash
# Fault scenario: the watcher's websocket cut, and the watcher killed in the
# middle of an incident.
#
# A fresh localnet; subchain-a's watcher follows the main chain's blocks over
# a websocket to node 0 through a TCP proxy (then node 1's RPC as its second
# endpoint) and polls only every POLL_S seconds besides.
#
#   1. The proxy is killed: the websocket drops. The watcher counts the drop
#      and reconnects to node 1. org-a's monitor then forges a report of
#      subchain-a (contract count +5): the watcher disputes it well within its
#      poll period (so on the new websocket's blocks), the subchain's evidence
#      upholds it and org-a is suspended.
#   2. The watcher runs from the rehearsal build (make build-faults), held at
#      the fault point after broadcasting a transaction. org-b's monitor forges
#      another report; the watcher broadcasts its dispute and is killed
#      (SIGKILL) once the dispute is in a block, before it saw that or saved
#      anything, then started again over its state file. The dispute is upheld
#      once (one dispute of that report on the main chain), the restarted
#      watcher files nothing again and has no dispute alert left open; org-b
#      is suspended.
#
# Usage: bash scripts/faults/watcher-incident.sh    (no localnet may be running)
set -euo pipefail
FAULT=watcher-incident
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SA=subchain-a
POLL_S=60
BLOCK_TIMEOUT_S=10 # no block over the websocket for this long: reconnect to the next endpoint
PROXY_PORT=26697
W_METRICS=127.0.0.1:26694
fault_localnet_up

SA_BIN="$(localnet_chain "$SA" binary)"
SA_RPC="$(localnet_chain "$SA" rpc)"
MAIN_RPC_PORT="$(localnet_chain "$MAIN_ID" ports.rpc)"
MAIN_RPC1="$(nodes_of "$MAIN_ID" rpc | cut -d, -f2)"
W_LOG="$FAULT_LOG_DIR/watcher-$FAULT-$SA.log"
W_STATE="$LOCALNET_DIR/watcher-$FAULT-$SA.json"
: >"$W_LOG"
FAULTS_SA_BIN="$REPO_ROOT/build/faults/$(basename "$SA_BIN")"
[[ -x "$FAULTS_SA_BIN" ]] || die "$FAULTS_SA_BIN not found: run 'make build-faults' (the rehearsal build with fault points)"
HOLD_FILE="$LOCALNET_DIR/watcher-$FAULT-hold"
# start_watcher MAIN_RPCS [POINT]: the watcher, from the rehearsal build held
# at fault point POINT when one is given.
start_watcher() {
	local bin="$SA_BIN"
	[[ -z "${2:-}" ]] || bin="$FAULTS_SA_BIN"
	rm -f "$HOLD_FILE"
	STATUSCOLLECT_FAULT_HOLD="${2:-}" STATUSCOLLECT_FAULT_HOLD_FILE="$HOLD_FILE" "$bin" watcher start --main-grpc "$(nodes_of "$MAIN_ID" grpc)" --main-rpc "$1" \
		--sub-grpc "$(nodes_of "$SA" grpc)" --sub-bech32-prefix "$(localnet_chain "$SA" prefix)" --node "$SA_RPC" \
		--chain-id "$SA" --from validator --keyring-backend test --home "$(localnet_chain "$SA" home)" \
		--poll "${POLL_S}s" --block-timeout "${BLOCK_TIMEOUT_S}s" --state "$W_STATE" --metrics-addr "$W_METRICS" >>"$W_LOG" 2>&1 &
	WATCHER_PID=$!
	fault_track "$WATCHER_PID"
}
# forge ORG DELTA: ORG's monitor forges a report of subchain-a, its contract
# count DELTA too high (forge_report); prints "main-sequence main-height".
forge() {
	forge_report "$SA_BIN" "$SA_RPC" "$SA" "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$1-monitor" "$2" | awk 'NR == 1 { print $1, $2 }'
}
# disputes_of SEQ: "count upheld-height" of the main chain's disputes of report SEQ of subchain-a.
disputes_of() {
	"$MAIN_BIN_P" q statuscollect disputes "$SA" --page-limit 100 --node "$MAIN_RPC" --output json |
		scnet json --first --or - "disputes[report_sequence=$1]#" "disputes[report_sequence=$1,status=DISPUTE_STATUS_UPHELD].resolved_height"
}
upheld() { read -r n h <<<"$(disputes_of "$1")" && [[ "$h" != - ]] && echo "$n $h"; }
suspended() {
	"$MAIN_BIN_P" q statuscollect members "$SA" --node "$MAIN_RPC" --output json |
		scnet json --want 1 "members[org_id=$1,suspended]#"
}

step "waiting for the first report of $SA over IBC"
wait_ibc_report "$SA" 0 150 >/dev/null

step "starting $SA's watcher over a proxy to $MAIN_ID's node 0 (then node 1), --poll ${POLL_S}s"
tcp_proxy "$PROXY_PORT" "$MAIN_RPC_PORT" "$FAULT_LOG_DIR/proxy-$FAULT.log"
start_watcher "tcp://127.0.0.1:$PROXY_PORT,$MAIN_RPC1"
wait_metrics "$W_METRICS" 60 'statuscollect_watcher_subchain_condition{condition="producing"} 1' \
	'statuscollect_watcher_websocket_drops_total 0' || fail "the watcher does not run"
check "watcher: $SA producing, websocket through the proxy, 0 drops"

# ---------------------------------------------------------------- 1. the websocket cut

step "cutting the websocket (killing the proxy)"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true
T_CUT=$SECONDS
wait_metrics "$W_METRICS" $((BLOCK_TIMEOUT_S + 20)) 'statuscollect_watcher_websocket_drops_total 1' ||
	fail "the watcher did not notice the websocket drop within --block-timeout ${BLOCK_TIMEOUT_S}s"
T_DROP=$((SECONDS - T_CUT))
grep -q "reconnecting to $MAIN_RPC1" "$W_LOG" || fail "the watcher does not reconnect to $MAIN_RPC1: $(grep websocket "$W_LOG" | tail -n 2)"
check "watcher: websocket drop counted ${T_DROP}s after the cut (--block-timeout ${BLOCK_TIMEOUT_S}s), reconnecting to $MAIN_RPC1: $(grep -m1 'main-chain websocket' "$W_LOG" | cut -d' ' -f2-)"

step "org-a's monitor forging a report of $SA"
read -r F1_SEQ F1_H < <(forge org-a 5) || fail "could not land a forged report of $SA"
T_F1=$SECONDS
filed1() { grep -q "disputed report $F1_SEQ of $SA" "$W_LOG"; }
poll_until $((POLL_S / 2)) "the watcher's dispute of report $F1_SEQ within half its poll period" filed1
T_FILED1=$((SECONDS - T_F1))
read -r n1 U1_H < <(poll_until 120 "the dispute of report $F1_SEQ upheld" upheld "$F1_SEQ")
[[ "$n1" == 1 ]] || fail "report $F1_SEQ has $n1 disputes, want 1"
suspended org-a || fail "org-a is not suspended after its forged report was proven wrong"
check "forged report $F1_SEQ (block $F1_H): the watcher disputed it ${T_FILED1}s later (its poll is ${POLL_S}s: the reconnected websocket woke it), upheld in block $U1_H, org-a suspended"
figure "websocket cut" "drop counted ${T_DROP}s after the cut (--block-timeout ${BLOCK_TIMEOUT_S}s), reconnected to node 1; forged report disputed ${T_FILED1}s after it landed, upheld $((U1_H - F1_H)) main-chain blocks after it"

# ---------------------------------------------------------------- 2. the watcher killed mid-incident

step "restarting the watcher from the rehearsal build, to be held after it broadcasts"
kill "$WATCHER_PID"
wait "$WATCHER_PID" 2>/dev/null || true
start_watcher "$(nodes_of "$MAIN_ID" rpc)" broadcast
wait_metrics "$W_METRICS" 60 'statuscollect_watcher_subchain_condition{condition="producing"} 1' || fail "the held watcher does not run"
step "org-b's monitor forging a report of $SA; killing the watcher once its dispute is in a block"
read -r F2_SEQ F2_H < <(forge org-b 7) || fail "could not land a second forged report of $SA"
held() { [[ -s "$HOLD_FILE" ]] && kill -0 "$WATCHER_PID" && cat "$HOLD_FILE"; }
read -r _ HASH < <(poll_until 60 "the watcher at its fault point 'broadcast' with a dispute of report $F2_SEQ" held)
on_sub() { "$SA_BIN" q tx "$HASH" --node "$SA_RPC" --output json; }
poll_until 30 "the dispute's tx $HASH in a block of $SA" on_sub >/dev/null
kill -KILL "$WATCHER_PID"
wait "$WATCHER_PID" 2>/dev/null || true
H_KILLED="$(main_height)"
! grep -q "disputed report $F2_SEQ of $SA" "$W_LOG" || fail "the held watcher logged its dispute: it was not held"
read -r n_at_kill u_at_kill <<<"$(disputes_of "$F2_SEQ")"
grep -q "dispute/$F2_SEQ" "$W_STATE" && kept=kept || kept="not yet saved"
log "[$FAULT] watcher killed at main height $H_KILLED, its dispute (tx $HASH) in a block of $SA: report $F2_SEQ had $n_at_kill dispute(s) on the main chain (upheld at: $u_at_kill); its dispute alert $kept in the state file"
start_watcher "$(nodes_of "$MAIN_ID" rpc)"
T_RESTART=$SECONDS
read -r n2 U2_H < <(poll_until 120 "the dispute of report $F2_SEQ upheld" upheld "$F2_SEQ")
[[ "$n2" == 1 ]] || fail "report $F2_SEQ has $n2 disputes on the main chain, want exactly 1"
suspended org-b || fail "org-b is not suspended after its forged report was proven wrong"
cursor_past() { (($(metric_sum "$W_METRICS" statuscollect_watcher_cursor) >= F2_SEQ)); }
poll_until 60 "the restarted watcher's cursor at report $F2_SEQ" cursor_past
wait_metrics "$W_METRICS" 60 'statuscollect_watcher_subchain_condition{condition="producing"} 1' \
	'statuscollect_watcher_open_alerts{kind="dispute"} 0' 'statuscollect_watcher_disputes_filed_total 0' ||
	fail "the restarted watcher filed again or keeps a dispute alert open"
if grep -q "disputed already" "$W_LOG"; then again="tried again and was told it is under way"; else again="did not try again"; fi
check "report $F2_SEQ: exactly 1 dispute, upheld in block $U2_H; org-b suspended; the restarted watcher filed nothing ($again), no dispute alert open"
figure "watcher killed mid-incident" "killed after its dispute was in a block, before it saw it (main height $H_KILLED; $n_at_kill dispute on the main chain then); restarted, it settled the incident with no second dispute; upheld $((U2_H - F2_H)) main-chain blocks after the forged report"
fault_pass
