#!/usr/bin/env bash
# Prints figure 7 of docs/benchmarks.md: main-chain blocks from a contract's instantiation on subchain-a to the collector's EventContractsChanged for it (median, p95 against the goals 4 and 7), beside an ICS-20 transfer subchain-a -> main chain over the same rly.
#
# On a fresh localnet (LOCALNET_DAEMONS=0 LOCALNET_PROMETHEUS=0; stopped again
# on any exit, as the fault scenarios do) it stores testdata/hackatom.wasm on
# subchain-a and instantiates it LATENCY_SAMPLES times (default 20). Each
# instantiation waits until the sidecar has no report in flight (so each
# contract is its own change, carried by its own report) and lands at a
# chosen phase of the sidecar's snapshot cadence (every report_interval
# blocks), cycling through all of them: the sidecar sends a new contract in
# the block that created it when its link is idle and its last report an
# interval old, whatever the phase, and otherwise at the first block after
# that meets both. For each sample:
#   sub_h, sub_time  the subchain block of the instantiate tx and its time;
#   main_at          the last main-chain block whose time is <= sub_time;
#   snap_h           the subchain block whose snapshot carried the contract
#                    (the event's height attribute);
#   main_at_snap     the last main-chain block whose time is <= snap_h's time;
#   ev_h             the main-chain block of the RecvPacket tx whose
#                    statuscollect.collector.v1.EventContractsChanged adds it;
#   blocks = ev_h - main_at, of which wait = main_at_snap - main_at (the
#   snapshot cadence) and relay = ev_h - main_at_snap (IBC over rly);
#   held             subchain blocks the contract waited for its report
#                    (snap_h - sub_h): more than 0 when a report (a
#                    heartbeat) was in flight or had left less than an
#                    interval before.
# The peer: TRANSFER_SAMPLES (default 5) ICS-20 transfers from subchain-a to
# the main chain, measured the same way (send block -> recv_packet block).
# Per-sample lines go to $BENCH_OUT/latency-raw.txt (default build/bench);
# the summary is printed in the format of scripts/bench.sh.
#
# Usage: bash scripts/bench-latency.sh     (no localnet may be running; make bench-latency)
set -euo pipefail
FAULT=bench-latency
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/faults/lib.sh"
# shellcheck source=scripts/bench-lib.sh
source "$REPO_ROOT/scripts/bench-lib.sh"
require_cmd jq "Install it (Debian: 'apt-get install -y jq')."

SAMPLES="${LATENCY_SAMPLES:-20}"
TRANSFERS="${TRANSFER_SAMPLES:-5}"
OUT="${BENCH_OUT:-$REPO_ROOT/build/bench}"
GOAL_MEDIAN=4
GOAL_P95=7
SUB=subchain-a
EVENT=statuscollect.collector.v1.EventContractsChanged
[[ -f "$REPO_ROOT/testdata/hackatom.wasm" ]] || die "$REPO_ROOT/testdata/hackatom.wasm is missing"
mkdir -p "$OUT"
RAW="$OUT/latency-raw.txt"
T0=$SECONDS
LOADS=() # the 1-minute load average before each sample

fault_localnet_up LOCALNET_PROMETHEUS=0

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_RPC_HTTP="http://127.0.0.1:$(localnet_chain "$SUB" ports.rpc)"
SUB_DENOM="$(localnet_chain "$SUB" denom)"
subtx() { submit_tx "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" "$@"; }

# rpc_json BASE PATH: a CometBFT RPC endpoint's result.
rpc_json() { curl -sf --max-time 15 "$1$2" | jq -e '.result'; }
# tip BASE: the latest height.
tip() { rpc_json "$1" /status | jq -r '.sync_info.latest_block_height'; }

# jq: an RFC 3339 time (nanoseconds, trailing zeros trimmed) in unix
# microseconds (exact in a double).
JQ_US='def us: sub("Z$"; "") | split(".") | ((.[0] + "Z") | fromdateiso8601) * 1000000 + (((.[1] // "") + "000000")[0:6] | tonumber);'

