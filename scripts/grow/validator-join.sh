#!/usr/bin/env bash
# Growth procedure: a new validator joins a running subchain
# (docs/growth.md, "A new validator joins a subchain").
#
#   1. A new node is initialised with the subchain's genesis (read from a
#      running node's RPC, /genesis), the running nodes as persistent peers,
#      and started: it syncs from them (block by block from genesis) until it
#      is no longer catching up and at the peers' height.
#   2. Its operator makes a key in the new node's own keyring, is funded, and
#      sends MsgCreateValidator through the new node: the validator is bonded,
#      and the new node's consensus key signs the following blocks (their
#      commits carry its signature).
#   3. The sidecar's next snapshot, over IBC, lands on the main chain with
#      EventNodesChanged (added: the new consensus address, node_count one
#      more) and the subchain's latest status there has the new count.
#      Figures: subchain and main-chain blocks from MsgCreateValidator to it.
#   4. The validator leaves again (unbonds its stake): the next report shows
#      it removed and the count back. Then its node is stopped; its stake was
#      a tenth of one validator's, so the chain never depended on it.
#
# Usage: bash scripts/grow/validator-join.sh   (on the running localnet, or a fresh one)
#        GROW_SUB=subchain-a bash scripts/grow/validator-join.sh
set -euo pipefail
GROW=validator-join
# shellcheck source=scripts/grow/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB="${GROW_SUB:-subchain-b}"
TIMEOUT="${GROW_TIMEOUT:-120}"
# A tenth of a genesis validator's stake: below a third of the chain's power,
# so the chain goes on whatever the new node does.
STAKE=$((VALIDATOR_STAKE / 10))

grow_localnet

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_RPC_HTTP="http://127.0.0.1:$(localnet_chain "$SUB" ports.rpc)"
DENOM="$(localnet_chain "$SUB" denom)"
[[ "$(localnet_chain "$SUB" plain 2>/dev/null || echo False)" != True ]] ||
	fail "$SUB has no sidecar (no status channel); pick a subchain with one (GROW_SUB)"
NAME="$SUB-joiner"
N_HOME="$LOCALNET_DIR/$NAME"
N_PID="$LOCALNET_DIR/pids/$NAME.pid"
N_LOG="$LOCALNET_DIR/logs/$NAME.log"
N_OFF="$(node_port_offset "$SUB" 0)"
N_RPC="$(node_rpc "$N_OFF")"
N_RPC_HTTP="http://127.0.0.1:$(chain_port rpc "$N_OFF")"
! pid_alive "$N_PID" || fail "$NAME already runs (pid file $N_PID)"
ports=()
for pk in "${NODE_PORT_KINDS[@]}"; do ports+=("$(chain_port "$pk" "$N_OFF")"); done
check_ports_free "${ports[@]}"
rm -rf "$N_HOME" # a node home of an earlier run

stop_joiner() { stop_pidfile "$N_PID" 20; }
fault_cleanup stop_joiner

step "waiting for $SUB's first report over IBC"
wait_ibc_report "$SUB" 0 "$TIMEOUT" >/dev/null
VALS0="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | scnet json 'report.snapshot.validators[]#')"
((VALS0 >= 1)) || fail "$SUB's latest status on $MAIN_ID has no validator"

# ---------------------------------------------------------------- 1. a new node syncs

step "initialising $NAME: $SUB's genesis from $SUB_RPC_HTTP/genesis, the running nodes as peers"
init_node "$SUB_BIN" "$SUB" "$N_HOME" "$DENOM" "node-$NAME"
rpc_get "$SUB_RPC_HTTP" /genesis | scnet json genesis >"$N_HOME/config/genesis.json" ||
	fail "could not read $SUB's genesis from $SUB_RPC_HTTP"
out="$("$SUB_BIN" genesis validate --home "$N_HOME" 2>&1)" || fail "the genesis read from $SUB_RPC_HTTP does not validate: $out"
# Every running node as a persistent peer: node id from its RPC (/status), its p2p port.
peers=""
for rpc in $(nodes_of "$SUB" rpc " "); do
	id="$(rpc_get "http://${rpc#tcp://}" /status | json_get node_info.id)" || fail "no node id from $rpc"
	p2p="$(rpc_get "http://${rpc#tcp://}" /status | json_get node_info.listen_addr)"
	peers+="${peers:+,}$id@127.0.0.1:${p2p##*:}"
done
config_node "$N_HOME" "$SUB" "$N_OFF" "$peers"
H_PEERS="$(chain_height "$SUB_BIN" "$SUB_RPC")"
T_SYNC=$SECONDS
localnet_launch_node "$SUB_BIN" "$N_HOME" "$N_LOG" "$N_PID"
log "started $NAME (pid $(sed -n 1p "$N_PID")), rpc $N_RPC, peers $peers, log $N_LOG"

