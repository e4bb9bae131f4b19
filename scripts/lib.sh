# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it, don't run it:
#
#   REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
#   source "$REPO_ROOT/scripts/lib.sh"
#
# It only defines variables and functions; it starts nothing.

if [[ -z "${REPO_ROOT:-}" ]]; then
	REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi
BUILD_DIR="$REPO_ROOT/build"
MAIN_BIN="$BUILD_DIR/mainchaind"
SUB_BIN="$BUILD_DIR/subchaind"
RLY_BIN="$BUILD_DIR/rly"
GRPCURL_BIN="$BUILD_DIR/grpcurl"
# The localnet's helper (cmd/scnet): the JSON, RPC and metrics work of the
# functions below. SCNET_BIN overrides it (the shell tests use a fresh build).
SCNET_BIN="${SCNET_BIN:-$BUILD_DIR/scnet}"

# Key names created (and funded) on every local chain.
KEY_NAMES=(validator relayer user)
# The self-delegation of every genesis validator (in the chain's base denom).
VALIDATOR_STAKE=100000000000

# ---------------------------------------------------------------- messages

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# warn and die also append their line to $ERRORS_FILE when it is set (and
# exported, for the scripts a script runs), so that an exit trap can repeat
# the reasons after the logs it dumps: what keeps only a run's last lines
# (a CI report) then still shows why it failed.
_note_error() {
	printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
	[[ -z "${ERRORS_FILE:-}" ]] || printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >>"$ERRORS_FILE" 2>/dev/null || true
}
warn() { _note_error "WARNING: $*"; }
die() {
	_note_error "ERROR: $*"
	exit 1
}

# errors_noted_last WHAT STEP RC: the closing lines of a failed run, for the
# end of its exit trap: what failed while which step, and the errors and
# warnings noted in $ERRORS_FILE (the last 15).
errors_noted_last() {
	echo "===== $1 FAILED while $2 (exit $3)" >&2
	if [[ -s "${ERRORS_FILE:-}" ]]; then
		echo "===== its errors and warnings (the last 15, in order):" >&2
		tail -n 15 "$ERRORS_FILE" >&2
	fi
}

# ---------------------------------------------------------------- required tools

# require_cmd NAME HINT: fail with HINT when NAME is not on PATH.
require_cmd() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed. $2"
}

# scnet_ensure: build/scnet must exist; build it (a few seconds, the standard
# library only) when it does not, as 'make build' would.
scnet_ensure() {
	[[ -x "$SCNET_BIN" ]] && return 0
	command -v go >/dev/null 2>&1 || die "$SCNET_BIN not found and no Go to build it: run 'make build' in $REPO_ROOT."
	log "building $SCNET_BIN (the scripts' helper, cmd/scnet)"
	local tmp="$SCNET_BIN.tmp.$$"
	(cd "$REPO_ROOT" && go build -o "$tmp" ./cmd/scnet) && mv -f "$tmp" "$SCNET_BIN" || {
		rm -f "$tmp"
		die "could not build $SCNET_BIN: run 'make build' in $REPO_ROOT."
	}
}

# scnet COMMAND ARGS...: run the localnet's helper ('scnet help' lists its commands).
scnet() {
	scnet_ensure
	"$SCNET_BIN" "$@"
}

# require_build_tools: what building Go code with cgo (wasmvm, secp256k1) needs.
require_build_tools() {
	require_cmd go "Install Go 1.24 or newer."
	require_cmd gcc "cgo needs a C compiler (Debian: run 'bash scripts/deps.sh' as root, or 'apt-get install -y gcc libc6-dev')."
}

# require_chain_binaries: build/mainchaind and build/subchaind must exist.
require_chain_binaries() {
	local b
	for b in "$MAIN_BIN" "$SUB_BIN"; do
		[[ -x "$b" ]] || die "$b not found (or not executable). Build the chain binaries first: run 'make build' in $REPO_ROOT."
	done
}

# require_rly: build/rly must exist.
require_rly() {
	[[ -x "$RLY_BIN" ]] || die "$RLY_BIN not found. Build the relayer first: run 'make tools' (or 'bash scripts/build-tools.sh') in $REPO_ROOT."
}

