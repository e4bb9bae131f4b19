#!/usr/bin/env bash
# Fault scenario: a subchain's software upgrade, from the governance vote to
# reporting again on the new binary.
#
# A fresh localnet with a 60 s voting period, and a second build of the same
# code that also applies the plan UPGRADE_NAME (make build-upgrade, in
# build/upgrade/).
#
#   1. subchain-b's validators pass a MsgSoftwareUpgrade for UPGRADE_NAME at a
#      height 150 blocks ahead; the sidecar's next report carries the plan
#      (planned_upgrade) to the main chain.
#   2. At that height both nodes of the running binary stop with "UPGRADE
#      NEEDED". The main chain marks subchain-b HALTED_FOR_UPGRADE (never
#      STALE) when its deadline passes: EventSubchainHaltedForUpgrade with the
#      plan, in a block's finalize-block events; the overview counts down the
#      upgrade grace.
#   3. Both nodes are started on the same homes with the new build: the plan
#      is applied at its height (q upgrade applied), blocks go on, and the next
#      report over IBC makes subchain-b ACTIVE again (EventSubchainRecovered,
#      previous HALTED_FOR_UPGRADE) with the new software version and no plan.
#
# Usage: make fault-upgrade   (or: make build-upgrade; bash scripts/faults/upgrade.sh; no localnet may run)
set -euo pipefail
FAULT=upgrade
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-b
PLAN="${UPGRADE_NAME:-v3-rehearsal}"
NEW_BIN="$BUILD_DIR/upgrade/subchaind"
AHEAD=150 # blocks from the proposal to the plan's height (the 60 s vote, then a report carrying the plan)
[[ -x "$NEW_BIN" ]] || fail "$NEW_BIN is missing: make build-upgrade builds it"

fault_localnet_up LOCALNET_VOTING_PERIOD=60s

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_DENOM="$(localnet_chain "$SUB" denom)"
liveness() { liveness_of "$SUB"; }
# latest_field [FLAGS] PATH...: fields of subchain-b's latest report on the main chain (scnet json).
latest_field() {
	"$MAIN_BIN_P" q statuscollect latest-status "$SUB" --node "$MAIN_RPC" --output json | scnet json "$@"
}

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null
OLD_VERSION="$(latest_field report.snapshot.software_version)"
check "$SUB ACTIVE on the main chain, reporting software version $OLD_VERSION"

# ---------------------------------------------------------------- 1. the vote

step "proposing the upgrade $PLAN on $SUB"
UPGRADE_H=$(($(chain_height "$SUB_BIN" "$SUB_RPC") + AHEAD))
PROP_ID="$(pass_upgrade "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" "$SUB_DENOM" "$PLAN" "$UPGRADE_H")"
plan="$("$SUB_BIN" q upgrade plan --node "$SUB_RPC" --output json)"
[[ "$(printf '%s' "$plan" | json_get plan.name)" == "$PLAN" && "$(printf '%s' "$plan" | json_get plan.height)" == "$UPGRADE_H" ]] ||
	fail "q upgrade plan on $SUB: $plan, want $PLAN at $UPGRADE_H"
check "proposal $PROP_ID passed by both validators: $SUB upgrades to $PLAN at height $UPGRADE_H"

step "waiting for the plan in $SUB's report on the main chain"
announced() { [[ "$(latest_field --first --or '' report.snapshot.planned_upgrade.name)" == "$PLAN" ]]; }
poll_until 120 "a report of $SUB carrying the plan" announced
check "the main chain's latest report of $SUB carries planned_upgrade $PLAN at $UPGRADE_H"

# ---------------------------------------------------------------- 2. the halt

step "waiting for $SUB to halt at $UPGRADE_H"
LOG0="$(localnet_chain "$SUB" log)"
halted() { grep -q "UPGRADE \"$PLAN\" NEEDED at height: $UPGRADE_H" "$LOG0"; }
poll_until 400 "$SUB's node 0 halting for $PLAN" halted
H_HALT="$(main_height)"
T_HALT=$SECONDS
# The node stores the plan's block before it runs it, so its status may say
# that height; no block past it is made.
HS="$(chain_height "$SUB_BIN" "$SUB_RPC")"
sleep 5
HS2="$(chain_height "$SUB_BIN" "$SUB_RPC")"
((HS <= UPGRADE_H && HS2 == HS)) || fail "$SUB's node 0 went on after the halt: height $HS, then $HS2 (the plan is at $UPGRADE_H)"
check "$SUB's node 0 stopped at height $HS: UPGRADE \"$PLAN\" NEEDED at height $UPGRADE_H"

