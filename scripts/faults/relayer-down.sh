#!/usr/bin/env bash
# Fault scenario: the relayer down for longer than the status packet timeout.
#
# A fresh localnet whose sidecars time their status packets out after
# PACKET_TIMEOUT (LOCALNET_PACKET_TIMEOUT, the shortest the sidecar takes).
# A third node of subchain-a is started and synced first. Then rly is stopped
# and, while it is down, on subchain-a: three contracts are instantiated, the
# third node's operator creates a validator (it joins the bonded set) and a
# delegation raises validator1's power. rly stays down until the main chain's
# clock is past the in-flight report's timeout, then starts again: it relays
# the timeout to subchain-a (EventReportFailed) and then the next report.
#
# Checked: no report of subchain-a over IBC was recorded while rly was down;
# the timed-out report never reaches the main chain; afterwards every change
# (3 contracts, 1 validator added, 1 power change) is on the main chain
# exactly once and in order, in the history (new_contracts, changes) and in
# the typed events of the RecvPacket txs (EventContractsChanged,
# EventNodesChanged); the reports over IBC keep the sidecar's sequence order;
# the sidecar has nothing left pending.
#
# Usage: bash scripts/faults/relayer-down.sh    (no localnet may be running)
set -euo pipefail
FAULT=relayer-down
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-a
PACKET_TIMEOUT_S=60
JOIN_STAKE=20000000000  # a fifth of a genesis validator's: the chain never waits for the new node
DELEGATION=50000000000  # validator1's power from 100000 to 150000
[[ -f "$REPO_ROOT/testdata/hackatom.wasm" ]] || die "$REPO_ROOT/testdata/hackatom.wasm is missing"

fault_localnet_up LOCALNET_PACKET_TIMEOUT=${PACKET_TIMEOUT_S}s

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_DENOM="$(localnet_chain "$SUB" denom)"
SUB_KEYS="$LOCALNET_DIR/keys/$SUB"
subtx() { submit_tx "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" "$@"; }

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null

step "storing hackatom.wasm on $SUB"
tx="$(subtx wasm store "$REPO_ROOT/testdata/hackatom.wasm" --from user)" || fail "wasm store failed"
CODE_ID="$(printf '%s' "$tx" | tx_event_attr store_code code_id)"

# ---------------------------------------------------------------- a third node, synced before the outage

step "starting a third node of $SUB (not a validator yet)"
JOIN_NAME="$SUB-node2"
JOIN_HOME="$LOCALNET_DIR/$JOIN_NAME"
JOIN_OFF=$(($(localnet_chain "$SUB" ports.rpc) - 26657 + 20))
JOIN_RPC="$(node_rpc "$JOIN_OFF")"
JOIN_PID="$LOCALNET_DIR/pids/$JOIN_NAME.pid"
JOIN_LOG="$FAULT_LOG_DIR/$JOIN_NAME.log"
check_ports_free "$(chain_port rpc "$JOIN_OFF")" "$(chain_port p2p "$JOIN_OFF")" "$(chain_port grpc "$JOIN_OFF")" "$(chain_port api "$JOIN_OFF")"
rm -rf "$JOIN_HOME"
init_node "$SUB_BIN" "$SUB" "$JOIN_HOME" "$SUB_DENOM" "node-$JOIN_NAME"
cp "$SUB_HOME/config/genesis.json" "$JOIN_HOME/config/genesis.json"
peers="$(nodes_of "$SUB" peer)"
config_node "$JOIN_HOME" "$SUB" "$JOIN_OFF" "$peers"
# localnet-stop.sh stops every process with a pid file in .localnet/pids.
localnet_launch_node "$SUB_BIN" "$JOIN_HOME" "$JOIN_LOG" "$JOIN_PID"
synced() {
	local st h0 catching_up h
	st="$("$SUB_BIN" status --node "$JOIN_RPC")" || return 1
	h0="$(chain_height "$SUB_BIN" "$SUB_RPC")"
	read -r catching_up h < <(printf '%s' "$st" | scnet json sync_info.catching_up sync_info.latest_block_height)
	[[ "$catching_up" == False ]] && ((h >= h0 - 1))
}
poll_until 120 "$JOIN_NAME synced with $SUB" synced
check "$JOIN_NAME (port offset $JOIN_OFF) block-synced to $SUB's tip"