# require_grpcurl: build/grpcurl must exist.
require_grpcurl() {
	[[ -x "$GRPCURL_BIN" ]] || die "$GRPCURL_BIN not found. Build it first: run 'make tools' (or 'bash scripts/build-tools.sh') in $REPO_ROOT."
}

# ---------------------------------------------------------------- chain profiles

# chain_denom BINARY: the bond/fee denom of the chain a binary runs.
chain_denom() {
	case "$(basename "$1")" in
	mainchaind) echo umain ;;
	subchaind) echo usub ;;
	*) die "unknown chain binary '$1'" ;;
	esac
}

# chain_prefix BINARY: the bech32 account prefix of the chain a binary runs.
chain_prefix() {
	case "$(basename "$1")" in
	mainchaind) echo main ;;
	subchaind) echo sub ;;
	*) die "unknown chain binary '$1'" ;;
	esac
}

# chain_port KIND OFFSET: the loopback port of a service for a port offset.
# Offset 0 gives the usual defaults (26657 rpc, 26656 p2p, 9090 grpc, 1317 api).
chain_port() {
	local base
	case "$1" in
	rpc) base=26657 ;;
	p2p) base=26656 ;;
	grpc) base=9090 ;;
	api) base=1317 ;;
	abci) base=26658 ;; # proxy_app; not listened on by an in-process app
	prometheus) base=26660 ;; # CometBFT's metrics (config_node turns them on)
	*) die "unknown port kind '$1'" ;;
	esac
	echo $((base + $2))
}

# The ports a node started by init_chain listens on.
# shellcheck disable=SC2034 # used by the scripts that source this file
NODE_PORT_KINDS=(rpc p2p grpc api prometheus)

# ---------------------------------------------------------------- ports & processes

