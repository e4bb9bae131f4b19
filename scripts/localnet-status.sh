#!/usr/bin/env bash
# The running localnet's health at a glance: the main chain's overview table
# (every subchain's liveness, countdown, orgs, nodes, contracts, link), each
# service the localnet started (org reporters, watchers, Prometheus) with
# whether it runs and its last log line, and what Prometheus sees (targets
# up, alerts firing).
#
# Usage: bash scripts/localnet-status.sh          (make localnet-status)
#        bash scripts/localnet-status.sh --wait-active 60
#            first wait up to 60 s for every subchain to be ACTIVE; exit 1 if
#            one is not by then (scripts/localnet.sh does this when it has
#            started the daemons)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

WAIT=0
if [[ "${1:-}" == --wait-active ]]; then
	WAIT="${2:-}"
	[[ "$WAIT" =~ ^[0-9]+$ ]] || die "--wait-active takes a number of seconds"
elif [[ $# -gt 0 ]]; then
	die "usage: $0 [--wait-active SECONDS]"
fi

SUMMARY="$LOCALNET_DIR/localnet.json"
[[ -f "$SUMMARY" ]] || die "no localnet summary at $SUMMARY: start one with make localnet"
MAIN_BIN="$BUILD_DIR/mainchaind"
MAIN_RPC="$(json_get chains.0.rpc <"$SUMMARY")"
"$MAIN_BIN" status --node "$MAIN_RPC" >/dev/null 2>&1 || die "the main chain's node $MAIN_RPC does not answer: is the localnet running?"

# not_active: the subchains that are not ACTIVE, one per line.
not_active() {
	"$MAIN_BIN" q statuscollect overview --node "$MAIN_RPC" -o json |
		scnet json 'subchains[subchain.liveness!=LIVENESS_ACTIVE].subchain.chain_id'
}

rc=0
if ((WAIT > 0)); then
	t0=$SECONDS
	while left="$(not_active)" && [[ -n "$left" ]] && ((SECONDS - t0 < WAIT)); do sleep 2; done
	if [[ -n "$left" ]]; then
		echo "not ACTIVE after ${WAIT}s: $(tr '\n' ' ' <<<"$left")" >&2
		rc=1
	else
		echo "every subchain ACTIVE $((SECONDS - t0))s after the localnet was up"
	fi
fi

echo
echo "Subchains, as the main chain $(json_get main_chain <"$SUMMARY") records them:"
"$MAIN_BIN" q statuscollect overview --node "$MAIN_RPC" | sed 's/^/  /'

echo
echo "Services:"
# service FIELD: FIELD of service $i in the summary ("" if it has none).
service() { scnet json --file "$SUMMARY" --or '' "services.$i.$1"; }
n_services="$(scnet json --file "$SUMMARY" 'services[]#')"
((n_services > 0)) || echo "  none (started with LOCALNET_DAEMONS=0 and LOCALNET_PROMETHEUS=0, or Prometheus not installed)"
for ((i = 0; i < n_services; i++)); do
	state=stopped
	pid_alive "$(service pid_file)" && state=running
	log_file="$(service log)"
	last="$(tail -c 4096 "$log_file" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c 1-110)" || last=""
	where="$(service metrics)"
	printf '  %-24s %-8s %-22s %s\n' "$(service name)" "$state" "${where:-$(service url)}" "$last"
done

prom="$(scnet json --file "$SUMMARY" --first --or '' 'services[kind=prometheus].url')"
if [[ -n "$prom" ]]; then
	echo
	echo "Prometheus ($prom):"
	if targets="$(curl -fsS --max-time 5 "$prom/api/v1/targets?state=active")" && alerts="$(curl -fsS --max-time 5 "$prom/api/v1/alerts")"; then
		scnet prometheus-summary "$targets" "$alerts"
	else
		echo "  does not answer"
	fi
fi
exit "$rc"
