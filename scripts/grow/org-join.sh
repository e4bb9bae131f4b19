#!/usr/bin/env bash
# Growth procedure: a new org joins a subchain of the running network
# (docs/growth.md, "A new org joins a subchain").
#
#   1. Main chain: the org's admin and monitoring accounts are created and
#      funded; the consortium admin registers the org (EventOrgRegistered) and
#      adds it to the subchain (EventMemberAdded); the org's admin grants its
#      monitoring account (EventReporterGranted). The members query lists it.
#   2. Subchain: the sidecar's admin adds the org (EventOrgAdded); the
#      sidecar's own org list has it.
#   3. The subchain's next snapshot, sent over the status channel, lands on the
#      main chain in a MsgRecvPacket with EventOrgsChanged (joined: the org),
#      and the subchain's latest status there lists it. Figures: subchain and
#      main-chain blocks from the add-org tx to that event.
#   4. The org's monitoring account reports the subchain's status by tx: the
#      report is recorded with the org as its source (EventStatusReported).
#
# Usage: bash scripts/grow/org-join.sh   (on the running localnet, or a fresh one)
#        GROW_ORG=org-x GROW_SUB=subchain-b bash scripts/grow/org-join.sh
set -euo pipefail
GROW=org-join
# shellcheck source=scripts/grow/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ORG="${GROW_ORG:-org-c}"
ORG_NAME="${GROW_ORG_NAME:-Org C}"
SUB="${GROW_SUB:-subchain-a}"
TIMEOUT="${GROW_TIMEOUT:-120}" # seconds for a report to reach the main chain

grow_localnet

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
[[ "$(localnet_chain "$SUB" plain 2>/dev/null || echo False)" != True ]] ||
	fail "$SUB has no sidecar; pick a subchain with one (GROW_SUB)"
DENOM="$(localnet_chain "$MAIN_ID" denom)"
if "$MAIN_BIN_P" q statuscollect org "$ORG" --node "$MAIN_RPC" --output json >/dev/null 2>&1; then
	fail "org $ORG is already registered on $MAIN_ID; pick another id with GROW_ORG"
fi

step "waiting for $SUB's first report over IBC (the status channel works before the org joins)"
wait_ibc_report "$SUB" 0 "$TIMEOUT" >/dev/null

# ---------------------------------------------------------------- 1. main chain

step "creating $ORG's accounts on $MAIN_ID (admin and monitoring account) and funding them"
main_keys() { "$MAIN_BIN_P" keys "$@" --home "$MAIN_HOME" --keyring-backend test; }
for k in "$ORG-admin" "$ORG-monitor"; do
	main_keys delete "$k" -y >/dev/null 2>&1 || true # a key of an earlier run on this localnet
	main_keys add "$k" --output json >/dev/null 2>&1 || fail "keys add $k failed"
done
ADMIN="$(main_keys show "$ORG-admin" -a)"
MONITOR="$(main_keys show "$ORG-monitor" -a)"
main_tx bank multi-send user "$ADMIN" "$MONITOR" "10000000$DENOM" --from user >/dev/null ||
	fail "could not fund $ORG's accounts"
for a in "$ADMIN" "$MONITOR"; do
	[[ "$(balance_of "$MAIN_BIN_P" "$MAIN_RPC" "$a" "$DENOM")" == 10000000 ]] || fail "$a was not funded"
done
check "$ORG's admin $ADMIN and monitoring account $MONITOR hold 10000000$DENOM each"

step "the consortium admin registers $ORG and adds it to $SUB"
out="$(main_tx statuscollect register-org "$ORG" "$ORG_NAME" "$ADMIN" --from admin)" || fail "register-org failed"
ev="$(printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventOrgRegistered")" || fail "register-org emitted no EventOrgRegistered"
[[ "$(json_get org_id <<<"$ev")" == "$ORG" && "$(json_get admin <<<"$ev")" == "$ADMIN" ]] ||
	fail "EventOrgRegistered names the wrong org or admin: $ev"
out="$(main_tx statuscollect add-member "$SUB" "$ORG" --from admin)" || fail "add-member failed"
ev="$(printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventMemberAdded")" || fail "add-member emitted no EventMemberAdded"
[[ "$(json_get chain_id <<<"$ev")" == "$SUB" ]] || fail "EventMemberAdded names the wrong subchain: $ev"
check "$ORG registered (EventOrgRegistered) and a member of $SUB (EventMemberAdded)"

step "$ORG's admin grants its monitoring account on $SUB"
# A monitoring account without a grant is refused: the grant is what lets it report.
expect_tx_error "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "is not the admin of org $ORG" \
	statuscollect grant-reporter "$SUB" "$ORG" "$MONITOR" --from "$ORG-monitor" >/dev/null ||
	fail "$ORG's monitoring account could grant itself"
