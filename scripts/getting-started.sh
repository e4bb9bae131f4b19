#!/usr/bin/env bash
# Runs every ```sh block of docs/getting-started.md, in order, against the
# running localnet, each with a time limit, and fails on the first that fails:
# the guide's commands work as written.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
cd "$REPO_ROOT"
doc=docs/getting-started.md
limit="${GETTING_STARTED_BLOCK_TIMEOUT:-300}"

blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
scnet sh-blocks "$doc" "$blocks"
n=0
for f in "$blocks"/*.sh; do
	n=$((n + 1))
	echo "=== getting-started block $n"
	sed 's/^/  | /' "$f"
	start=$(date +%s)
	if ! out="$(timeout "$limit" bash -euo pipefail "$f" 2>&1)"; then
		printf '%s\n' "$out" | tail -n 30
		echo "FAIL: block $n of $doc (above) failed" >&2
		exit 1
	fi
	printf '%s\n' "$out" | head -n 40 | sed 's/^/  > /'
	echo "  ok ($(($(date +%s) - start))s)"
done
[[ $n -gt 0 ]] || { echo "no sh blocks in $doc" >&2; exit 1; }
echo "getting-started: all $n blocks of $doc ran"
