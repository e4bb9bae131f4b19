#!/usr/bin/env bash
# make bench-node: figures 3 and 9 of docs/benchmarks.md, on real nodes.
#
#  3. Reports per second a single-validator main chain includes, sent through
#     its CometBFT RPC (broadcast_tx_sync) by many monitoring accounts at once,
#     against bank sends per second from the same accounts on the same node in
#     the same run (goal >= 0.8x). bench/nodeload sends and counts.
#  9. The daemons' cost while the main chain is busy with reports (phase B):
#     CPU and peak memory of `mainchaind watcher` and `mainchaind reporter`
#     against the main-chain node's own.
#
# What runs: a main chain (benchmain-1, one validator, 1 s blocks as the
# localnet) whose genesis registers BENCH_NODE_ACCOUNTS load subchains, each
# with one monitoring account, and a real plain subchain (plain-1, mainchaind
# under another chain id) that the two daemons follow. Phase A: every account
# sends bank MsgSends for BENCH_NODE_BLOCKS blocks; phase B: MsgSubmitStatus
# reports of its own subchain for as many blocks, with the daemons running.
#
# Every process runs in its own network namespace (nodebench; root needed),
# so the nodes' loopback ports meet no other localnet; BENCH_NODE_NETNS=0
# runs on the host's loopback instead (the ports must be free). Raw output in
# BENCH_OUT/node (default build/bench/node); the nodes' homes are removed on
# exit. BENCH_NODE_PPROF=1 also takes a 20 s CPU profile of the node in each
# phase (node-send.pprof, node-report.pprof).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$REPO_ROOT/scripts/lib.sh"
cd "$REPO_ROOT"

NS=nodebench
ACCOUNTS=${BENCH_NODE_ACCOUNTS:-100}
BLOCKS=${BENCH_NODE_BLOCKS:-20}
OUT="$REPO_ROOT/${BENCH_OUT:-build/bench}/node"
WORK="$BUILD_DIR/bench-node"

# Outside the namespace: make it, run this script again inside it, remove it.
if [[ "${BENCH_NODE_NETNS:-1}" == 1 && -z "${NODEBENCH_IN_NS:-}" ]]; then
	[[ "$(id -u)" == 0 ]] || die "the network namespace needs root (or run with BENCH_NODE_NETNS=0 on free loopback ports)"
	ip netns list | grep -qw "^$NS" && die "network namespace $NS exists: another bench-node runs (or remove it: ip netns del $NS)"
	ip netns add "$NS"
	ns_cleanup() {
		local pid
		# Anything of ours still in the namespace (the inner script stops its own).
		for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
		ip netns del "$NS" 2>/dev/null || true
	}
	trap ns_cleanup EXIT
	ip netns exec "$NS" ip link set lo up
	NODEBENCH_IN_NS=1 ip netns exec "$NS" bash "$0" "$@"
	exit $?
fi

require_chain_binaries
start=$(date +%s)
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK/pids" "$OUT"
MAIN_ID=benchmain-1 PLAIN_ID=plain-1
MAIN_HOME="$WORK/main" PLAIN_HOME="$WORK/plain"
MAIN_RPC="$(node_rpc 0)" PLAIN_RPC="$(node_rpc 100)"
SAMPLER_PID=""