step "waiting for the main chain to mark $SUB halted for upgrade"
seen_stale=0
marked() {
	local l
	l="$(liveness)" || return 1
	[[ "$l" == LIVENESS_STALE ]] && seen_stale=1
	[[ "$l" == LIVENESS_HALTED_FOR_UPGRADE ]]
}
poll_until 240 "$SUB HALTED_FOR_UPGRADE on the main chain" marked
((seen_stale == 0)) || fail "the main chain had $SUB STALE before HALTED_FOR_UPGRADE"
q_halt="statuscollect.collector.v1.EventSubchainHaltedForUpgrade.chain_id='\"$SUB\"' AND block.height>$H_HALT"
found_halt() { block_search "$MAIN_RPC_HTTP" "$q_halt" | head -n 1 | grep .; }
H_MARK="$(poll_until 30 "EventSubchainHaltedForUpgrade of $SUB" found_halt)"
ev="$(block_events "$MAIN_RPC_HTTP" "$H_MARK" statuscollect.collector.v1.EventSubchainHaltedForUpgrade | head -n 1)"
read -r ev_name ev_height < <(printf '%s' "$ev" | scnet json upgrade_name upgrade_height)
[[ "$ev_name" == "$PLAN" && "$ev_height" == "$UPGRADE_H" ]] || fail "EventSubchainHaltedForUpgrade in block $H_MARK: $ev"
due="$(subchain_health "$SUB" | scnet json --or 0 seconds_until_due)"
((due > 0)) || fail "the overview shows no countdown for $SUB halted for upgrade (seconds_until_due $due)"
check "EventSubchainHaltedForUpgrade ($PLAN at $UPGRADE_H) in main-chain block $H_MARK; q subchain: HALTED_FOR_UPGRADE, ${due}s of grace left, never STALE"
figure "halt to HALTED_FOR_UPGRADE" "$((H_MARK - H_HALT)) main-chain blocks, $((SECONDS - T_HALT))s (the report deadline passing)"

# ---------------------------------------------------------------- 3. the new binary

step "restarting $SUB's nodes with $NEW_BIN"
T_RESTART=$SECONDS
H_RESTART="$(main_height)"
for idx in 0 1; do
	localnet_node_stop "$SUB" "$idx" >/dev/null 2>&1 || fail "could not stop $SUB's node $idx"
	mapfile -t f < <(localnet_node "$SUB" "$idx")
	printf '===== %s: started on %s =====\n' "$(date '+%F %T')" "$NEW_BIN" >>"${f[2]}"
	localnet_launch_node "$NEW_BIN" "${f[1]}" "${f[2]}" "${f[3]}" append
done
wait_for_height "$NEW_BIN" "$SUB_RPC" $((UPGRADE_H + 2)) 120 || fail "$SUB makes no blocks past $UPGRADE_H on the new build"
applied="$("$NEW_BIN" q upgrade applied "$PLAN" --node "$SUB_RPC" --output json | json_get height 2>/dev/null || echo 0)"
[[ "$applied" == "$UPGRADE_H" ]] || fail "q upgrade applied $PLAN says height $applied, want $UPGRADE_H"
check "the new build applied $PLAN at height $UPGRADE_H and $SUB makes blocks again"

step "waiting for $SUB to report again"
q_rec="statuscollect.collector.v1.EventSubchainRecovered.chain_id='\"$SUB\"' AND tx.height>$H_RESTART"
found_rec() {
	tx_events "$MAIN_BIN_P" "$MAIN_RPC" "$q_rec" statuscollect.collector.v1.EventSubchainRecovered | head -n 1 | grep .
}
rec="$(poll_until 240 "EventSubchainRecovered of $SUB" found_rec)"
read -r H_REC rec_prev < <(printf '%s' "$rec" | scnet json height attrs.previous)
rec_msgs="$(printf '%s' "$rec" | scnet json --join , 'msgs[]')"
[[ "$rec_prev" == LIVENESS_HALTED_FOR_UPGRADE ]] || fail "EventSubchainRecovered says previous $rec_prev, want LIVENESS_HALTED_FOR_UPGRADE"
[[ "$rec_msgs" == *MsgRecvPacket* ]] || fail "EventSubchainRecovered came in a tx of $rec_msgs, not a relayed report"
[[ "$(liveness)" == LIVENESS_ACTIVE ]] || fail "$SUB is not ACTIVE after EventSubchainRecovered"
new_version="$(latest_field report.snapshot.software_version)"
new_plan="$(latest_field --first --or - report.snapshot.planned_upgrade.name)"
[[ "$new_version" != "$OLD_VERSION" && "$new_version" == *"$PLAN"* ]] ||
	fail "$SUB's report after the upgrade says software version $new_version (before: $OLD_VERSION)"
[[ "$new_plan" == - ]] || fail "$SUB's report after the upgrade still carries a plan: $new_plan"
check "EventSubchainRecovered of $SUB (previous HALTED_FOR_UPGRADE) in RecvPacket tx, block $H_REC; ACTIVE, version $OLD_VERSION -> $new_version, no plan"
figure "restart on the new build to recovered" "$((H_REC - H_RESTART)) main-chain blocks, $((SECONDS - T_RESTART))s"
fault_pass