out="$(main_tx statuscollect grant-reporter "$SUB" "$ORG" "$MONITOR" --from "$ORG-admin")" || fail "grant-reporter failed"
ev="$(printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventReporterGranted")" || fail "grant-reporter emitted no EventReporterGranted"
[[ "$(json_get reporter <<<"$ev")" == "$MONITOR" ]] || fail "EventReporterGranted names another account: $ev"
members="$("$MAIN_BIN_P" q statuscollect members "$SUB" --node "$MAIN_RPC" --output json)" || fail "q members failed"
printf '%s' "$members" | scnet json --want 1 "[members[org_id=$ORG,reporters[=$MONITOR]]]#" ||
	fail "the members query of $SUB does not show $ORG with its monitoring account: $members"
check "the org's own monitoring account cannot grant itself; its admin granted it (EventReporterGranted); members of $SUB list $ORG with $MONITOR"

# ---------------------------------------------------------------- 2. the sidecar

step "$SUB's reporter admin adds $ORG to the sidecar"
H_MAIN0="$(main_height)"
out="$(sub_tx "$SUB" statusreporter add-org "$ORG" --from admin)" || fail "add-org on $SUB failed"
H_SUB_ACTION="$(json_get height <<<"$out")"
printf '%s' "$out" | tx_events_of statuscollect.reporter.v1.EventOrgAdded >/dev/null || fail "add-org emitted no EventOrgAdded"
"$SUB_BIN" q statusreporter orgs --node "$SUB_RPC" --output json | grep -q "\"$ORG\"" ||
	fail "$SUB's sidecar does not list $ORG after add-org"
check "$SUB's sidecar lists $ORG (EventOrgAdded in $SUB block $H_SUB_ACTION)"

# ---------------------------------------------------------------- 3. over IBC to the main chain

step "waiting (up to ${TIMEOUT}s) for $SUB's next report over IBC, with EventOrgsChanged"
e="$(wait_ibc_event "$EV_PREFIX.EventOrgsChanged" "$SUB" "$H_MAIN0" "$TIMEOUT")"
H_EVENT="$(json_get height <<<"$e")"
SNAP_H="$(json_get attrs.height <<<"$e")"
printf '%s' "$e" | scnet json --want 1 "attrs[joined[=$ORG],!left]#" || fail "EventOrgsChanged of $SUB does not say $ORG joined: $e"
((SNAP_H >= H_SUB_ACTION)) || fail "the report's snapshot height $SNAP_H is before the add-org block $H_SUB_ACTION"
latest="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json)" || fail "q status $SUB failed"
grep -q "\"$ORG\"" <<<"$(json_get report.snapshot.orgs <<<"$latest")" || fail "$SUB's latest status on $MAIN_ID does not list $ORG"
check "EventOrgsChanged (joined [$ORG]) in the MsgRecvPacket tx of $MAIN_ID block $H_EVENT, snapshot of $SUB height $SNAP_H; $SUB's latest status lists $ORG"
r="$(action_figures "http://127.0.0.1:$(localnet_chain "$SUB" ports.rpc)" "$H_SUB_ACTION" "$H_MAIN0" "$H_EVENT")" ||
	fail "could not read the block times of $SUB $H_SUB_ACTION and $MAIN_ID $H_EVENT"
read -r H_MAIN_ACTION SECS <<<"$r"
figure "add-org to EventOrgsChanged" "$((SNAP_H - H_SUB_ACTION)) $SUB blocks (add-org in $H_SUB_ACTION, snapshot of $SNAP_H), $((H_EVENT - H_MAIN_ACTION)) $MAIN_ID blocks ($H_MAIN_ACTION, its latest then, to $H_EVENT), ${SECS}s between the two blocks"

# ---------------------------------------------------------------- 4. the org reports

step "$ORG's monitoring account reports $SUB's status by tx"
# The sidecar's own latest snapshot, once it is above the latest report on the
# main chain (the sidecar sends only on a change or a heartbeat, so one of its
# snapshots soon is).
seq=""
for _ in $(seq 1 20); do
	own="$("$SUB_BIN" q statusreporter snapshot --node "$SUB_RPC" --output json)" || fail "q statusreporter snapshot failed"
	snap="$(json_get snapshot <<<"$own")"
	cand_h="$(json_get height <<<"$snap")"
	latest_h="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | json_get report.snapshot.height)"
	if ((cand_h > latest_h)) && out="$(main_tx statuscollect submit-status "$snap" --from "$ORG-monitor" 2>/dev/null)"; then
		ev="$(printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventStatusReported")" || fail "submit-status emitted no EventStatusReported"
		seq="$(json_get sequence <<<"$ev")"
		break
	fi
	sleep 2
done
[[ -n "$seq" ]] || fail "$ORG's monitoring account could not land a report of $SUB"
rep="$("$MAIN_BIN_P" q statuscollect history "$SUB" --page-reverse --page-limit 20 --node "$MAIN_RPC" --output json)"
printf '%s' "$rep" | scnet json --want 1 "reports[sequence=$seq,source.org_id=$ORG,source.reporter=$MONITOR]#" ||
	fail "report $seq of $SUB is not recorded as $ORG's"
check "report $seq of $SUB (its height $cand_h) recorded with source $ORG / $MONITOR (EventStatusReported)"

grow_pass
