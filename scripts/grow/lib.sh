# shellcheck shell=bash
# Shared helpers of the growth procedures in scripts/grow/: each grows a
# running localnet (an org, a validator, a subchain) and checks the main chain
# sees it. Source it from a procedure, after setting GROW (its name):
#
#   GROW=org-join
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It builds on scripts/faults/lib.sh (step, check, figure, fail, poll_until,
# tx_events, wait_ibc_report...) and starts nothing. A procedure calls
# grow_localnet: it uses the localnet that runs (scripts/grow/all.sh starts
# one for all three) and leaves it running, or starts a fresh one, stopped
# again at exit, when none runs. What a procedure starts itself it registers
# with fault_cleanup. It ends with grow_pass.

FAULT="$GROW"
FAULT_KIND="growth procedure"
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../faults/lib.sh"

# The events the procedures wait for on the main chain.
EV_PREFIX=statuscollect.collector.v1
RECV_PACKET=/ibc.core.channel.v1.MsgRecvPacket

# grow_localnet [VAR=VALUE...]: use the running localnet, or start a fresh one
# with these knobs. Records the localnet's processes: grow_pass checks none of
# them was restarted.
grow_localnet() {
	if [[ -n "$(localnet_running)" ]]; then
		fault_localnet_attach
	else
		fault_localnet_up "$@"
	fi
	GROW_PROCS0="$(localnet_running)"
}

# grow_pass: check every process the localnet ran at the start still runs
# with the same pid (growing the network restarted none of its nodes nor its
# relayer), then print the summary.
grow_pass() {
	local p n=0 now
	now="$(localnet_running)"
	while IFS= read -r p; do
		[[ -n "$p" ]] || continue
		grep -qxF "$p" <<<"$now" || fail "localnet process '$p' no longer runs with that pid: the procedure restarted or stopped it"
		n=$((n + 1))
	done <<<"$GROW_PROCS0"
	((n > 0)) || fail "no localnet process was recorded at the start"
	check "none of the localnet's $n processes (nodes, relayer) was stopped or restarted: same pids as at the start"
	fault_pass
}

# main_tx TX-ARGS...: submit_tx on the main chain through node 0, with node 0's keyring.
main_tx() { submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$@"; }

# sub_tx CHAIN TX-ARGS...: submit_tx on a chain of the localnet through its node 0.
sub_tx() {
	local c="$1"
	shift
	submit_tx "$(localnet_chain "$c" binary)" "$(localnet_chain "$c" rpc)" "$(localnet_chain "$c" home)" "$c" "$@"
}

# tx_events_of TYPE: read a committed tx (JSON) on stdin; print, one JSON line
# each, the attributes (values decoded) of its events of TYPE; fail if none.
tx_events_of() {
	scnet tx-events-of -- "$1"
}

# wait_ibc_event TYPE CHAIN AFTER TIMEOUT: wait until a MsgRecvPacket tx above
# main-chain height AFTER carries event TYPE (EventOrgsChanged...) of CHAIN: a
# report of the subchain's own sidecar, over IBC. Print its tx_events line
# ({"height", "txhash", "msgs", "attrs"}).
wait_ibc_event() {
	local type="$1" chain="$2" after="$3" timeout="$4"
	_ibc_event() {
		tx_events "$MAIN_BIN_P" "$MAIN_RPC" "$type.chain_id='\"$chain\"' AND tx.height>$after" "$type" |
			scnet json --lines --first "[code=0,msgs[=$RECV_PACKET]]"
	}
	poll_until "$timeout" "a $type event of $chain over IBC above main-chain height $after" _ibc_event
}

# seconds_between T1 T2: the seconds from unix time T1 to T2 (nanoseconds), to a tenth.
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'; }

# node_port_offset CHAIN SLOT: the port offset of an extra node SLOT (0, 1...)
# of CHAIN: past the offsets localnet.sh gives its (at most 4) validator nodes.
node_port_offset() {
	local p2p
	p2p="$(localnet_chain "$1" ports.p2p)"
	echo $((p2p - $(chain_port p2p 0) + 10 * (4 + $2)))
}

# action_figures SUB_RPC_HTTP SUB_HEIGHT MAIN_FROM MAIN_EVENT: how far a
# subchain action (its tx in SUB_HEIGHT) was from the main-chain block
# MAIN_EVENT showing it, by block times, not by when the CLI saw them (a busy
# machine makes the CLI late): print "H_MAIN SECONDS", where H_MAIN is the
# main chain's latest block when SUB_HEIGHT was made (searched from MAIN_FROM,
# a height known to be before it) and SECONDS the time between the two blocks.
action_figures() {
	local sub_rpc="$1" hs="$2" h="$3" hev="$4" t next
	t="$(block_time "$sub_rpc" "$hs")" || return 1
	while ((h < hev)); do
		next="$(block_time "$MAIN_RPC_HTTP" $((h + 1)))" || return 1
		((next <= t)) || break
		h=$((h + 1))
	done
	next="$(block_time "$MAIN_RPC_HTTP" "$hev")" || return 1
	echo "$h $(seconds_between "$t" "$next")"
}
