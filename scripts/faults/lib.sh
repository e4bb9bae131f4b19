# shellcheck shell=bash
# Shared helpers of the fault scenarios in scripts/faults/. Source it from a
# scenario, after setting FAULT (the scenario's name):
#
#   FAULT=relayer-down
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It sources scripts/lib.sh, defines helpers and starts nothing. A scenario
# calls fault_localnet_up (which starts a fresh localnet and sets the trap that
# stops it, and every daemon registered with fault_track, whatever happens),
# prints what it checks with check/figure, and ends with fault_pass.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

SUMMARY="$LOCALNET_DIR/localnet.json"
FAULT_LOG_DIR="$LOCALNET_DIR/logs"
FAULT_T0=$SECONDS
FAULT_STEP="starting"
FAULT_LOCALNET=0
FAULT_PIDS=()    # daemons started by the scenario (pids), stopped on exit
FAULT_FIGURES=() # "what: value" lines, printed again at the end
FAULT_CHECKS=0
FAULT_CLEANUPS=() # commands run on exit, last registered first (fault_cleanup)
# What the summary calls a run of this file's scripts (scripts/grow/ uses it too).
FAULT_KIND="${FAULT_KIND:-fault scenario}"

require_chain_binaries
require_rly
require_cmd curl "Install it (Debian: 'apt-get install -y curl')."

step() {
	FAULT_STEP="$*"
	log "[$FAULT] $*"
}

# check WHAT: a check passed (the caller has tested it); print and count it.
check() {
	FAULT_CHECKS=$((FAULT_CHECKS + 1))
	printf '[%s] [%s] CHECK ok: %s\n' "$(date +%H:%M:%S)" "$FAULT" "$*" >&2
}

# figure WHAT VALUE: a measured figure; printed now and in the summary.
figure() {
	FAULT_FIGURES+=("$1: $2")
	printf '[%s] [%s] FIGURE %s: %s\n' "$(date +%H:%M:%S)" "$FAULT" "$1" "$2" >&2
}

# fail WHY: the scenario failed.
fail() { die "[$FAULT] FAILED: $*"; }

# fault_track PID: a daemon the exit trap must stop.
fault_track() { FAULT_PIDS+=("$1"); }

# fault_cleanup CMD...: a command the exit trap runs (before it stops the
# localnet it started), whatever happens; the last registered runs first.
fault_cleanup() { FAULT_CLEANUPS+=("$(printf '%q ' "$@")"); }