step "waiting for $NAME to sync ($SUB is at height $H_PEERS)"
synced() {
	local catching_up h
	read -r catching_up h < <("$SUB_BIN" status --node "$N_RPC" 2>/dev/null | scnet json sync_info.catching_up sync_info.latest_block_height)
	[[ "$catching_up" == False ]] && ((h >= H_PEERS))
}
poll_until "$TIMEOUT" "$NAME synced to height $H_PEERS" synced
# Then it keeps up: within a block of node 0 (each read takes a moment).
keeps_up() {
	local h0 h
	h0="$(chain_height "$SUB_BIN" "$SUB_RPC")"
	h="$(chain_height "$SUB_BIN" "$N_RPC")"
	((h + 1 >= h0)) && echo "$h"
}
H_SYNCED="$(poll_until 30 "$NAME within a block of node 0" keeps_up)"
app_new="$(rpc_get "$N_RPC_HTTP" "/block?height=$H_PEERS" | json_get block.header.app_hash)"
app_old="$(rpc_get "$SUB_RPC_HTTP" "/block?height=$H_PEERS" | json_get block.header.app_hash)"
[[ "$app_new" == "$app_old" ]] || fail "$NAME and node 0 disagree on block $H_PEERS's app hash ($app_new, $app_old)"
check "$NAME synced from genesis to height $H_SYNCED (not catching up), same app hash as node 0 at $H_PEERS"
figure "sync" "$H_PEERS blocks in $((SECONDS - T_SYNC))s"

# ---------------------------------------------------------------- 2. MsgCreateValidator

step "$NAME's operator: a key in the new node's keyring, funded, then MsgCreateValidator through $NAME"
n_keys() { "$SUB_BIN" keys "$@" --home "$N_HOME" --keyring-backend test; }
n_keys add validator --output json >/dev/null 2>&1 || fail "keys add validator in $N_HOME failed"
OPER="$(n_keys show validator -a)"
VALOPER="$(n_keys show validator -a --bech val)"
sub_tx "$SUB" bank send user "$OPER" "$((2 * STAKE))$DENOM" --from user >/dev/null || fail "could not fund $OPER"
[[ "$(balance_of "$SUB_BIN" "$N_RPC" "$OPER" "$DENOM")" == "$((2 * STAKE))" ]] ||
	fail "$NAME does not show $OPER's funds"
CONS_ADDR="$("$SUB_BIN" comet show-address --home "$N_HOME")"
CONS_HEX="$(scnet json --file "$N_HOME/config/priv_validator_key.json" address)"
cat >"$N_HOME/validator.json" <<EOF
{
  "pubkey": $("$SUB_BIN" comet show-validator --home "$N_HOME"),
  "amount": "$STAKE$DENOM",
  "moniker": "node-$NAME",
  "commission-rate": "0.10",
  "commission-max-rate": "0.20",
  "commission-max-change-rate": "0.01",
  "min-self-delegation": "1"
}
EOF
H_MAIN0="$(main_height)"
out="$(submit_tx "$SUB_BIN" "$N_RPC" "$N_HOME" "$SUB" staking create-validator "$N_HOME/validator.json" --from validator)" ||
	fail "MsgCreateValidator failed"
H_SUB_ACTION="$(json_get height <<<"$out")"
log "MsgCreateValidator of $VALOPER in $SUB block $H_SUB_ACTION"
bonded() { "$SUB_BIN" q staking validator "$VALOPER" --node "$SUB_RPC" --output json | json_get validator.status | grep -qx BOND_STATUS_BONDED; }
poll_until 30 "$VALOPER bonded" bonded
# A validator set change at the end of block H takes effect at H+2: its node
# signs from there. Each block's commit must carry its precommit, for the
# block (flag 2) or nil (flag 3: it saw the block too late, which the chain
# still counts as signed; on the localnet the genesis validators hold over
# 2/3 of the power and do not wait for the newcomer's vote).
first=$((H_SUB_ACTION + 3))
SIGN_BLOCKS=5
wait_for_height "$SUB_BIN" "$SUB_RPC" $((first + SIGN_BLOCKS)) 60 || fail "$SUB stopped at $(chain_height "$SUB_BIN" "$SUB_RPC")"
flags="$(for ((h = first; h < first + SIGN_BLOCKS; h++)); do
	rpc_get "$SUB_RPC_HTTP" "/commit?height=$h" | scnet json --first --or 1 "signed_header.commit.signatures[validator_address=$CONS_HEX].block_id_flag"
