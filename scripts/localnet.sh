#!/usr/bin/env bash
# Start a local statuscollect network on 127.0.0.1: the main chain and the
# other chains listed in CHAINS, each run by VALIDATORS validator nodes, plus an
# IBC relayer (rly) that relays every path:
#   - an ICS-20 transfer channel main chain <-> each subchain marked "transfer";
#   - a status channel for every subchain with a sidecar, opened by the subchain
#     (statusreporter -> statuscollect, UNORDERED, version statuscollect-1)
#     over clients pinned on both ends: the main chain's admin binds its client
#     of the subchain to the registered subchain, the subchain's reporter admin
#     pins its client of the main chain in the sidecar.
# A chain marked "plain" (gateway-c) is a plain Cosmos SDK chain: registered on
# the main chain like the subchains (orgs report its status by transaction),
# but without a sidecar, so it gets no status channel, no transfer channel and
# is not in the relayer's config.
#
# The network is network/localnet.yaml, the loopback case of the network file
# (docs/deploy.md): the homes and genesis files come from
# 'statusnet generate' of that file with the knobs below. The genesis files
# are preset so the network starts ready: on the main chain the collector's
# admin (key admin), the orgs (admin keys <org>-admin), every subchain
# registered with its report interval, the memberships with each org's
# monitoring account (key <org>-monitor) granted; on each subchain with a
# sidecar the reporter's admin (key admin), its orgs and its pace.
#
# Usage: bash scripts/localnet.sh        (stop it with: bash scripts/localnet-stop.sh)
#        LOCALNET_VALIDATORS=1 bash scripts/localnet.sh   (validators per chain, 1 to 4; default 2)
# Knobs for fault scenarios (scripts/faults/), all unset by default:
#        MAIN_VALIDATORS=4          validators of the main chain only (1 to 4; default LOCALNET_VALIDATORS)
#        LOCALNET_PACKET_TIMEOUT=60s  the sidecars' status packet timeout (default 600s; the sidecar takes 1m to 168h)
#        LOCALNET_STATUS_CLIENT_TP=120s  trusting period of the status paths' clients (both ends; default rly's,
#                                   85% of the unbonding time); rly then refreshes each client once it is
#                                   a third of that old (rly start --time-threshold)
#        LOCALNET_VOTING_PERIOD=20s  every chain's governance voting period (default the SDK's 48h; the
#                                   expedited one becomes half of it)
#        LOCALNET_MAIN_BIN=PATH     the binary the main chain's nodes run (default build/mainchaind; the
#                                   homes are generated with build/'s binaries either way): an older
#                                   release, to upgrade from (scripts/faults/main-upgrade.sh)
#
# Everything lives in .localnet/ under the repo root:
#   <chain-id>/                home of the chain's node 0 (test keyring with keys validator,
#                              relayer, user, the chain's extra keys (see EXTRA_KEYS below) and
#                              validator1.. of the other nodes)
#   <chain-id>-node<i>/        home of node i (1 <= i < VALIDATORS; keyring with validator<i>)
#   keys/<chain-id>/NAME.mnemonic, NAME.address
#                              mnemonics of the keys; kept across runs so addresses are stable
#   logs/<chain-id>.log, logs/<chain-id>-node<i>.log, logs/rly.log, logs/link-<path>.log
#   pids/<chain-id>.pid, pids/<chain-id>-node<i>.pid, pids/rly.pid
#   rly/                       relayer home
#   localnet.json              chain ids, binaries, homes, ports, key addresses, every node (home,
#                              ports, log, pid file), transfer paths and channels, status links
#                              (client, connection and channel ids per side)
#
# Ports: node i of the chain with port offset OFF uses the ports of offset
# OFF + NODE_PORT_STEP * i (chain_port in lib.sh); node 0 keeps the chain's own.
#
# Nothing is started unless every check passes (no localnet running, every port
# free); if a later step fails, whatever was started is stopped again.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"
# shellcheck source=scripts/localnet-services.sh
source "$REPO_ROOT/scripts/localnet-services.sh"

# Validator nodes per chain (equal self-delegation, so equal voting power).
VALIDATORS="${LOCALNET_VALIDATORS:-2}"
MAIN_VALIDATORS="${MAIN_VALIDATORS:-$VALIDATORS}"
MAX_VALIDATORS=4
PACKET_TIMEOUT="${LOCALNET_PACKET_TIMEOUT:-600s}"
STATUS_CLIENT_TP="${LOCALNET_STATUS_CLIENT_TP:-}"
VOTING_PERIOD="${LOCALNET_VOTING_PERIOD:-}"
NODE_PORT_STEP=10 # node i's port offset is the chain's + NODE_PORT_STEP * i