# port_in_use PORT: true when something listens on (or accepts on) TCP PORT.
port_in_use() {
	local port="$1"
	if command -v ss >/dev/null 2>&1; then
		[[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]] && return 0
		return 1
	fi
	# No ss (iproute2): try to connect. A listener on another address than
	# loopback is missed, but a connect is a good enough fallback.
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# port_owner PORT: a short description of who listens on PORT ("" if unknown).
port_owner() {
	local port="$1" line
	command -v ss >/dev/null 2>&1 || return 0
	line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1)"
	# users:(("python3",pid=1234,fd=3))
	if [[ "$line" =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
		echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
	fi
}

# check_ports_free PORT...: fail, naming every busy port and its owner.
check_ports_free() {
	local port owner busy=0
	for port in "$@"; do
		if port_in_use "$port"; then
			owner="$(port_owner "$port")"
			printf '[%s] ERROR: port %s on 127.0.0.1 is already in use%s\n' "$(date +%H:%M:%S)" \
				"$port" "${owner:+ by $owner}" >&2
			busy=1
		fi
	done
	((busy == 0)) || die "stop whatever uses the port(s) above (or run 'bash scripts/localnet-stop.sh' if it is an old localnet) and try again."
}

# pid_alive PIDFILE: true when PIDFILE names a live process whose command
# line still contains the program recorded next to it (so a reused pid is not
# mistaken for ours). The pid file has the pid on line 1 and the program on line 2.
pid_alive() {
	local pidfile="$1" pid prog cmdline
	[[ -f "$pidfile" ]] || return 1
	pid="$(sed -n 1p "$pidfile")"
	prog="$(sed -n 2p "$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	if [[ -n "$prog" && -r "/proc/$pid/cmdline" ]]; then
		cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
		[[ "$cmdline" == *"$prog"* ]] || return 1
	fi
	return 0
}

# start_bg PIDFILE LOGFILE PROGRAM ARGS...: start PROGRAM in the background,
# detached from the terminal (own session when setsid exists, so a Ctrl-C
# meant for the calling script does not reach it: the script's trap stops it by
# pid instead), write its pid file and return at once. LOGFILE is truncated;
# start_bg_append appends to it instead (a node started again).
start_bg() { _start_bg trunc "$@"; }
start_bg_append() { _start_bg append "$@"; }
_start_bg() {
	local mode="$1" pidfile="$2" logfile="$3" detach=(nohup)
	shift 3
	# A background child of a script is not a process group leader, so setsid
	# execs PROGRAM in place and $! stays PROGRAM's pid.
	command -v setsid >/dev/null 2>&1 && detach=(setsid nohup)
	# 9>&-: don't hand localnet.sh's lock descriptor down to long-lived children.
	if [[ "$mode" == append ]]; then
		"${detach[@]}" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
	else
		"${detach[@]}" "$@" </dev/null >"$logfile" 2>&1 9>&- &
	fi
	local pid=$!
	printf '%s\n%s\n' "$pid" "$1" >"$pidfile"
}

# stop_pidfile PIDFILE [TIMEOUT]: TERM the process of PIDFILE, wait up to
# TIMEOUT seconds (default 20) for it to exit, then KILL it; remove the file.
stop_pidfile() {
	local pidfile="$1" timeout="${2:-20}" pid name i
	[[ -f "$pidfile" ]] || return 0
	pid="$(sed -n 1p "$pidfile")"
	name="$(basename "$(sed -n 2p "$pidfile")")"
	if pid_alive "$pidfile"; then
		log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < timeout * 10; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			warn "$name (pid $pid) still running after ${timeout}s; sending KILL"
			kill -KILL "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -0 "$pid" 2>/dev/null && warn "$name (pid $pid) did not die after KILL"
		fi
	else
		log "$name (pid $pid) is not running any more; removing its pid file"
	fi
	rm -f "$pidfile"
}

# ---------------------------------------------------------------- the localnet

# Where scripts/localnet.sh keeps its state (pid files in $LOCALNET_DIR/pids).
LOCALNET_DIR="$REPO_ROOT/.localnet"

# localnet_running: print "name (pid N)" for every live process of the localnet
# (per its pid files); print nothing when none runs.
localnet_running() {
	local pidfile
	for pidfile in "$LOCALNET_DIR"/pids/*.pid; do
		[[ -e "$pidfile" ]] || continue
		if pid_alive "$pidfile"; then
			echo "$(basename "$pidfile" .pid) (pid $(sed -n 1p "$pidfile"))"
		fi
	done
}

# refuse_if_localnet_running: fail, naming the processes, if a localnet runs.
refuse_if_localnet_running() {
	local running r
	running="$(localnet_running)"
	[[ -z "$running" ]] && return 0
	while IFS= read -r r; do
		printf '[%s] ERROR: localnet process still running: %s\n' "$(date +%H:%M:%S)" "$r" >&2
	done <<<"$running"
	die "a localnet is already running from $LOCALNET_DIR; stop it first with 'bash scripts/localnet-stop.sh'."
}

# localnet_chain CHAIN FIELD: print FIELD (dotted: ports.api, keys.admin, home,
# rpc...) of chain CHAIN from the localnet's summary ($LOCALNET_DIR/localnet.json).
# Objects and lists print as JSON; a path does not index lists (nodes.0 fails:
# use localnet_node). Fails, saying why, for an unknown chain or field.
localnet_chain() {
	scnet chain --summary "$LOCALNET_DIR/localnet.json" -- "$1" "$2"
}

# localnet_launch_node BINARY HOME LOGFILE PIDFILE [append]: start one node of
# the localnet in the background, as scripts/localnet.sh does (the log is
# truncated, or appended to with "append": a node started again).
localnet_launch_node() {
	local starter=start_bg
	[[ "${5:-}" == append ]] && starter=start_bg_append
	"$starter" "$4" "$3" "$1" start --home "$2" --log_no_color
}

# localnet_node CHAIN INDEX: print, one a line, the binary, home, log, pid file
# and RPC address of node INDEX (0 is the chain's first node) of CHAIN, from
# the localnet's summary. Fails, printing why, if there is no such node.
localnet_node() {
	scnet node --summary "$LOCALNET_DIR/localnet.json" -- "$1" "$2"
}

# localnet_node_stop CHAIN INDEX [TIMEOUT]: stop node INDEX of CHAIN (TERM, then
# KILL after TIMEOUT seconds, default 20) and wait until its process is gone.
# Its home, log and ports stay as they are, for localnet_node_start.
localnet_node_stop() {
	local chain="$1" idx="$2" timeout="${3:-20}" f pid
	mapfile -t f < <(localnet_node "$chain" "$idx")
	((${#f[@]} == 5)) || {
		warn "localnet_node_stop: cannot read node $idx of $chain from $LOCALNET_DIR/localnet.json"
		return 1
	}
	if ! pid_alive "${f[3]}"; then
		log "$chain node $idx is not running (pid file ${f[3]})"
		rm -f "${f[3]}"
		return 0
	fi
	pid="$(sed -n 1p "${f[3]}")"
	stop_pidfile "${f[3]}" "$timeout"
	if kill -0 "$pid" 2>/dev/null; then
		warn "$chain node $idx (pid $pid) is still running"
		return 1
	fi
	log "stopped $chain node $idx (pid $pid)"
}

# localnet_node_start CHAIN INDEX [TIMEOUT]: start node INDEX of CHAIN again,
# with the command localnet.sh started it with, appending to its log; wait (up
# to TIMEOUT seconds, default 60) until its RPC answers. Fails if it already runs.
localnet_node_start() {
	local chain="$1" idx="$2" timeout="${3:-60}" f start=$SECONDS
	mapfile -t f < <(localnet_node "$chain" "$idx")
	((${#f[@]} == 5)) || {
		warn "localnet_node_start: cannot read node $idx of $chain from $LOCALNET_DIR/localnet.json"
		return 1
	}
	if pid_alive "${f[3]}"; then
		warn "$chain node $idx already runs (pid $(sed -n 1p "${f[3]}"))"
		return 1
	fi
	printf '===== %s: started again by localnet_node_start =====\n' "$(date '+%F %T')" >>"${f[2]}"
	localnet_launch_node "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" append
	until "${f[0]}" status --node "${f[4]}" >/dev/null 2>&1; do
		if ! pid_alive "${f[3]}"; then
			warn "$chain node $idx exited after its start: $(tail -n 5 "${f[2]}")"
			return 1
		fi
		if ((SECONDS - start >= timeout)); then
			warn "$chain node $idx does not answer on ${f[4]} after ${timeout}s (log ${f[2]})"
			return 1
		fi
		sleep 0.5
	done
	log "started $chain node $idx again (pid $(sed -n 1p "${f[3]}")), rpc ${f[4]}, log ${f[2]}"
}

# localnet_status SUBCHAIN FIELD: print FIELD (dotted: src.channel,
# dst.client_id...) of SUBCHAIN's status path from the localnet's summary.
localnet_status() {
	scnet status-path --summary "$LOCALNET_DIR/localnet.json" -- "$1" "$2"
}

# ---------------------------------------------------------------- JSON & TOML

# json_get PATH: read JSON on stdin and print the value at a dotted PATH
# (e.g. sync_info.latest_block_height; list items by index: balances.0.denom,
# -1 the last). Strings print bare, objects and lists as JSON ("a, b"
# separators), and, as the Python it replaced printed them, true/false/null
# as True/False/None and floats as Python does (1e-05, 100.0).
json_get() {
	scnet json-get -- "$1"
}

# toml_set FILE SECTION.KEY=VALUE...: set keys in a TOML file in place. VALUE
# is written as is (quote strings: 'rpc.laddr="tcp://..."'); SECTION is empty
# for top-level keys ('.moniker="x"'). Fails if a key is not already there.
toml_set() {
	local file="$1"
	shift
	scnet toml-set -- "$file" "$@"
}

# ---------------------------------------------------------------- chains

# node_rpc OFFSET: the CometBFT RPC address for a port offset.
node_rpc() { echo "tcp://127.0.0.1:$(chain_port rpc "$1")"; }

# chain_height BINARY NODE: the latest block height (0 if the node is not up).
chain_height() {
	local out
	out="$("$1" status --node "$2" 2>/dev/null)" || {
		echo 0
		return 0
	}
	printf '%s' "$out" | json_get sync_info.latest_block_height 2>/dev/null || echo 0
}

# wait_for_height BINARY NODE HEIGHT TIMEOUT [PIDFILE]: wait until the chain
# behind NODE has reached HEIGHT; fail after TIMEOUT seconds, or at once if the
# process of PIDFILE died.
wait_for_height() {
	local bin="$1" node="$2" want="$3" timeout="$4" pidfile="${5:-}" h start=$SECONDS
	while :; do
		h="$(chain_height "$bin" "$node")"
		((h >= want)) && return 0
		if [[ -n "$pidfile" ]] && ! pid_alive "$pidfile"; then
			warn "$(basename "$bin") behind $node exited before reaching height $want"
			return 1
		fi
		if ((SECONDS - start >= timeout)); then
			warn "$(basename "$bin") behind $node is at height $h, not $want, after ${timeout}s"
			return 1
		fi
		sleep 0.5
	done
}

# key_mnemonic KEYDIR NAME BINARY: print the mnemonic of key NAME, creating
# (and saving, mode 0600) a new one in KEYDIR/NAME.mnemonic the first time.
key_mnemonic() {
	local dir="$1" name="$2" bin="$3" file
	file="$dir/$name.mnemonic"
	if [[ ! -s "$file" ]]; then
		mkdir -p "$dir"
		(
			umask 077
			"$bin" keys mnemonic 2>/dev/null >"$file.tmp"
		)
		[[ "$(wc -w <"$file.tmp")" -ge 12 ]] || die "could not create a mnemonic with $bin keys mnemonic"
		mv "$file.tmp" "$file"
	fi
	cat "$file"
}

# init_node BINARY CHAIN_ID HOME DENOM [MONIKER]: "BINARY init" a node home
# (HOME must not exist); the moniker defaults to node-CHAIN_ID.
init_node() {
	local bin="$1" chain_id="$2" home="$3" denom="$4" moniker="${5:-node-$2}"
	[[ ! -e "$home" ]] || die "init_node: $home already exists"
	"$bin" init "$moniker" --chain-id "$chain_id" --default-denom "$denom" --home "$home" >/dev/null 2>&1 ||
		die "$bin init failed for $chain_id in $home"
}

# add_genesis_keys BINARY CHAIN_ID HOME DENOM KEYDIR NAME...: restore keys NAME
# into HOME's test keyring (mnemonics kept in KEYDIR so addresses survive
# re-creation, each address in KEYDIR/NAME.address) and fund each in HOME's genesis.
add_genesis_keys() {
	local bin="$1" chain_id="$2" home="$3" denom="$4" keydir="$5" name addr
	shift 5
	for name in "$@"; do
		restore_key "$bin" "$chain_id" "$home" "$keydir" "$name"
		addr="$(cat "$keydir/$name.address")"
		"$bin" genesis add-genesis-account "$addr" "1000000000000$denom" --home "$home" >/dev/null 2>&1 ||
			die "add-genesis-account failed for '$name' on $chain_id"
	done
}

# restore_key BINARY CHAIN_ID HOME KEYDIR NAME: restore key NAME (mnemonic in
# KEYDIR, created the first time) into HOME's test keyring; write KEYDIR/NAME.address.
restore_key() {
	local bin="$1" chain_id="$2" home="$3" keydir="$4" name="$5"
	key_mnemonic "$keydir" "$name" "$bin" |
		"$bin" keys add "$name" --recover --keyring-backend test --home "$home" --output json >/dev/null 2>&1 ||
		die "could not restore key '$name' for $chain_id in $home"
	"$bin" keys show "$name" -a --keyring-backend test --home "$home" >"$keydir/$name.address" ||
		die "could not read the address of key '$name' for $chain_id"
}

# config_node HOME CHAIN_ID PORT_OFFSET [PERSISTENT_PEERS]: put every service of
# the node in HOME on 127.0.0.1 at the ports of PORT_OFFSET, 1s blocks, and
# (when given) its persistent peers ("id@127.0.0.1:port,..."). CometBFT's
# metrics and the app's telemetry (on the REST server's /metrics) are on, for
# Prometheus, and so is the REST server's Swagger page (/swagger/).
config_node() {
	local home="$1" chain_id="$2" off="$3" peers=()
	[[ $# -ge 4 ]] && peers=("p2p.persistent_peers=\"$4\"")
	toml_set "$home/config/config.toml" \
		".proxy_app=\"tcp://127.0.0.1:$(chain_port abci "$off")\"" \
		"rpc.laddr=\"tcp://127.0.0.1:$(chain_port rpc "$off")\"" \
		'rpc.pprof_laddr=""' \
		"p2p.laddr=\"tcp://127.0.0.1:$(chain_port p2p "$off")\"" \
		'p2p.addr_book_strict=false' \
		'p2p.allow_duplicate_ip=true' \
		"${peers[@]}" \
		'consensus.timeout_commit="1s"' \
		'consensus.timeout_propose="1s"' \
		'instrumentation.prometheus=true' \
		"instrumentation.prometheus_listen_addr=\"127.0.0.1:$(chain_port prometheus "$off")\""
	toml_set "$home/config/app.toml" \
		'telemetry.enabled=true' \
		'telemetry.prometheus-retention-time=60' \
		"api.enable=true" \
		"api.swagger=true" \
		"api.address=\"tcp://127.0.0.1:$(chain_port api "$off")\"" \
		"grpc.enable=true" \
		"grpc.address=\"127.0.0.1:$(chain_port grpc "$off")\"" \
		"grpc-web.enable=false"
	toml_set "$home/config/client.toml" \
		".chain-id=\"$chain_id\"" \
		'.keyring-backend="test"' \
		".node=\"$(node_rpc "$off")\""
}

# init_chain BINARY CHAIN_ID HOME DENOM PORT_OFFSET KEYDIR [EXTRA_KEY...]: create
# a one-validator chain in HOME (which must not exist): keys validator/relayer/
# user plus any EXTRA_KEYs (test keyring, mnemonics kept in KEYDIR so addresses
# survive re-creation, each address in KEYDIR/NAME.address), funded in
# genesis; all services on 127.0.0.1 at the ports of PORT_OFFSET; 1s blocks.
# (scripts/localnet.sh builds several-validator chains from the same pieces.)
init_chain() {
	local bin="$1" chain_id="$2" home="$3" denom="$4" off="$5" keydir="$6"
	shift 6
	init_node "$bin" "$chain_id" "$home" "$denom"
	add_genesis_keys "$bin" "$chain_id" "$home" "$denom" "$keydir" "${KEY_NAMES[@]}" "$@"
	"$bin" genesis gentx validator "$VALIDATOR_STAKE$denom" --chain-id "$chain_id" \
		--keyring-backend test --home "$home" >/dev/null 2>&1 || die "gentx failed for $chain_id"
	"$bin" genesis collect-gentxs --home "$home" >/dev/null 2>&1 || die "collect-gentxs failed for $chain_id"
	"$bin" genesis validate --home "$home" >/dev/null 2>&1 || die "the genesis of $chain_id does not validate"
	config_node "$home" "$chain_id" "$off"
}

# preset_reporter_genesis GENESIS ADMIN INTERVAL HEARTBEAT TIMEOUT [ORG...]:
# preset the statusreporter sidecar in a subchain's GENESIS file: its admin
# (who adds orgs and pins the main chain's client), a snapshot every INTERVAL
# blocks, a heartbeat report after HEARTBEAT snapshots without a change, the
# status packet's TIMEOUT (90s, 10m...) and the subchain's participant ORGs.
preset_reporter_genesis() {
	scnet preset-reporter-genesis -- "$@"
}

# rly_add_chain RLY_HOME CHAIN_ID BINARY RPC_URL KEY: add a chain run by BINARY
# (its prefix and denom; zero gas prices, as on every local chain) to the
# relayer of RLY_HOME, signing with rly key KEY (restore it with rly keys restore).
rly_add_chain() {
	local home="$1" id="$2" bin="$3" rpc="$4" key="$5" cfg
	cfg="$home/chain-$id.json"
	cat >"$cfg" <<EOF
{
  "type": "cosmos",
  "value": {
    "key": "$key",
    "chain-id": "$id",
    "rpc-addr": "$rpc",
    "account-prefix": "$(chain_prefix "$bin")",
    "keyring-backend": "test",
    "gas-adjustment": 1.5,
    "gas-prices": "0$(chain_denom "$bin")",
    "min-gas-amount": 0,
    "debug": false,
    "timeout": "20s",
    "output-format": "json",
    "sign-mode": "direct"
  }
}
EOF
	"$RLY_BIN" --home "$home" chains add --file "$cfg" "$id" >/dev/null 2>&1
}

# start_node BINARY HOME LOGFILE PIDFILE: start a node in the background.
start_node() {
	start_bg "$4" "$3" "$1" start --home "$2"
}

# ---------------------------------------------------------------- transactions

# submit_tx BINARY NODE HOME CHAIN_ID TX-ARGS...: sign and broadcast
# "BINARY tx TX-ARGS" for CHAIN_ID with the test keyring of HOME (zero fees,
# simulated gas), wait until it is in a block and print the committed tx as
# JSON. Fails (printing why) if the CLI, CheckTx or DeliverTx rejects it, or if
# it is not in a block within 60s.
submit_tx() {
	local bin="$1" node="$2" home="$3" chain_id="$4" out code hash i
	shift 4
	out="$("$bin" tx "$@" --home "$home" --node "$node" --chain-id "$chain_id" --keyring-backend test \
		--gas auto --gas-adjustment 1.5 --broadcast-mode sync --output json -y --log_no_color 2>&1)" || {
		# Skip the usage text the CLI prints along with an error.
		warn "'$(basename "$bin") tx $*' failed: $(printf '%s\n' "$out" | grep -iE 'err|panic' | tail -n 3)"
		return 1
	}
	# The CLI may print a "gas estimate" line before the JSON.
	out="$(printf '%s\n' "$out" | grep '^{' | tail -n1)"
	code="$(printf '%s' "$out" | json_get code 2>/dev/null)" || code=""
	hash="$(printf '%s' "$out" | json_get txhash 2>/dev/null)" || hash=""
	if [[ "$code" != "0" || -z "$hash" ]]; then
		warn "'$(basename "$bin") tx $*' was rejected: $out"
		return 1
	fi
	wait_tx "$bin" "$node" "$hash"
}

# wait_tx BINARY NODE HASH: wait until tx HASH is in a block and print it as
# JSON; fail (printing why) if it failed there or is not in a block within 60s.
wait_tx() {
	local bin="$1" node="$2" hash="$3" out code i
	for ((i = 0; i < 120; i++)); do
		if out="$("$bin" q tx "$hash" --node "$node" --output json 2>/dev/null)"; then
			code="$(printf '%s' "$out" | json_get code)"
			if [[ "$code" != "0" ]]; then
				warn "tx $hash failed in the block (code $code): $(printf '%s' "$out" | json_get raw_log)"
				return 1
			fi
			printf '%s\n' "$out"
			return 0
		fi
		sleep 0.5
	done
	warn "tx $hash was not included in a block within 60s"
	return 1
}

# expect_tx_error BINARY NODE HOME CHAIN_ID WANT TX-ARGS...: like submit_tx, but
# the tx must be refused, by the CLI's simulation, by CheckTx or in its block,
# with an error whose text contains WANT. Prints the error; fails if the tx
# went through or was refused for another reason.
expect_tx_error() {
	local bin="$1" node="$2" home="$3" chain_id="$4" want="$5" out code hash i
	shift 5
	if out="$("$bin" tx "$@" --home "$home" --node "$node" --chain-id "$chain_id" --keyring-backend test \
		--gas auto --gas-adjustment 1.5 --broadcast-mode sync --output json -y --log_no_color 2>&1)"; then
		out="$(printf '%s\n' "$out" | grep '^{' | tail -n1)"
		code="$(printf '%s' "$out" | json_get code 2>/dev/null)" || code=""
		hash="$(printf '%s' "$out" | json_get txhash 2>/dev/null)" || hash=""
		if [[ "$code" == "0" && -n "$hash" ]]; then
			# Passed simulation and CheckTx: the block must refuse it.
			out=""
			for ((i = 0; i < 120; i++)); do
				out="$("$bin" q tx "$hash" --node "$node" --output json 2>/dev/null)" && break
				out=""
				sleep 0.5
			done
			[[ -n "$out" ]] || {
				warn "tx $hash ('$(basename "$bin") tx $*') was not in a block within 60s"
				return 1
			}
			code="$(printf '%s' "$out" | json_get code)"
			if [[ "$code" == "0" ]]; then
				warn "'$(basename "$bin") tx $*' was accepted (tx $hash); want a refusal with '$want'"
				return 1
			fi
			out="$(printf '%s' "$out" | json_get raw_log)"
		fi
	fi
	out="$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^Usage:' | grep -iE 'err|fail|desc' | tail -n 3)" || true
	if [[ "$out" != *"$want"* ]]; then
		warn "'$(basename "$bin") tx $*' was refused, but not with '$want': ${out:-<no error text>}"
		return 1
	fi
	printf '%s\n' "$out"
}

# rest_get URL: GET URL (a node's REST API) and print the body; fail, printing
# nothing, on a connection error or a non-2xx answer. The end-to-end checks
# read some records over REST and compare them with the CLI's output.
rest_get() {
	scnet get -- "$1"
}

# tx_event_attr TYPE KEY: read a committed tx (JSON) on stdin and print the
# value of attribute KEY of the first event of type TYPE.
tx_event_attr() {
	scnet tx-event-attr -- "$1" "$2"
}

# forge_report SUB_BIN SUB_RPC CHAIN MAIN_BIN MAIN_RPC MAIN_HOME MAIN_ID FROM DELTA:
# the forgery every scenario with a watcher rehearses. FROM, an org's
# monitoring account on the main chain, submits CHAIN's own latest snapshot
# (its sidecar's, through SUB_RPC) with a contract count DELTA too high, at a
# snapshot height the main chain has no report of yet; while the sidecar's own
# report of that height lands first, it tries again every 2 s, 15 times.
# Prints "MAIN_SEQUENCE MAIN_HEIGHT SNAPSHOT_HEIGHT" and, on a second line,
# the forged snapshot (JSON); fails if no forgery landed.
forge_report() {
	local sub_bin="$1" sub_rpc="$2" chain="$3" main_bin="$4" main_rpc="$5" main_home="$6" main_id="$7" from="$8" delta="$9"
	local own latest_h forged cand_h out i
	for ((i = 0; i < 15; i++)); do
		own="$("$sub_bin" q statusreporter snapshot --node "$sub_rpc" --output json)" || return 1
		latest_h="$("$main_bin" q statuscollect status "$chain" --node "$main_rpc" --output json | json_get report.snapshot.height)" || return 1
		forged="$(printf '%s' "$own" | scnet forge-snapshot --contract-count "+$delta")" || return 1
		cand_h="$(printf '%s' "$forged" | json_get height)"
		if ((cand_h > latest_h)) && out="$(submit_tx "$main_bin" "$main_rpc" "$main_home" "$main_id" \
			statuscollect submit-status "$forged" --from "$from" 2>/dev/null)"; then
			printf '%s %s %s\n%s\n' "$(printf '%s' "$out" | tx_event_attr statuscollect.collector.v1.EventStatusReported sequence | tr -d '"')" \
				"$(printf '%s' "$out" | json_get height)" "$cand_h" "$forged"
			return 0
		fi
		sleep 2
	done
	return 1
}

# balance_of BINARY NODE ADDRESS DENOM: the amount of DENOM ADDRESS holds (0 if
# none). Fails, printing nothing, if the node cannot be queried.
balance_of() {
	local out
	out="$("$1" q bank balances "$3" --node "$2" --output json 2>/dev/null)" || return 1
	printf '%s' "$out" | scnet balance -- "$4"
}