done)"
n_block="$(grep -cx 2 <<<"$flags" || true)"
n_nil="$(grep -cx 3 <<<"$flags" || true)"
((n_block + n_nil == SIGN_BLOCKS)) ||
	fail "$NAME's consensus key $CONS_HEX is absent from $((SIGN_BLOCKS - n_block - n_nil)) of the commits of blocks $first..$((first + SIGN_BLOCKS - 1))"
# And the chain's own liveness record of it: no block missed since it joined.
info="$("$SUB_BIN" q slashing signing-infos --node "$SUB_RPC" --output json |
	scnet json --first --or '{}' "info[address=$CONS_ADDR]")"
[[ "$(json_get index_offset <<<"$info" 2>/dev/null || echo 0)" -ge "$SIGN_BLOCKS" ]] || fail "$SUB has no signing record of $CONS_ADDR over $SIGN_BLOCKS blocks: $info"
missed="$(scnet json --or 0 missed_blocks_counter <<<"$info")"
((missed == 0)) || fail "$SUB counts $missed blocks missed by $CONS_ADDR since it joined: $info"
check "$VALOPER bonded; $NAME's consensus key ($CONS_ADDR) signed every commit of $SUB blocks $first..$((first + SIGN_BLOCKS - 1)) ($n_block for the block, $n_nil nil); slashing: 0 missed in $(json_get index_offset <<<"$info") blocks"
figure "signatures of the new validator" "$SIGN_BLOCKS of $SIGN_BLOCKS commits ($n_block for the block, $n_nil nil, none absent)"

# ---------------------------------------------------------------- 3. the main chain sees it

step "waiting (up to ${TIMEOUT}s) for $SUB's next report over IBC, with EventNodesChanged"
e="$(wait_ibc_event "$EV_PREFIX.EventNodesChanged" "$SUB" "$H_MAIN0" "$TIMEOUT")"
H_EVENT="$(json_get height <<<"$e")"
SNAP_H="$(json_get attrs.height <<<"$e")"
scnet json --want 1 "attrs[added[=$CONS_ADDR],node_count=$((VALS0 + 1))]#" <<<"$e" ||
	fail "EventNodesChanged of $SUB does not add $CONS_ADDR with $((VALS0 + 1)) nodes: $e"
got="$("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | scnet json 'report.snapshot.validators[]#')"
((got >= VALS0 + 1)) || fail "$SUB's latest status on $MAIN_ID has $got validators, want $((VALS0 + 1))"
check "EventNodesChanged (added $CONS_ADDR, node_count $VALS0 -> $((VALS0 + 1))) in the MsgRecvPacket tx of $MAIN_ID block $H_EVENT; $SUB's latest status has $got validators"
r="$(action_figures "$SUB_RPC_HTTP" "$H_SUB_ACTION" "$H_MAIN0" "$H_EVENT")" ||
	fail "could not read the block times of $SUB $H_SUB_ACTION and $MAIN_ID $H_EVENT"
read -r H_MAIN_ACTION SECS <<<"$r"
figure "MsgCreateValidator to EventNodesChanged" "$((SNAP_H - H_SUB_ACTION)) $SUB blocks (tx in $H_SUB_ACTION, snapshot of $SNAP_H), $((H_EVENT - H_MAIN_ACTION)) $MAIN_ID blocks ($H_MAIN_ACTION, its latest then, to $H_EVENT), ${SECS}s between the two blocks"

# ---------------------------------------------------------------- 4. it leaves again

step "the validator leaves: it unbonds its stake, then its node stops"
H_MAIN1="$(main_height)"
submit_tx "$SUB_BIN" "$N_RPC" "$N_HOME" "$SUB" staking unbond "$VALOPER" "$STAKE$DENOM" --from validator >/dev/null ||
	fail "unbonding $VALOPER failed"
e="$(wait_ibc_event "$EV_PREFIX.EventNodesChanged" "$SUB" "$H_MAIN1" "$TIMEOUT")"
scnet json --want 1 "attrs[removed[=$CONS_ADDR],node_count=$VALS0]#" <<<"$e" || fail "EventNodesChanged of $SUB does not remove $CONS_ADDR: $e"
check "after the unbond: EventNodesChanged (removed $CONS_ADDR, node_count back to $VALS0) in $MAIN_ID block $(json_get height <<<"$e")"
stop_joiner
h1="$(chain_height "$SUB_BIN" "$SUB_RPC")"
wait_for_height "$SUB_BIN" "$SUB_RPC" $((h1 + 2)) 30 || fail "$SUB stopped making blocks once $NAME stopped"
check "$NAME stopped; $SUB goes on ($h1 -> $(chain_height "$SUB_BIN" "$SUB_RPC"))"

grow_pass
