#!/usr/bin/env bash
# Fault scenario: the main chain's software upgrade from the previous release,
# with a migration of the collector's store (plan v7-compact-changes: the
# collector from consensus version 5 to this build's, 8, through three
# migrations: 6 stores a report whose powers alone moved compact, 7 keeps
# only the prune checkpoints in the prune queue, 8 keeps each subchain's
# latest figures in its record, split in two).
#
# The previous release (RELEASE_REV, default 9e12a52: the last commit whose
# collector is at version 5) is built into build/release/ from `git archive`;
# a fresh localnet runs it on the main chain (the subchains run this build).
#
#   1. A delegation on subchain-a moves one validator's power, so the main
#      chain records a report whose validators' powers alone moved; version 5
#      stores it with its whole lists. Every reporting subchain's history and
#      that report's stored value (a raw ABCI store query) are read.
#   2. The main chain's validators pass a MsgSoftwareUpgrade for the plan at
#      a height ahead; at that height both nodes stop with "UPGRADE NEEDED".
#   3. Both nodes are started on this build, and rly again: the plan is
#      applied at its height (q upgrade applied) and the collector is at version 8
#      (q upgrade module_versions); the report's stored value now holds the
#      powers alone, every history reads exactly as before, each subchain's
#      record counts the orgs and validators of its latest report, and its
#      next report over IBC, naming them by hash, is recorded.
#
# Usage: make fault-main-upgrade   (RELEASE_REV=<rev>; no localnet may run)
set -euo pipefail
FAULT=main-upgrade
# shellcheck source=scripts/faults/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLAN=v7-compact-changes
REV="${RELEASE_REV:-9e12a52}"
OLD_DIR="$BUILD_DIR/release"
OLD_BIN="$OLD_DIR/mainchaind"
NEW_BIN="$MAIN_BIN"
SUB=subchain-a
AHEAD=120 # main-chain blocks from the proposal to the plan's height (the 60 s vote and some)

# ---------------------------------------------------------------- the release

if [[ ! -x "$OLD_BIN" || "$(cat "$OLD_DIR/REV" 2>/dev/null)" != "$REV" ]]; then
	step "building mainchaind of the release $REV into $OLD_DIR"
	src="$(mktemp -d "${TMPDIR:-/tmp}/release-src.XXXXXX")"
	git -C "$REPO_ROOT" archive "$REV" | tar -x -C "$src" || fail "cannot read commit $REV (RELEASE_REV) from git"
	mkdir -p "$OLD_DIR"
	(cd "$src" && go build -ldflags "-X github.com/cosmos/cosmos-sdk/version.Name=statuscollect -X github.com/cosmos/cosmos-sdk/version.Version=$REV" \
		-o "$OLD_DIR/" ./cmd/mainchaind) || fail "building mainchaind of $REV failed"
	printf '%s\n' "$REV" >"$OLD_DIR/REV"
	rm -rf "$src"
fi
old_version="$("$OLD_BIN" version 2>&1)"
new_version="$("$NEW_BIN" version 2>&1)"

fault_localnet_up LOCALNET_VOTING_PERIOD=60s LOCALNET_MAIN_BIN="$OLD_BIN"
[[ "$MAIN_BIN_P" == "$OLD_BIN" ]] || fail "the localnet's main chain runs $MAIN_BIN_P, not $OLD_BIN"
versions() { "$MAIN_BIN_P" q upgrade module_versions --node "$MAIN_RPC" --output json; }
collector_version() { versions | scnet json 'module_versions[name=statuscollect].version'; }
V_OLD="$(collector_version)"
[[ "$V_OLD" == 5 ]] || fail "the release's collector is at consensus version $V_OLD, want 5"
check "$MAIN_ID runs the release $old_version: the collector at consensus version 5"

