#!/usr/bin/env bash
# make bench: runs the benchmarks of app/bench_test.go, app/*_test.go's gas
# benchmarks and x/statuscollect/collector/keeper/bench_test.go, then prints
# one line per figure of docs/benchmarks.md with its goal and its peer's figure from
# the same run (docs/benchmarks.md); then figures 3, 9 and 8's node point
# (scripts/bench-node.sh) and 7 (scripts/bench-latency.sh, run beside the
# counting benchmarks, see below) on real nodes, and where the time went. The
# raw go test output is kept in BENCH_OUT (default build/bench);
# BENCH_PARSE_ONLY=1 only prints the figures of a previous run's output.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh
out=${BENCH_OUT:-build/bench}
mkdir -p "$out"
start=$(date +%s)

# Each package's test binary is built once (go test -c) and run for each of
# its benchmarks, in the package's directory as go test would.
declare -A PKG=([app]=./app/ [keeper]=./x/statuscollect/collector/keeper/)
run() { # name package(app|keeper) bench benchtime [VAR=value...]: one run, timed
	local t=$SECONDS
	echo "== ${PKG[$2]} -bench '$3' -benchtime $4${5:+ ($5)}" >&2
	(cd "${PKG[$2]}" && env "${@:5}" "$bins/$2.test" -test.run '^$' -test.bench "$3" -test.benchtime "$4" -test.timeout 30m) >"$out/$1.txt"
	times+=("$1 $((SECONDS - t))s")
}
times=()
# BENCH_PARSE_ONLY=1 prints the figures of the outputs already in BENCH_OUT.
if [ -z "${BENCH_PARSE_ONLY:-}" ]; then
	bins="$(mkdir -p build && mktemp -d "$PWD/build/bench-bin.XXXXXX")"
	latency_pid=""
	# On any exit, a figure 7 run still going is stopped (it stops its localnet).
	trap 'rm -rf "$bins"; [[ -z "$latency_pid" ]] || kill "$latency_pid" 2>/dev/null || true' EXIT
	t=$SECONDS
	for p in "${!PKG[@]}"; do
		go test -c -o "$bins/$p.test" "${PKG[$p]}"
	done
	times+=("build $((SECONDS - t))s")
	# Figure 7's localnet (scripts/bench-latency.sh) runs beside the
	# benchmarks whose figures are counts (gas, reads, writes, bytes), not
	# times: its start, about 4 minutes here, is mostly waiting for blocks and
	# rly's handshakes, and its figure is counted in blocks, each chain's
	# own. The benchmarks timed against a peer (figure 8 in-process, then
	# the real node of bench-node) run after it, with no localnet of ours
	# beside them, and so do the queries (figure 5): their reads and gas are
	# counts, but their ns/op goal was noise beside the localnet's blocks.
	if [[ "${BENCH_NODES:-1}" == 1 ]]; then
		lt=$SECONDS
		BENCH_OUT="$(cd "$out" && pwd)" bash scripts/bench-latency.sh >"$out/latency.log" 2>&1 &
		latency_pid=$!
	fi
	run gas app 'Gas$|GasByPayload$|GasParts$|RelayGas$' 20x
	run endblocker keeper 'EndBlocker$' 500x
	run receive keeper 'ReceiveGas$' 1x
	# Bytes only: a larger GC target spends less of the run scanning the
	# in-memory IAVL database the 100,000 reports fill.
	run state keeper 'StateBytes$' 1x GOGC=400
	if [[ -n "$latency_pid" ]]; then
		latency_rc=0
		wait "$latency_pid" || latency_rc=$?
		latency_pid=""
		times+=("latency $((SECONDS - lt))s (beside the above)")
		((latency_rc == 0)) || {
			tail -n 30 "$out/latency.log" >&2
			echo "scripts/bench-latency.sh failed (log: $out/latency.log)" >&2
			exit 1
		}
	fi
	run queries keeper 'Queries$' 2000x
	run scale app 'Scale$' 3x
	# Figure 8's CPU profile, where a block's execution time goes at 1,000
	# subchains: a run of its own, as the profiler's sampling costs time.
	t=$SECONDS
	profile="$(cd "$out" && pwd)/scale.pprof"
	(cd app && "$bins/app.test" -test.run '^$' -test.bench 'Scale$/subchains=1000$' -test.benchtime 40x \
		-test.cpuprofile "$profile") >"$out/scale-profile.txt"
	times+=("scale profile $((SECONDS - t))s")
	run decode app 'TxDecode$' 20000x