# The network is network/localnet.yaml, the loopback case of the network
# file (docs/deploy.md): its chains, orgs, memberships, paths and port
# offsets; statusnet generates the homes and genesis from it (below). Read
# here into the shapes the rest of this script works with:
#   CHAINS         "chain-id binary port-offset [kind] [flag...]": the first is
#                  the main chain; flags "transfer" (an ICS-20 channel to the
#                  main chain; e2e.sh uses the first subchain's) and "plain" (no
#                  statusreporter sidecar: no status channel, no relayer);
#                  every subchain without "plain" gets a status channel
#   SUBCHAIN_NAME  the subchains' names in the main chain's registry
#   ORGS           "id|name"; each has an admin key <id>-admin and a monitoring
#                  account <id>-monitor on the main chain
#   MEMBERS        which orgs take part in which subchain
NETWORK_FILE="$REPO_ROOT/network/localnet.yaml"
STATUSNET_BIN="$BUILD_DIR/statusnet"
[[ -x "$STATUSNET_BIN" ]] || die "$STATUSNET_BIN not found. Build it first: run 'make build' in $REPO_ROOT."
network_json="$("$STATUSNET_BIN" validate -f "$NETWORK_FILE" --json 2>&1)" || die "$network_json"
CHAINS=()
ORGS=()
declare -A SUBCHAIN_NAME MEMBERS
while IFS=$'\t' read -r what a b; do
	case "$what" in
	chain) CHAINS+=("$a") ;;
	name) SUBCHAIN_NAME[$a]="$b" ;;
	org) ORGS+=("$a") ;;
	members) MEMBERS[$a]="$b" ;;
	*) die "reading $NETWORK_FILE: $what $a $b" ;;
	esac
done < <(printf '%s' "$network_json" | scnet network-plan "$NODE_PORT_STEP" || printf 'failed\tto read\tthe file\n')

# The status channel's ends (fixed by the modules).
STATUS_SRC_PORT=statusreporter
STATUS_DST_PORT=statuscollect
STATUS_VERSION=statuscollect-1

PID_DIR="$LOCALNET_DIR/pids"
LOG_DIR="$LOCALNET_DIR/logs"
KEYS_DIR="$LOCALNET_DIR/keys"
RLY_HOME="$LOCALNET_DIR/rly"
SUMMARY="$LOCALNET_DIR/localnet.json"

# ---------------------------------------------------------------- checks (no side effects)

if ! [[ "$VALIDATORS" =~ ^[1-9][0-9]*$ ]] || ((VALIDATORS > MAX_VALIDATORS)); then
	die "LOCALNET_VALIDATORS='$VALIDATORS': want a number of validators per chain from 1 to $MAX_VALIDATORS"
fi
if ! [[ "$MAIN_VALIDATORS" =~ ^[1-9][0-9]*$ ]] || ((MAIN_VALIDATORS > MAX_VALIDATORS)); then
	die "MAIN_VALIDATORS='$MAIN_VALIDATORS': want a number of main-chain validators from 1 to $MAX_VALIDATORS"