SUB_BIN="$(localnet_chain "$SUB" binary)"
SUB_RPC="$(localnet_chain "$SUB" rpc)"
SUB_HOME="$(localnet_chain "$SUB" home)"
SUB_DENOM="$(localnet_chain "$SUB" denom)"
read -ra REPORTING < <(scnet json --file "$SUMMARY" --join ' ' 'status_paths[].subchain')
((${#REPORTING[@]} > 0)) || fail "the localnet has no status path"

# stored_len CHAIN SEQ: the bytes of the collector's stored value of report
# SEQ of CHAIN (Reports: prefix 5, the chain id, 0, the sequence as 8 bytes
# big-endian), read with a raw ABCI store query at the latest height.
stored_len() {
	local key value
	key="05$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')00$(printf '%016x' "$2")"
	value="$(curl -sf "$MAIN_RPC_HTTP/abci_query?path=%22/store/statuscollect/key%22&data=0x$key" | scnet json --or '' result.response.value)"
	[[ -n "$value" ]] || return 1
	printf '%s' "$value" | base64 -d | wc -c
}

# ---------------------------------------------------------------- 1. a power moves

step "waiting for the first report of every reporting subchain (${REPORTING[*]}) over IBC"
for id in "${REPORTING[@]}"; do wait_ibc_report "$id" 0 240 >/dev/null; done
VALOPER="$("$SUB_BIN" keys show validator --bech val -a --keyring-backend test --home "$SUB_HOME")"
S0="$(latest_seq "$SUB")"
step "moving the power of $VALOPER on $SUB by a delegation"
submit_tx "$SUB_BIN" "$SUB_RPC" "$SUB_HOME" "$SUB" staking delegate "$VALOPER" "3000000000$SUB_DENOM" --from user >/dev/null ||
	fail "the delegation on $SUB was refused"
# powers_moved: the seq of the first report after S0 that holds the same
# validators as the one before it with other powers.
powers_moved() {
	local hist seq prev cur
	hist="$(history_json "$SUB")"
	prev=""
	for seq in $(printf '%s' "$hist" | scnet json --join ' ' '[].sequence'); do
		cur="$(printf '%s' "$hist" | scnet json "[sequence=$seq].snapshot.validators")"
		if ((seq > S0)) && [[ -n "$prev" && "$cur" != "$prev" ]] &&
			[[ "$(printf '%s' "$cur" | scnet json --join , '[].address')" == "$(printf '%s' "$prev" | scnet json --join , '[].address')" ]]; then
			echo "$seq"
			return 0
		fi
		prev="$cur"
	done
	return 1
}
MOVED="$(poll_until 180 "a report of $SUB whose validators' powers alone moved" powers_moved)"
LEN_V5="$(stored_len "$SUB" "$MOVED")" || fail "no stored value of report $MOVED of $SUB"
check "report $MOVED of $SUB moved a validator's power alone; version 5 stores it in $LEN_V5 bytes"

# ---------------------------------------------------------------- 2. the vote and the halt

MAIN_DENOM="$(localnet_chain "$MAIN_ID" denom)"
UPGRADE_H=$(($(main_height) + AHEAD))
step "proposing $PLAN on $MAIN_ID at height $UPGRADE_H"
PROP_ID="$(pass_upgrade "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$MAIN_DENOM" "$PLAN" "$UPGRADE_H")"
check "proposal $PROP_ID passed by both validators: $MAIN_ID upgrades to $PLAN at height $UPGRADE_H"

step "waiting for $MAIN_ID to halt at $UPGRADE_H"
((UPGRADE_H > $(main_height) + 3)) || fail "$MAIN_ID is already at $(main_height), past the plan's height $UPGRADE_H less 3"
# The last height each node completes before the plan's is read with the
# old binary: the histories of every reporting subchain and the stored value.
wait_for_height "$MAIN_BIN_P" "$MAIN_RPC" $((UPGRADE_H - 2)) 300 || fail "$MAIN_ID does not reach $((UPGRADE_H - 2))"
H_READ=$((UPGRADE_H - 2))
declare -A BEFORE
for id in "${REPORTING[@]}"; do BEFORE[$id]="$(history_json "$id" "$MAIN_RPC" "$H_READ")"; done
LOG0="$(localnet_chain "$MAIN_ID" log)"
halted() { grep -q "UPGRADE \"$PLAN\" NEEDED at height: $UPGRADE_H" "$LOG0"; }
poll_until 120 "$MAIN_ID's node 0 halting for $PLAN" halted
T_HALT=$SECONDS
check "$MAIN_ID's node 0 stopped: UPGRADE \"$PLAN\" NEEDED at height $UPGRADE_H"

# ---------------------------------------------------------------- 3. this build

step "restarting $MAIN_ID's nodes with $NEW_BIN"
for idx in 0 1; do
	localnet_node_stop "$MAIN_ID" "$idx" >/dev/null 2>&1 || fail "could not stop $MAIN_ID's node $idx"
	mapfile -t f < <(localnet_node "$MAIN_ID" "$idx")
	printf '===== %s: started on %s =====\n' "$(date '+%F %T')" "$NEW_BIN" >>"${f[2]}"
	localnet_launch_node "$NEW_BIN" "${f[1]}" "${f[2]}" "${f[3]}" append
done
MAIN_BIN_P="$NEW_BIN"
wait_for_height "$NEW_BIN" "$MAIN_RPC" $((UPGRADE_H + 2)) 180 || fail "$MAIN_ID makes no blocks past $UPGRADE_H on this build"
# A report a sidecar sent while the main chain was down waited: rly v2.6.0,
# left alone, had not relayed it 4 minutes after the restart, in two runs
# (its queries of the main chain failed meanwhile). The operator restarts it
# with the main chain; a starting rly relays every packet that waits.
step "restarting rly"
rly_stop
rly_start
applied="$("$NEW_BIN" q upgrade applied "$PLAN" --node "$MAIN_RPC" --output json | json_get height 2>/dev/null || echo 0)"
[[ "$applied" == "$UPGRADE_H" ]] || fail "q upgrade applied $PLAN says height $applied, want $UPGRADE_H"
V_NEW="$(collector_version)"
[[ "$V_NEW" == 8 ]] || fail "after $PLAN the collector is at consensus version $V_NEW, want 8"
check "$new_version applied $PLAN at height $UPGRADE_H: the collector at consensus version 8, blocks go on"
figure "halt to blocks on this build" "$((SECONDS - T_HALT))s"

LEN_V6="$(stored_len "$SUB" "$MOVED")" || fail "no stored value of report $MOVED of $SUB after the upgrade"
((LEN_V6 < LEN_V5)) || fail "report $MOVED of $SUB is stored in $LEN_V6 bytes after the upgrade, $LEN_V5 before"
check "report $MOVED of $SUB, whose powers alone moved, is stored in $LEN_V6 bytes (version 5: $LEN_V5)"
figure "stored value of a report whose powers alone moved" "$LEN_V5 B in version 5, $LEN_V6 B after the migration"

step "reading every history again, through this build"
n_reports=0
for id in "${REPORTING[@]}"; do
	after="$(history_json "$id")"
	for seq in $(printf '%s' "${BEFORE[$id]}" | scnet json --join ' ' '[].sequence'); do
		[[ "$(printf '%s' "${BEFORE[$id]}" | scnet json "[sequence=$seq]")" == "$(printf '%s' "$after" | scnet json "[sequence=$seq]")" ]] ||
			fail "report $seq of $id reads otherwise after the upgrade"
		n_reports=$((n_reports + 1))
	done
done
check "all $n_reports reports of ${REPORTING[*]} recorded before the upgrade read the same after it"

step "reading what each record keeps of its latest report"
for id in "${REPORTING[@]}"; do
	health="$(subchain_health "$id")"
	last="$(printf '%s' "$health" | scnet json subchain.last_sequence)"
	latest="$(history_json "$id" | scnet json "[sequence=$last]")"
	read -r orgs nodes < <(printf '%s' "$health" | scnet json --or 0 subchain.latest.org_count subchain.latest.node_count)
	want_orgs="$(printf '%s' "$latest" | scnet json --or 0 'snapshot.orgs[]#')"
	want_nodes="$(printf '%s' "$latest" | scnet json --or 0 'snapshot.validators[]#')"
	[[ "$orgs $nodes" == "$want_orgs $want_nodes" ]] ||
		fail "$id's record counts $orgs orgs and $nodes validators after the upgrade; its latest report $last lists $want_orgs and $want_nodes"
	[[ -n "$(printf '%s' "$health" | scnet json --or '' subchain.latest.lists_hash)" ]] || fail "$id's record keeps no lists hash after the upgrade"
done
check "each record of ${REPORTING[*]} counts its latest report's orgs and validators and keeps their hash"

step "waiting for every reporting subchain's next report over IBC"
for id in "${REPORTING[@]}"; do
	seq="$(printf '%s' "${BEFORE[$id]}" | scnet json --join ' ' '[].sequence' | awk '{ print $NF }')"
	h=0
	# The plan is applied first in its own block: a report there is this build's.
	while ((h < UPGRADE_H)); do read -r seq h < <(wait_ibc_report "$id" "$seq" 240); done
	check "$id's report $seq over IBC recorded at main-chain height $h, on this build"
done
fault_pass
