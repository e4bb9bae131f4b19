#!/usr/bin/env bash
# Fault scenario: the status path's clients expire while the relayer is down;
# the admins relink the subchain over new clients.
#
# A fresh localnet whose status paths run over clients with a short trusting
# period (LOCALNET_STATUS_CLIENT_TP=TP; rly refreshes them while it runs).
# rly is stopped; while it is down two contracts are instantiated on
# subchain-a. The link-health query (q statuscollect subchain) counts the
# trust down, then says Expired (and the sidecar's link says its client of the
# main chain is Expired). Then, as docs/status-channel.md describes:
#   - rly creates new clients on a new path (rly transact clients --override);
#   - subchain-a's reporter admin pins its new client of the main chain
#     (tx statusreporter bind-main-client): the sidecar unbinds the old channel;
#   - the collector's admin binds the main chain's new client of subchain-a
#     (tx statuscollect bind-client): the old channel, over an expired client,
#     is unbound in the same step;
#   - rly opens a connection and a status channel over the new clients and
#     relays again.
# Checked: the reports resume over the new channel, the two contracts arrive
# once each and in order, the sidecar's sequences keep increasing (none
# reused), and the link health shows the new client Active with a new countdown.
#
# Usage: bash scripts/faults/client-expiry.sh    (no localnet may be running)
set -euo pipefail
FAULT=client-expiry
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-a
TP_S=90
[[ -f "$REPO_ROOT/testdata/hackatom.wasm" ]] || die "$REPO_ROOT/testdata/hackatom.wasm is missing"
fault_localnet_up LOCALNET_STATUS_CLIENT_TP=${TP_S}s

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
RLY_HOME="$(scnet json --file "$SUMMARY" rly.home)"
rly() { "$RLY_BIN" --home "$RLY_HOME" "$@"; }
subtx() { submit_tx "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" "$@"; }
OLD_MAIN_CLIENT="$(localnet_status "$SUB" dst.client_id)"
OLD_MAIN_CH="$(localnet_status "$SUB" dst.channel)"
OLD_SUB_CLIENT="$(localnet_status "$SUB" src.client_id)"
# link FIELD...: fields of the main chain's link health of SUB, space-separated.
link() {
	local health f vals=()
	health="$(subchain_health "$SUB")"
	for f in "$@"; do
		# proto3 JSON leaves zeros out: a missing countdown is 0 (expired).
		if [[ "$f" == trust_expires_in_seconds ]]; then
			vals+=("$(printf '%s' "$health" | scnet json --first --or 0 "link.$f")")
		else
			vals+=("$(printf '%s' "$health" | scnet json --first --or - "link.$f")")
		fi
	done
	echo "${vals[*]}"
}

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null
read -r c st tte <<<"$(link client_id client_status trust_expires_in_seconds)"
[[ "$c" == "$OLD_MAIN_CLIENT" && "$st" == Active ]] || fail "link of $SUB: client $c ($st), want $OLD_MAIN_CLIENT Active"
((tte > 0 && tte <= TP_S)) || fail "trust_expires_in_seconds $tte, want 1..$TP_S with a ${TP_S}s trusting period"
tx="$(subtx wasm store "$REPO_ROOT/testdata/hackatom.wasm" --from user)" || fail "wasm store failed"
CODE_ID="$(printf '%s' "$tx" | tx_event_attr store_code code_id)"

# ---------------------------------------------------------------- rly down, the clients expire

step "stopping rly"
rly_stop
T_DOWN=$SECONDS
S0="$(latest_seq "$SUB")"
BASE_COUNT="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | json_get report.snapshot.contract_count 2>/dev/null || echo 0)"
[[ "$BASE_COUNT" =~ ^[0-9]+$ ]] || BASE_COUNT=0
read -r _ TTE1 <<<"$(link client_status trust_expires_in_seconds)"
CONTRACTS=()
msg="{\"verifier\":\"$(localnet_chain "$SUB" keys.validator)\",\"beneficiary\":\"$(localnet_chain "$SUB" keys.relayer)\"}"
for i in 1 2; do
	tx="$(subtx wasm instantiate "$CODE_ID" "$msg" --label "expiry-$i" --no-admin --from user)" || fail "instantiate $i failed"
	CONTRACTS+=("$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)")
