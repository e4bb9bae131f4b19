#!/usr/bin/env bash
# The localnet as a newcomer meets it, stopped again at the end (make e2e
# runs this after scripts/e2e.sh):
#   1. `scripts/localnet.sh` with its defaults starts the org reporters, the
#      watchers and Prometheus, and every subchain, gateway-c included, is
#      ACTIVE within LOCALNET_ACTIVE_WAIT (60 s here) of the localnet being up,
#      with no step by hand;
#   2. Prometheus scrapes every node (CometBFT metrics and app telemetry) and
#      every daemon, has loaded the kit's alert rules, and none fires on the
#      healthy network; the REST server's Swagger page is on;
#   3. `make localnet-status` prints the health table;
#   4. every command block of docs/getting-started.md runs as written
#      (scripts/getting-started.sh: queries, REST, the status page, the Go and
#      the TypeScript client examples).
#
# Usage: bash scripts/operator-e2e.sh
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

require_chain_binaries
require_rly
command -v prometheus >/dev/null 2>&1 || die "prometheus is not installed (make deps installs it)"

STEP="starting the localnet"
LOCALNET_UP=0
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	((rc == 0)) || log "operator e2e FAILED while $STEP (exit $rc)"
	if ((LOCALNET_UP == 1)); then
		bash "$REPO_ROOT/scripts/localnet-stop.sh" || rc=1
	fi
	((rc == 0)) || errors_noted_last "operator e2e" "$STEP" "$rc"
	rm -f "$ERRORS_FILE"
	exit "$rc"
}
ERRORS_FILE="$(mktemp "${TMPDIR:-/tmp}/operator-e2e-errors.XXXXXX")"
export ERRORS_FILE
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

refuse_if_localnet_running
T0=$SECONDS
LOCALNET_UP=1
out="$(LOCALNET_ACTIVE_WAIT=60 bash "$REPO_ROOT/scripts/localnet.sh" 2>&1)" || {
	printf '%s\n' "$out" | tail -n 30 >&2
	die "the localnet did not start"
}
printf '%s\n' "$out" | sed -n '/^localnet is up/,$p'
T_LOCALNET=$((SECONDS - T0))
STEP="checking every subchain is ACTIVE"
active="$(printf '%s\n' "$out" | grep -o 'every subchain ACTIVE [0-9]*s after the localnet was up')" ||
	die "not every subchain was ACTIVE within 60s of the localnet being up (output above)"
log "$active"

SUMMARY="$LOCALNET_DIR/localnet.json"
PROM="$(scnet json --file "$SUMMARY" --first 'services[kind=prometheus].url')"
MAIN_ID="$(json_get main_chain <"$SUMMARY")"
MAIN_API="http://127.0.0.1:$(localnet_chain "$MAIN_ID" ports.api)"

STEP="checking Prometheus ($PROM)"
# prom_state: "UP TOTAL RULES FIRING" as Prometheus sees them now.
prom_state() {
	local targets rules firing
	targets="$(curl -fsS --max-time 5 "$PROM/api/v1/targets?state=active" | scnet json 'data.activeTargets[health=up]#' 'data.activeTargets[]#')" &&
		rules="$(curl -fsS --max-time 5 "$PROM/api/v1/rules" | scnet json 'data.groups[].rules[type=alerting]#')" &&
		firing="$(curl -fsS --max-time 5 "$PROM/api/v1/alerts" | scnet json --join , 'data.alerts[state=firing].labels.alertname')" &&
		echo "$targets $rules ${firing:--}"
}
want_rules="$(grep -c -- '- alert:' "$REPO_ROOT/monitoring/prometheus/alerts.yml")"
nodes="$(scnet json --file "$SUMMARY" 'chains[].nodes[]#')"
daemons="$(scnet json --file "$SUMMARY" 'services[kind!=prometheus]#')"
want_targets=$((2 * nodes + daemons))
t=$SECONDS
while :; do
	read -r up total rules firing <<<"$(prom_state)" || die "Prometheus does not answer at $PROM"
	((up == want_targets && total == want_targets && rules == want_rules)) && break
	((SECONDS - t < 60)) || die "after 60s Prometheus has $up of $total targets up (want $want_targets: $nodes nodes twice, $daemons daemons) and $rules alert rules (want $want_rules)"
	sleep 2
done
[[ "$firing" == - ]] || die "alerts fire on a healthy localnet: $firing"
log "Prometheus: $up of $want_targets targets up ($nodes nodes' CometBFT metrics and app telemetry, $daemons daemons), $rules alert rules loaded, none firing"
code="$(curl -s -o /dev/null -w '%{http_code}' "$MAIN_API/swagger/")"
[[ "$code" == 200 ]] || die "the main chain's Swagger page $MAIN_API/swagger/ answers $code"
log "Swagger page on $MAIN_API/swagger/"

STEP="make localnet-status"
bash "$REPO_ROOT/scripts/localnet-status.sh" >/dev/null || die "scripts/localnet-status.sh failed"

STEP="running the getting-started guide (scripts/getting-started.sh)"
t=$SECONDS
bash "$REPO_ROOT/scripts/getting-started.sh"
T_GUIDE=$((SECONDS - t))

STEP="stopping the localnet"
log "operator e2e PASSED in $((SECONDS - T0))s (localnet with its daemons and Prometheus up in ${T_LOCALNET}s; the guide ${T_GUIDE}s)"
