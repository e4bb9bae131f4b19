# shellcheck shell=bash
# How the benchmark scripts (bench.sh, bench-node.sh, bench-latency.sh) print
# a figure: one line each, its value beside its peer's from the same run and
# its goal, in the same columns. Source it; it defines functions only.

# fig LABEL VALUE PEER_LABEL PEER GOAL: the ratio VALUE/PEER against "<= GOAL".
fig() { _bench_ratio "$@" "<="; }
# fig_ge LABEL VALUE PEER_LABEL PEER GOAL: the ratio VALUE/PEER against ">= GOAL".
fig_ge() { _bench_ratio "$@" ">="; }
_bench_ratio() {
	awk -v l="$1" -v v="$2" -v pl="$3" -v p="$4" -v g="$5" -v op="$6" 'BEGIN {
		r = (p == 0 ? (v == 0 ? 1 : 1e9) : v / p); met = (op == "<=" ? r <= g : r >= g)
		printf "%-58s %12.0f  vs %-26s %12.0f  = %6.2fx  goal %s %.2fx  %s\n", l, v, pl, p, r, op, g, (met ? "MET" : "MISSED") }'
}
# abs LABEL VALUE UNIT GOAL: an absolute figure against "<= GOAL".
abs() {
	awk -v l="$1" -v v="$2" -v u="$3" -v g="$4" 'BEGIN {
		printf "%-58s %12.0f %-6s goal <= %-38s %s\n", l, v, u, g " " u, (g == "" ? "" : (v <= g ? "MET" : "MISSED")) }'
}
# info LABEL TEXT: a line of information, in the same columns.
info() { printf "%-58s %s\n" "$1" "$2"; }
