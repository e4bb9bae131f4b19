#!/usr/bin/env bash
# Fault scenario: the relayer down for longer than the status packet timeout.
#
# A fresh localnet whose sidecars time their status packets out after
# PACKET_TIMEOUT (LOCALNET_PACKET_TIMEOUT, the shortest the sidecar takes).
# A third node of subchain-a is started and synced first. Then rly is stopped
# and, while it is down, on subchain-a: three contracts are instantiated, the
# third node's operator creates a validator (it joins the bonded set) and a
# delegation raises validator1's power. rly stays down until the main chain's
# clock is past the in-flight report's timeout, then starts again: it relays
# the timeout to subchain-a (EventReportFailed) and then the next report.
#
# Checked: no report of subchain-a over IBC was recorded while rly was down;
# the timed-out report never reaches the main chain; afterwards every change
# (3 contracts, 1 validator added, 1 power change) is on the main chain
# exactly once and in order, in the history (new_contracts, changes) and in
# the typed events of the RecvPacket txs (EventContractsChanged,
# EventNodesChanged); the reports over IBC keep the sidecar's sequence order;
# the sidecar has nothing left pending.
#
# Usage: bash scripts/faults/relayer-down.sh    (no localnet may be running)
set -euo pipefail
FAULT=relayer-down
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-a
PACKET_TIMEOUT_S=60
JOIN_STAKE=20000000000  # a fifth of a genesis validator's: the chain never waits for the new node
DELEGATION=50000000000  # validator1's power from 100000 to 150000
[[ -f "$REPO_ROOT/testdata/hackatom.wasm" ]] || die "$REPO_ROOT/testdata/hackatom.wasm is missing"

fault_localnet_up LOCALNET_PACKET_TIMEOUT=${PACKET_TIMEOUT_S}s

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_DENOM="$(localnet_chain "$SUB" denom)"
SUB_KEYS="$LOCALNET_DIR/keys/$SUB"
subtx() { submit_tx "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" "$@"; }

step "waiting for the first report of $SUB over IBC"
wait_ibc_report "$SUB" 0 150 >/dev/null

step "storing hackatom.wasm on $SUB"
tx="$(subtx wasm store "$REPO_ROOT/testdata/hackatom.wasm" --from user)" || fail "wasm store failed"
CODE_ID="$(printf '%s' "$tx" | tx_event_attr store_code code_id)"

# ---------------------------------------------------------------- a third node, synced before the outage

step "starting a third node of $SUB (not a validator yet)"
JOIN_NAME="$SUB-node2"
JOIN_HOME="$LOCALNET_DIR/$JOIN_NAME"
JOIN_OFF=$(($(localnet_chain "$SUB" ports.rpc) - 26657 + 20))
JOIN_RPC="$(node_rpc "$JOIN_OFF")"
JOIN_PID="$LOCALNET_DIR/pids/$JOIN_NAME.pid"
JOIN_LOG="$FAULT_LOG_DIR/$JOIN_NAME.log"
check_ports_free "$(chain_port rpc "$JOIN_OFF")" "$(chain_port p2p "$JOIN_OFF")" "$(chain_port grpc "$JOIN_OFF")" "$(chain_port api "$JOIN_OFF")"
rm -rf "$JOIN_HOME"
init_node "$SUB_BIN" "$SUB" "$JOIN_HOME" "$SUB_DENOM" "node-$JOIN_NAME"
cp "$SUB_HOME/config/genesis.json" "$JOIN_HOME/config/genesis.json"
peers="$(python3 -c '
import json, sys
c = next(c for c in json.load(open(sys.argv[1]))["chains"] if c["chain_id"] == sys.argv[2])
print(",".join("%s@127.0.0.1:%d" % (n["node_id"], n["ports"]["p2p"]) for n in c["nodes"]))' "$SUMMARY" "$SUB")"
config_node "$JOIN_HOME" "$SUB" "$JOIN_OFF" "$peers"
# localnet-stop.sh stops every process with a pid file in .localnet/pids.
localnet_launch_node "$SUB_BIN" "$JOIN_HOME" "$JOIN_LOG" "$JOIN_PID"
synced() {
	local st h0
	st="$("$SUB_BIN" status --node "$JOIN_RPC")" || return 1
	h0="$(chain_height "$SUB_BIN" "$SUB_RPC")"
	printf '%s' "$st" | python3 -c '
import json, sys
s = json.load(sys.stdin)["sync_info"]
sys.exit(0 if not s["catching_up"] and int(s["latest_block_height"]) >= int(sys.argv[1]) - 1 else 1)' "$h0"
}
poll_until 120 "$JOIN_NAME synced with $SUB" synced
check "$JOIN_NAME (port offset $JOIN_OFF) block-synced to $SUB's tip"

