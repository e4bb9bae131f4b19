#!/usr/bin/env bash
# Run the growth procedures of scripts/grow/ one after another on one fresh
# localnet (started here, stopped at the end), and print each one's result,
# figures and wall time. Exits non-zero if any failed (the others still run:
# each cleans up what it started).
#
# Usage: bash scripts/grow/all.sh [PROCEDURE...]   (default: all, in order)
#        GROW="org-join subchain-join" bash scripts/grow/all.sh
#        GROW_LOCALNET="LOCALNET_VALIDATORS=1" bash scripts/grow/all.sh   (the localnet's knobs)
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

ORDER=(org-join validator-join subchain-join)
if (($# > 0)); then
	ORDER=("$@")
elif [[ -n "${GROW:-}" ]]; then
	read -ra ORDER <<<"$GROW"
fi
for s in "${ORDER[@]}"; do
	[[ "$s" != all && "$s" != lib && -f "$REPO_ROOT/scripts/grow/$s.sh" ]] || die "no growth procedure '$s' (scripts/grow/$s.sh)"
done
refuse_if_localnet_running

OUT_DIR="$LOCALNET_DIR/grow"
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	bash "$REPO_ROOT/scripts/localnet-stop.sh" >/dev/null 2>&1 || {
		warn "could not stop the localnet"
		rc=1
	}
	exit "$rc"
}
T0=$SECONDS
read -ra knobs <<<"${GROW_LOCALNET:-}"
log "starting a fresh localnet${knobs[*]:+ with ${knobs[*]}}"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! env "${knobs[@]}" bash "$REPO_ROOT/scripts/localnet.sh" >"${TMPDIR:-/tmp}/grow-localnet.out" 2>&1; then
	tail -n 30 "${TMPDIR:-/tmp}/grow-localnet.out" >&2
	die "the localnet did not start"
fi
LOCALNET_SECS=$((SECONDS - T0))
log "localnet up in ${LOCALNET_SECS}s"
mkdir -p "$OUT_DIR"

declare -A RESULT SECS
failed=0
for s in "${ORDER[@]}"; do
	log "===== growth procedure $s ====="
	t=$SECONDS
	if bash "$REPO_ROOT/scripts/grow/$s.sh" 2>&1 | tee "$OUT_DIR/$s.log"; then
		RESULT[$s]=PASSED
	else
		RESULT[$s]=FAILED
		failed=1
	fi
	SECS[$s]=$((SECONDS - t))
done

echo
echo "== growth procedures ($((SECONDS - T0))s in all, localnet start ${LOCALNET_SECS}s; logs in $OUT_DIR)"
for s in "${ORDER[@]}"; do
	printf '   %-16s %s in %ss\n' "$s" "${RESULT[$s]}" "${SECS[$s]}"
	sed -n '/^== growth procedure .*: PASSED/,$p' "$OUT_DIR/$s.log" | grep '^   ' | grep -v 'wall time' | sed 's/^/   /'
done
exit "$failed"