# block_us BASE HEIGHT: the time of block HEIGHT in unix microseconds.
block_us() {
	rpc_json "$1" "/blockchain?minHeight=$2&maxHeight=$2" | jq -r "$JQ_US"' .block_metas[0].header.time | us'
}

# main_at TIME_US: the last main-chain block whose time is <= TIME_US, looking
# back from the tip 20 blocks at a time (one /blockchain call each). It first
# waits for a tip past TIME_US: until then a block still to come could be it.
main_at() {
	local want="$1" hi lo h t start=$SECONDS
	until hi="$(tip "$MAIN_RPC_HTTP")" && t="$(block_us "$MAIN_RPC_HTTP" "$hi")" && ((t > want)); do
		((SECONDS - start < 60)) || fail "no main-chain block after $want us within 60s"
		sleep 0.3
	done
	while ((hi >= 1)); do
		lo=$((hi > 20 ? hi - 19 : 1))
		h="$(rpc_json "$MAIN_RPC_HTTP" "/blockchain?minHeight=$lo&maxHeight=$hi" |
			jq -r --argjson t "$want" "$JQ_US"' [.block_metas[].header | select((.time | us) <= $t) | .height | tonumber] | max // empty')"
		[[ -z "$h" ]] || {
			echo "$h"
			return 0
		}
		hi=$((lo - 1))
	done
	fail "no main-chain block at or before $want us"
}

# pct P VALUE...: the P-th percentile, nearest rank (the smallest value with
# at least P% of the values at or below it).
pct() {
	local p="$1"
	shift
	printf '%s\n' "$@" | sort -n | awk -v p="$p" '{ v[NR] = $1 } END { r = int((p * NR + 99) / 100); if (r < 1) r = 1; print v[r] }'
}
# pct_s P VALUE_US...: the same of microsecond values, in seconds (0.1).
pct_s() { awk -v v="$(pct "$@")" 'BEGIN { printf "%.1f", v / 1e6 }'; }

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null
INTERVAL="$(rest_get "http://127.0.0.1:$(localnet_chain "$SUB" ports.api)/statuscollect/reporter/v1/params" | jq -er '.params.report_interval')" ||
	fail "could not read $SUB's sidecar params"

step "storing hackatom.wasm on $SUB"
CODE_ID="$(subtx wasm store "$REPO_ROOT/testdata/hackatom.wasm" --from user | tx_event_attr store_code code_id)" ||
	fail "wasm store failed"
INIT_MSG="{\"verifier\":\"$(localnet_chain "$SUB" keys.validator)\",\"beneficiary\":\"$(localnet_chain "$SUB" keys.relayer)\"}"

idle_link() { sub_link "$SUB" | jq -e '.in_flight == null' >/dev/null; }
# wait_phase R: wait until the subchain's tip is one block before a height
# = R (mod INTERVAL): a tx sent then (simulated, then broadcast) lands about
# there. Polls every 0.2 s (poll_until's 1 s would alias with 1 s blocks).
wait_phase() {
	local start=$SECONDS
	until (($(tip "$SUB_RPC_HTTP") % INTERVAL == ($1 + INTERVAL - 1) % INTERVAL)); do
		((SECONDS - start < 30)) || fail "$SUB not at phase $1 of $INTERVAL after 30s"
		sleep 0.2
	done
}
# contract_event ADDR FROM: "ev_h snap_h" of the EventContractsChanged adding
# ADDR in a main-chain block in (FROM, FROM+120] (a bounded tx search).
contract_event() {
	tx_events "$MAIN_BIN_P" "$MAIN_RPC" "$EVENT.chain_id='\"$SUB\"' AND tx.height>$2 AND tx.height<=$(($2 + 120))" "$EVENT" |
		jq -sre --arg a "$1" '[.[] | select(.code == 0 and (.msgs | index("/ibc.core.channel.v1.MsgRecvPacket")) and
			any(.attrs.added[]?; .address == $a))] | first // empty | "\(.height) \(.attrs.height)"'
}