step "funding the joining operator's key"
restore_key "$SUB_BIN" "$SUB" "$SUB_HOME" "$SUB_KEYS" joiner
JOINER="$(cat "$SUB_KEYS/joiner.address")"
subtx bank send user "$JOINER" "$((JOIN_STAKE + 1000000))$SUB_DENOM" --from user >/dev/null || fail "funding joiner failed"
JOIN_VALCONS="$("$SUB_BIN" comet show-address --home "$JOIN_HOME")"
V1_VALCONS="$("$SUB_BIN" comet show-address --home "$LOCALNET_DIR/$SUB-node1")"
V1_VALOPER="$("$SUB_BIN" keys show validator1 --bech val -a --keyring-backend test --home "$SUB_HOME")"
cat >"$JOIN_HOME/validator.json" <<EOF
{"pubkey": $("$SUB_BIN" comet show-validator --home "$JOIN_HOME"), "amount": "$JOIN_STAKE$SUB_DENOM",
 "moniker": "node-$JOIN_NAME", "commission-rate": "0.1", "commission-max-rate": "0.2",
 "commission-max-change-rate": "0.01", "min-self-delegation": "1"}
EOF

# ---------------------------------------------------------------- baseline

# The baseline: the latest report of subchain-a, and no report in flight.
idle_link() { sub_link "$SUB" | python3 -c 'import json,sys; l=json.load(sys.stdin); sys.exit(1 if l.get("in_flight") else 0)'; }
poll_until 90 "$SUB's sidecar with no report in flight" idle_link
S0="$(latest_seq "$SUB")"
read -r BASE_COUNT BASE_VALS V1_POWER < <("$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | python3 -c '
import json, sys
s = json.load(sys.stdin)["report"]["snapshot"]
v = {x["address"]: int(x["power"]) for x in s.get("validators") or []}
print(int(s.get("contract_count") or 0), len(v), v.get(sys.argv[1], -1))' "$V1_VALCONS")
((V1_POWER > 0)) || fail "validator1 ($V1_VALCONS) is not in $SUB's latest report on the main chain"
log "[$FAULT] baseline: report $S0 of $SUB, $BASE_COUNT contracts, $BASE_VALS validators, validator1 power $V1_POWER"

# ---------------------------------------------------------------- the outage

step "stopping rly"
rly_stop
T_DOWN=$SECONDS
H_DOWN="$(main_height)"
HS_DOWN="$(chain_height "$SUB_BIN" "$SUB_RPC")"

step "changing $SUB while rly is down: 3 contracts, a validator joins, a delegation"
CONTRACTS=()
instantiate() {
	local tx msg
	msg="{\"verifier\":\"$(localnet_chain "$SUB" keys.validator)\",\"beneficiary\":\"$(localnet_chain "$SUB" keys.relayer)\"}"
	tx="$(subtx wasm instantiate "$CODE_ID" "$msg" --label "fault-$1" --no-admin --from user)" || fail "wasm instantiate $1 failed"
	CONTRACTS+=("$(printf '%s' "$tx" | tx_event_attr instantiate _contract_address)")
}
instantiate 1
subtx staking create-validator "$JOIN_HOME/validator.json" --from joiner >/dev/null || fail "create-validator failed"
instantiate 2
subtx staking delegate "$V1_VALOPER" "$DELEGATION$SUB_DENOM" --from user >/dev/null || fail "delegate failed"
instantiate 3
HS_LAST_CHANGE="$(chain_height "$SUB_BIN" "$SUB_RPC")"
WANT_V1_POWER=$((V1_POWER + DELEGATION / 1000000))
WANT_JOIN_POWER=$((JOIN_STAKE / 1000000))
log "[$FAULT] contracts ${CONTRACTS[*]}; joiner $JOIN_VALCONS (power $WANT_JOIN_POWER); validator1 power $V1_POWER -> $WANT_V1_POWER"

# The report in flight must time out on the main chain's clock before rly
# comes back, and the sidecar must have taken a snapshot after the last change.
step "waiting until the main chain's clock is past the in-flight report's timeout"
past_timeout() {
	local link now
	link="$(sub_link "$SUB")" || return 1
	now="$("$MAIN_BIN_P" status --node "$MAIN_RPC" | python3 -c '
import datetime, json, re, sys
t = json.load(sys.stdin)["sync_info"]["latest_block_time"]
whole, frac = re.match(r"(.*?)(?:\.(\d+))?Z$", t).groups()
d = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print(int(d.timestamp()) * 10**9 + int(((frac or "0") + "000000000")[:9]))')" || return 1
	python3 -c '
import json, sys
l, now, last = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
f = l.get("in_flight") or {}
ok = f and now > int(f["timeout_timestamp"]) and int(l.get("next_snapshot_height") or 0) > last
print(f.get("sequence"), f.get("height"), ",".join(f.get("contracts") or []) or "-") if ok else sys.exit(1)' "$link" "$now" "$HS_LAST_CHANGE"
}
read -r TO_SEQ TO_HEIGHT TO_CONTRACTS < <(poll_until $((PACKET_TIMEOUT_S + 120)) "the in-flight report past its timeout" past_timeout)
T_UP=$SECONDS
H_UP="$(main_height)"
OUTAGE=$((T_UP - T_DOWN))
((OUTAGE > PACKET_TIMEOUT_S)) || fail "rly was down ${OUTAGE}s, not longer than the packet timeout ${PACKET_TIMEOUT_S}s"
check "the sidecar's report $TO_SEQ (subchain height $TO_HEIGHT, contracts $TO_CONTRACTS) in flight past its timeout; rly down ${OUTAGE}s > packet timeout ${PACKET_TIMEOUT_S}s"
during="$(history_json "$SUB" | python3 -c '
import json, sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
print(sum(1 for r in json.load(sys.stdin) if lo < int(r["main_height"]) <= hi and (r.get("source") or {}).get("channel_id")))' "$H_DOWN" "$H_UP")"
[[ "$during" == 0 ]] || fail "$during report(s) of $SUB over IBC were recorded while rly was down"
check "no report of $SUB over IBC recorded in main-chain blocks $((H_DOWN + 1))..$H_UP while rly was down"

# ---------------------------------------------------------------- rly back

step "starting rly again"
rly_start
delivered() {
	"$MAIN_BIN_P" q statuscollect status "$SUB" --node "$MAIN_RPC" --output json | python3 -c '
import json, sys
r = json.load(sys.stdin)["report"]
s = r["snapshot"]
v = {x["address"]: int(x["power"]) for x in s.get("validators") or []}
ok = ((r.get("source") or {}).get("channel_id") and int(s.get("contract_count") or 0) == int(sys.argv[1])
      and v.get(sys.argv[2]) == int(sys.argv[3]) and v.get(sys.argv[4]) == int(sys.argv[5]))
print(r["sequence"], r["main_height"]) if ok else sys.exit(1)' $((BASE_COUNT + 3)) "$JOIN_VALCONS" "$WANT_JOIN_POWER" "$V1_VALCONS" "$WANT_V1_POWER"
}
read -r DONE_SEQ DONE_H < <(poll_until 240 "a report of $SUB over IBC with every change" delivered)
T_DONE=$SECONDS
check "main-chain report $DONE_SEQ of $SUB over IBC (block $DONE_H) shows $((BASE_COUNT + 3)) contracts, the joiner at $WANT_JOIN_POWER, validator1 at $WANT_V1_POWER"

step "checking the history: every change once, in order"
HIST="$(history_json "$SUB")"
python3 - "$HIST" "$S0" "$TO_SEQ" "$JOIN_VALCONS" "$V1_VALCONS" "$V1_POWER" "$WANT_V1_POWER" "${CONTRACTS[@]}" <<'PY' || fail "the history does not hold every change exactly once, in order"
import json, sys
hist, s0, to_seq, joiner, v1, p_old, p_new = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
want = sys.argv[8:]
after = [r for r in hist if int(r["sequence"]) > s0]
ibc = [int(r["source"]["ibc_sequence"]) for r in hist if (r.get("source") or {}).get("channel_id")]
errs = []
if ibc != sorted(set(ibc)):
    errs.append("IBC sequences not strictly increasing: %s" % ibc)
if int(to_seq) in ibc:
    errs.append("the timed-out report %s was recorded" % to_seq)
seqs = [int(r["sequence"]) for r in hist]
if seqs != list(range(1, len(seqs) + 1)):
    errs.append("main-chain sequences have gaps: %s" % seqs)
got = [c["address"] for r in after for c in (r["snapshot"].get("new_contracts") or [])]
if got != want:
    errs.append("new_contracts after report %d: %s, want %s" % (s0, got, want))
added = [a for r in after for a in (r["changes"].get("nodes_added") or [])]
if added != [joiner]:
    errs.append("nodes_added after report %d: %s, want [%s]" % (s0, added, joiner))
removed = [a for r in after for a in (r["changes"].get("nodes_removed") or [])]
if removed:
    errs.append("nodes_removed: %s" % removed)
pc = [(p["address"], int(p.get("old_power") or 0), int(p.get("new_power") or 0)) for r in after for p in (r["changes"].get("power_changed") or [])]
if pc != [(v1, p_old, p_new)]:
    errs.append("power_changed after report %d: %s, want %s" % (s0, pc, [(v1, p_old, p_new)]))
counts = [(int(r["changes"].get("contract_count_before") or 0), int(r["changes"].get("contract_count_after") or 0)) for r in after]
moved = [c for c in counts if c[0] != c[1]]
if sum(b - a for a, b in moved) != len(want):
    errs.append("contract count moves %s do not add up to %d" % (moved, len(want)))
if errs:
    sys.exit("\n".join(errs))
print("reports after %d: %d (%d over IBC); contracts %s; joined %s; power %s" % (s0, len(after),
      sum(1 for r in after if r["source"].get("channel_id")), got, added, pc), file=sys.stderr)
PY
check "history: the 3 contracts once each in instantiation order, the joiner added once, validator1's power change once, no node removed, the sidecar's sequences (ibc_sequence) strictly increasing, its timed-out report $TO_SEQ absent, no gap in the main-chain sequences"

step "checking the typed events of the main chain's RecvPacket txs"
q_base="tx.height>$H_DOWN AND tx.height<=$DONE_H"
EV_C="$(tx_events "$MAIN_BIN_P" "$MAIN_RPC" "statuscollect.collector.v1.EventContractsChanged.chain_id='\"$SUB\"' AND $q_base" statuscollect.collector.v1.EventContractsChanged)" ||
	fail "could not search the main chain's txs"
EV_N="$(tx_events "$MAIN_BIN_P" "$MAIN_RPC" "statuscollect.collector.v1.EventNodesChanged.chain_id='\"$SUB\"' AND $q_base" statuscollect.collector.v1.EventNodesChanged)" ||
	fail "could not search the main chain's txs"
python3 - "$EV_C" "$EV_N" "$JOIN_VALCONS" "$V1_VALCONS" "$WANT_V1_POWER" "${CONTRACTS[@]}" <<'PY' || fail "the events do not announce every change exactly once"
import json, sys
evc = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
evn = [json.loads(l) for l in sys.argv[2].splitlines() if l.strip()]
joiner, v1, p_new, want = sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6:]
errs = []
for e in evc + evn:
    if "/ibc.core.channel.v1.MsgRecvPacket" not in e["msgs"] or e["code"] != 0:
        errs.append("event in a tx that is not a successful RecvPacket: %s" % e)
