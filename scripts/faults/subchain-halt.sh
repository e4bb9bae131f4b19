#!/usr/bin/env bash
# Fault scenario: a subchain halts, then every node of it is stopped; then
# restarted.
#
# A fresh localnet (subchain-b reports every 30s at most, stale after
# staleness_factor x report_interval of silence) and subchain-b's watcher
# (subchaind watcher start, --halt-after 10s) over every node of both chains.
#
#   1. subchain-b's node 1 is stopped: the chain halts (half its power gone)
#      while node 0 still answers. The watcher says "halted" (not
#      "unreachable"), with a subchain-halted alert, before the main chain's
#      deadline.
#   2. node 0 is stopped too: every node of subchain-b is down. The watcher
#      now says "unreachable": no endpoint answers, so it can no longer tell a
#      halted chain from its own endpoints being down, and says so.
#   3. The main chain marks subchain-b stale in the EndBlocker of the first
#      block past its deadline (last report + staleness_factor x interval):
#      EventSubchainStale in that block's results (finalize-block events), the
#      subchain query says STALE, the watcher's metric stale=1.
#   4. Both nodes restarted: the subchain's next report over IBC makes it
#      ACTIVE again with EventSubchainRecovered (previous STALE) in the
#      RecvPacket tx; the watcher says "producing" and clears its alerts.
#
# Usage: bash scripts/faults/subchain-halt.sh    (no localnet may be running)
set -euo pipefail
FAULT=subchain-halt
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-b
HALT_AFTER_S=10
W_METRICS=127.0.0.1:26694

