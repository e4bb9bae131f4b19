#!/usr/bin/env bash
# CosmWasm smoke test of the subchain binary: start a throwaway single-node
# subchain in a temp dir, store testdata/hackatom.wasm, instantiate it, check
# a smart query answers with the instantiate message's verifier, stop the node.
#
# Usage: bash scripts/wasm-smoke.sh
# Env:   WASM_SMOKE_PORT_OFFSET (default 300: rpc 26957, p2p 26956, grpc 9390, api 1617)
#        KEEP_TMP=1 keeps the temp dir (node home and log) for inspection.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

OFFSET="${WASM_SMOKE_PORT_OFFSET:-300}"
CHAIN_ID="wasm-smoke-1"
CONTRACT="$REPO_ROOT/testdata/hackatom.wasm"
BIN="$SUB_BIN"
DENOM="$(chain_denom "$BIN")"
NODE="$(node_rpc "$OFFSET")"

require_chain_binaries
[[ -f "$CONTRACT" ]] || die "$CONTRACT is missing (see testdata/README.md for where it comes from)"

ports=()
for kind in "${NODE_PORT_KINDS[@]}"; do ports+=("$(chain_port "$kind" "$OFFSET")"); done
check_ports_free "${ports[@]}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/wasm-smoke.XXXXXX")"
HOME_DIR="$TMP/home"
LOG="$TMP/node.log"
PIDFILE="$TMP/node.pid"
START=$SECONDS

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pidfile "$PIDFILE" 20 || true
	if ((rc != 0)); then
		if [[ -f "$LOG" ]]; then
			echo "----- last 40 lines of $LOG -----" >&2
			tail -n 40 "$LOG" >&2 || true
			echo "-----" >&2
		fi
		log "wasm smoke test FAILED (exit $rc)"
	fi
	if [[ "${KEEP_TMP:-0}" == 1 ]]; then
		log "kept $TMP"
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "initialising $CHAIN_ID in $TMP (rpc $NODE)"
init_chain "$BIN" "$CHAIN_ID" "$HOME_DIR" "$DENOM" "$OFFSET" "$TMP/keys"
start_node "$BIN" "$HOME_DIR" "$LOG" "$PIDFILE"
wait_for_height "$BIN" "$NODE" 2 60 "$PIDFILE" || die "the node did not produce blocks"

USER_ADDR="$(cat "$TMP/keys/user.address")"
VERIFIER="$(cat "$TMP/keys/validator.address")"
BENEFICIARY="$(cat "$TMP/keys/relayer.address")"

log "storing $(basename "$CONTRACT") ($(wc -c <"$CONTRACT") bytes)"
tx="$(submit_tx "$BIN" "$NODE" "$HOME_DIR" "$CHAIN_ID" wasm store "$CONTRACT" --from user)" || die "wasm store failed"
CODE_ID="$(printf '%s' "$tx" | tx_event_attr store_code code_id)" || die "no code id in the store tx"
log "code id $CODE_ID"

INIT_MSG="{\"verifier\":\"$VERIFIER\",\"beneficiary\":\"$BENEFICIARY\"}"
log "instantiating code $CODE_ID with $INIT_MSG"
tx="$(submit_tx "$BIN" "$NODE" "$HOME_DIR" "$CHAIN_ID" wasm instantiate "$CODE_ID" "$INIT_MSG" \
	--label hackatom-smoke --no-admin --amount "1000$DENOM" --from user)" || die "wasm instantiate failed"
CONTRACT_ADDR="$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)" ||
	die "no contract address in the instantiate tx"
log "contract $CONTRACT_ADDR (instantiated by $USER_ADDR)"

log "smart query {\"verifier\":{}}"
answer="$("$BIN" q wasm contract-state smart "$CONTRACT_ADDR" '{"verifier":{}}' --node "$NODE" --output json)" ||
	die "smart query failed"
got="$(printf '%s' "$answer" | json_get data.verifier)" || die "unexpected smart query answer: $answer"
[[ "$got" == "$VERIFIER" ]] || die "smart query answered verifier '$got', want '$VERIFIER' ($answer)"

funds="$(balance_of "$BIN" "$NODE" "$CONTRACT_ADDR" "$DENOM")"
[[ "$funds" == 1000 ]] || die "contract holds $funds$DENOM, want 1000$DENOM"

log "query answer: $answer"
log "wasm smoke test PASSED in $((SECONDS - START))s (code $CODE_ID, contract $CONTRACT_ADDR)"