step "funding the joining operator's key"
restore_key "$SUB_BIN" "$SUB" "$SUB_HOME" "$SUB_KEYS" joiner
JOINER="$(cat "$SUB_KEYS/joiner.address")"
subtx bank send user "$JOINER" "$((JOIN_STAKE + 1000000))$SUB_DENOM" --from user >/dev/null || fail "funding joiner failed"
JOIN_VALCONS="$("$SUB_BIN" comet show-address --home "$JOIN_HOME")"
V1_VALCONS="$("$SUB_BIN" comet show-address --home "$LOCALNET_DIR/$SUB-node1")"
V1_VALOPER="$("$SUB_BIN" keys show validator1 --bech val -a --keyring-backend test --home "$SUB_HOME")"
cat >"$JOIN_HOME/validator.json" <<EOF
{"pubkey": $("$SUB_BIN" comet show-validator --home "$JOIN_HOME"), "amount": "$JOIN_STAKE$SUB_DENOM",
 "moniker": "node-$JOIN_NAME", "commission-rate": "0.1", "commission-max-rate": "0.2",
 "commission-max-change-rate": "0.01", "min-self-delegation": "1"}
EOF

# ---------------------------------------------------------------- baseline

# The baseline: the latest report of subchain-a, and no report in flight.
idle_link() { sub_link "$SUB" | scnet json --want 0 '[in_flight]#'; }
poll_until 90 "$SUB's sidecar with no report in flight" idle_link
S0="$(latest_seq "$SUB")"
# snapshot_facts [VALCONS...]: of the latest report of $SUB on stdin, its contract count, its
# number of validators, and each named validator's power (-1 if not listed).
snapshot_facts() {
	local snap v
	snap="$(scnet json report.snapshot)"
	printf '%s ' "$(printf '%s' "$snap" | scnet json --or 0 contract_count)" "$(printf '%s' "$snap" | scnet json 'validators[]#')"
	for v in "$@"; do
		printf '%s ' "$(printf '%s' "$snap" | scnet json --first --or -1 "validators[address=$v].power")"
	done
	echo
}
read -r BASE_COUNT BASE_VALS V1_POWER < <("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | snapshot_facts "$V1_VALCONS")
((V1_POWER > 0)) || fail "validator1 ($V1_VALCONS) is not in $SUB's latest report on the main chain"
log "[$FAULT] baseline: report $S0 of $SUB, $BASE_COUNT contracts, $BASE_VALS validators, validator1 power $V1_POWER"

# ---------------------------------------------------------------- the outage

step "stopping rly"
rly_stop
T_DOWN=$SECONDS
H_DOWN="$(main_height)"
HS_DOWN="$(chain_height "$SUB_BIN" "$SUB_RPC")"

step "changing $SUB while rly is down: 3 contracts, a validator joins, a delegation"
CONTRACTS=()
instantiate() {
	local tx msg
	msg="{\"verifier\":\"$(localnet_chain "$SUB" keys.validator)\",\"beneficiary\":\"$(localnet_chain "$SUB" keys.relayer)\"}"
	tx="$(subtx wasm instantiate "$CODE_ID" "$msg" --label "fault-$1" --no-admin --from user)" || fail "wasm instantiate $1 failed"
	CONTRACTS+=("$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)")
}
instantiate 1
subtx staking create-validator "$JOIN_HOME/validator.json" --from joiner >/dev/null || fail "create-validator failed"
instantiate 2
subtx staking delegate "$V1_VALOPER" "$DELEGATION$SUB_DENOM" --from user >/dev/null || fail "delegate failed"
instantiate 3
HS_LAST_CHANGE="$(chain_height "$SUB_BIN" "$SUB_RPC")"
WANT_V1_POWER=$((V1_POWER + DELEGATION / 1000000))
WANT_JOIN_POWER=$((JOIN_STAKE / 1000000))
log "[$FAULT] contracts ${CONTRACTS[*]}; joiner $JOIN_VALCONS (power $WANT_JOIN_POWER); validator1 power $V1_POWER -> $WANT_V1_POWER"

# The report in flight must time out on the main chain's clock before rly
# comes back, and the sidecar must have taken a snapshot after the last change.
step "waiting until the main chain's clock is past the in-flight report's timeout"
past_timeout() {
	local link now
	link="$(sub_link "$SUB")" || return 1
	now="$(rfc3339_ns "$("$MAIN_BIN_P" status --node "$MAIN_RPC" | json_get sync_info.latest_block_time)")" || return 1
	# In flight, past its timeout on the main chain's clock, with a snapshot taken after the last change.
	printf '%s' "$link" | scnet json --want 1 "[in_flight.timeout_timestamp<$now,next_snapshot_height>$HS_LAST_CHANGE,in_flight]#" || return 1
	local seq h contracts
	read -r seq h < <(printf '%s' "$link" | scnet json in_flight.sequence in_flight.height)
	contracts="$(printf '%s' "$link" | scnet json --join , 'in_flight.contracts[]')"
	echo "$seq $h ${contracts:--}"
}
read -r TO_SEQ TO_HEIGHT TO_CONTRACTS < <(poll_until $((PACKET_TIMEOUT_S + 120)) "the in-flight report past its timeout" past_timeout)
T_UP=$SECONDS
H_UP="$(main_height)"
OUTAGE=$((T_UP - T_DOWN))
# What the poll above proved is the point: the report in flight passed its
# timeout on the main chain's clock while rly was down. The outage itself may
# come out a little under the packet timeout, as that report was sent before
# rly stopped.
check "the sidecar's report $TO_SEQ (subchain height $TO_HEIGHT, contracts $TO_CONTRACTS) in flight past its timeout on the main chain's clock while rly was down (${OUTAGE}s; packet timeout ${PACKET_TIMEOUT_S}s)"
during="$(history_json "$SUB" | scnet json "[main_height>$H_DOWN,main_height<=$H_UP,source.channel_id]#")"
[[ "$during" == 0 ]] || fail "$during report(s) of $SUB over IBC were recorded while rly was down"
check "no report of $SUB over IBC recorded in main-chain blocks $((H_DOWN + 1))..$H_UP while rly was down"

# ---------------------------------------------------------------- rly back

step "starting rly again"
rly_start
delivered() {
	local latest count join_power v1_power
	latest="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json)" || return 1
	printf '%s' "$latest" | scnet json --want 1 '[report.source.channel_id]#' || return 1
	read -r count _ join_power v1_power < <(printf '%s' "$latest" | snapshot_facts "$JOIN_VALCONS" "$V1_VALCONS")
	((count == BASE_COUNT + 3 && join_power == WANT_JOIN_POWER && v1_power == WANT_V1_POWER)) || return 1
	printf '%s' "$latest" | scnet json report.sequence report.main_height
}
read -r DONE_SEQ DONE_H < <(poll_until 240 "a report of $SUB over IBC with every change" delivered)
T_DONE=$SECONDS
check "main-chain report $DONE_SEQ of $SUB over IBC (block $DONE_H) shows $((BASE_COUNT + 3)) contracts, the joiner at $WANT_JOIN_POWER, validator1 at $WANT_V1_POWER"

step "checking the history: every change once, in order"
HIST="$(history_json "$SUB")"
# hist_want WHAT WANT PATH: the history's values at PATH, space-separated, are WANT.
hist_want() {
	printf '%s' "$HIST" | scnet json --join ' ' --want "$2" "$3" || fail "the history does not hold every change exactly once, in order: $1"
}
IBC_SEQS="$(ibc_sequences "$HIST")"
sort -n -u -C <<<"$IBC_SEQS" || fail "the sidecar's IBC sequences are not strictly increasing: ${IBC_SEQS//$'\n'/ }"
! grep -qx "$TO_SEQ" <<<"$IBC_SEQS" || fail "the timed-out report $TO_SEQ was recorded"
SEQS="$(printf '%s' "$HIST" | scnet json '[].sequence')"
[[ "$SEQS" == "$(seq 1 "$(wc -l <<<"$SEQS")")" ]] || fail "the main-chain sequences have gaps: ${SEQS//$'\n'/ }"
[[ "$(contracts_after "$HIST" "$S0")" == "${CONTRACTS[*]}" ]] ||
	fail "the history does not hold every change exactly once, in order: new contracts after report $S0: $(contracts_after "$HIST" "$S0")"
hist_want "nodes added" "$JOIN_VALCONS" "[sequence>$S0].changes.nodes_added[]"
hist_want "nodes removed" "" "[sequence>$S0].changes.nodes_removed[]"
printf '%s' "$HIST" | scnet json --each "[sequence>$S0].changes.power_changed[]" --or 0 --want "$V1_VALCONS $V1_POWER $WANT_V1_POWER" \
	address old_power new_power || fail "the history does not hold every change exactly once, in order: power changes"
moved="$(printf '%s' "$HIST" | scnet json --each "[sequence>$S0].changes" --or 0 contract_count_before contract_count_after |
	awk '$1 != $2 { n += $2 - $1 } END { print n + 0 }')"