added = [c["address"] for e in evc for c in e["attrs"].get("added") or []]
if added != want:
    errs.append("EventContractsChanged added %s, want %s" % (added, want))
nodes = [a for e in evn for a in e["attrs"].get("added") or []]
if nodes != [joiner]:
    errs.append("EventNodesChanged added %s, want [%s]" % (nodes, joiner))
pc = [(p["address"], int(p["new_power"])) for e in evn for p in e["attrs"].get("power_changed") or []]
if pc != [(v1, p_new)]:
    errs.append("EventNodesChanged power_changed %s, want %s" % (pc, [(v1, p_new)]))
if errs:
    sys.exit("\n".join(errs))
print("%d EventContractsChanged, %d EventNodesChanged" % (len(evc), len(evn)))
PY
check "events in main-chain blocks $((H_DOWN + 1))..$DONE_H: EventContractsChanged added the 3 contracts once each, EventNodesChanged added the joiner once and changed validator1's power once, all in RecvPacket txs"

step "checking the timeout on $SUB"
EV_F="$(tx_events "$SUB_BIN" "$SUB_RPC" "tx.height>$HS_DOWN AND message.action='/ibc.core.channel.v1.MsgTimeout'" statuscollect.reporter.v1.EventReportFailed)" ||
	fail "could not search $SUB's txs"
