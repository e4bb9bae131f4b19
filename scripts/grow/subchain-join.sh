#!/usr/bin/env bash
# Growth procedure: a new subchain is registered, linked and reporting while
# the rest of the network runs (docs/growth.md, "A new subchain joins").
#
#   1. A new subchaind chain is started: its own genesis with the sidecar's
#      presets (the reporter's admin, its orgs, a snapshot every 5 blocks), as
#      scripts/localnet.sh makes them, on ports of its own.
#   2. Main chain: the consortium admin registers it (EventSubchainRegistered)
#      and adds an org to it; the org's admin grants its monitoring account.
#   3. A relayer of its own for the new path (own home, own account on the
#      main chain, so it never races the running relayer for an account
#      sequence): the two clients; the main chain's client bound to the
#      subchain by the consortium admin (EventClientBound), the sidecar's
#      client of the main chain pinned by the reporter admin
#      (EventMainClientBound); the connection and the status channel, opened
#      from the subchain (EventChannelBound). Both ends show the channel.
#   4. The relayer started for that path: the subchain's first report arrives
#      over IBC and it turns ACTIVE. Figure: main-chain blocks from the
#      channel's opening to its first report.
#   5. Meanwhile every other subchain with a status channel kept reporting
#      over IBC (a new report each since the start), and no process of the
#      running network was restarted.
#   Then its relayer and node are stopped and the consortium admin retires it
#   (EventSubchainRetired), so the main chain does not wait for its reports.
#
# Usage: bash scripts/grow/subchain-join.sh   (on the running localnet, or a fresh one)
#        GROW_NEW_SUB=subchain-e GROW_NEW_OFFSET=500 bash scripts/grow/subchain-join.sh
set -euo pipefail
GROW=subchain-join
# shellcheck source=scripts/grow/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NEW="${GROW_NEW_SUB:-subchain-d}"
NEW_NAME="${GROW_NEW_NAME:-Subchain D (joined a running network)}"
NEW_KIND="${GROW_NEW_KIND:-industry}"
NEW_OFF="${GROW_NEW_OFFSET:-300}" # port offset (chain_port): rpc 26957, p2p 26956, grpc 9390, api 1617
NEW_ORG="${GROW_NEW_ORG:-org-a}"  # the org that takes part in it
INTERVAL=30s                      # how often the main chain expects its report
TIMEOUT="${GROW_TIMEOUT:-120}"
PATH_NAME="status-$NEW"

grow_localnet

NEW_BIN="$SUB_BIN" # a subchaind chain, with the sidecar
NEW_HOME="$LOCALNET_DIR/$NEW"
NEW_KEYS="$LOCALNET_DIR/keys/$NEW"
NEW_PID="$LOCALNET_DIR/pids/$NEW.pid"
NEW_LOG="$LOCALNET_DIR/logs/$NEW.log"
NEW_RPC="$(node_rpc "$NEW_OFF")"
NEW_API="http://127.0.0.1:$(chain_port api "$NEW_OFF")"
RLY_HOME_NEW="$LOCALNET_DIR/rly-$NEW"
RLY_PID_NEW="$LOCALNET_DIR/pids/rly-$NEW.pid"
RLY_LOG_NEW="$LOCALNET_DIR/logs/rly-$NEW.log"
LINK_LOG="$LOCALNET_DIR/logs/link-$PATH_NAME.log"
MAIN_DENOM="$(localnet_chain "$MAIN_ID" denom)"

scnet json --file "$SUMMARY" --want 0 "chains[chain_id=$NEW]#" || fail "$NEW is a chain of the localnet already; pick another id with GROW_NEW_SUB"
if "$MAIN_BIN_P" q statuscollect subchain "$NEW" --node "$MAIN_RPC" --output json >/dev/null 2>&1; then
	fail "$NEW is registered on $MAIN_ID already (an earlier run on this localnet); pick another id with GROW_NEW_SUB"
fi
! pid_alive "$NEW_PID" || fail "$NEW already runs (pid file $NEW_PID)"
ports=()
for pk in "${NODE_PORT_KINDS[@]}"; do ports+=("$(chain_port "$pk" "$NEW_OFF")"); done
check_ports_free "${ports[@]}"
rm -rf "$NEW_HOME" "$RLY_HOME_NEW" # state of an earlier run; its key mnemonics stay