done
read -r st TTE2 <<<"$(link client_status trust_expires_in_seconds)"
[[ "$st" == Active ]] && ((TTE2 < TTE1 && TTE2 > 0)) ||
	fail "the countdown did not run down while Active: $TTE1 then $TTE2 ($st)"
check "link health counts down while rly is down: trust_expires_in_seconds $TTE1 -> $TTE2, client Active"

step "waiting for the clients to expire"
expired_main() { read -r s t <<<"$(link client_status trust_expires_in_seconds)" && [[ "$s" == Expired ]] && echo "$t"; }
TTE_EXP="$(poll_until $((TP_S + 90)) "$SUB's client on the main chain Expired" expired_main)"
T_EXPIRED=$((SECONDS - T_DOWN))
((TTE_EXP <= 0)) || fail "the client is Expired but trust_expires_in_seconds is $TTE_EXP"
expired_sub() { sub_link "$SUB" | scnet json --want Expired main_client_status; }
poll_until 60 "$SUB's client of the main chain Expired" expired_sub
check "link health: client $OLD_MAIN_CLIENT Expired (trust_expires_in_seconds $TTE_EXP) ${T_EXPIRED}s after rly stopped; $SUB's sidecar shows its client $OLD_SUB_CLIENT of the main chain Expired"

# ---------------------------------------------------------------- relink

T_RELINK=$SECONDS
NEW_PATH="status-$SUB-2"
step "relinking $SUB: new clients (rly path $NEW_PATH)"
rlog="$FAULT_LOG_DIR/link-$NEW_PATH.log"
rly paths new "$SUB" "$MAIN_ID" "$NEW_PATH" --src-port statusreporter --dst-port statuscollect \
	--order unordered --version statuscollect-1 >>"$rlog" 2>&1 || fail "rly paths new failed: $(tail -n 5 "$rlog")"
rly transact clients "$NEW_PATH" --override --log-format logfmt >>"$rlog" 2>&1 || fail "rly transact clients failed: $(tail -n 5 "$rlog")"
pj="$(rly paths show "$NEW_PATH" --json)"
NEW_SUB_CLIENT="$(printf '%s' "$pj" | json_get chains.src.client-id)"
NEW_MAIN_CLIENT="$(printf '%s' "$pj" | json_get chains.dst.client-id)"
[[ "$NEW_SUB_CLIENT" != "$OLD_SUB_CLIENT" && "$NEW_MAIN_CLIENT" != "$OLD_MAIN_CLIENT" ]] || fail "rly made no new clients"
H_SUB_CL="$(chain_height "$SUB_BIN" "$SUB_RPC")"
H_MAIN_CL="$(main_height)"

step "pinning $NEW_SUB_CLIENT in $SUB's sidecar (bind-main-client)"
out="$(subtx statusreporter bind-main-client "$NEW_SUB_CLIENT" --from admin)" || fail "bind-main-client $NEW_SUB_CLIENT on $SUB refused (see above)"
sub_link "$SUB" | scnet json --want 1 "[main_client_id=$NEW_SUB_CLIENT,!channel_id]#" ||
	fail "$SUB's sidecar after bind-main-client: $(sub_link "$SUB")"
check "$SUB: bind-main-client $NEW_SUB_CLIENT pinned it and unbound the old channel"

step "binding $NEW_MAIN_CLIENT to $SUB on the main chain (bind-client)"
out="$(submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" statuscollect bind-client "$SUB" "$NEW_MAIN_CLIENT" --from admin 2>&1)" ||
	fail "bind-client $SUB $NEW_MAIN_CLIENT refused: $out"
read -r c ch <<<"$(link client_id channel_id)"
[[ "$c" == "$NEW_MAIN_CLIENT" && "$ch" == - ]] || fail "after bind-client the link is client $c channel $ch, want $NEW_MAIN_CLIENT and none"
check "$MAIN_ID: bind-client bound $NEW_MAIN_CLIENT and unbound $OLD_MAIN_CH (its client expired)"