_fault_exit() {
	local rc=$? pid f i
	trap - EXIT INT TERM
	for ((i = ${#FAULT_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${FAULT_CLEANUPS[i]}" || warn "cleanup '${FAULT_CLEANUPS[i]}' failed"
	done
	for pid in "${FAULT_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	if ((rc != 0)); then
		log "[$FAULT] FAILED while $FAULT_STEP (exit $rc) after $((SECONDS - FAULT_T0))s"
		if ((FAULT_LOCALNET == 1)) && [[ -n "${FAULT_MARK:-}" ]]; then
			# The relayer's and the daemons' logs; the nodes' are only named.
			for f in "$FAULT_LOG_DIR"/rly.log "$FAULT_LOG_DIR"/*watcher*.log "$FAULT_LOG_DIR"/reporter*.log; do
				[[ -f "$f" && "$f" -nt "$FAULT_MARK" ]] || continue
				echo "----- last 15 lines of $f -----" >&2
				tail -n 15 "$f" >&2 || true
			done
			echo "----- node logs: $FAULT_LOG_DIR/<chain-id>[-node<i>].log" >&2
		fi
	fi
	if ((FAULT_LOCALNET == 1)) && [[ "${FAULT_KEEP:-0}" != 1 ]]; then
		bash "$REPO_ROOT/scripts/localnet-stop.sh" >/dev/null 2>&1 || {
			warn "could not stop the localnet"
			rc=1
		}
	fi
	[[ -z "${FAULT_MARK:-}" ]] || rm -f "$FAULT_MARK"
	exit "$rc"
}

# fault_localnet_up [VAR=VALUE...]: start a fresh localnet with these knobs
# (scripts/localnet.sh) and set the trap that stops it again. Refuses if a
# localnet already runs: a scenario stops only what it started.
fault_localnet_up() {
	refuse_if_localnet_running
	trap _fault_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	FAULT_MARK="$(mktemp "${TMPDIR:-/tmp}/fault-mark.XXXXXX")"
	step "starting a fresh localnet${*:+ with $*}"
	local t=$SECONDS
	FAULT_LOCALNET=1
	# This scenario's daemon state files of an earlier run (the daemons would set them aside anyway).
	rm -f "$LOCALNET_DIR"/*-"$FAULT"-*.json "$LOCALNET_DIR"/*-"$FAULT"-*.json.stale
	# Without the localnet's own daemons: each scenario starts those it needs.
	env LOCALNET_DAEMONS=0 "$@" bash "$REPO_ROOT/scripts/localnet.sh" >"${TMPDIR:-/tmp}/fault-$FAULT-localnet.out" 2>&1 || {
		tail -n 30 "${TMPDIR:-/tmp}/fault-$FAULT-localnet.out" >&2
		fail "the localnet did not start"
	}
	FAULT_LOCALNET_SECS=$((SECONDS - t))
	log "[$FAULT] localnet up in ${FAULT_LOCALNET_SECS}s"
	_fault_main_vars
}

# fault_localnet_attach: use the localnet that runs (and leave it running), set
# the exit trap. Fails if none runs.
fault_localnet_attach() {
	[[ -n "$(localnet_running)" && -f "$SUMMARY" ]] || fail "no localnet is running (start one with 'make localnet')"
	trap _fault_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	FAULT_MARK="$(mktemp "${TMPDIR:-/tmp}/fault-mark.XXXXXX")"
	log "[$FAULT] using the running localnet ($SUMMARY)"
	_fault_main_vars
}

# _fault_main_vars: the main chain's id, binary, home and RPC from the summary.
_fault_main_vars() {
	MAIN_ID="$(scnet summary --summary "$SUMMARY" -- main_chain)"
	MAIN_BIN_P="$(localnet_chain "$MAIN_ID" binary)"
	MAIN_HOME="$(localnet_chain "$MAIN_ID" home)"
	MAIN_RPC="$(localnet_chain "$MAIN_ID" rpc)"
	MAIN_RPC_HTTP="http://127.0.0.1:$(localnet_chain "$MAIN_ID" ports.rpc)"
	FAULT_T_SCENARIO=$SECONDS
}

# fault_pass: print the summary and the wall times.
fault_pass() {
	local f
	echo
	echo "== $FAULT_KIND $FAULT: PASSED ($FAULT_CHECKS checks)"
	for f in "${FAULT_FIGURES[@]}"; do echo "   $f"; done
	if [[ -n "${FAULT_LOCALNET_SECS:-}" ]]; then
		echo "   wall time: $((SECONDS - FAULT_T0))s (localnet start ${FAULT_LOCALNET_SECS}s, scenario $((SECONDS - ${FAULT_T_SCENARIO:-FAULT_T0}))s)"
	else
		echo "   wall time: $((SECONDS - FAULT_T0))s (on the running localnet)"
	fi
}

# poll_until TIMEOUT WHAT CMD...: run CMD every second until it succeeds; fail
# naming WHAT after TIMEOUT seconds. CMD's stdout of the successful run is printed.
poll_until() {
	local timeout="$1" what="$2" start=$SECONDS out
	shift 2
	while :; do
		if out="$("$@" 2>/dev/null)"; then
			[[ -z "$out" ]] || printf '%s\n' "$out"
			return 0
		fi
		((SECONDS - start < timeout)) || fail "$what: not so after ${timeout}s"
		sleep 1
	done
}

# gov_account BIN RPC: the gov module account of the chain BIN's node at RPC
# serves, the authority of its params and upgrades.
gov_account() {
	"$1" q auth module-account gov --node "$2" --output json | json_get account.value.address 2>/dev/null ||
		"$1" q auth module-account gov --node "$2" --output json | json_get account.base_account.address
}

# pass_proposal BIN RPC HOME CHAIN DENOM TITLE MSG: both validators of CHAIN
# pass a governance proposal of the one message MSG (JSON, its authority the
# gov account); prints the proposal's id. Both votes go at once: a busy
# machine takes long enough per transaction for a second vote sent after the
# first was included to miss the period.
pass_proposal() {
	local bin="$1" rpc="$2" home="$3" chain="$4" denom="$5" title="$6" msg="$7" proposal tx id key i
	local -a votes=()
	proposal="$(mktemp "${TMPDIR:-/tmp}/proposal.XXXXXX.json")"
	cat >"$proposal" <<JSON
{"messages": [$msg],
 "deposit": "10000000$denom", "title": "$title", "summary": "rehearsed by scripts/faults/$FAULT.sh"}
JSON
	tx="$(submit_tx "$bin" "$rpc" "$home" "$chain" gov submit-proposal "$proposal" --from validator)" ||
		fail "the proposal \"$title\" was refused"
	rm -f "$proposal"
	id="$(printf '%s' "$tx" | tx_event_attr submit_proposal proposal_id)" || fail "no proposal id in the proposal's tx"
	for key in validator validator1; do
		submit_tx "$bin" "$rpc" "$home" "$chain" gov vote "$id" yes --from "$key" >/dev/null &
		votes+=("$!")
	done
	for i in 0 1; do wait "${votes[i]}" || fail "a validator's vote on proposal $id was refused"; done
	_passed() { [[ "$("$bin" q gov proposal "$id" --node "$rpc" --output json | json_get proposal.status)" == PROPOSAL_STATUS_PASSED ]]; }
	poll_until 150 "proposal $id passed" _passed >/dev/null
	printf '%s\n' "$id"
}

# pass_upgrade BIN RPC HOME CHAIN DENOM PLAN HEIGHT: both validators of CHAIN
# pass a MsgSoftwareUpgrade for PLAN at HEIGHT; prints the proposal's id.
pass_upgrade() {
	local gov
	gov="$(gov_account "$1" "$2")" || fail "cannot read $4's gov module account"
	pass_proposal "$1" "$2" "$3" "$4" "$5" "Upgrade to $6" "{\"@type\": \"/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade\", \"authority\": \"$gov\",
  \"plan\": {\"name\": \"$6\", \"height\": \"$7\", \"info\": \"\"}}"
}

# nodes_of CHAIN FIELD [SEP]: FIELD (grpc, rpc) of every node of CHAIN, node 0
# first, joined by SEP (default ","): gRPC as host:port, RPC as tcp://host:port.
nodes_of() {
	scnet nodes --summary "$SUMMARY" -- "$1" "$2" "${3:-,}"
}

# main_height: the main chain's height through node 0.
main_height() { chain_height "$MAIN_BIN_P" "$MAIN_RPC"; }

# rpc_get BASE PATH: GET a CometBFT RPC endpoint (http://host:port) and print
# its "result" as JSON.
rpc_get() {
	scnet rpc -- "$1" "$2"
}

# block_events BASE HEIGHT TYPE: the finalize-block events (BeginBlock and
# EndBlock, not a tx's) of TYPE in block HEIGHT, one JSON object of their
# attributes a line (typed-event values decoded from their JSON).
block_events() {
	scnet block-events -- "$1" "$2" "$3"
}

# block_search BASE QUERY: heights of the blocks whose finalize-block events
# match QUERY (CometBFT's block_search), ascending, one a line. Only the first
# 100 blocks (one page), as it always was.
block_search() {
	scnet block-search -- "$1" "$2"
}

# tx_events BINARY NODE QUERY TYPE: the events of TYPE in every tx matching
# QUERY (CometBFT tx_search syntax), in block order, one JSON line each:
# {"height": H, "txhash": ..., "code": C, "msgs": [...], "attrs": {...decoded...}}
# (at most 1,000 pages of 100).
tx_events() {
	scnet tx-events --bin "$1" --node "$2" -- "$3" "$4"
}

# history_json CHAIN [NODE] [HEIGHT]: every report of CHAIN on the main chain
# (paged through, at most 1,000 pages of 100), as one JSON list, read through
# NODE (default node 0), at HEIGHT (default latest).
history_json() {
	local chain="$1" node="${2:-$MAIN_RPC}" height="${3:-}"
	scnet history --bin "$MAIN_BIN_P" --node "$node" ${height:+--height "$height"} -- "$chain"
}

# liveness_of CHAIN: CHAIN's liveness on the main chain (LIVENESS_ACTIVE...).
liveness_of() { subchain_health "$1" | scnet json subchain.liveness; }

# ibc_sequences HIST: the sidecar's packet sequence of each report over IBC
# in the history HIST (JSON), one a line.
ibc_sequences() { printf '%s' "$1" | scnet json '[source.channel_id].source.ibc_sequence'; }

# contracts_after HIST SEQ: the new contracts of the reports after SEQ in the
# history HIST (JSON), in order, space-separated.
contracts_after() { printf '%s' "$1" | scnet json --join ' ' "[sequence>$2].snapshot.new_contracts[].address"; }

# sub_link CHAIN: the sidecar's link of CHAIN as JSON (over REST: the CLI
# prints it as {}).
sub_link() {
	rest_get "http://127.0.0.1:$(localnet_chain "$1" ports.api)/statuscollect/reporter/v1/link" | json_get link
}

# subchain_health CHAIN [NODE]: the main chain's health record of CHAIN (JSON).
subchain_health() {
	"$MAIN_BIN_P" q statuscollect subchain "$1" --node "${2:-$MAIN_RPC}" --output json | json_get health
}

# rly_stop: stop the localnet's relayer (its pid file), waiting until it is gone.
rly_stop() {
	pid_alive "$LOCALNET_DIR/pids/rly.pid" || fail "rly is not running"
	stop_pidfile "$LOCALNET_DIR/pids/rly.pid" 20
	pid_alive "$LOCALNET_DIR/pids/rly.pid" && fail "rly is still running"
	return 0
}

# rly_start [PATH...]: start the relayer again as localnet.sh does (log
# appended; localnet-stop.sh stops it), relaying PATHs (default every path).
rly_start() {
	local home
	home="$(scnet summary --summary "$SUMMARY" -- rly.home)"
	printf '===== %s: rly started again by %s =====\n' "$(date '+%F %T')" "$FAULT" >>"$FAULT_LOG_DIR/rly.log"
	start_bg_append "$LOCALNET_DIR/pids/rly.pid" "$FAULT_LOG_DIR/rly.log" "$RLY_BIN" --home "$home" start "$@" \
		--log-format logfmt ${RLY_START_ARGS:-}
	sleep 1
	pid_alive "$LOCALNET_DIR/pids/rly.pid" || fail "rly exited at once: $(tail -n 5 "$FAULT_LOG_DIR/rly.log")"
}

# wait_ibc_report CHAIN AFTER_SEQ TIMEOUT: wait until the main chain has a
# report of CHAIN over IBC with a sequence above AFTER_SEQ; print "sequence
# main_height".
wait_ibc_report() {
	local chain="$1" after="$2" timeout="$3"
	_latest_ibc() {
		"$MAIN_BIN_P" q statuscollect history "$chain" --page-reverse --page-limit 20 --node "$MAIN_RPC" --output json |
			scnet ibc-report-after -- "$after"
	}
	poll_until "$timeout" "a report of $chain over IBC after sequence $after" _latest_ibc
}

# latest_seq CHAIN: the sequence of CHAIN's latest report on the main chain (0 if none).
latest_seq() {
	"$MAIN_BIN_P" q statuscollect history "$1" --page-reverse --page-limit 1 --node "$MAIN_RPC" --output json |
		scnet latest-seq
}

# wait_metrics ADDR SECONDS WANT...: wait until every WANT ('name{labels} value',
# labels as Prometheus prints them) holds on ADDR/metrics; fail showing them.
# An absent sample counts as 0 (a vector shows no label set it never had), and
# so does every sample while ADDR does not answer yet.
wait_metrics() {
	scnet wait-metrics -- "$@"
}

# metric ADDR NAME{LABELS}: the value of one metric now ("" if absent).
metric() {
	scnet metric -- "$1" "$2"
}

# start_sub_watcher CHAIN METRICS_ADDR LOG [FLAGS...]: start subchaind's
# watcher of CHAIN over every node of both chains (tracked: the exit trap
# stops it); sets WATCHER_PID.
start_sub_watcher() {
	local chain="$1" maddr="$2" logf="$3"
	shift 3
	"$(localnet_chain "$chain" binary)" watcher start --main-grpc "$(nodes_of "$MAIN_ID" grpc)" \
		--main-rpc "$(nodes_of "$MAIN_ID" rpc)" --sub-grpc "$(nodes_of "$chain" grpc)" \
		--sub-bech32-prefix "$(localnet_chain "$chain" prefix)" --node "$(localnet_chain "$chain" rpc)" \
		--chain-id "$chain" --from validator --keyring-backend test --home "$(localnet_chain "$chain" home)" \
		--poll 2s --state "$LOCALNET_DIR/watcher-$FAULT-$chain.json" --metrics-addr "$maddr" "$@" >>"$logf" 2>&1 &
	WATCHER_PID=$!
	fault_track "$WATCHER_PID"
}

# block_time BASE HEIGHT: the block time of HEIGHT in unix nanoseconds.
block_time() {
	scnet block-time -- "$1" "$2"
}

# rfc3339_ns TIME: an RFC 3339 time in unix nanoseconds.
rfc3339_ns() {
	scnet rfc3339-ns -- "$1"
}

# metric_sum ADDR NAME [CONTAINS]: the sum, as an integer, of every sample of
# metric NAME (any labels) whose labels contain CONTAINS (matched against the
# whole sample, name and labels); 0 if none, or if ADDR does not answer.
metric_sum() {
	scnet metric-sum -- "$1" "$2" "${3:-}"
}

# tcp_proxy LISTEN_PORT TARGET_PORT LOG: forward 127.0.0.1:LISTEN_PORT to
# 127.0.0.1:TARGET_PORT (a connection cut, when the proxy is killed, looks to
# a client like its server going away); tracked; sets PROXY_PID. Returns once
# it listens.
tcp_proxy() {
	local listen="$1" target="$2" logf="$3"
	check_ports_free "$listen"
	scnet_ensure
	# The binary itself in the background (not the scnet function), so that
	# PROXY_PID is the proxy's own pid and killing it cuts the connections.
	"$SCNET_BIN" proxy -- "$listen" "$target" >"$logf" 2>&1 &
	PROXY_PID=$!
	fault_track "$PROXY_PID"
	poll_until 10 "the proxy on port $listen listening" port_in_use "$listen"
}
