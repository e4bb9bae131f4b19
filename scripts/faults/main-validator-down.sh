#!/usr/bin/env bash
# Fault scenario: one of four main-chain validators killed, then restarted.
#
# A fresh localnet with MAIN_VALIDATORS=4 (equal power: three of four are
# more than 2/3). The main chain's node 3 is killed (SIGKILL, no clean
# shutdown) while the subchains report over IBC.
#
# Checked: the main chain has 4 bonded validators, node 3 signing; while it is
# down the chain goes on making blocks, every one of them committed without
# node 3's signature, and status reports of both subchains are recorded;
# restarted, node 3 replays and block-syncs to the tip (catching_up false)
# and signs blocks again.
#
# Usage: bash scripts/faults/main-validator-down.sh    (no localnet may be running)
set -euo pipefail
FAULT=main-validator-down
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOWN_BLOCKS=20 # main-chain blocks to make while node 3 is down (at least)
fault_localnet_up MAIN_VALIDATORS=4

mapfile -t N3 < <(localnet_node "$MAIN_ID" 3) # binary home log pidfile rpc
N3_RPC="${N3[4]}"
N3_HTTP="http://${N3_RPC#tcp://}"
N3_ADDR="$(scnet json --file "${N3[1]}/config/priv_validator_key.json" address)"
N_BONDED="$("$MAIN_BIN_P" q staking validators --node "$MAIN_RPC" --output json | scnet json 'validators[status=BOND_STATUS_BONDED]#')"
[[ "$N_BONDED" == 4 ]] || fail "$MAIN_ID has $N_BONDED bonded validators, want 4"

# signed H: true when node 3's validator signed the commit of block H.
signed() {
	local commit
	commit="$(rpc_get "$MAIN_RPC_HTTP" "/commit?height=$1")" || return 1
	printf '%s' "$commit" | scnet json --want 1 "[signed_header.commit.signatures[validator_address=$N3_ADDR,block_id_flag=2]]#" 2>/dev/null
}
h="$(main_height)"
signed $((h - 1)) || fail "node 3's validator $N3_ADDR did not sign block $((h - 1))"
check "$MAIN_ID: 4 bonded validators; node 3's ($N3_ADDR) signs (block $((h - 1)))"

step "waiting for the first reports over IBC"
wait_ibc_report subchain-a 0 150 >/dev/null
wait_ibc_report subchain-b 0 150 >/dev/null

# ---------------------------------------------------------------- killed

step "killing the main chain's node 3 (SIGKILL)"
SA0="$(latest_seq subchain-a)"
SB0="$(latest_seq subchain-b)"
H3_KILL="$(chain_height "$MAIN_BIN_P" "$N3_RPC")"
pid="$(sed -n 1p "${N3[3]}")"
pid_alive "${N3[3]}" || fail "node 3 is not running"
kill -KILL "$pid"
gone() { ! kill -0 "$pid" 2>/dev/null; }
poll_until 10 "node 3 (pid $pid) gone" gone
rm -f "${N3[3]}"
T_KILL=$SECONDS
H_KILL="$(main_height)"

step "waiting while node 3 is down: $DOWN_BLOCKS blocks and a report of each subchain"
wait_for_height "$MAIN_BIN_P" "$MAIN_RPC" $((H_KILL + DOWN_BLOCKS)) 120 || fail "the main chain stopped making blocks without node 3"
read -r SA1 SA1_H < <(wait_ibc_report subchain-a "$SA0" 120)
read -r SB1 SB1_H < <(wait_ibc_report subchain-b "$SB0" 120)
H_RESTART="$(main_height)"
T_DOWN=$((SECONDS - T_KILL))
check "the main chain made $((H_RESTART - H_KILL)) blocks in ${T_DOWN}s with node 3 down; subchain-a's report $SA1 (block $SA1_H) and subchain-b's $SB1 (block $SB1_H) recorded meanwhile"

# ---------------------------------------------------------------- restarted

step "restarting node 3"
T_RESTART=$SECONDS
localnet_node_start "$MAIN_ID" 3 90 >/dev/null 2>&1 || fail "node 3 did not start again"
T_RPC=$((SECONDS - T_RESTART))
caught_up() {
	local tip catching_up h
	tip="$(main_height)"
	read -r catching_up h < <("$MAIN_BIN_P" status --node "$N3_RPC" | scnet json sync_info.catching_up sync_info.latest_block_height)
	[[ "$catching_up" == False ]] && ((h >= tip)) && echo "$h"
}
H3_CAUGHT="$(poll_until 120 "node 3 caught up with the main chain" caught_up)"
T_CAUGHT=$((SECONDS - T_RESTART))
H_AT_CAUGHT="$(main_height)"
check "node 3 caught up: from height $H3_KILL to $H3_CAUGHT (the tip) in ${T_CAUGHT}s (RPC up after ${T_RPC}s), catching_up false"
signs_again() {
	local h top
	top="$(main_height)"
	for ((h = H_RESTART; h < top; h++)); do
		signed "$h" && {
			echo "$h"
			return 0
		}
	done
	return 1
}
H_SIGN="$(poll_until 60 "node 3 signing again" signs_again)"
check "node 3's validator signs again from block $H_SIGN"
# signers FROM TO: the heights in FROM..TO whose commit node 3's validator signed.
signers() {
	local h commit
	for ((h = $1; h <= $2; h++)); do
		commit="$(rpc_get "$MAIN_RPC_HTTP" "/commit?height=$h")" || return 1
		if printf '%s' "$commit" | scnet json --want 1 "[signed_header.commit.signatures[validator_address=$N3_ADDR,block_id_flag=2]]#" 2>/dev/null; then
			echo "$h"
		fi
	done
}
# H_KILL is read after the kill; node 3 may still have precommitted the block after
# it before it died: the check starts one further.
got="$(signers $((H_KILL + 2)) $((H_RESTART - 1)))" || fail "could not read the commits"
[[ -z "$got" ]] || fail "blocks signed by node 3 while it was down: $got"
((H_RESTART - 2 - H_KILL >= DOWN_BLOCKS - 2)) || fail "only $((H_RESTART - 2 - H_KILL)) commits checked"
check "the commits of blocks $((H_KILL + 2))..$((H_RESTART - 1)) ($((H_RESTART - 2 - H_KILL)), made while node 3 was down) lack its signature"
read -r SA2 _ < <(wait_ibc_report subchain-a "$SA1" 120)
check "reports go on after the restart (subchain-a's report $SA2)"
figure "blocks while down" "$((H_RESTART - H_KILL)) main-chain blocks in ${T_DOWN}s with 3 of 4 validators; reports recorded meanwhile: subchain-a $((SA1 - SA0)), subchain-b $((SB1 - SB0))"
figure "catch-up" "$((H3_CAUGHT - H3_KILL)) blocks (node 3 from $H3_KILL to $H3_CAUGHT) in ${T_CAUGHT}s after its restart; $((H_AT_CAUGHT - H_RESTART)) blocks made meanwhile; signing again at block $H_SIGN ($((H_SIGN - H_RESTART)) blocks after the restart)"
fault_pass
