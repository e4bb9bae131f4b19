#!/usr/bin/env bash
# Run every Go fuzz target of the status modules' keepers, one after another,
# each for a bounded time, and print how many inputs each executed.
#
# Usage: bash scripts/fuzz.sh                      (each target for 15s)
#        FUZZTIME=1m bash scripts/fuzz.sh          (any `go test -fuzztime` value: 30s, 2m, 10000x)
#        FUZZ_TARGETS='Recv|Submit' bash scripts/fuzz.sh   (only targets matching an extended regexp)
#
# Environment:
#   FUZZTIME          how long each target runs (default 15s)
#   FUZZMINIMIZETIME  how long the fuzzer may spend minimizing one input
#                     (default 100x, i.e. 100 runs; go's default of 60s would
#                     eat most of a short run, as every input that finds new
#                     coverage is minimized before fuzzing resumes)
#   FUZZ_PARALLEL     fuzzing workers per target (default: go's, GOMAXPROCS)
#   FUZZ_PKGS         packages to take targets from (default: the collector's
#                     and the reporter's keeper)
#   FUZZ_TARGETS      extended regexp a target's name must match (default: all)
#
# A target fails on a panic or a broken property; go then writes the failing
# input to <pkg>/testdata/fuzz/<Target>/ and prints how to re-run it. The
# script runs the other targets anyway and exits 1 if any failed. Plain
# `go test` of the packages runs the committed seeds under testdata/fuzz/
# without fuzzing.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

FUZZTIME="${FUZZTIME:-15s}"
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-100x}"
FUZZ_PARALLEL="${FUZZ_PARALLEL:-}"
FUZZ_TARGETS="${FUZZ_TARGETS:-.}"
read -r -a PKGS <<<"${FUZZ_PKGS:-./x/statuscollect/collector/keeper ./x/statuscollect/reporter/keeper}"

require_cmd go "Install Go 1.24 or newer."
cd "$REPO_ROOT"

extra=()
[[ -n "$FUZZ_PARALLEL" ]] && extra+=(-parallel "$FUZZ_PARALLEL")

out="$(mktemp)"
trap 'rm -f "$out"' EXIT

summary=()
failed=0
total=0
for pkg in "${PKGS[@]}"; do
	# `go test -list` prints the package's tests and targets, then "ok ...".
	mapfile -t targets < <(go test "$pkg" -list '^Fuzz' | grep -E '^Fuzz' | grep -E -- "$FUZZ_TARGETS" || true)
	[[ ${#targets[@]} -gt 0 ]] || continue
	for target in "${targets[@]}"; do
		total=$((total + 1))
		for attempt in 1 2; do
			log "fuzzing $pkg $target for $FUZZTIME"
			set +e
			go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" \
				-fuzzminimizetime "$FUZZMINIMIZETIME" "${extra[@]}" 2>&1 | tee "$out"
			rc=${PIPESTATUS[0]}
			set -e
			# Go's fuzzer can end a run with "context deadline exceeded" when
			# fuzztime runs out while a worker is busy, with no failing input
			# found or written. That is the tool's, not the target's: run the
			# target once more. A real failure writes its input and fails again.
			if [[ $rc -ne 0 && $attempt -eq 1 ]] && grep -q '^    context deadline exceeded$' "$out" &&
				! grep -q 'Failing input written' "$out"; then
				warn "$target: go's fuzzer timed out at the end of the run with no failing input; running it again"
				continue
			fi
			break
		done
		# go prints "fuzz: elapsed: 15s, execs: 4562 (304/sec), new interesting: ..."
		# every few seconds and once at the end; the last one is the total.
		last="$(grep -E '^fuzz: elapsed: .*, execs: [0-9]+' "$out" | tail -n1 || true)"
		execs="$(sed -E 's/.*, execs: ([0-9]+).*/\1/' <<<"$last")"
		[[ -n "$last" ]] || { last="(no "execs:" line in go's output)" && execs="-"; }
		result=PASS
		if [[ $rc -ne 0 ]]; then
			result=FAIL
			failed=$((failed + 1))
		fi
		summary+=("$(printf '%s  %-24s execs: %-8s %s' "$result" "$target" "$execs" "$last")")
	done
done

[[ $total -gt 0 ]] || die "no fuzz target matches '$FUZZ_TARGETS' in ${PKGS[*]}"

echo
echo "fuzz summary (FUZZTIME=$FUZZTIME per target):"
printf '  %s\n' "${summary[@]}"
if [[ $failed -gt 0 ]]; then
	die "$failed of $total fuzz targets failed; their failing inputs are under <pkg>/testdata/fuzz/<Target>/"
fi
log "all $total fuzz targets passed"
