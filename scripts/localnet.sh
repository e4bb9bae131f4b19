#!/usr/bin/env bash
# Start a local statuscollect network on 127.0.0.1: the main chain and the
# subchains listed in CHAINS, one validator each, plus an IBC relayer (rly)
# with an ICS-20 transfer channel between the main chain and every subchain.
#
# Usage: bash scripts/localnet.sh        (stop it with: bash scripts/localnet-stop.sh)
#
# Everything lives in .localnet/ under the repo root:
#   <chain-id>/                node home (test keyring with keys validator, relayer, user)
#   keys/<chain-id>/NAME.mnemonic, NAME.address
#                              mnemonics of the keys; kept across runs so addresses are stable
#   logs/<chain-id>.log, logs/rly.log, logs/link-<path>.log
#   pids/<chain-id>.pid, pids/rly.pid
#   rly/                       relayer home
#   localnet.json              chain ids, binaries, homes, ports, key addresses, paths and channels
#
# Nothing is started unless every check passes (no localnet running, every port
# free); if a later step fails, whatever was started is stopped again.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

# The chains: "chain-id binary port-offset". The first one is the main chain;
# every other one gets a transfer channel to it. To add a second subchain add
# the line:  "subchain-b subchaind 200"
CHAINS=(
	"mainchain-1 mainchaind 0"
	"subchain-a subchaind 100"
)

PID_DIR="$LOCALNET_DIR/pids"
LOG_DIR="$LOCALNET_DIR/logs"
KEYS_DIR="$LOCALNET_DIR/keys"
RLY_HOME="$LOCALNET_DIR/rly"
SUMMARY="$LOCALNET_DIR/localnet.json"

# ---------------------------------------------------------------- checks (no side effects)

require_python3
require_chain_binaries
require_rly

declare -A BIN_OF OFFSET_OF
CHAIN_IDS=()
ALL_PORTS=()
for entry in "${CHAINS[@]}"; do
	read -r id bin off <<<"$entry"
	[[ -n "${BIN_OF[$id]:-}" ]] && die "chain id $id is listed twice in CHAINS"
	CHAIN_IDS+=("$id")
	BIN_OF[$id]="$BUILD_DIR/$bin"
	OFFSET_OF[$id]="$off"
	for kind in "${NODE_PORT_KINDS[@]}"; do ALL_PORTS+=("$(chain_port "$kind" "$off")"); done
done
MAIN_ID="${CHAIN_IDS[0]}"
dups="$(printf '%s\n' "${ALL_PORTS[@]}" | sort | uniq -d)"
[[ -z "$dups" ]] || die "port offsets in CHAINS collide on port(s): $(echo "$dups" | tr '\n' ' ')"

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

# Fresh state every time; only the key mnemonics survive.
for id in "${CHAIN_IDS[@]}"; do rm -rf "${LOCALNET_DIR:?}/$id"; done
rm -rf "$PID_DIR" "$LOG_DIR" "$RLY_HOME" "$SUMMARY"
mkdir -p "$PID_DIR" "$LOG_DIR" "$KEYS_DIR"
STARTED=1

# ---------------------------------------------------------------- chains

for id in "${CHAIN_IDS[@]}"; do
	bin="${BIN_OF[$id]}"
	off="${OFFSET_OF[$id]}"
	log "initialising $id ($(basename "$bin"), rpc $(chain_port rpc "$off"))"
	init_chain "$bin" "$id" "$LOCALNET_DIR/$id" "$(chain_denom "$bin")" "$off" "$KEYS_DIR/$id"
done
for id in "${CHAIN_IDS[@]}"; do
	start_bg "$PID_DIR/$id.pid" "$LOG_DIR/$id.log" \
		"${BIN_OF[$id]}" start --home "$LOCALNET_DIR/$id" --log_no_color
	log "started $id (pid $(sed -n 1p "$PID_DIR/$id.pid")), log $LOG_DIR/$id.log"