fault_localnet_up

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
IFS=, read -ra SUB_GRPCS <<<"$(nodes_of "$SUB" grpc)"
((${#SUB_GRPCS[@]} == 2)) || fail "$SUB runs ${#SUB_GRPCS[@]} nodes; the scenario needs 2 (stopping one halts it)"
W_LOG="$FAULT_LOG_DIR/watcher-$FAULT-$SUB.log"
: >"$W_LOG"
cond() { echo "statuscollect_watcher_subchain_condition{condition=\"$1\"} 1"; }
alert() { echo "statuscollect_watcher_open_alerts{kind=\"$1\"} $2"; }
sub_up() { echo "statuscollect_watcher_endpoint_up{chain=\"sub\",endpoint=\"$1\"} $2"; }
stale_fig() { echo "statuscollect_watcher_subchain{chain_id=\"$SUB\",figure=\"stale\"} $1"; }
liveness() { liveness_of "$SUB"; }

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null
[[ "$(liveness)" == LIVENESS_ACTIVE ]] || fail "$SUB is not ACTIVE on the main chain after its first report"

step "starting $SUB's watcher (--halt-after ${HALT_AFTER_S}s)"
start_sub_watcher "$SUB" "$W_METRICS" "$W_LOG" --halt-after "${HALT_AFTER_S}s"
wait_metrics "$W_METRICS" 60 "$(cond producing)" "$(stale_fig 0)" "$(alert subchain-halted 0)" ||
	fail "the watcher does not show $SUB producing"
check "watcher: $SUB producing, stale 0, no alert"

# ---------------------------------------------------------------- 1. the chain halts, node 0 answers

step "halting $SUB: stopping its node 1"
H_HALT="$(main_height)"
T_HALT=$SECONDS
localnet_node_stop "$SUB" 1 >/dev/null 2>&1 || fail "could not stop $SUB's node 1"
HS_HALT="$(chain_height "$SUB_BIN" "$SUB_RPC")"
wait_metrics "$W_METRICS" $((HALT_AFTER_S + 40)) "$(cond halted)" "$(alert subchain-halted 1)" \
	"$(sub_up "${SUB_GRPCS[0]}" 1)" "$(sub_up "${SUB_GRPCS[1]}" 0)" || fail "the watcher does not say $SUB halted"
T_W_HALTED=$((SECONDS - T_HALT))
grep -q "ALERT raised subchain-halted" "$W_LOG" || fail "the watcher logged no subchain-halted alert"
LIVE_AT_HALTED="$(liveness)"
[[ "$LIVE_AT_HALTED" == LIVENESS_ACTIVE ]] || fail "the main chain already had $SUB as $LIVE_AT_HALTED when the watcher saw the halt"
check "watcher: 'halted' (not 'unreachable') ${T_W_HALTED}s after node 1 stopped, node 0 up, alert subchain-halted raised; the main chain still had it ACTIVE"
[[ "$(chain_height "$SUB_BIN" "$SUB_RPC")" -le $((HS_HALT + 1)) ]] || fail "$SUB still makes blocks with node 1 down"

# ---------------------------------------------------------------- 2. every node down

step "stopping $SUB's node 0: every node of $SUB is down"
localnet_node_stop "$SUB" 0 >/dev/null 2>&1 || fail "could not stop $SUB's node 0"
T_ALL_DOWN=$SECONDS
wait_metrics "$W_METRICS" 40 "$(cond unreachable)" "$(alert subchain-unreachable 1)" "$(sub_up "${SUB_GRPCS[0]}" 0)" ||
	fail "the watcher does not say its $SUB endpoints are unreachable"
check "watcher: 'unreachable' once no node of $SUB answers ($((SECONDS - T_ALL_DOWN))s), alert subchain-unreachable raised"

# ---------------------------------------------------------------- 3. the main chain marks it stale

step "waiting for EventSubchainStale of $SUB in a main-chain block"
q_stale="statuscollect.collector.v1.EventSubchainStale.chain_id='\"$SUB\"' AND block.height>$H_HALT"
found_stale() { block_search "$MAIN_RPC_HTTP" "$q_stale" | head -n 1 | grep .; }
H_STALE="$(poll_until 200 "EventSubchainStale of $SUB" found_stale)"
T_STALE=$((SECONDS - T_HALT))
ev="$(block_events "$MAIN_RPC_HTTP" "$H_STALE" statuscollect.collector.v1.EventSubchainStale)"
[[ -n "$ev" ]] || fail "block $H_STALE's results hold no EventSubchainStale"
read -r ev_chain ev_last ev_due ev_last_h < <(printf '%s' "$ev" | head -n 1 | scnet json chain_id last_report_time due last_height)
[[ "$ev_chain" == "$SUB" ]] || fail "EventSubchainStale in block $H_STALE names $ev_chain"
STALE_FACTOR="$("$MAIN_BIN_P" q statuscollect params --node "$MAIN_RPC" --output json | json_get params.staleness_factor)"
INTERVAL_S="$(subchain_health "$SUB" | scnet json subchain.report_interval)"
INTERVAL_S="${INTERVAL_S%s}"
THRESHOLD_NS=$((STALE_FACTOR * INTERVAL_S * 1000000000))
last_ns="$(rfc3339_ns "$ev_last")"
due_ns="$(rfc3339_ns "$ev_due")"
bt_ns="$(block_time "$MAIN_RPC_HTTP" "$H_STALE")"
bt_prev_ns="$(block_time "$MAIN_RPC_HTTP" $((H_STALE - 1)))"
((due_ns - last_ns == THRESHOLD_NS)) || fail "due $ev_due is not last report $ev_last + ${STALE_FACTOR}x${INTERVAL_S}s"
((bt_ns >= due_ns && bt_prev_ns < due_ns)) ||
	fail "block $H_STALE (time $bt_ns) is not the first block past the deadline $due_ns (previous block $bt_prev_ns)"
check "EventSubchainStale of $SUB in block $H_STALE's finalize-block events: due $ev_due = last report + ${STALE_FACTOR} x ${INTERVAL_S}s; the first block past it"
[[ "$(liveness)" == LIVENESS_STALE ]] || fail "the subchain query does not say STALE after the event"
check "q statuscollect subchain $SUB: LIVENESS_STALE"
wait_metrics "$W_METRICS" 30 "$(stale_fig 1)" || fail "the watcher's metrics do not show $SUB stale"
check "watcher metric statuscollect_watcher_subchain{figure=\"stale\"} 1"
figure "watcher saw the halt" "${T_W_HALTED}s after the chain halted (--halt-after ${HALT_AFTER_S}s), before the main chain's deadline"
figure "main chain marked it stale" "$((H_STALE - H_HALT)) main-chain blocks, ${T_STALE}s after the halt; threshold $((THRESHOLD_NS / 1000000000))s after the last report (subchain height $ev_last_h); detected $(((bt_ns - due_ns) / 1000000)) ms after the deadline, in the first block past it"

# ---------------------------------------------------------------- 4. restarted

step "restarting $SUB's nodes"
H_RESTART="$(main_height)"
T_RESTART=$SECONDS
localnet_node_start "$SUB" 0 >/dev/null 2>&1 || fail "could not restart $SUB's node 0"
localnet_node_start "$SUB" 1 >/dev/null 2>&1 || fail "could not restart $SUB's node 1"
wait_for_height "$SUB_BIN" "$SUB_RPC" $((HS_HALT + 2)) 90 || fail "$SUB does not make blocks again"
q_rec="statuscollect.collector.v1.EventSubchainRecovered.chain_id='\"$SUB\"' AND tx.height>$H_STALE"
found_rec() {
	tx_events "$MAIN_BIN_P" "$MAIN_RPC" "$q_rec" statuscollect.collector.v1.EventSubchainRecovered | head -n 1 | grep .
}
rec="$(poll_until 180 "EventSubchainRecovered of $SUB" found_rec)"
T_REC=$((SECONDS - T_RESTART))
read -r H_REC rec_prev < <(printf '%s' "$rec" | scnet json height attrs.previous)
rec_msgs="$(printf '%s' "$rec" | scnet json --join , 'msgs[]')"
[[ "$rec_prev" == LIVENESS_STALE ]] || fail "EventSubchainRecovered says previous $rec_prev, want LIVENESS_STALE"
[[ "$rec_msgs" == *MsgRecvPacket* ]] || fail "EventSubchainRecovered came in a tx of $rec_msgs, not a relayed report"
[[ "$(liveness)" == LIVENESS_ACTIVE ]] || fail "$SUB is not ACTIVE after EventSubchainRecovered"
check "EventSubchainRecovered of $SUB (previous STALE) in RecvPacket tx, main-chain block $H_REC; q subchain: LIVENESS_ACTIVE"
wait_metrics "$W_METRICS" 60 "$(cond producing)" "$(alert subchain-halted 0)" "$(alert subchain-unreachable 0)" \
	"$(stale_fig 0)" "$(sub_up "${SUB_GRPCS[0]}" 1)" "$(sub_up "${SUB_GRPCS[1]}" 1)" ||
	fail "the watcher does not show $SUB producing with its alerts cleared"
grep -q "ALERT cleared subchain-unreachable" "$W_LOG" || fail "the watcher did not log the unreachable alert cleared"
kill -0 "$WATCHER_PID" 2>/dev/null || fail "the watcher exited"
check "watcher: 'producing' again, subchain-halted and subchain-unreachable cleared, stale 0"
figure "recovery" "$((H_REC - H_RESTART)) main-chain blocks, ${T_REC}s from the restart of $SUB's nodes to EventSubchainRecovered"
fault_pass