((moved == ${#CONTRACTS[@]})) || fail "the contract counts after report $S0 moved by $moved, not ${#CONTRACTS[@]}"
log "[$FAULT] reports after $S0: $(printf '%s' "$HIST" | scnet json "[sequence>$S0]#") ($(printf '%s' "$HIST" | scnet json "[sequence>$S0,source.channel_id]#") over IBC)"
check "history: the 3 contracts once each in instantiation order, the joiner added once, validator1's power change once, no node removed, the sidecar's sequences (ibc_sequence) strictly increasing, its timed-out report $TO_SEQ absent, no gap in the main-chain sequences"

step "checking the typed events of the main chain's RecvPacket txs"
q_base="tx.height>$H_DOWN AND tx.height<=$DONE_H"
EV_C="$(tx_events "$MAIN_BIN_P" "$MAIN_RPC" "statuscollect.collector.v1.EventContractsChanged.chain_id='\"$SUB\"' AND $q_base" statuscollect.collector.v1.EventContractsChanged)" ||
	fail "could not search the main chain's txs"
EV_N="$(tx_events "$MAIN_BIN_P" "$MAIN_RPC" "statuscollect.collector.v1.EventNodesChanged.chain_id='\"$SUB\"' AND $q_base" statuscollect.collector.v1.EventNodesChanged)" ||
	fail "could not search the main chain's txs"
# ev_want WHAT EVENTS WANT [FLAGS...] PATH...: the events' (one JSON line each) values are WANT.
ev_want() {
	local what="$1" events="$2" want="$3"
	shift 3
	printf '%s' "$events" | scnet json --lines --join ' ' --want "$want" "$@" || fail "the events do not announce every change exactly once: $what"
}
EV_ALL="$(printf '%s\n%s\n' "$EV_C" "$EV_N")"
ev_want "an event in a tx that is not a successful RecvPacket" "$EV_ALL" "$(printf '%s' "$EV_ALL" | scnet json --lines '[]#')" \
	'[code=0,msgs[=/ibc.core.channel.v1.MsgRecvPacket]]#'
ev_want "EventContractsChanged" "$EV_C" "${CONTRACTS[*]}" '[].attrs.added[].address'
ev_want "EventNodesChanged added" "$EV_N" "$JOIN_VALCONS" '[].attrs.added[]'
ev_want "EventNodesChanged power_changed" "$EV_N" "$V1_VALCONS $WANT_V1_POWER" --each '[].attrs.power_changed[]' address new_power
log "[$FAULT] $(printf '%s' "$EV_C" | scnet json --lines '[]#') EventContractsChanged, $(printf '%s' "$EV_N" | scnet json --lines '[]#') EventNodesChanged"
check "events in main-chain blocks $((H_DOWN + 1))..$DONE_H: EventContractsChanged added the 3 contracts once each, EventNodesChanged added the joiner once and changed validator1's power once, all in RecvPacket txs"

step "checking the timeout on $SUB"
EV_F="$(tx_events "$SUB_BIN" "$SUB_RPC" "tx.height>$HS_DOWN AND message.action='/ibc.core.channel.v1.MsgTimeout'" statuscollect.reporter.v1.EventReportFailed)" ||
	fail "could not search $SUB's txs"
printf '%s' "$EV_F" | scnet json --lines --or - '[].attrs.sequence' | grep -qx "$TO_SEQ" ||
	fail "the timeout of report $TO_SEQ was not relayed to $SUB: no EventReportFailed of it in a MsgTimeout tx: $EV_F"
n_failed="$(printf '%s' "$EV_F" | scnet json --lines '[]#')"
check "$SUB: EventReportFailed of the sidecar's report $TO_SEQ in a MsgTimeout tx relayed by rly ($n_failed timed out in all)"
# The report that carried the contracts is acknowledged a few blocks after it
# landed on the main chain (rly relays the ack back): only then are they settled.
settled() {
	sub_link "$SUB" | scnet json --or 0 --want '0 0' pending_contracts dropped_contracts
}
poll_until 60 "$SUB's sidecar settling its contracts once the ack of their report is relayed" settled
check "$SUB's sidecar: 0 contracts pending, 0 dropped"

n_after="$(printf '%s' "$HIST" | scnet json "[sequence>$S0,sequence<=$DONE_SEQ]#")"
figure "outage" "rly down ${OUTAGE}s ($((H_UP - H_DOWN)) main-chain blocks; packet timeout ${PACKET_TIMEOUT_S}s)"
figure "reports timed out" "$n_failed (the sidecar's report $TO_SEQ, carrying contracts: $TO_CONTRACTS; its timeout relayed back to $SUB as a MsgTimeout)"
figure "changes delivered / expected" "5 / 5 (3 contracts, 1 validator joined, 1 power change), each once, in $n_after report(s)"
figure "recovery" "$((DONE_H - H_UP)) main-chain blocks, $((T_DONE - T_UP))s from rly's restart to the report carrying every change"
fault_pass