step "opening a connection and a status channel over the new clients"
wait_for_height "$SUB_BIN" "$SUB_RPC" $((H_SUB_CL + 2)) 30 && wait_for_height "$MAIN_BIN_P" "$MAIN_RPC" $((H_MAIN_CL + 2)) 30 ||
	fail "the chains stopped making blocks"
rly transact connection "$NEW_PATH" --max-retries 5 --log-format logfmt >>"$rlog" 2>&1 || fail "rly transact connection failed: $(tail -n 5 "$rlog")"
rly transact channel "$NEW_PATH" --src-port statusreporter --dst-port statuscollect --order unordered \
	--version statuscollect-1 --max-retries 5 --log-format logfmt >>"$rlog" 2>&1 || fail "rly transact channel failed: $(tail -n 5 "$rlog")"
bound_both() {
	local m s
	read -r _ m <<<"$(link client_id channel_id)"
	s="$(sub_link "$SUB" | json_get channel_id 2>/dev/null)" || return 1
	[[ "$m" != - && -n "$s" && "$m" != "$OLD_MAIN_CH" ]] && echo "$s $m"
}
read -r NEW_SUB_CH NEW_MAIN_CH < <(poll_until 30 "the new status channel bound on both ends" bound_both)
T_RELINKED=$((SECONDS - T_RELINK))
check "new status channel $SUB statusreporter/$NEW_SUB_CH ($NEW_SUB_CLIENT) -> $MAIN_ID statuscollect/$NEW_MAIN_CH ($NEW_MAIN_CLIENT), bound on both ends"

step "starting rly on the transfer path and the new status path"
H_UP="$(main_height)"
T_UP=$SECONDS
rly_start "main-$SUB" "$NEW_PATH"
delivered() {
	local latest
	latest="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json)" || return 1
	printf '%s' "$latest" | scnet json --want 1 "report[source.channel_id=$NEW_MAIN_CH,snapshot.contract_count=$((BASE_COUNT + 2))]#" || return 1
	printf '%s' "$latest" | scnet json report.sequence report.main_height
}
read -r DONE_SEQ DONE_H < <(poll_until 180 "a report of $SUB over $NEW_MAIN_CH with both contracts" delivered)
T_DONE=$((SECONDS - T_UP))
check "report $DONE_SEQ of $SUB over the new channel $NEW_MAIN_CH (block $DONE_H) counts $((BASE_COUNT + 2)) contracts"

HIST="$(history_json "$SUB")"
got="$(contracts_after "$HIST" "$S0")"
[[ "$got" == "${CONTRACTS[*]}" ]] ||
	fail "the history does not hold the contracts exactly once, in order: new contracts after report $S0: $got, want ${CONTRACTS[*]}"
seqs="$(ibc_sequences "$HIST")"
sort -n -u -C <<<"$seqs" || fail "the sidecar's sequences are not strictly increasing: ${seqs//$'\n'/ }"
other="$(printf '%s' "$HIST" | scnet json --join ' ' "[sequence>$S0,source.channel_id,source.channel_id!=$NEW_MAIN_CH].sequence")"
[[ -z "$other" ]] || fail "reports after the relink over another channel: $other"
check "history: the 2 contracts instantiated while the link was down once each, in order; the sidecar's sequences strictly increasing (none reused) across the old and new channel"
read -r c st tte ch <<<"$(link client_id client_status trust_expires_in_seconds channel_id)"
[[ "$c" == "$NEW_MAIN_CLIENT" && "$st" == Active && "$ch" == "$NEW_MAIN_CH" ]] && ((tte > TP_S)) ||
	fail "link health after the relink: $c $st $tte $ch"
check "link health after the relink: $NEW_MAIN_CLIENT Active, channel $NEW_MAIN_CH, trust_expires_in_seconds $tte (rly's default trusting period)"
figure "countdown" "trust_expires_in_seconds $TTE1 -> $TTE2 while rly was down; Expired ${T_EXPIRED}s after rly stopped (trusting period ${TP_S}s)"
figure "relink" "${T_RELINKED}s: new clients, bind-main-client, bind-client, connection, channel (4 rly steps, 2 admin txs)"
figure "recovery" "$((DONE_H - H_UP)) main-chain blocks, ${T_DONE}s from rly's restart to the report carrying the changes"
figure "changes delivered / expected" "2 / 2 contracts, each once"
fault_pass