cleanup() {
	local f
	[[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
	for f in "$WORK"/pids/*.pid; do
		[[ -e "$f" ]] && stop_pidfile "$f" 20
	done
	# Keep the logs; the homes (and their keyrings) go.
	cp "$WORK"/*.log "$OUT"/ 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
[[ -n "${NODEBENCH_IN_NS:-}" ]] || check_ports_free 26657 26656 9090 1317 26660 26757 26756 9190 1417 26760

log "building bench/nodeload"
go build -o "$BUILD_DIR/nodeload" ./bench/nodeload
LOAD="$BUILD_DIR/nodeload"

log "main chain $MAIN_ID with $ACCOUNTS load subchains and accounts, and the plain subchain $PLAIN_ID"
init_chain "$MAIN_BIN" "$MAIN_ID" "$MAIN_HOME" umain 0 "$WORK/keys/main" admin org-a-admin org-a-monitor org-b-admin
addr() { cat "$WORK/keys/main/$1.address"; }
"$LOAD" genesis -genesis "$MAIN_HOME/config/genesis.json" -accounts "$ACCOUNTS" -admin "$(addr admin)" \
	-plain-chain "$PLAIN_ID" -plain-interval 15s \
	-org "org-a:$(addr org-a-admin):$(addr org-a-monitor)" -org "org-b:$(addr org-b-admin)"
"$MAIN_BIN" genesis validate --home "$MAIN_HOME" >/dev/null || die "the edited genesis of $MAIN_ID does not validate"
if [[ "${BENCH_NODE_PPROF:-0}" == 1 ]]; then
	toml_set "$MAIN_HOME/config/config.toml" 'rpc.pprof_laddr="127.0.0.1:6060"'
fi
init_chain "$MAIN_BIN" "$PLAIN_ID" "$PLAIN_HOME" umain 100 "$WORK/keys/plain"

start_node "$MAIN_BIN" "$MAIN_HOME" "$WORK/main.log" "$WORK/pids/main.pid"
start_node "$MAIN_BIN" "$PLAIN_HOME" "$WORK/plain.log" "$WORK/pids/plain.pid"
wait_for_height "$MAIN_BIN" "$MAIN_RPC" 2 90 "$WORK/pids/main.pid" || die "$MAIN_ID did not start (log: $WORK/main.log)"
wait_for_height "$MAIN_BIN" "$PLAIN_RPC" 2 90 "$WORK/pids/plain.pid" || die "$PLAIN_ID did not start (log: $WORK/plain.log)"
pid_of() { sed -n 1p "$WORK/pids/$1.pid"; }

# Every second, for each process: epoch ms, name, utime+stime ticks, VmHWM kB.
sample() {
	local name pid ticks hwm
	while :; do
		for name in main watcher reporter; do
			[[ -f "$WORK/pids/$name.pid" ]] || continue
			pid="$(pid_of "$name")"
			ticks="$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)" || continue
			hwm="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" || continue
			echo "$(date +%s%3N) $name $ticks $hwm"
		done
		sleep 1
	done
}
sample >"$OUT/samples.txt" &
SAMPLER_PID=$!

# phase NAME: one nodeload run; its summary in $OUT/node-NAME.txt.
phase() {
	local prof=""
	log "phase $1: $ACCOUNTS accounts, window of $BLOCKS blocks"
	if [[ "${BENCH_NODE_PPROF:-0}" == 1 ]]; then
		(sleep 15 && curl -s -o "$OUT/node-$1.pprof" "http://127.0.0.1:6060/debug/pprof/profile?seconds=20") &
		prof=$!
	fi
	"$LOAD" run -rpc "$MAIN_RPC" -chain-id "$MAIN_ID" -accounts "$ACCOUNTS" -phase "$1" -blocks "$BLOCKS" \
		-out "$OUT/node-$1-blocks.tsv" >"$OUT/node-$1.txt" 2> >(tee "$OUT/node-$1.log" >&2)
	[[ -n "$prof" ]] && wait "$prof"
	return 0
}
phase send

log "starting the org reporter and the watcher of $PLAIN_ID"
start_bg "$WORK/pids/reporter.pid" "$WORK/reporter.log" "$MAIN_BIN" reporter start --sub-grpc "127.0.0.1:$(chain_port grpc 100)" \
	--sub-bech32-prefix main --orgs org-a,org-b --poll 1s --heartbeat 1s \
	--from org-a-monitor --keyring-backend test --home "$MAIN_HOME" --node "$MAIN_RPC" --chain-id "$MAIN_ID" \
	--state "$WORK/reporter.json"
start_bg "$WORK/pids/watcher.pid" "$WORK/watcher.log" "$MAIN_BIN" watcher start --org-id org-b --subchain-id "$PLAIN_ID" \
	--main-grpc "127.0.0.1:$(chain_port grpc 0)" --main-rpc "$MAIN_RPC" --sub-grpc "127.0.0.1:$(chain_port grpc 100)" \
	--sub-bech32-prefix main --from org-b-admin --keyring-backend test --home "$MAIN_HOME" --node "$MAIN_RPC" --chain-id "$MAIN_ID" \
	--state "$WORK/watcher.json"
sleep 5
for d in reporter watcher; do
	pid_alive "$WORK/pids/$d.pid" || {
		tail -n 20 "$WORK/$d.log" >&2
		die "the $d exited at once"
	}
done
phase report
load_now="$(cut -d' ' -f1-3 /proc/loadavg)"
kill "$SAMPLER_PID" 2>/dev/null
SAMPLER_PID=""

# ---------------------------------------------------------------- figures
val() { awk -v k="$2" '$1 == k { print $2 }' "$OUT/node-$1.txt"; }
# cpu NAME FROM_MS TO_MS: the process's CPU ms per wall second between the
# first sample at or after FROM and the last at or before TO.
cpu() {
	awk -v n="$1" -v a="$2" -v b="$3" -v hz="$(getconf CLK_TCK)" '$2 == n && $1 >= a && $1 <= b {
		if (t0 == "") { t0 = $1; c0 = $3 } t1 = $1; c1 = $3 }
		END { print (t1 > t0 ? (c1 - c0) * 1000 / hz / ((t1 - t0) / 1000) : "NaN") }' "$OUT/samples.txt"
}
# hwm NAME TO_MS: VmHWM (MiB) at the last sample at or before TO.
hwm() { awk -v n="$1" -v b="$2" '$2 == n && $1 <= b { h = $4 } END { print (h == "" ? "NaN" : h / 1024) }' "$OUT/samples.txt"; }

# The format of scripts/bench.sh's fig and abs; fig_ge is fig with the goal a floor.
fig() {
	awk -v l="$1" -v v="$2" -v pl="$3" -v p="$4" -v g="$5" 'BEGIN {
		r = (p == 0 ? (v == 0 ? 1 : 1e9) : v / p); printf "%-58s %12.0f  vs %-26s %12.0f  = %6.2fx  goal <= %.2fx  %s\n", l, v, pl, p, r, g, (r <= g ? "MET" : "MISSED") }'
}
fig_ge() {
	awk -v l="$1" -v v="$2" -v pl="$3" -v p="$4" -v g="$5" 'BEGIN {
		r = (p == 0 ? (v == 0 ? 1 : 1e9) : v / p); printf "%-58s %12.0f  vs %-26s %12.0f  = %6.2fx  goal >= %.2fx  %s\n", l, v, pl, p, r, g, (r >= g ? "MET" : "MISSED") }'
}
info() { printf "%-58s %s\n" "$1" "$2"; }

a_from=$(val send open_unix_ms) a_to=$(val send close_unix_ms)
b_from=$(val report open_unix_ms) b_to=$(val report close_unix_ms)
cp "$WORK"/*.log "$OUT"/ 2>/dev/null || true
checked=$(grep -c 'matches this chain' "$OUT/watcher.log" || true)
disputed=$(grep -c 'disputed' "$OUT/watcher.log" || true)
recorded=$(grep -c ' recorded (tx ' "$OUT/reporter.log" || true)

echo
echo "statuscollect node benchmarks (figures 3 and 9), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at the end $load_now"
echo
echo "3. txs a single-validator main chain includes per second, sent by $ACCOUNTS accounts through its RPC; peer: bank sends, same node, same run"
fig_ge "3  reports/s included (MsgSubmitStatus, $BLOCKS blocks)" "$(val report included_per_s)" "bank sends/s included" "$(val send included_per_s)" 0.8
for p in send report; do
	info "3  $p: offered, admitted by CheckTx, per s" "$(val $p offered_per_s) broadcasts/s, $(val $p admitted_per_s) admitted/s, $(val $p mempool_full_per_s) 'mempool is full'/s; mempool min $(val $p mempool_min), mean $(val $p mempool_mean) txs"
	info "3  $p: window" "$(val $p included) txs in $(val $p blocks) blocks, $(val $p seconds) s ($(awk -v s="$(val $p seconds)" -v b="$(val $p blocks)" 'BEGIN { printf "%.2f", s / b }') s a block); gas limit $(val $p gas_per_tx) a tx; failed in block $(val $p load_failed), refused $(val $p send_errors)"
done
echo
echo "9. the daemons while the main chain takes reports (phase B); peer: the main-chain node, same window"
node_cpu=$(cpu main "$b_from" "$b_to") node_hwm=$(hwm main "$b_to")
fig "9  watcher CPU ms per s (1 real subchain, $ACCOUNTS more reporting)" "$(cpu watcher "$b_from" "$b_to")" "node CPU ms per s" "$node_cpu" 0 | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
fig "9  reporter CPU ms per s (reporting every ~1 s)" "$(cpu reporter "$b_from" "$b_to")" "node CPU ms per s" "$node_cpu" 0 | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
fig "9  watcher peak RSS MiB (VmHWM)" "$(hwm watcher "$b_to")" "node peak RSS MiB" "$node_hwm" 0 | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
fig "9  reporter peak RSS MiB (VmHWM)" "$(hwm reporter "$b_to")" "node peak RSS MiB" "$node_hwm" 0 | sed 's/goal <= 0.00x  MISSED/(no goal)/; s/goal <= 0.00x  MET/(no goal)/'
info "9  node CPU ms per s in phase A (bank sends)" "$(cpu main "$a_from" "$a_to" | awk '{ printf "%.0f", $1 }')"
info "9  what the daemons did" "reporter: $recorded report(s) of $PLAIN_ID recorded; watcher: $checked checked and matching, $disputed disputed (they ran in phase B only)"
echo
echo "wall time: $(($(date +%s) - start)) s; raw output in ${OUT#"$REPO_ROOT"/}/"