stop_new() {
	stop_pidfile "$RLY_PID_NEW" 20
	stop_pidfile "$NEW_PID" 20
}
fault_cleanup stop_new

# The other subchains reporting over IBC: each must keep doing so meanwhile.
mapfile -t OTHERS < <(scnet json --file "$SUMMARY" 'status_paths[].subchain')
((${#OTHERS[@]} > 0)) || fail "the localnet has no subchain with a status channel"
declare -A SEQ0
for o in "${OTHERS[@]}"; do
	wait_ibc_report "$o" 0 "$TIMEOUT" >/dev/null
	SEQ0[$o]="$(latest_seq "$o")"
done
H_MAIN_START="$(main_height)"

# ---------------------------------------------------------------- 1. the new chain

step "initialising $NEW: one validator, the sidecar's presets (admin, org $NEW_ORG, a snapshot every 5 blocks), rpc $NEW_RPC"
init_chain "$NEW_BIN" "$NEW" "$NEW_HOME" usub "$NEW_OFF" "$NEW_KEYS" admin
preset_reporter_genesis "$NEW_HOME/config/genesis.json" "$(cat "$NEW_KEYS/admin.address")" 5 6 600s "$NEW_ORG" ||
	fail "could not preset the sidecar in $NEW's genesis"
out="$("$NEW_BIN" genesis validate --home "$NEW_HOME" 2>&1)" || fail "$NEW's preset genesis does not validate: $out"
localnet_launch_node "$NEW_BIN" "$NEW_HOME" "$NEW_LOG" "$NEW_PID"
wait_for_height "$NEW_BIN" "$NEW_RPC" 3 90 "$NEW_PID" || fail "$NEW did not reach height 3: $(tail -n 5 "$NEW_LOG")"
orgs="$("$NEW_BIN" q statusreporter orgs --node "$NEW_RPC" --output json)"
grep -q "\"$NEW_ORG\"" <<<"$orgs" || fail "$NEW's sidecar does not list $NEW_ORG: $orgs"
check "$NEW makes blocks (pid $(sed -n 1p "$NEW_PID"), log $NEW_LOG); its sidecar lists $NEW_ORG"

# ---------------------------------------------------------------- 2. registered on the main chain

step "the consortium admin registers $NEW ($NEW_KIND, a report every $INTERVAL) and adds $NEW_ORG"
out="$(main_tx statuscollect register-subchain "$NEW" "$NEW_NAME" "$NEW_KIND" "$INTERVAL" --from admin)" ||
	fail "register-subchain failed"
printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventSubchainRegistered" | grep -q "\"$NEW\"" ||
	fail "register-subchain emitted no EventSubchainRegistered for $NEW"
main_tx statuscollect add-member "$NEW" "$NEW_ORG" --from admin >/dev/null || fail "add-member $NEW $NEW_ORG failed"
MONITOR="$(localnet_chain "$MAIN_ID" "keys.$NEW_ORG-monitor")"
main_tx statuscollect grant-reporter "$NEW" "$NEW_ORG" "$MONITOR" --from "$NEW_ORG-admin" >/dev/null ||
	fail "grant-reporter $NEW $NEW_ORG failed"
check "$NEW registered (EventSubchainRegistered); $NEW_ORG a member with its monitoring account granted"

# ---------------------------------------------------------------- 3. the status path

step "a relayer for $PATH_NAME (home $RLY_HOME_NEW), with its own account on $MAIN_ID"
nrly() { "$RLY_BIN" --home "$RLY_HOME_NEW" "$@"; }
# rly_log WHAT ARGS...: "rly ARGS", its output appended to the path's log.
rly_log() {
	local what="$1"
	shift
	echo "===== rly $* =====" >>"$LINK_LOG"
	nrly "$@" --log-format logfmt >>"$LINK_LOG" 2>&1 || {
		tail -n 20 "$LINK_LOG" >&2
		fail "$what failed (rly $*; log $LINK_LOG)"
	}
}
: >"$LINK_LOG"
nrly config init >/dev/null
rly_add_chain "$RLY_HOME_NEW" "$MAIN_ID" "$MAIN_BIN_P" "http://127.0.0.1:$(localnet_chain "$MAIN_ID" ports.rpc)" "relayer-$NEW" ||
	fail "rly chains add $MAIN_ID failed"
rly_add_chain "$RLY_HOME_NEW" "$NEW" "$NEW_BIN" "http://127.0.0.1:$(chain_port rpc "$NEW_OFF")" relayer ||
	fail "rly chains add $NEW failed"
nrly keys restore "$MAIN_ID" "relayer-$NEW" "$(key_mnemonic "$LOCALNET_DIR/keys/$MAIN_ID" "relayer-$NEW" "$MAIN_BIN_P")" >/dev/null ||
	fail "rly keys restore on $MAIN_ID failed"
nrly keys restore "$NEW" relayer "$(cat "$NEW_KEYS/relayer.mnemonic")" >/dev/null || fail "rly keys restore on $NEW failed"
RLY_MAIN_ADDR="$(nrly keys show "$MAIN_ID" "relayer-$NEW")"
main_tx bank send user "$RLY_MAIN_ADDR" "100000000$MAIN_DENOM" --from user >/dev/null || fail "could not fund $RLY_MAIN_ADDR"
nrly paths new "$NEW" "$MAIN_ID" "$PATH_NAME" --src-port statusreporter --dst-port statuscollect \
	--order unordered --version statuscollect-1 >/dev/null
check "relayer account $RLY_MAIN_ADDR funded on $MAIN_ID; path $PATH_NAME: $NEW statusreporter -> $MAIN_ID statuscollect"

step "linking $PATH_NAME: clients, bind-client, bind-main-client, connection, status channel (log $LINK_LOG)"
T_LINK=$SECONDS
rly_log "rly transact clients" transact clients "$PATH_NAME"
pj="$(nrly paths show "$PATH_NAME" --json)"
SUB_CLIENT="$(json_get chains.src.client-id <<<"$pj")"
MAIN_CLIENT="$(json_get chains.dst.client-id <<<"$pj")"
[[ -n "$SUB_CLIENT" && -n "$MAIN_CLIENT" ]] || fail "rly created no clients for $PATH_NAME"
out="$(main_tx statuscollect bind-client "$NEW" "$MAIN_CLIENT" --from admin)" || fail "bind-client $NEW $MAIN_CLIENT failed"
printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventClientBound" | grep -q "\"$MAIN_CLIENT\"" ||
	fail "bind-client emitted no EventClientBound for $MAIN_CLIENT"
out="$(submit_tx "$NEW_BIN" "$NEW_RPC" "$NEW_HOME" "$NEW" statusreporter bind-main-client "$SUB_CLIENT" --from admin)" ||
	fail "bind-main-client $SUB_CLIENT on $NEW failed"
printf '%s' "$out" | tx_events_of statuscollect.reporter.v1.EventMainClientBound | grep -q "\"$SUB_CLIENT\"" ||
	fail "bind-main-client emitted no EventMainClientBound for $SUB_CLIENT"
check "$MAIN_ID's client $MAIN_CLIENT bound to $NEW (EventClientBound); $NEW's client $SUB_CLIENT of $MAIN_ID pinned (EventMainClientBound)"
# rly reads the clients back below the latest height when it opens the
# connection: both chains must be two blocks past them.
wait_for_height "$NEW_BIN" "$NEW_RPC" $(($(chain_height "$NEW_BIN" "$NEW_RPC") + 2)) 30 || fail "$NEW stopped"
wait_for_height "$MAIN_BIN_P" "$MAIN_RPC" $(($(main_height) + 2)) 30 || fail "$MAIN_ID stopped"
rly_log "rly transact connection" transact connection "$PATH_NAME" --max-retries 5
rly_log "rly transact channel" transact channel "$PATH_NAME" --src-port statusreporter --dst-port statuscollect \
	--order unordered --version statuscollect-1 --max-retries 5
bound() {
	local m s
	m="$("$MAIN_BIN_P" q statuscollect subchain "$NEW" --node "$MAIN_RPC" --output json | scnet json --first --or '' health.link.channel_id)"
	s="$(rest_get "$NEW_API/statuscollect/reporter/v1/link" | scnet json --first --or '' link.channel_id)"
	[[ -n "$m" && -n "$s" ]] && echo "$m $s"
}
r="$(poll_until 15 "the status channel bound on both ends" bound)"
read -r MAIN_CH SUB_CH <<<"$r"
ev="$(tx_events "$MAIN_BIN_P" "$MAIN_RPC" "$EV_PREFIX.EventChannelBound.chain_id='\"$NEW\"'" "$EV_PREFIX.EventChannelBound")"
ev="$(grep "\"$MAIN_CH\"" <<<"$ev" | head -n 1)" || fail "no EventChannelBound of $NEW with $MAIN_CH on $MAIN_ID: $ev"
# The channel's opening on the main chain: the block of its ChanOpenConfirm.
H_MAIN_OPEN="$(json_get height <<<"$ev")"
check "status channel open and bound: $NEW statusreporter/$SUB_CH -> $MAIN_ID statuscollect/$MAIN_CH (EventChannelBound)"
figure "linking $PATH_NAME" "$((SECONDS - T_LINK))s (clients, both bindings, connection, channel)"

# ---------------------------------------------------------------- 4. reports arrive

step "starting the relayer of $PATH_NAME; waiting (up to ${TIMEOUT}s) for $NEW's first report over IBC"
start_bg "$RLY_PID_NEW" "$RLY_LOG_NEW" "$RLY_BIN" --home "$RLY_HOME_NEW" start "$PATH_NAME" --log-format logfmt
sleep 1
pid_alive "$RLY_PID_NEW" || fail "rly start $PATH_NAME exited at once: $(tail -n 5 "$RLY_LOG_NEW")"
r="$(wait_ibc_report "$NEW" 0 "$TIMEOUT")"
read -r seq h_first <<<"$r"
health="$("$MAIN_BIN_P" q statuscollect subchain "$NEW" --node "$MAIN_RPC" --output json)"
[[ "$(json_get health.subchain.liveness <<<"$health")" == LIVENESS_ACTIVE ]] || fail "$NEW is not ACTIVE after its first report: $health"
check "$NEW's first report (sequence $seq) over $MAIN_CH in $MAIN_ID block $h_first; $NEW is ACTIVE"
# rly may relay that first packet already while it completes the handshake.
secs="$(seconds_between "$(block_time "$MAIN_RPC_HTTP" "$H_MAIN_OPEN")" "$(block_time "$MAIN_RPC_HTTP" "$h_first")")"
figure "channel open to first report" "$((h_first - H_MAIN_OPEN)) $MAIN_ID blocks (the channel's opening in $H_MAIN_OPEN, EventChannelBound, to $h_first), ${secs}s between the two blocks"
r="$(wait_ibc_report "$NEW" "$seq" "$TIMEOUT")"
read -r seq2 h_second <<<"$r"
check "and its next one (sequence $seq2, $MAIN_ID block $h_second)"

# ---------------------------------------------------------------- 5. the others went on

step "checking the other subchains kept reporting over IBC"
for o in "${OTHERS[@]}"; do
	r="$(wait_ibc_report "$o" "${SEQ0[$o]}" "$TIMEOUT")"
	read -r s h <<<"$r"
	((h > H_MAIN_START)) || fail "$o's report $s is from block $h, before the procedure began ($H_MAIN_START)"
	# Every report over IBC since the start, and the longest silence between
	# them (the sidecar sends at least a heartbeat every 6 snapshots of 5 blocks).
	hist="$(history_json "$o")" || fail "could not read $o's history"
	stats="$(printf '%s' "$hist" | scnet json "[source.channel_id,main_height>$H_MAIN_START].main_height" | sort -n |
		awk -v last="$H_MAIN_START" -v now="$(main_height)" '
			{ if ($1 - last > gap) gap = $1 - last; last = $1; n++ }
			END { if (now - last > gap) gap = now - last; print n + 0, gap }')"
	read -r n gap <<<"$stats"
	((n >= 1)) || fail "$o sent no report over IBC during the procedure"
	check "$o kept reporting over IBC meanwhile: $n reports in $MAIN_ID blocks $H_MAIN_START..$(main_height), latest sequence $s"
	figure "$o during the procedure" "$n reports over IBC, at most $gap $MAIN_ID blocks without one"
done

# ---------------------------------------------------------------- its end

step "taking $NEW off again: its relayer and node stopped, the consortium admin retires it"
stop_new
out="$(main_tx statuscollect retire-subchain "$NEW" --from admin)" || fail "retire-subchain $NEW failed"
printf '%s' "$out" | tx_events_of "$EV_PREFIX.EventSubchainRetired" >/dev/null || fail "retire-subchain emitted no EventSubchainRetired"
check "$NEW retired (EventSubchainRetired); its reports stay in the history"

grow_pass