fi

# "benchmark unit value" for every metric of every benchmark line.
awk '/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); for (i = 3; i + 1 <= NF; i += 2) print name, $(i + 1), $i }' \
	$(ls "$out"/{gas,scale,endblocker,queries,state,receive,decode}.txt 2>/dev/null) >"$out/metrics.txt"
# scale_profile PROFILE: figure 8's CPU profile by part, each part's
# cumulative samples under the benchmark's finalize (FinalizeBlock and Commit
# of its blocks) as a share of finalize's.
scale_profile() {
	[[ -f "$1" ]] || { echo "no $1"; return; }
	go tool pprof -top -cum -unit=ms -nodefraction=0 -focus 'app_test\.finalize$' "$1" 2>/dev/null | awk '
		function ms(s) { sub(/ms$/, "", s); return s + 0 }
		$NF ~ /app_test\.finalize$/ { total = ms($4) }
		$NF ~ /_Msg_UpdateClient_Handler$/ { update = ms($4) }
		$NF ~ /_Msg_RecvPacket_Handler$/ { recv = ms($4) }
		$NF ~ /collector\.IBCModule\.OnRecvPacket$/ { collector = ms($4) }
		$NF ~ /baseapp\.\(\*BaseApp\)\.Commit$/ { commit = ms($4) }
		$NF ~ /DefaultTxDecoder\.func1$/ { decode = ms($4) }
		END {
			if (total == 0) { print "no samples under finalize"; exit }
			printf "of %d ms sampled: MsgUpdateClient %.0f%%, MsgRecvPacket %.0f%% (the collector'"'"'s OnRecvPacket %.0f%%), Commit %.0f%%, tx decoding %.0f%%, the rest (ante handler, block hooks, hashing) %.0f%%\n",
				total, 100 * update / total, 100 * recv / total, 100 * collector / total, 100 * commit / total, 100 * decode / total,
				100 * (total - update - recv - commit - decode) / total }'
}
get() { awk -v n="$1" -v u="$2" '$1 == n && $2 == u { print $3; found = 1 } END { if (!found) print "NaN" }' "$out/metrics.txt"; }


echo
echo "statuscollect benchmarks, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "1. report by tx, gas; peer: a bank MsgSend from the same account on the same app"
send=$(get BenchmarkSubmitStatusGas gas/bank-send)
fig "1  typical report (4 orgs, 4 validators, 2 new contracts)" "$(get BenchmarkSubmitGasByPayload/validators=4/contracts=2/lists-by-hash gas/submit)" "bank MsgSend" "$send" 1.2
fig "1  bench-gas's report (its 2 contracts known after the 1st)" "$(get BenchmarkSubmitStatusGas gas/submit-status)" "bank MsgSend" "$send" 1.2
for size in validators=4/contracts=2 validators=4/contracts=0/lists-by-hash validators=4/contracts=0 validators=16/contracts=2 \
	validators=64/contracts=2 validators=64/contracts=2/lists-by-hash validators=4/contracts=8 validators=4/contracts=32; do
	fig "1  payload ${size}" "$(get "BenchmarkSubmitGasByPayload/$size" gas/submit)" "bank MsgSend" "$send" 0
done | sed 's/goal <= 0.00x  MISSED/(table)/'
# Figure 1's profile: the typical report's transaction in its parts, beside
# the bank send's, and the bytes it writes by collection.
for kind in report bank-send; do
	b="BenchmarkSubmitGasParts/$kind"
	info "1  profile: $kind tx, gas in its parts" "$(printf '%.0f = its bytes %.0f + its message %.0f (%.0f reads of %.0f B, %.0f writes of %.0f B) + the rest of the ante handler %.0f' \
		"$(get "$b" gas/tx)" "$(get "$b" gas/tx-bytes)" "$(get "$b" gas/message)" "$(get "$b" reads/message)" "$(get "$b" read-B/message)" \
		"$(get "$b" writes/message)" "$(get "$b" written-B/message)" "$(get "$b" gas/rest)")"
