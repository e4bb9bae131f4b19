#!/usr/bin/env bash
# Run the fault scenarios of scripts/faults/ one after another, each on its
# own fresh localnet, and print each one's result, figures and wall time.
# Exits non-zero if any failed (the others still run).
#
# Usage: bash scripts/faults/all.sh [SCENARIO...]   (default: all, in order)
#        FAULTS="relayer-down subchain-halt" bash scripts/faults/all.sh
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

ORDER=(relayer-down subchain-halt main-node-restart main-validator-down client-expiry watcher-incident reporter-incident upgrade main-upgrade prune)
if (($# > 0)); then
	ORDER=("$@")
elif [[ -n "${FAULTS:-}" ]]; then
	read -ra ORDER <<<"$FAULTS"
fi
for s in "${ORDER[@]}"; do
	[[ -f "$REPO_ROOT/scripts/faults/$s.sh" ]] || die "no fault scenario '$s' (scripts/faults/$s.sh)"
done
refuse_if_localnet_running

OUT_DIR="$LOCALNET_DIR/faults"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
declare -A RESULT SECS
T0=$SECONDS
failed=0
for s in "${ORDER[@]}"; do
	log "===== fault scenario $s ====="
	t=$SECONDS
	if bash "$REPO_ROOT/scripts/faults/$s.sh" 2>&1 | tee "$OUT_DIR/$s.log"; then
		RESULT[$s]=PASSED
	else
		RESULT[$s]=FAILED
		failed=1
	fi
	SECS[$s]=$((SECONDS - t))
done

echo
echo "== fault scenarios ($((SECONDS - T0))s in all; logs in $OUT_DIR)"
for s in "${ORDER[@]}"; do
	printf '   %-20s %s in %ss\n' "$s" "${RESULT[$s]}" "${SECS[$s]}"
	sed -n '/^== fault scenario .*: PASSED/,$p' "$OUT_DIR/$s.log" | grep '^   ' | sed 's/^/   /'
	if [[ "${RESULT[$s]}" == FAILED ]]; then
		# Why, here at the end, where a report that keeps the last lines sees it.
		grep -E '\] (ERROR|WARNING): |FAILED while' "$OUT_DIR/$s.log" | tail -n 8 | sed 's/^/      /' || true
	fi
done
exit "$failed"
