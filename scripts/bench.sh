#!/usr/bin/env bash
# make bench: runs the benchmarks of app/bench_test.go, app/*_test.go's gas
# benchmarks and x/statuscollect/collector/keeper/bench_test.go, then prints
# one line per figure of docs/benchmarks.md with its goal and its peer's figure from
# the same run (docs/benchmarks.md); then figures 3 and 9 (scripts/bench-node.sh)
# and 7 (scripts/bench-latency.sh) on real nodes. The raw go test output is kept in BENCH_OUT
# (default build/bench); BENCH_PARSE_ONLY=1 only prints the figures of a
# previous run's output.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
out=${BENCH_OUT:-build/bench}
mkdir -p "$out"
start=$(date +%s)

run() { # name package bench benchtime
	echo "== go test $2 -bench '$3' -benchtime $4" >&2
	go test "$2" -run '^$' -bench "$3" -benchtime "$4" -timeout 30m >"$out/$1.txt"
}
# BENCH_PARSE_ONLY=1 prints the figures of the outputs already in BENCH_OUT.
if [ -z "${BENCH_PARSE_ONLY:-}" ]; then
	run gas ./app/ 'Gas$|GasByPayload$|RelayGas$' 20x
	run scale ./app/ 'Scale$' 3x
	run endblocker ./x/statuscollect/collector/keeper/ 'EndBlocker$' 500x
	run queries ./x/statuscollect/collector/keeper/ 'Queries$' 2000x
	run state ./x/statuscollect/collector/keeper/ 'StateBytes$' 1x
	run receive ./x/statuscollect/collector/keeper/ 'ReceiveGas$' 1x
fi

# "benchmark unit value" for every metric of every benchmark line.
awk '/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); for (i = 3; i + 1 <= NF; i += 2) print name, $(i + 1), $i }' \
	"$out"/{gas,scale,endblocker,queries,state,receive}.txt >"$out/metrics.txt"
get() { awk -v n="$1" -v u="$2" '$1 == n && $2 == u { print $3; found = 1 } END { if (!found) print "NaN" }' "$out/metrics.txt"; }


echo
echo "statuscollect benchmarks, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "1. report by tx, gas; peer: a bank MsgSend from the same account on the same app"
send=$(get BenchmarkSubmitStatusGas gas/bank-send)
fig "1  typical report (4 orgs, 4 validators, 2 new contracts)" "$(get BenchmarkSubmitGasByPayload/validators=4/contracts=2 gas/submit)" "bank MsgSend" "$send" 1.2
fig "1  bench-gas's report (its 2 contracts known after the 1st)" "$(get BenchmarkSubmitStatusGas gas/submit-status)" "bank MsgSend" "$send" 1.2
for size in validators=4/contracts=0 validators=16/contracts=2 validators=64/contracts=2 validators=4/contracts=8 validators=4/contracts=32; do
	fig "1  payload ${size}" "$(get "BenchmarkSubmitGasByPayload/$size" gas/submit)" "bank MsgSend" "$send" 0
done | sed 's/goal <= 0.00x  MISSED/(table)/'
echo
echo "2. a report over IBC (carrying a new contract), gas; ICS-20 from the same subchain"
fig "2  main chain RecvPacket of a status report" "$(get BenchmarkStatusReportRecvGas gas/recv-status-report)" "ICS-20 RecvPacket" "$(get BenchmarkStatusReportRecvGas gas/recv-ics20)" 0.9
fig "2  relayer tx UpdateClient+RecvPacket, report" "$(get BenchmarkRelayGas gas/report-update+recv)" "ICS-20 UpdateClient+Recv" "$(get BenchmarkRelayGas gas/ics20-update+recv)" 0.9
fig "2  subchain MsgAcknowledgement tx, report" "$(get BenchmarkRelayGas gas/report-ack)" "ICS-20 MsgAcknowledgement" "$(get BenchmarkRelayGas gas/ics20-ack)" 0.9
for kind in heartbeat change; do
	b="BenchmarkReceiveGas/$kind"
	info "1,2 profile: collector's ReceiveReport, $kind" "$(get "$b" gas/op) gas = $(get "$b" reads/op) reads ($(get "$b" read-B/op) B) + $(get "$b" writes/op) writes ($(get "$b" written-B/op) B)"
