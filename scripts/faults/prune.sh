#!/usr/bin/env bash
# Scenario: history pruned on real nodes. Not a fault: what a consortium's
# main chain does every block, shown under a retention short enough to watch.
#
# A fresh localnet (60 s votes; each subchain reports every 30 s):
#
#   1. The main chain's validators pass a MsgUpdateParams that sets
#      history_retention to RETENTION_S seconds (and dispute_window under it).
#   2. When subchain-a's report after its first prune checkpoint (report 8:
#      every eighth report is one, docs/collector.md) is recorded, its
#      history is whole from report 1, read with the time each report was
#      recorded.
#   3. The oldest reports go: the history then starts right after a prune
#      checkpoint, and that checkpoint had been recorded at least RETENTION_S
#      before the block the prune is first seen at; the history is whole up
#      to the subchain's latest report, which stays, and holds no more than
#      the reports of the retention and one checkpoint's eight; the status at
#      the first report's height answers that no report is retained there.
#
# Usage: make fault-prune   (no localnet may be running)
set -euo pipefail
FAULT=prune
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUB=subchain-a
RETENTION_S=60
EVERY=8 # reports a prune checkpoint stands for (pruneEvery in the collector)

fault_localnet_up LOCALNET_VOTING_PERIOD=60s
MAIN_DENOM="$(localnet_chain "$MAIN_ID" denom)"
MAIN_RPC_HTTP="http://${MAIN_RPC#tcp://}"

# history_all: every report of SUB the main chain holds, oldest first.
history_all() { history_json "$SUB"; }
# seqs_of HISTORY: the sequences in HISTORY, oldest first.
seqs_of() { printf '%s' "$1" | scnet json --join ' ' '[].sequence'; }
# now_ns: the main chain's latest block time in unix nanoseconds.
now_ns() { block_time "$MAIN_RPC_HTTP" "$(main_height)"; }

step "passing history_retention=${RETENTION_S}s by governance"
params="$("$MAIN_BIN_P" q statuscollect params --node "$MAIN_RPC" --output json | json_get params)" || fail "cannot read the collector's params"
params="$(printf '%s' "$params" | sed -E "s/\"history_retention\": *\"[^\"]*\"/\"history_retention\":\"${RETENTION_S}s\"/; s/\"dispute_window\": *\"[^\"]*\"/\"dispute_window\":\"$((RETENTION_S / 2))s\"/")"
grep -q "\"history_retention\":\"${RETENTION_S}s\"" <<<"$params" || fail "cannot set history_retention in the params $params"
gov="$(gov_account "$MAIN_BIN_P" "$MAIN_RPC")" || fail "cannot read $MAIN_ID's gov module account"
PROP_ID="$(pass_proposal "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$MAIN_DENOM" "A short history" \
	"{\"@type\": \"/statuscollect.collector.v1.MsgUpdateParams\", \"authority\": \"$gov\", \"params\": $params}")"
got="$("$MAIN_BIN_P" q statuscollect params --node "$MAIN_RPC" --output json | scnet json params.history_retention)"
[[ "$got" == "${RETENTION_S}s" || "$got" == "$((RETENTION_S / 60))m0s" ]] || fail "after proposal $PROP_ID history_retention is $got, want ${RETENTION_S}s"
check "proposal $PROP_ID passed: history_retention $got"

# A report is queued for pruning as a checkpoint when the report after it
# comes, and pruned RETENTION_S after it was recorded: the history read when
# report EVERY+1 arrives (its checkpoint EVERY half an interval old) is whole.
step "waiting for $SUB's report $((EVERY + 1)) over IBC (after its first prune checkpoint)"
_past_checkpoint() { (($(latest_seq "$SUB") >= EVERY + 1)); }
poll_until 480 "$SUB's report $((EVERY + 1))" _past_checkpoint >/dev/null
BEFORE="$(history_all)"
read -ra S0 < <(seqs_of "$BEFORE")
((S0[0] == 1)) || fail "$SUB's history starts at report ${S0[0]} when report $((EVERY + 1)) arrives"
FIRST_H="$(printf '%s' "$BEFORE" | scnet json '[sequence=1].snapshot.height')"
check "$SUB's history holds reports 1 to ${S0[-1]} when report $((EVERY + 1)) arrives"

step "waiting for $SUB's oldest reports to be pruned"
_pruned() { read -ra s < <(seqs_of "$(history_all)") && ((s[0] > 1)); }
poll_until 240 "$SUB's report 1 pruned" _pruned >/dev/null # polled every second
NOW="$(now_ns)"
AFTER="$(history_all)"
read -ra S1 < <(seqs_of "$AFTER")
oldest="${S1[0]}" latest="${S1[-1]}"
CHECKPOINT=$((oldest - 1))
((CHECKPOINT % EVERY == 0)) || fail "$SUB's history now starts at report $oldest: not right after a prune checkpoint"
cp_time="$(printf '%s' "$BEFORE" | scnet json --or '' "[sequence=$CHECKPOINT].main_time")"
[[ -n "$cp_time" ]] || fail "checkpoint $CHECKPOINT was not in the history read before the change"
age_s=$(((NOW - $(rfc3339_ns "$cp_time")) / 1000000000))
((age_s >= RETENTION_S)) || fail "report $CHECKPOINT, a checkpoint recorded ${age_s}s ago, is pruned under a ${RETENTION_S}s retention"
check "reports 1 to $CHECKPOINT are pruned through the checkpoint $CHECKPOINT, recorded ${age_s}s before the block they are first seen gone at (retention ${RETENTION_S}s)"
((${#S1[@]} == latest - oldest + 1)) || fail "$SUB's history from $oldest to $latest holds ${#S1[@]} reports: some in between are missing"
last="$(subchain_health "$SUB" | scnet json subchain.last_sequence)"
((latest == last)) || fail "$SUB's history ends at $latest, its record's latest report is $last"
interval_s="$(subchain_health "$SUB" | scnet json subchain.report_interval)"
interval_s="${interval_s%s}"
most=$((RETENTION_S / interval_s + EVERY + 1))
((${#S1[@]} <= most)) || fail "$SUB's history holds ${#S1[@]} reports under a ${RETENTION_S}s retention at one every ${interval_s}s, more than $most"
check "$SUB's history is whole from report $oldest to its latest, $latest: ${#S1[@]} reports, at most $most under the retention"
out="$("$MAIN_BIN_P" q statuscollect status-at-height "$SUB" "$FIRST_H" --node "$MAIN_RPC" --output json 2>&1)" &&
	fail "the status at height $FIRST_H (report 1's) is still served: $out"
grep -q "no retained report" <<<"$out" || fail "the status at height $FIRST_H is refused otherwise: $out"
check "the status at height $FIRST_H, report 1's, is refused: no retained report"
figure "$SUB's history after the first prune" "reports $oldest to $latest (${#S1[@]}); checkpoint $CHECKPOINT pruned ${age_s}s after it was recorded"

fault_pass
