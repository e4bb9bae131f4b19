#!/usr/bin/env bash
# Runs every ```sh block of docs/growth.md, in order, in one shell (the blocks
# build on each other's shorthands and variables), against the running
# localnet: the guide's commands work as written. Run it on a localnet the
# growth procedures have not run on (they use the same org, node and chain
# names): right after 'make localnet'.
#
# The guide starts nodes and a relayer in the background and stops them at
# its end; the run is a process group of its own, so whatever it left running
# when a block fails is stopped too (only that group, by its id).
#
# Usage: bash scripts/grow/docs.sh   (GROW_DOCS_TIMEOUT, seconds, default 900)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
cd "$REPO_ROOT"
DOC=docs/growth.md
LIMIT="${GROW_DOCS_TIMEOUT:-900}"

require_cmd jq "Install it (Debian: 'apt-get install -y jq')."
require_cmd curl "Install it (Debian: 'apt-get install -y curl')."
require_cmd setsid "It comes with util-linux."
[[ -n "$(localnet_running)" ]] || die "no localnet is running: start one with 'make localnet'"

# The guide's new node and chain use these ports and folders: the ports must be
# free (nothing of an earlier run still up), the folders of an earlier run go.
check_ports_free 26897 26896 26957 26956 1617 9390
rm -rf "$LOCALNET_DIR/subchain-b-joiner" "$LOCALNET_DIR/subchain-d" "$LOCALNET_DIR/rly-subchain-d"
if "$MAIN_BIN" q statuscollect org org-c --node tcp://127.0.0.1:26657 >/dev/null 2>&1; then
	die "org-c is registered on the running localnet already (the growth scripts ran on it): start a fresh one"
fi

WORK="$(mktemp -d)"
RUN_PID=""
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	# The guide's shell and whatever it left in the background (its own process group).
	[[ -z "$RUN_PID" ]] || kill -TERM -- "-$RUN_PID" 2>/dev/null || true
	rm -rf "$WORK"
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scnet sh-blocks -- "$DOC" >"$WORK/guide.sh"
log "running the sh blocks of $DOC in one shell (log $LOCALNET_DIR/logs/growth-docs.log, at most ${LIMIT}s)"
T0=$SECONDS
setsid bash "$WORK/guide.sh" >"$LOCALNET_DIR/logs/growth-docs.log" 2>&1 &
RUN_PID=$!
while kill -0 "$RUN_PID" 2>/dev/null; do
	if ((SECONDS - T0 >= LIMIT)); then
		tail -n 30 "$LOCALNET_DIR/logs/growth-docs.log" >&2
		die "$DOC did not run through within ${LIMIT}s"
	fi
	sleep 2
done
if ! wait "$RUN_PID"; then
	tail -n 40 "$LOCALNET_DIR/logs/growth-docs.log" >&2
	die "$(grep '^=== block' "$LOCALNET_DIR/logs/growth-docs.log" | tail -n 1) of $DOC failed (above)"
fi
grep '^=== ' "$LOCALNET_DIR/logs/growth-docs.log" >&2
log "every command of $DOC ran, in $((SECONDS - T0))s"