done
info "1  profile: report tx, bytes written by collection" "$(awk '$1 == "BenchmarkSubmitGasParts/report" && $2 ~ /^written-B\// && $2 != "written-B/message" { sub(/^written-B\//, "", $2); printf "%s%s %d", sep, $2, $3; sep = ", " }' "$out/metrics.txt")"
awk -v r="$(get BenchmarkSubmitGasParts/report gas/tx)" -v rest="$(get BenchmarkSubmitGasParts/report gas/rest)" -v s="$(get BenchmarkSubmitGasParts/bank-send gas/tx)" 'BEGIN {
	printf "%-58s %s\n", "1  profile: what 1.2x leaves the report beyond the ante", sprintf("bytes + message <= %d gas (1.2 x %d - %d); the report'"'"'s are %d, %d over", 1.2 * s - rest, s, rest, r - rest, r - 1.2 * s) }'
echo
echo "2. a report over IBC (carrying a new contract), gas; ICS-20 from the same subchain"
fig "2  main chain RecvPacket of a status report" "$(get BenchmarkStatusReportRecvGas gas/recv-status-report)" "ICS-20 RecvPacket" "$(get BenchmarkStatusReportRecvGas gas/recv-ics20)" 0.9
fig "2  relayer tx UpdateClient+RecvPacket, report" "$(get BenchmarkRelayGas gas/report-update+recv)" "ICS-20 UpdateClient+Recv" "$(get BenchmarkRelayGas gas/ics20-update+recv)" 0.9
fig "2  subchain MsgAcknowledgement tx, report" "$(get BenchmarkRelayGas gas/report-ack)" "ICS-20 MsgAcknowledgement" "$(get BenchmarkRelayGas gas/ics20-ack)" 0.9
for kind in heartbeat heartbeat-by-hash change figure-2 figure-2-after-checkpoint; do
	b="BenchmarkReceiveGas/$kind"
	info "1,2 profile: collector's ReceiveReport, $kind" "$(printf '%.0f gas = %.0f reads (%.0f B) + %.0f writes (%.0f B)' "$(get "$b" gas/op)" \
		"$(get "$b" reads/op)" "$(get "$b" read-B/op)" "$(get "$b" writes/op)" "$(get "$b" written-B/op)")"
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
info "8  profile (pprof, 1,000 subchains): block time by part" "$(scale_profile "$out/scale.pprof")"
echo
echo "3. in-process: decoding a tx and finding its signers, as a node does on each CheckTx, recheck and FinalizeBlock; peer: a bank send tx (for the signer lookup alone: the same by reflection)"
{
	for kind in report report-lists-by-hash; do
		fig "3  ns to take in a $kind tx" "$(get "BenchmarkTxDecode/$kind" ns/op)" "a bank send tx" "$(get BenchmarkTxDecode/send ns/op)" 0
		fig "3  allocations to take in a $kind tx" "$(get "BenchmarkTxDecode/$kind" allocs/op)" "a bank send tx" "$(get BenchmarkTxDecode/send allocs/op)" 0
	done
	fig "3  ns to find a report's signers, its generated v2 type" "$(get BenchmarkTxDecode/signers-of-report-generated ns/op)" "by reflection (dynamicpb)" "$(get BenchmarkTxDecode/signers-of-report-reflection ns/op)" 0
	fig "3  bytes allocated to find them, its generated v2 type" "$(get BenchmarkTxDecode/signers-of-report-generated B/op)" "by reflection (dynamicpb)" "$(get BenchmarkTxDecode/signers-of-report-reflection B/op)" 0
} | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
echo
# Figures 3, 9 and 8 on a real node (a one-validator main chain in its own
# network namespace: root), then figure 7's, measured above. BENCH_NODES=0
# leaves them out; with BENCH_PARSE_ONLY=1 they print their last run's
# figures.
if [[ "${BENCH_NODES:-1}" == 1 ]]; then
	if [[ -n "${BENCH_PARSE_ONLY:-}" ]]; then
		BENCH_NODE_PARSE_ONLY=1 bash scripts/bench-node.sh
	else
		t=$SECONDS
		bash scripts/bench-node.sh
		times+=("bench-node $((SECONDS - t))s")
	fi
	# bench-latency's summary, the end of its raw samples: from its figure's title on.
	if [[ -f "$out/latency-raw.txt" ]]; then
		sed -n '/^7\. /,$p' "$out/latency-raw.txt"
	else
		info "7" "no $out/latency-raw.txt: make bench-latency has not run"
	fi
	echo
else
	info "3, 7, 8 (node), 9" "left out (BENCH_NODES=0): make bench-node and make bench-latency measure them on real nodes"
fi
[[ ${#times[@]} -eq 0 ]] || info "where the time went" "$(IFS=,; echo "${times[*]}" | sed 's/,/, /g')"
echo "wall time: $(($(date +%s) - start)) s; raw output in $out/"