{
	echo "# figure 7, $(date -u +%FT%TZ), $(nproc) cores; subchain $SUB, snapshot every $INTERVAL blocks"
	echo "# contract i address sub_h sub_time_us main_at snap_h main_at_snap ev_h ev_time_us blocks wait relay seconds held"
	echo "# transfer j sequence sub_h sub_time_us main_at recv_h recv_time_us blocks seconds"
} >"$RAW"

C_BLOCKS=() C_WAIT=() C_RELAY=() C_US=() C_SUBWAIT=()
for ((i = 1; i <= SAMPLES; i++)); do
	step "contract $i/$SAMPLES"
	poll_until 90 "$SUB's sidecar with no report in flight" idle_link
	LOADS+=("$(cut -d' ' -f1 /proc/loadavg)")
	phase=$((i % INTERVAL))
	wait_phase "$phase"
	tx="$(subtx wasm instantiate "$CODE_ID" "$INIT_MSG" --label "latency-$i" --no-admin --from user)" ||
		fail "wasm instantiate $i failed"
	addr="$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)"
	sub_h="$(printf '%s' "$tx" | jq -r .height)"
	sub_us="$(block_us "$SUB_RPC_HTTP" "$sub_h")"
	m_at="$(main_at "$sub_us")"
	read -r ev_h snap_h < <(poll_until 120 "$EVENT adding contract $i ($addr)" contract_event "$addr" "$m_at")
	snap_us="$(block_us "$SUB_RPC_HTTP" "$snap_h")"
	m_snap="$(main_at "$snap_us")"
	ev_us="$(block_us "$MAIN_RPC_HTTP" "$ev_h")"
	C_BLOCKS+=($((ev_h - m_at)))
	C_WAIT+=($((m_snap - m_at)))
	C_RELAY+=($((ev_h - m_snap)))
	held=$((snap_h - sub_h))
	C_SUBWAIT+=("$held")
	C_US+=($((ev_us - sub_us)))
	line="contract $i $addr $sub_h $sub_us $m_at $snap_h $m_snap $ev_h $ev_us $((ev_h - m_at)) $((m_snap - m_at)) $((ev_h - m_snap)) $(awk -v d=$((ev_us - sub_us)) 'BEGIN { printf "%.2f", d / 1e6 }') $held"
	echo "$line" >>"$RAW"
	log "[$FAULT] $line"
done

read -r SUB_CH MAIN_CH < <(scnet json --file "$SUMMARY" --first "paths[dst.chain_id=$SUB].dst.channel" "paths[dst.chain_id=$SUB].src.channel")
MAIN_USER="$(localnet_chain "$MAIN_ID" keys.user)"
# transfer_recv SEQ FROM: the main-chain block in (FROM, FROM+120] whose
# successful tx received packet SEQ of the transfer channel.
transfer_recv() {
	tx_events "$MAIN_BIN_P" "$MAIN_RPC" "recv_packet.packet_dst_channel='$MAIN_CH' AND recv_packet.packet_sequence='$1' AND tx.height>$2 AND tx.height<=$(($2 + 120))" recv_packet |
		jq -sre '[.[] | select(.code == 0) | .height] | min // empty'
}
T_BLOCKS=() T_US=()
for ((j = 1; j <= TRANSFERS; j++)); do
	step "ICS-20 transfer $j/$TRANSFERS ($SUB transfer/$SUB_CH -> $MAIN_ID transfer/$MAIN_CH)"
	LOADS+=("$(cut -d' ' -f1 /proc/loadavg)")
	tx="$(subtx ibc-transfer transfer transfer "$SUB_CH" "$MAIN_USER" "1000$SUB_DENOM" --from user)" ||
		fail "ICS-20 transfer $j failed"
	seq="$(printf '%s' "$tx" | tx_event_attr send_packet packet_sequence)"
	sub_h="$(printf '%s' "$tx" | jq -r .height)"
	sub_us="$(block_us "$SUB_RPC_HTTP" "$sub_h")"
	m_at="$(main_at "$sub_us")"
	recv_h="$(poll_until 120 "the main chain's receive of transfer $j (packet $seq)" transfer_recv "$seq" "$m_at")"
	recv_us="$(block_us "$MAIN_RPC_HTTP" "$recv_h")"
	T_BLOCKS+=($((recv_h - m_at)))
	T_US+=($((recv_us - sub_us)))
	line="transfer $j $seq $sub_h $sub_us $m_at $recv_h $recv_us $((recv_h - m_at)) $(awk -v d=$((recv_us - sub_us)) 'BEGIN { printf "%.2f", d / 1e6 }')"
	echo "$line" >>"$RAW"
	log "[$FAULT] $line"