done
for id in "${CHAIN_IDS[@]}"; do
	wait_for_height "${BIN_OF[$id]}" "$(node_rpc "${OFFSET_OF[$id]}")" 3 90 "$PID_DIR/$id.pid" || {
		tail -n 30 "$LOG_DIR/$id.log" >&2 || true
		die "$id did not start producing blocks (log: $LOG_DIR/$id.log)"
	}
done
log "all chains produce blocks"

# ---------------------------------------------------------------- relayer

rly() { "$RLY_BIN" --home "$RLY_HOME" "$@"; }

rly config init >/dev/null
for id in "${CHAIN_IDS[@]}"; do
	bin="${BIN_OF[$id]}"
	denom="$(chain_denom "$bin")"
	cfg="$RLY_HOME/chain-$id.json"
	cat >"$cfg" <<EOF
{
  "type": "cosmos",
  "value": {
    "key": "relayer",
    "chain-id": "$id",
    "rpc-addr": "http://127.0.0.1:$(chain_port rpc "${OFFSET_OF[$id]}")",
    "account-prefix": "$(chain_prefix "$bin")",
    "keyring-backend": "test",
    "gas-adjustment": 1.5,
    "gas-prices": "0$denom",
    "min-gas-amount": 0,
    "debug": false,
    "timeout": "20s",
    "output-format": "json",
    "sign-mode": "direct"
  }
}
EOF
	rly chains add --file "$cfg" "$id" >/dev/null 2>&1 || die "rly chains add $id failed"
	rly keys restore "$id" relayer "$(cat "$KEYS_DIR/$id/relayer.mnemonic")" >/dev/null ||
		die "rly keys restore failed for $id"
	got="$(rly keys show "$id" relayer)"
	want="$(cat "$KEYS_DIR/$id/relayer.address")"
	[[ "$got" == "$want" ]] || die "rly derived relayer address $got on $id, the chain's keyring has $want"
done

PATHS=()
for id in "${CHAIN_IDS[@]:1}"; do
	path="main-$id"
	PATHS+=("$path")
	rly paths new "$MAIN_ID" "$id" "$path" --src-port transfer --dst-port transfer \
		--order unordered --version ics20-1 >/dev/null
	log "linking $MAIN_ID <-> $id (path $path): clients, connection, transfer channel; log $LOG_DIR/link-$path.log"
	t0=$SECONDS
	if ! rly transact link "$path" --src-port transfer --dst-port transfer --order unordered \
		--version ics20-1 --max-retries 5 --log-format logfmt >"$LOG_DIR/link-$path.log" 2>&1; then
		tail -n 30 "$LOG_DIR/link-$path.log" >&2 || true
		die "rly transact link $path failed (log: $LOG_DIR/link-$path.log)"
	fi
	log "linked $path in $((SECONDS - t0))s"
done

# channel_of PATH: "src-channel dst-channel" of the open transfer channel on
# the connection of PATH.
channel_of() {
	local path="$1" conn bin src_node
	conn="$(rly paths show "$path" --json | json_get chains.src.connection-id)"
	bin="${BIN_OF[$MAIN_ID]}"
	src_node="$(node_rpc "${OFFSET_OF[$MAIN_ID]}")"
	"$bin" q ibc channel connections "$conn" --node "$src_node" --output json | python3 -c '
import json, sys
for ch in json.load(sys.stdin).get("channels", []):
    if ch.get("port_id") == "transfer" and ch.get("state") in ("STATE_OPEN", 3, "OPEN") \
            and ch.get("counterparty", {}).get("port_id") == "transfer":
        print(ch["channel_id"], ch["counterparty"]["channel_id"]); sys.exit(0)
sys.exit("no open transfer channel on connection " + sys.argv[1])
' "$conn"
}

declare -A CHANNELS_OF
for path in "${PATHS[@]}"; do
	CHANNELS_OF[$path]="$(channel_of "$path")" || die "could not find the transfer channel of path $path"
done

