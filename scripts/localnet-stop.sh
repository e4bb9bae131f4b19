#!/usr/bin/env bash
# Stop the local network started by scripts/localnet.sh: exactly the processes
# named by the pid files in .localnet/pids (the relayer first, then the nodes).
# Each gets TERM, then KILL if it is still alive after STOP_TIMEOUT seconds
# (default 20). Safe to run when nothing runs. Leaves the chain data and logs.
#
# Usage: bash scripts/localnet-stop.sh
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

PID_DIR="$LOCALNET_DIR/pids"
TIMEOUT="${STOP_TIMEOUT:-20}"

if [[ ! -d "$PID_DIR" ]] || ! compgen -G "$PID_DIR/*.pid" >/dev/null; then
	log "no localnet running (no pid files in $PID_DIR)"
	exit 0
fi

# The relayer first, so it does not log errors about nodes going away.
if [[ -f "$PID_DIR/rly.pid" ]]; then
	stop_pidfile "$PID_DIR/rly.pid" "$TIMEOUT"
fi

# The nodes in parallel: each waits for its own process.
pids=()
for pidfile in "$PID_DIR"/*.pid; do
	[[ -e "$pidfile" ]] || continue
	stop_pidfile "$pidfile" "$TIMEOUT" &
	pids+=("$!")
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done

left=()
for pidfile in "$PID_DIR"/*.pid; do
	[[ -e "$pidfile" ]] && left+=("$pidfile")
done
((${#left[@]} == 0 && rc == 0)) || die "could not stop everything; left: ${left[*]:-?}"
log "localnet stopped"
