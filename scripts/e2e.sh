#!/usr/bin/env bash
# End-to-end IBC test: start the localnet (scripts/localnet.sh), send an ICS-20
# transfer of AMOUNT umain from the main chain's user to the subchain's user
# over the linked transfer channel, wait until the voucher (ibc/<hash>) shows in
# the subchain user's balance, report how long it took, stop the localnet.
#
# Usage: bash scripts/e2e.sh
# Env:   E2E_AMOUNT (default 1000), E2E_TIMEOUT seconds to wait for the voucher (default 120)
# Needs: build/mainchaind, build/subchaind ('make build'), build/rly ('make tools').
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

AMOUNT="${E2E_AMOUNT:-1000}"
TIMEOUT="${E2E_TIMEOUT:-120}"
SUMMARY="$LOCALNET_DIR/localnet.json"

require_python3
require_chain_binaries
require_rly

STEP="starting the localnet"
LOCALNET_UP=0
# Logs older than this marker are from an earlier run: don't show them.
MARK="$(mktemp "${TMPDIR:-/tmp}/e2e-mark.XXXXXX")"
on_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if ((rc != 0)); then
		log "e2e FAILED while $STEP (exit $rc)"
		if ((LOCALNET_UP == 1)); then
			local f shown=" "
			for f in "$LOCALNET_DIR"/logs/rly.log "$LOCALNET_DIR"/logs/link-*.log "$LOCALNET_DIR"/logs/*.log; do
				[[ -f "$f" && "$f" -nt "$MARK" && "$shown" != *" $f "* ]] || continue
				shown+="$f "
				echo "----- last 25 lines of $f -----" >&2
				tail -n 25 "$f" >&2 || true
			done
			echo "-----" >&2
		fi
	fi
	if ((LOCALNET_UP == 1)); then
		bash "$REPO_ROOT/scripts/localnet-stop.sh" || rc=1
	fi
	rm -f "$MARK"
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Never stop a localnet someone else started: refuse up front. Once that check
# passed, whatever runs from the localnet's pid files is ours to stop.
refuse_if_localnet_running
T0=$SECONDS
LOCALNET_UP=1
bash "$REPO_ROOT/scripts/localnet.sh"
log "localnet up in $((SECONDS - T0))s"

STEP="reading $SUMMARY"
# Fields of the first path (main chain -> first subchain) and of both chains.
read -r MAIN_ID MAIN_BIN_P MAIN_HOME MAIN_DENOM MAIN_RPC MAIN_USER \
	SUB_ID SUB_BIN_P SUB_RPC SUB_USER SRC_CH DST_CH < <(python3 - "$SUMMARY" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
p = s["paths"][0]
c = {x["chain_id"]: x for x in s["chains"]}
m, d = c[p["src"]["chain_id"]], c[p["dst"]["chain_id"]]
print(m["chain_id"], m["binary"], m["home"], m["denom"], m["rpc"], m["keys"]["user"],
      d["chain_id"], d["binary"], d["rpc"], d["keys"]["user"], p["src"]["channel"], p["dst"]["channel"])
PY
)
[[ -n "${DST_CH:-}" ]] || die "could not read the chains and channel from $SUMMARY"

# The voucher denom on the subchain: ibc/SHA256("transfer/<dst channel>/<base denom>").
VOUCHER="ibc/$(python3 -c 'import hashlib, sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest().upper())' \
	"transfer/$DST_CH/$MAIN_DENOM")"

STEP="reading balances before the transfer"
sender_before="$(balance_of "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_USER" "$MAIN_DENOM")" || die "cannot query $MAIN_ID"
voucher_before="$(balance_of "$SUB_BIN_P" "$SUB_RPC" "$SUB_USER" "$VOUCHER")" || die "cannot query $SUB_ID"
log "sender $MAIN_USER on $MAIN_ID has $sender_before$MAIN_DENOM; receiver $SUB_USER on $SUB_ID has $voucher_before $VOUCHER"

STEP="sending $AMOUNT$MAIN_DENOM over transfer/$SRC_CH"
log "ICS-20 transfer: $AMOUNT$MAIN_DENOM $MAIN_ID transfer/$SRC_CH -> $SUB_ID transfer/$DST_CH ($SUB_USER)"
t_send=$SECONDS
ms_send="$(date +%s%3N)"
h_send="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"
tx="$(submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" \
	ibc-transfer transfer transfer "$SRC_CH" "$SUB_USER" "$AMOUNT$MAIN_DENOM" --from user)" ||
	die "the transfer tx failed"
h_tx="$(printf '%s' "$tx" | json_get height)"
seq="$(printf '%s' "$tx" | tx_event_attr send_packet packet_sequence)" || seq="?"
log "transfer tx in $MAIN_ID block $h_tx (packet sequence $seq)"

STEP="waiting (up to ${TIMEOUT}s) for $AMOUNT $VOUCHER on $SUB_ID"
want=$((voucher_before + AMOUNT))
while :; do
	got="$(balance_of "$SUB_BIN_P" "$SUB_RPC" "$SUB_USER" "$VOUCHER")" || got=0 # keep trying until the deadline
	((got >= want)) && break
	if ((SECONDS - t_send >= TIMEOUT)); then
		die "after ${TIMEOUT}s the receiver holds $got $VOUCHER, want $want; balances: $("$SUB_BIN_P" q bank balances "$SUB_USER" --node "$SUB_RPC" --output json 2>&1 | tr -d '\n ')"
	fi
	sleep 0.5
done
ms_recv="$(date +%s%3N)"
h_seen="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"
((got == want)) || die "the receiver holds $got $VOUCHER, want exactly $want"

# The acknowledgement back on the main chain deletes the packet commitment.
STEP="waiting (up to ${TIMEOUT}s after the send) for the acknowledgement on $MAIN_ID"
while :; do
	if out="$("$MAIN_BIN_P" q ibc channel packet-commitments transfer "$SRC_CH" --node "$MAIN_RPC" --output json 2>/dev/null)" &&
		! printf '%s' "$out" | python3 -c '
import json, sys
seqs = [c.get("sequence") for c in (json.load(sys.stdin).get("commitments") or [])]
sys.exit(0 if sys.argv[1] in seqs else 1)
' "$seq"; then
		break
	fi
	((SECONDS - t_send >= TIMEOUT)) && die "packet $seq is still unacknowledged on $MAIN_ID after ${TIMEOUT}s"
	sleep 0.5
done
ms_ack="$(date +%s%3N)"
h_ack="$(chain_height "$MAIN_BIN_P" "$MAIN_RPC")"

STEP="checking the sender's balance"
sender_after="$(balance_of "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_USER" "$MAIN_DENOM")" || die "cannot query $MAIN_ID"
((sender_after == sender_before - AMOUNT)) ||
	die "the sender holds $sender_after$MAIN_DENOM after the transfer, want $((sender_before - AMOUNT)) (fees are zero)"

secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
log "received $AMOUNT $VOUCHER on $SUB_ID"
log "transfer took $(secs $((ms_recv - ms_send)))s from broadcast to voucher on $SUB_ID:" \
	"$((h_seen - h_send)) $MAIN_ID blocks (broadcast at height $h_send, tx in block $h_tx, voucher seen at height $h_seen)"
log "acknowledgement back on $MAIN_ID after $(secs $((ms_ack - ms_send)))s ($MAIN_ID height $h_ack)"
STEP="stopping the localnet"
log "e2e PASSED in $((SECONDS - T0))s total"