done
echo
echo "4. EndBlocker one block after every subchain reported; peer: 10 subchains (ns/op: shared machine, no goal)"
for n in 1000 10000; do
	for u in reads/op writes/op gas/op; do
		fig "4  EndBlocker ${u%/op} at $n subchains" "$(get "BenchmarkEndBlocker/subchains=$n" $u)" "at 10 subchains" "$(get BenchmarkEndBlocker/subchains=10 $u)" 1.05
	done
	fig "4  EndBlocker ns at $n subchains" "$(get "BenchmarkEndBlocker/subchains=$n" ns/op)" "at 10 subchains" "$(get BenchmarkEndBlocker/subchains=10 ns/op)" 0
done | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
echo
echo "5. queries at 10^6 stored reports (peer: 10^3); 10^6 filled straight into the store, see docs/benchmarks.md"
for q in latest overview history; do
	for u in reads/op gas/op ns/op; do
		fig "5  $q ${u%/op} at 10^6 reports" "$(get "BenchmarkQueries/reports=1000000/$q" $u)" "at 10^3 reports" "$(get "BenchmarkQueries/reports=1000/$q" $u)" 1.5
	done
done
echo
echo "6. the collector's store bytes per report over IBC (typical report: 4 orgs, 4 validators)"
abs "6  bytes added per heartbeat (nothing changed)" "$(get BenchmarkStateBytes/per-report B/heartbeat)" B 300
abs "6  bytes added per typical change (2 contracts, 1 power)" "$(get BenchmarkStateBytes/per-report B/change)" B 600
fig "6  store after 100,000 reports (retention 1h)" "$(get BenchmarkStateBytes/retention B/after-100k)" "after 50,000 reports" "$(get BenchmarkStateBytes/retention B/after-50k)" 1.05
echo
echo "8. main chain block execution (FinalizeBlock+Commit) with N/10 relayed reports per block, 1 s blocks"
for n in 10 100 1000 3000; do
	b="BenchmarkScale/subchains=$n"
	busy=$(get "$b" ms/block) idle=$(get "$b" ms/idle-block)
	awk -v n="$n" -v r="$(get "$b" reports/block)" -v busy="$busy" -v idle="$idle" -v gas="$(get "$b" gas/block)" 'BEGIN {
		printf "8  %5d subchains: %3d reports/block %8.1f ms/block vs idle %6.1f ms = %6.1fx (goal <= 1.20x %s); %5.1f%% of the 1 s budget %s; %.1fM gas\n",
			n, r, busy, idle, busy / idle, (busy / idle <= 1.2 ? "MET" : "MISSED"), busy / 10, (busy <= 1000 ? "MET" : "MISSED"), gas / 1e6 }'
done
awk -v m="$(for n in 10 100 1000 3000; do echo "$n $(get "BenchmarkScale/subchains=$n" ms/block)"; done | awk '$2 <= 1000 { n = $1 } END { print n + 0 }')" 'BEGIN {
	printf "8  headline: %d subchains (the largest measured) within the 1 s block budget; goal >= 1,000 %s; within 1.2x of idle: none\n", m, (m >= 1000 ? "MET" : "MISSED") }'
echo
# Figures 3, 9 and 7 need real nodes: a one-validator main chain in its own
# network namespace (root), then a fresh localnet with rly. BENCH_NODES=0
# leaves them out; with BENCH_PARSE_ONLY=1 they print their last run's figures.
if [[ "${BENCH_NODES:-1}" == 1 ]]; then
	if [[ -n "${BENCH_PARSE_ONLY:-}" ]]; then
		BENCH_NODE_PARSE_ONLY=1 bash scripts/bench-node.sh
	else
		bash scripts/bench-node.sh
		echo
		bash scripts/bench-latency.sh
	fi
else
	info "3, 7, 9" "left out (BENCH_NODES=0): make bench-node and make bench-latency measure them on real nodes"
fi
echo "wall time: $(($(date +%s) - start)) s; raw output in $out/"