done

# ---------------------------------------------------------------- summary, as scripts/bench.sh prints it


c_med="$(pct 50 "${C_BLOCKS[@]}")" c_p95="$(pct 95 "${C_BLOCKS[@]}")"
t_med="$(pct 50 "${T_BLOCKS[@]}")" t_p95="$(pct 95 "${T_BLOCKS[@]}")"
{
	echo
	echo "7. latency on the localnet with rly, main-chain blocks from the subchain block to the main chain's; peer: ICS-20 $SUB -> $MAIN_ID"
	abs "7  contract -> EventContractsChanged, median of $SAMPLES" "$c_med" blocks "$GOAL_MEDIAN"
	abs "7  contract -> EventContractsChanged, p95 of $SAMPLES" "$c_p95" blocks "$GOAL_P95"
	fig "7  contract -> event, median" "$c_med" "ICS-20 send -> recv, median" "$t_med" 0 |
		sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
	fig "7  contract -> event, p95" "$c_p95" "ICS-20 send -> recv, p95" "$t_p95" 0 |
		sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
	info "7  where the blocks go (median; main-chain blocks)" "$(pct 50 "${C_WAIT[@]}") waiting for the sidecar's report (snapshots every $INTERVAL subchain blocks, a new contract at once; median $(pct 50 "${C_SUBWAIT[@]}") subchain blocks, max $(pct 100 "${C_SUBWAIT[@]}")) + $(pct 50 "${C_RELAY[@]}") report -> event over rly (max $(pct 100 "${C_RELAY[@]}"))"
	info "7  not sent in their own block" "$(printf '%s\n' "${C_SUBWAIT[@]}" | awk '$1 > 0' | wc -l) of $SAMPLES contracts, by up to $(pct 100 "${C_SUBWAIT[@]}") subchain blocks (a report in flight, or one sent less than $INTERVAL blocks before)"
	info "7  seconds (block time to block time; information)" "contract median $(pct_s 50 "${C_US[@]}") s, p95 $(pct_s 95 "${C_US[@]}") s; ICS-20 median $(pct_s 50 "${T_US[@]}") s, p95 $(pct_s 95 "${T_US[@]}") s"
	info "7  samples (blocks)" "contracts: $(printf '%s\n' "${C_BLOCKS[@]}" | sort -n | tr '\n' ' ')| ICS-20: $(printf '%s\n' "${T_BLOCKS[@]}" | sort -n | tr '\n' ' ')"
	info "7  load (1-min average, $(nproc) cores) over the samples" "min $(pct 0 "${LOADS[@]}"), median $(pct 50 "${LOADS[@]}"), max $(pct 100 "${LOADS[@]}")"
	echo "wall time: $((SECONDS - T0)) s (localnet start ${FAULT_LOCALNET_SECS} s); raw samples in $RAW"
} | tee -a "$RAW"