fi
# go durations as the sidecar's genesis and rly take them: 90s, 2m, 1h30m.
dur_secs() {
	[[ -n "$1" && "$1" =~ ^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$ ]] || return 1
	echo $((10#${BASH_REMATCH[2]:-0} * 3600 + 10#${BASH_REMATCH[4]:-0} * 60 + 10#${BASH_REMATCH[6]:-0}))
}
pt_secs="$(dur_secs "$PACKET_TIMEOUT")" || die "LOCALNET_PACKET_TIMEOUT='$PACKET_TIMEOUT': want a duration like 90s, 2m or 1h"
((pt_secs >= 60 && pt_secs <= 168 * 3600)) || die "LOCALNET_PACKET_TIMEOUT='$PACKET_TIMEOUT': the sidecar takes 1m to 168h"
if [[ -n "$STATUS_CLIENT_TP" ]]; then
	tp_secs="$(dur_secs "$STATUS_CLIENT_TP")" || die "LOCALNET_STATUS_CLIENT_TP='$STATUS_CLIENT_TP': want a duration like 120s or 5m"
	((tp_secs >= 30)) || die "LOCALNET_STATUS_CLIENT_TP='$STATUS_CLIENT_TP': want 30s or more (the chains make a block a second)"
fi

if [[ -n "$VOTING_PERIOD" ]]; then
	vp_secs="$(dur_secs "$VOTING_PERIOD")" || die "LOCALNET_VOTING_PERIOD='$VOTING_PERIOD': want a duration like 20s or 2m"
	((vp_secs >= 2)) || die "LOCALNET_VOTING_PERIOD='$VOTING_PERIOD': want 2s or more"
fi

require_chain_binaries
require_rly

# Node I of chain ID: its name (home folder, pid and log file), moniker and port offset.
node_name() { if (($2 == 0)); then echo "$1"; else echo "$1-node$2"; fi; }
node_home() { echo "$LOCALNET_DIR/$(node_name "$1" "$2")"; }
node_pidfile() { echo "$PID_DIR/$(node_name "$1" "$2").pid"; }
node_log() { echo "$LOG_DIR/$(node_name "$1" "$2").log"; }
node_moniker() { echo "node-$(node_name "$1" "$2")"; }
node_off() { echo $((OFFSET_OF[$1] + NODE_PORT_STEP * $2)); }
# node_key I: the name of node I's validator key.
node_key() { if (($1 == 0)); then echo validator; else echo "validator$1"; fi; }

declare -A BIN_OF OFFSET_OF KIND_OF TRANSFER_OF PLAIN_OF EXTRA_KEYS
declare -A ORG_NAME PORT_OF NVALS # NVALS: validator nodes of each chain
CHAIN_IDS=()
ALL_PORTS=()
for entry in "${CHAINS[@]}"; do
	read -r id bin off kind flags <<<"$entry"
	[[ -n "${BIN_OF[$id]:-}" ]] && die "chain id $id is listed twice in CHAINS"
	[[ "$off" =~ ^[0-9]+$ ]] || die "chain $id: port offset '$off' in CHAINS is not a number"
	CHAIN_IDS+=("$id")
	BIN_OF[$id]="$BUILD_DIR/$bin"
	OFFSET_OF[$id]="$off"
	KIND_OF[$id]="${kind:-}"
	TRANSFER_OF[$id]=""
	PLAIN_OF[$id]=0
	for flag in ${flags:-}; do
		case "$flag" in
		transfer) TRANSFER_OF[$id]=transfer ;;
		plain) PLAIN_OF[$id]=1 ;;
		*) die "chain $id: unknown flag '$flag' in CHAINS; want transfer or plain" ;;
		esac
	done
	# Every node's ports (the ones it listens on, and the abci/prometheus ones
	# it is configured with) must differ from every other node's.
	# The first chain is the main chain.
	if ((${#CHAIN_IDS[@]} == 1)); then NVALS[$id]="$MAIN_VALIDATORS"; else NVALS[$id]="$VALIDATORS"; fi
	for ((n = 0; n < NVALS[$id]; n++)); do
		noff=$(node_off "$id" "$n")
		for pk in "${NODE_PORT_KINDS[@]}" abci; do
			port="$(chain_port "$pk" "$noff")"
			[[ -z "${PORT_OF[$port]:-}" ]] ||
				die "port $port of $(node_name "$id" "$n") ($pk) is also ${PORT_OF[$port]}: spread the port offsets in CHAINS (node i adds $NODE_PORT_STEP*i)"
			PORT_OF[$port]="$pk of $(node_name "$id" "$n")"
		done
		for pk in "${NODE_PORT_KINDS[@]}"; do ALL_PORTS+=("$(chain_port "$pk" "$noff")"); done
	done
done
MAIN_ID="${CHAIN_IDS[0]}"
if [[ -n "${LOCALNET_MAIN_BIN:-}" ]]; then
	[[ -x "$LOCALNET_MAIN_BIN" ]] || die "LOCALNET_MAIN_BIN=$LOCALNET_MAIN_BIN is not an executable"
	BIN_OF[$MAIN_ID]="$LOCALNET_MAIN_BIN"
fi
SUB_IDS=("${CHAIN_IDS[@]:1}")
((${#SUB_IDS[@]} > 0)) || die "CHAINS lists no subchain"
[[ -z "${KIND_OF[$MAIN_ID]}${TRANSFER_OF[$MAIN_ID]}" && "${PLAIN_OF[$MAIN_ID]}" == 0 ]] ||
	die "the main chain $MAIN_ID takes no kind or flags in CHAINS"

for entry in "${ORGS[@]}"; do
	ORG_NAME[${entry%%|*}]="${entry#*|}"
done
STATUS_IDS=() # subchains with a sidecar: a status channel each
RLY_IDS=("$MAIN_ID") # the chains in the relayer's config
for id in "${SUB_IDS[@]}"; do
	case "${KIND_OF[$id]}" in
	file-storage | industry | cross-chain | other) ;;
	*) die "subchain $id has kind '${KIND_OF[$id]}' in CHAINS; want file-storage, industry, cross-chain or other" ;;
	esac
	if [[ "${PLAIN_OF[$id]}" == 1 ]]; then
		[[ -z "${TRANSFER_OF[$id]}" ]] || die "subchain $id: a plain chain gets no IBC path, drop 'transfer' in CHAINS"
	else
		STATUS_IDS+=("$id")
		RLY_IDS+=("$id")
	fi
	[[ -n "${SUBCHAIN_NAME[$id]:-}" ]] || die "subchain $id has no name in SUBCHAIN_NAME"
	for org in ${MEMBERS[$id]:-}; do
		[[ -n "${ORG_NAME[$org]:-}" ]] || die "MEMBERS names org '$org' for $id, which is not in ORGS"
	done
done
# Keys besides validator/relayer/user: the collector's admin and the orgs'
# admins and monitoring accounts on the main chain; the reporter's admin on
# every subchain with a sidecar; on every chain the validator keys of nodes 1...
EXTRA_KEYS[$MAIN_ID]="admin"
for entry in "${ORGS[@]}"; do EXTRA_KEYS[$MAIN_ID]+=" ${entry%%|*}-admin ${entry%%|*}-monitor"; done
for id in "${SUB_IDS[@]}"; do
	EXTRA_KEYS[$id]=""
	[[ "${PLAIN_OF[$id]}" == 1 ]] || EXTRA_KEYS[$id]="admin"
done
MAIN_EXTRA_KEYS="${EXTRA_KEYS[$MAIN_ID]}"
declare -A NODE_KEYS_OF
for id in "${CHAIN_IDS[@]}"; do
	NODE_KEYS_OF[$id]=""
	for ((n = 1; n < NVALS[$id]; n++)); do NODE_KEYS_OF[$id]+=" $(node_key "$n")"; done
	EXTRA_KEYS[$id]+="${NODE_KEYS_OF[$id]}"
done
NODE_KEYS="${NODE_KEYS_OF[${SUB_IDS[0]}]}"

services_plan
mapfile -t -O "${#ALL_PORTS[@]}" ALL_PORTS < <(services_ports)

# Refuse while an earlier localnet runs.
refuse_if_localnet_running
check_ports_free "${ALL_PORTS[@]}"

# ---------------------------------------------------------------- from here on we change things

# One localnet.sh at a time (the lock lives outside the wiped folders).
mkdir -p "$LOCALNET_DIR"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$LOCALNET_DIR/.lock"
	flock -n 9 || die "another localnet.sh is running right now (lock $LOCALNET_DIR/.lock)"
fi

STARTED=0
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if ((rc != 0 && STARTED == 1)); then
		log "localnet start FAILED (exit $rc); stopping what was started"
		bash "$REPO_ROOT/scripts/localnet-stop.sh" || true
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

T_START=$SECONDS
# Fresh state every time; only the key mnemonics survive.
for id in "${CHAIN_IDS[@]}"; do rm -rf "${LOCALNET_DIR:?}/$id" "${LOCALNET_DIR:?}/$id"-node[0-9]*; done
rm -rf "$PID_DIR" "$LOG_DIR" "$RLY_HOME" "$SUMMARY" "$LOCALNET_DIR/hosts" "$LOCALNET_DIR/.work" "$LOCALNET_DIR/summary.json"
mkdir -p "$PID_DIR" "$LOG_DIR" "$KEYS_DIR"
STARTED=1

# ---------------------------------------------------------------- chains

# The homes and genesis: statusnet generate from network/localnet.yaml with
# this script's knobs, each "host" root in $LOCALNET_DIR/hosts/. It inits
# every node, funds every key (mnemonics in $KEYS_DIR, kept across runs: the
# generator's keys/ folder), has every validator sign a gentx (equal stakes),
# collects them, presets the genesis (on the main chain the collector's admin
# (key admin), the orgs (admin keys <org>-admin), every subchain registered,
# the memberships with each org's monitoring account (key <org>-monitor)
# granted; on each subchain with a sidecar the reporter's admin (key admin),
# its orgs and its pace) and puts every node on 127.0.0.1 at its ports with
# the others as persistent peers. The homes are then moved where the
# localnet keeps them, and node 0's keyring gets every key of its chain
# (the generator puts each key only where its owner runs: the admins' and
# orgs' in a client home, the relayer's in rly's home, validator i's in node i).
log "generating ${CHAIN_IDS[*]} from network/localnet.yaml with statusnet ($VALIDATORS validator node(s) each, $MAIN_ID: $MAIN_VALIDATORS)"
"$STATUSNET_BIN" generate -f "$NETWORK_FILE" -o "$LOCALNET_DIR" --local-roots --force --bin-dir "$BUILD_DIR" \
	--validators "$VALIDATORS" --main-validators "$MAIN_VALIDATORS" --packet-timeout "$PACKET_TIMEOUT" \
	${VOTING_PERIOD:+--voting-period "${vp_secs}s"} >"$LOG_DIR/generate.log" 2>&1 || {
	tail -n 30 "$LOG_DIR/generate.log" >&2
	die "statusnet generate failed (log: $LOG_DIR/generate.log)"
}
GEN_ROOT="$LOCALNET_DIR/hosts/$(printf '%s' "$network_json" | json_get hosts.0.name)"
while read -r id n node_id; do
	home="$(node_home "$id" "$n")"
	mv "$GEN_ROOT/nodes/$(node_name "$id" "$n")" "$home"
	printf '%s\n' "$node_id" >"$home/node-id"
	((n == 0)) && continue
	cp "$home"/keyring-test/* "$(node_home "$id" 0)/keyring-test/"
done < <(for id in $(scnet json --file "$LOCALNET_DIR/summary.json" 'chains[].chain_id'); do
	# "chain index node-id" of each of its nodes
	scnet json --file "$LOCALNET_DIR/summary.json" "chains[chain_id=$id].nodes[].node_id" | awk -v c="$id" '{ print c, NR - 1, $0 }'
done)
for id in "${CHAIN_IDS[@]}"; do
	keyring="$(node_home "$id" 0)/keyring-test"
	[[ ! -d "$GEN_ROOT/clients/$id/keyring-test" ]] || cp "$GEN_ROOT/clients/$id/keyring-test"/* "$keyring/"
	[[ ! -d "$GEN_ROOT/rly/keys/$id/keyring-test" ]] || cp "$GEN_ROOT/rly/keys/$id/keyring-test"/* "$keyring/"
	# shellcheck disable=SC2086 # EXTRA_KEYS holds a space-separated list
	for name in "${KEY_NAMES[@]}" ${EXTRA_KEYS[$id]}; do
		[[ -s "$KEYS_DIR/$id/$name.mnemonic" ]] || die "statusnet generate made no key $name for $id"
		# In no generated keyring (a plain chain's relayer key: no relayer runs there).
		[[ -f "$keyring/$name.info" ]] || restore_key "${BIN_OF[$id]}" "$id" "$(node_home "$id" 0)" "$KEYS_DIR/$id" "$name"
	done
done
rm -rf "${LOCALNET_DIR:?}/hosts" "$LOCALNET_DIR/summary.json"
log "initialised ${#CHAIN_IDS[@]} chains with $VALIDATORS validator node(s) each ($MAIN_ID: $MAIN_VALIDATORS) ($((SECONDS - T_START))s)"

for id in "${CHAIN_IDS[@]}"; do
	for ((n = 0; n < NVALS[$id]; n++)); do
		localnet_launch_node "${BIN_OF[$id]}" "$(node_home "$id" "$n")" "$(node_log "$id" "$n")" "$(node_pidfile "$id" "$n")"
		log "started $(node_name "$id" "$n") (pid $(sed -n 1p "$(node_pidfile "$id" "$n")")), log $(node_log "$id" "$n")"
	done
done
for id in "${CHAIN_IDS[@]}"; do
	for ((n = 0; n < NVALS[$id]; n++)); do
		wait_for_height "${BIN_OF[$id]}" "$(node_rpc "$(node_off "$id" "$n")")" 3 90 "$(node_pidfile "$id" "$n")" || {
			tail -n 30 "$(node_log "$id" "$n")" >&2 || true
			die "$(node_name "$id" "$n") did not reach height 3 (log: $(node_log "$id" "$n"))"
		}
	done
done
log "all chains produce blocks, every node at height 3 or more ($((SECONDS - T_START))s)"

# ---------------------------------------------------------------- relayer

rly() { "$RLY_BIN" --home "$RLY_HOME" "$@"; }

rly config init >/dev/null
# Not the plain chains: they have no IBC path.
for id in "${RLY_IDS[@]}"; do
	bin="${BIN_OF[$id]}"
	rly_add_chain "$RLY_HOME" "$id" "$bin" "http://127.0.0.1:$(chain_port rpc "${OFFSET_OF[$id]}")" relayer ||
		die "rly chains add $id failed"
	rly keys restore "$id" relayer "$(cat "$KEYS_DIR/$id/relayer.mnemonic")" >/dev/null ||
		die "rly keys restore failed for $id"
	got="$(rly keys show "$id" relayer)"
	want="$(cat "$KEYS_DIR/$id/relayer.address")"
	[[ "$got" == "$want" ]] || die "rly derived relayer address $got on $id, the chain's keyring has $want"
done

# rly_step PATH WHAT ARGS...: run "rly ARGS" with its output appended to the
# path's link log; on failure show the log's tail and fail.
rly_step() {
	local path="$1" what="$2" logf="$LOG_DIR/link-$1.log"
	shift 2
	echo "===== rly $* =====" >>"$logf"
	if ! rly "$@" --log-format logfmt >>"$logf" 2>&1; then
		tail -n 30 "$logf" >&2 || true
		die "$what failed for path $path (rly $*; log: $logf)"
	fi
}

# ---- ICS-20 transfer paths: main chain (src) <-> subchain (dst)

PATHS=()
for id in "${SUB_IDS[@]}"; do
	[[ "${TRANSFER_OF[$id]}" == transfer ]] || continue
	path="main-$id"
	PATHS+=("$path")
	rly paths new "$MAIN_ID" "$id" "$path" --src-port transfer --dst-port transfer \
		--order unordered --version ics20-1 >/dev/null
	log "linking $MAIN_ID <-> $id (path $path): clients, connection, transfer channel; log $LOG_DIR/link-$path.log"
	t0=$SECONDS
	rly_step "$path" "rly transact link" transact link "$path" --src-port transfer --dst-port transfer \
		--order unordered --version ics20-1 --max-retries 5
	log "linked $path in $((SECONDS - t0))s"
done

# channel_of PATH: "src-channel dst-channel" of the open transfer channel on
# the connection of PATH.
channel_of() {
	local path="$1" conn bin src_node ch
	conn="$(rly paths show "$path" --json | json_get chains.src.connection-id)"
	bin="${BIN_OF[$MAIN_ID]}"
	src_node="$(node_rpc "${OFFSET_OF[$MAIN_ID]}")"
	ch="$("$bin" q ibc channel connections "$conn" --node "$src_node" --output json |
		scnet json --first 'channels[port_id=transfer,state=STATE_OPEN|3|OPEN,counterparty.port_id=transfer]')" ||
		{ echo "no open transfer channel on connection $conn" >&2; return 1; }
	scnet json channel_id counterparty.channel_id <<<"$ch"
}

declare -A CHANNELS_OF
for path in "${PATHS[@]}"; do
	CHANNELS_OF[$path]="$(channel_of "$path")" || die "could not find the transfer channel of path $path"
done

# ---- status paths: subchain (src, opens the channel) -> main chain (dst)

MAIN_BIN_P="${BIN_OF[$MAIN_ID]}"
MAIN_NODE="$(node_rpc "${OFFSET_OF[$MAIN_ID]}")"
MAIN_HOME="$LOCALNET_DIR/$MAIN_ID"

# status_binding CHAIN: "main-client main-channel" as the collector has them
# bound for CHAIN ("-" for a field not set yet), from the subchain query's link.
status_binding() {
	"$MAIN_BIN_P" q statuscollect subchain "$1" --node "$MAIN_NODE" --output json 2>/dev/null |
		scnet json --or - health.link.client_id health.link.channel_id
}

# reporter_link CHAIN FIELD: a field of the subchain reporter's link ("-" if
# not set): channel_id is the status channel it has bound, main_client_id the
# client of the main chain it has pinned. Read over REST: the CLI's
# "q statusreporter link" prints the link as {} (see rest_get in lib.sh).
reporter_link() {
	rest_get "http://127.0.0.1:$(chain_port api "${OFFSET_OF[$1]}")/statuscollect/reporter/v1/link" |
		scnet json --or - "link.$2"
}
reporter_channel() { reporter_link "$1" channel_id; }

STATUS_PATHS=()
declare -A STATUS_OF # path -> "sub-client sub-conn sub-channel main-client main-conn main-channel"
for id in "${STATUS_IDS[@]}"; do
	path="status-$id"
	STATUS_PATHS+=("$path")
	t0=$SECONDS
	log "linking $id -> $MAIN_ID (path $path): clients, bind-client, bind-main-client, connection, status channel; log $LOG_DIR/link-$path.log"
	rly paths new "$id" "$MAIN_ID" "$path" --src-port "$STATUS_SRC_PORT" --dst-port "$STATUS_DST_PORT" \
		--order unordered --version "$STATUS_VERSION" >/dev/null
	# --override: clients of its own, not the transfer path's (rly would reuse those).
	tp_args=()
	[[ -z "$STATUS_CLIENT_TP" ]] || tp_args=(--client-tp "$STATUS_CLIENT_TP")
	rly_step "$path" "rly transact clients" transact clients "$path" --override "${tp_args[@]}"
	# rly reads the clients back below the latest height when it opens the
	# connection: it must not start before both chains are two blocks past them.
	sub_rpc="$(node_rpc "${OFFSET_OF[$id]}")"
	h_sub="$(chain_height "${BIN_OF[$id]}" "$sub_rpc")"
	h_main="$(chain_height "$MAIN_BIN_P" "$MAIN_NODE")"
	pj="$(rly paths show "$path" --json)"
	sub_client="$(printf '%s' "$pj" | json_get chains.src.client-id)"
	main_client="$(printf '%s' "$pj" | json_get chains.dst.client-id)"
	[[ -n "$sub_client" && -n "$main_client" ]] || die "rly created no clients for path $path"
	# The main chain accepts a status channel only over the client bound to the subchain.
	log "binding $MAIN_ID's client $main_client to $id (collector admin)"
	submit_tx "$MAIN_BIN_P" "$MAIN_NODE" "$MAIN_HOME" "$MAIN_ID" \
		statuscollect bind-client "$id" "$main_client" --from admin >/dev/null ||
		die "bind-client $id $main_client failed"
	read -r bound _ <<<"$(status_binding "$id")"
	[[ "$bound" == "$main_client" ]] || die "after bind-client, $MAIN_ID has client '$bound' bound to $id, want $main_client"
	# And the sidecar opens it only over the client of the main chain pinned there.
	log "pinning $id's client $sub_client of $MAIN_ID in its sidecar (reporter admin)"
	submit_tx "${BIN_OF[$id]}" "$sub_rpc" "$LOCALNET_DIR/$id" "$id" \
		statusreporter bind-main-client "$sub_client" --from admin >/dev/null ||
		die "bind-main-client $sub_client on $id failed"
	pinned="$(reporter_link "$id" main_client_id)" || pinned="-"
	[[ "$pinned" == "$sub_client" ]] || die "after bind-main-client, $id's sidecar has client '$pinned' pinned, want $sub_client"
	if ! wait_for_height "${BIN_OF[$id]}" "$sub_rpc" $((h_sub + 2)) 30 ||
		! wait_for_height "$MAIN_BIN_P" "$MAIN_NODE" $((h_main + 2)) 30; then
		die "the chains of path $path stopped producing blocks after its clients were created"
	fi
	rly_step "$path" "rly transact connection" transact connection "$path" --max-retries 5
	rly_step "$path" "rly transact channel" transact channel "$path" --src-port "$STATUS_SRC_PORT" \
		--dst-port "$STATUS_DST_PORT" --order unordered --version "$STATUS_VERSION" --max-retries 5
	pj="$(rly paths show "$path" --json)"
	sub_conn="$(printf '%s' "$pj" | json_get chains.src.connection-id)"
	main_conn="$(printf '%s' "$pj" | json_get chains.dst.connection-id)"
	# Both ends bind the channel in the handshake (the subchain at OpenAck, the
	# main chain at OpenConfirm); allow the nodes a moment to show it.
	for ((i = 0; i < 20; i++)); do
		read -r _ main_ch <<<"$(status_binding "$id")"
		sub_ch="$(reporter_channel "$id")" || sub_ch="-"
		[[ "$main_ch" != "-" && "$sub_ch" != "-" ]] && break
		sleep 0.5
	done
	[[ "$main_ch" != "-" ]] || die "$MAIN_ID has no status channel bound to $id after the handshake"
	[[ "$sub_ch" != "-" ]] || die "$id's reporter has no status channel bound after the handshake"
	STATUS_OF[$path]="$sub_client $sub_conn $sub_ch $main_client $main_conn $main_ch"
	log "linked $path in $((SECONDS - t0))s: $id $STATUS_SRC_PORT/$sub_ch ($sub_client, $sub_conn)" \
		"-> $MAIN_ID $STATUS_DST_PORT/$main_ch ($main_client, $main_conn)"
done

rly_start_args=()
# Short-lived status clients: have rly refresh them well before they expire.
[[ -z "$STATUS_CLIENT_TP" ]] || rly_start_args=(--time-threshold "$((tp_secs / 3))s")
start_bg "$PID_DIR/rly.pid" "$LOG_DIR/rly.log" "$RLY_BIN" --home "$RLY_HOME" start --log-format logfmt "${rly_start_args[@]}"
sleep 2
pid_alive "$PID_DIR/rly.pid" || {
	tail -n 30 "$LOG_DIR/rly.log" >&2 || true
	die "rly start exited at once (log: $LOG_DIR/rly.log)"
}
log "started rly (pid $(sed -n 1p "$PID_DIR/rly.pid")) relaying ${PATHS[*]} ${STATUS_PATHS[*]}, log $LOG_DIR/rly.log"
services_start

# ---------------------------------------------------------------- summary

summary_args=()
for id in "${CHAIN_IDS[@]}"; do
	bin="${BIN_OF[$id]}"
	off="${OFFSET_OF[$id]}"
	# shellcheck disable=SC2086 # EXTRA_KEYS holds a space-separated list
	names="$(printf '%s,' "${KEY_NAMES[@]}" ${EXTRA_KEYS[$id]})"
	summary_args+=("chain" "$id" "$bin" "$LOCALNET_DIR/$id" "$(chain_denom "$bin")" "$(chain_prefix "$bin")"
		"$(chain_port rpc "$off")" "$(chain_port p2p "$off")" "$(chain_port grpc "$off")" "$(chain_port api "$off")"
		"$KEYS_DIR/$id" "${names%,}" "$LOG_DIR/$id.log" "${KIND_OF[$id]:--}" "${PLAIN_OF[$id]}" "${NVALS[$id]}")
	for ((n = 0; n < NVALS[$id]; n++)); do
		noff="$(node_off "$id" "$n")"
		summary_args+=("$(node_moniker "$id" "$n")" "$(node_home "$id" "$n")" "$(cat "$(node_home "$id" "$n")/node-id")"
			"$(node_key "$n")" "$(chain_port rpc "$noff")" "$(chain_port p2p "$noff")" "$(chain_port grpc "$noff")"
			"$(chain_port api "$noff")" "$(node_log "$id" "$n")" "$(node_pidfile "$id" "$n")")
	done
done
for path in "${PATHS[@]}"; do
	read -r src_ch dst_ch <<<"${CHANNELS_OF[$path]}"
	summary_args+=("path" "$path" "$MAIN_ID" "${path#main-}" "$src_ch" "$dst_ch")
done
for path in "${STATUS_PATHS[@]}"; do
	read -ra ids <<<"${STATUS_OF[$path]}" # six ids: client, connection, channel on each side
	summary_args+=("status" "$path" "${path#status-}" "$MAIN_ID" "${ids[@]}")
done
services_json >"$LOCALNET_DIR/services.jsonl"
scnet write-summary "$SUMMARY" "$RLY_HOME" "$LOG_DIR/rly.log" "$STATUS_SRC_PORT" "$STATUS_DST_PORT" "$STATUS_VERSION" \
	"$LOCALNET_DIR/services.jsonl" "${summary_args[@]}"
rm -f "$LOCALNET_DIR/services.jsonl"

echo
echo "localnet is up in $((SECONDS - T_START))s (stop it with: bash scripts/localnet-stop.sh)"
fmt='  %-20s %-11s %-19s %-6s %-6s %-6s %-6s %s\n'
# shellcheck disable=SC2059 # the format is fmt
printf "$fmt" NODE BINARY KIND RPC P2P GRPC API LOG
for id in "${CHAIN_IDS[@]}"; do
	kind="${KIND_OF[$id]:-main}"
	[[ "${PLAIN_OF[$id]}" == 1 ]] && kind+=" (plain)"
	for ((n = 0; n < NVALS[$id]; n++)); do
		noff="$(node_off "$id" "$n")"
		# shellcheck disable=SC2059 # the format is fmt
		printf "$fmt" "$(node_name "$id" "$n")" "$(basename "${BIN_OF[$id]}")" "$kind" \
			"$(chain_port rpc "$noff")" "$(chain_port p2p "$noff")" "$(chain_port grpc "$noff")" "$(chain_port api "$noff")" \
			"$(node_log "$id" "$n")"
	done
done
for path in "${PATHS[@]}"; do
	read -r src_ch dst_ch <<<"${CHANNELS_OF[$path]}"
	echo "  path $path: $MAIN_ID transfer/$src_ch <-> ${path#main-} transfer/$dst_ch"
done
for path in "${STATUS_PATHS[@]}"; do
	read -r sc _ sch mc _ mch <<<"${STATUS_OF[$path]}"
	echo "  path $path: ${path#status-} $STATUS_SRC_PORT/$sch ($sc) -> $MAIN_ID $STATUS_DST_PORT/$mch ($mc)"
done
echo "  relayer: home $RLY_HOME, log $LOG_DIR/rly.log"
keys_note=""
[[ -z "$NODE_KEYS" ]] || keys_note="; every chain also$NODE_KEYS (the validators of nodes 1..$((VALIDATORS - 1)))"
[[ "$MAIN_VALIDATORS" == "$VALIDATORS" ]] || keys_note+="; $MAIN_ID:${NODE_KEYS_OF[$MAIN_ID]:- none}"
echo "  keys (test keyring in node 0's home; mnemonics in $KEYS_DIR): ${KEY_NAMES[*]};" \
	"$MAIN_ID also $MAIN_EXTRA_KEYS; subchains with a sidecar also admin$keys_note"
plain_ids=()
for id in "${SUB_IDS[@]}"; do [[ "${PLAIN_OF[$id]}" == 0 ]] || plain_ids+=("$id"); done
echo "  $VALIDATORS validator node(s) per chain (LOCALNET_VALIDATORS), $MAIN_VALIDATORS on $MAIN_ID (MAIN_VALIDATORS); plain chains (no sidecar, no IBC path): ${plain_ids[*]:-none}"
echo "  summary: $SUMMARY"
services_summary