start_bg "$PID_DIR/rly.pid" "$LOG_DIR/rly.log" "$RLY_BIN" --home "$RLY_HOME" start --log-format logfmt
sleep 2
pid_alive "$PID_DIR/rly.pid" || {
	tail -n 30 "$LOG_DIR/rly.log" >&2 || true
	die "rly start exited at once (log: $LOG_DIR/rly.log)"
}
log "started rly (pid $(sed -n 1p "$PID_DIR/rly.pid")), log $LOG_DIR/rly.log"

# ---------------------------------------------------------------- summary

summary_args=()
for id in "${CHAIN_IDS[@]}"; do
	bin="${BIN_OF[$id]}"
	off="${OFFSET_OF[$id]}"
	summary_args+=("chain" "$id" "$bin" "$LOCALNET_DIR/$id" "$(chain_denom "$bin")" "$(chain_prefix "$bin")"
		"$(chain_port rpc "$off")" "$(chain_port p2p "$off")" "$(chain_port grpc "$off")" "$(chain_port api "$off")"
		"$(cat "$KEYS_DIR/$id/validator.address")" "$(cat "$KEYS_DIR/$id/relayer.address")"
		"$(cat "$KEYS_DIR/$id/user.address")" "$LOG_DIR/$id.log")
done
for path in "${PATHS[@]}"; do
	read -r src_ch dst_ch <<<"${CHANNELS_OF[$path]}"
	summary_args+=("path" "$path" "$MAIN_ID" "${path#main-}" "$src_ch" "$dst_ch")
done
python3 - "$SUMMARY" "$RLY_HOME" "$LOG_DIR/rly.log" "${summary_args[@]}" <<'PY'
import json, sys
out, rly_home, rly_log, a = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
chains, paths, i = [], [], 0
while i < len(a):
    if a[i] == "chain":
        (cid, binary, home, denom, prefix, rpc, p2p, grpc, api, val, rel, usr, logf) = a[i + 1:i + 14]
        chains.append({"chain_id": cid, "binary": binary, "home": home, "denom": denom, "prefix": prefix,
                       "rpc": f"tcp://127.0.0.1:{rpc}", "ports": {"rpc": int(rpc), "p2p": int(p2p), "grpc": int(grpc), "api": int(api)},
                       "keys": {"validator": val, "relayer": rel, "user": usr}, "log": logf})
        i += 14
    else:
        name, src, dst, src_ch, dst_ch = a[i + 1:i + 6]
        paths.append({"name": name, "src": {"chain_id": src, "port": "transfer", "channel": src_ch},
                      "dst": {"chain_id": dst, "port": "transfer", "channel": dst_ch}})
        i += 6
json.dump({"chains": chains, "paths": paths, "rly": {"home": rly_home, "log": rly_log}}, open(out, "w"), indent=2)
PY

echo
echo "localnet is up (stop it with: bash scripts/localnet-stop.sh)"
printf '  %-12s %-11s %-6s %-6s %-6s %-6s %s\n' CHAIN BINARY RPC P2P GRPC API LOG
for id in "${CHAIN_IDS[@]}"; do
	off="${OFFSET_OF[$id]}"
	printf '  %-12s %-11s %-6s %-6s %-6s %-6s %s\n' "$id" "$(basename "${BIN_OF[$id]}")" \
		"$(chain_port rpc "$off")" "$(chain_port p2p "$off")" "$(chain_port grpc "$off")" "$(chain_port api "$off")" \
		"$LOG_DIR/$id.log"
done
for path in "${PATHS[@]}"; do
	read -r src_ch dst_ch <<<"${CHANNELS_OF[$path]}"
	echo "  path $path: $MAIN_ID transfer/$src_ch <-> ${path#main-} transfer/$dst_ch"
done
echo "  relayer: home $RLY_HOME, log $LOG_DIR/rly.log"
echo "  keys (test keyring in each home; mnemonics in $KEYS_DIR): ${KEY_NAMES[*]}"
echo "  summary: $SUMMARY"