n_failed="$(printf '%s\n' "$EV_F" | python3 -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin if l.strip()]
seqs = [str(e["attrs"].get("sequence")) for e in ev]
if sys.argv[1] not in seqs:
    sys.exit("no EventReportFailed of report %s in a MsgTimeout tx: %s" % (sys.argv[1], ev))
print(len(ev))' "$TO_SEQ")" || fail "the timeout of report $TO_SEQ was not relayed to $SUB"
check "$SUB: EventReportFailed of the sidecar's report $TO_SEQ in a MsgTimeout tx relayed by rly ($n_failed timed out in all)"
# The report that carried the contracts is acknowledged a few blocks after it
# landed on the main chain (rly relays the ack back): only then are they settled.
settled() {
	link="$(sub_link "$SUB")" && python3 -c '
import json, sys
l = json.loads(sys.argv[1])
sys.exit(1 if int(l.get("pending_contracts") or 0) or int(l.get("dropped_contracts") or 0) else 0)' "$link"
}
poll_until 60 "$SUB's sidecar settling its contracts once the ack of their report is relayed" settled
check "$SUB's sidecar: 0 contracts pending, 0 dropped"

n_after="$(printf '%s' "$HIST" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if int(r["sequence"]) > int(sys.argv[1]) and int(r["sequence"]) <= int(sys.argv[2])))' "$S0" "$DONE_SEQ")"
figure "outage" "rly down ${OUTAGE}s ($((H_UP - H_DOWN)) main-chain blocks; packet timeout ${PACKET_TIMEOUT_S}s)"
figure "reports timed out" "$n_failed (the sidecar's report $TO_SEQ, carrying contracts: $TO_CONTRACTS; its timeout relayed back to $SUB as a MsgTimeout)"
figure "changes delivered / expected" "5 / 5 (3 contracts, 1 validator joined, 1 power change), each once, in $n_after report(s)"
figure "recovery" "$((DONE_H - H_UP)) main-chain blocks, $((T_DONE - T_UP))s from rly's restart to the report carrying every change"
fault_pass
