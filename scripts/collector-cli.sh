#!/usr/bin/env bash
# Command-line, gRPC and REST check of the main chain's collector (module
# statuscollect) on a running localnet (scripts/localnet.sh; e2e.sh runs this):
#
#   1. the collector's admin registers a third subchain (CLI_CHAIN, kind other,
#      report interval 60s) and an org org-c, and makes org-c a member of it;
#   2. org-c's admin grants a monitoring account;
#   3. the monitoring account submits a status snapshot: the latest status
#      answers it; a second one at the same height is refused ("report height
#      not above the latest report"), so is a stranger's ("not a monitoring
#      account"), and a stranger cannot grant reporters either;
#   4. gRPC reflection (build/grpcurl) lists statuscollect.collector.v1.Query
#      and Query/Overview answers; REST /statuscollect/collector/v1/overview too.
#
# Usage: bash scripts/collector-cli.sh     (needs a fresh localnet: CLI_CHAIN must not be registered yet)
# Env:   CLI_CHAIN (default plain-chain-1)
# Keys:  org-c-admin, org-c-monitor, stranger are added to the main chain's test
#        keyring (mnemonics in .localnet/keys/<main>/) and funded by user.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

CHAIN="${CLI_CHAIN:-plain-chain-1}"
ORG=org-c
SUMMARY="$LOCALNET_DIR/localnet.json"

require_chain_binaries
require_grpcurl
require_cmd curl "Install it (Debian: 'apt-get install -y curl')."
[[ -f "$SUMMARY" ]] || die "$SUMMARY not found: start the localnet first (bash scripts/localnet.sh)"
[[ -n "$(localnet_running)" ]] || die "no localnet is running (start it with: bash scripts/localnet.sh)"

MAIN_ID="$(scnet json --file "$SUMMARY" main_chain)"
MAIN_BIN_P="$(localnet_chain "$MAIN_ID" binary)"
MAIN_HOME="$(localnet_chain "$MAIN_ID" home)"
MAIN_RPC="$(localnet_chain "$MAIN_ID" rpc)"
MAIN_DENOM="$(localnet_chain "$MAIN_ID" denom)"
GRPC="127.0.0.1:$(localnet_chain "$MAIN_ID" ports.grpc)"
API="http://127.0.0.1:$(localnet_chain "$MAIN_ID" ports.api)"
REST="$API/statuscollect/collector/v1"
KEYDIR="$LOCALNET_DIR/keys/$MAIN_ID"
SNAPSHOT="$(mktemp "${TMPDIR:-/tmp}/collector-cli-snapshot.XXXXXX")"
START=$SECONDS
STEP="starting"
on_exit() {
	local rc=$?
	rm -f "$SNAPSHOT" "$SNAPSHOT.err"
	((rc == 0)) || log "collector CLI check FAILED while $STEP (exit $rc)"
	exit "$rc"
}
trap on_exit EXIT

tx() { submit_tx "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$@"; }
tx_refused() { expect_tx_error "$MAIN_BIN_P" "$MAIN_RPC" "$MAIN_HOME" "$MAIN_ID" "$@"; }
q() { "$MAIN_BIN_P" q statuscollect "$@" --node "$MAIN_RPC" --output json; }
# has_event TYPE: the committed tx on stdin emitted an event of TYPE.
has_event() {
	scnet json --first "events[type=$1]" >/dev/null 2>&1
}

# cli_vs_rest WHAT CLI_JSON REST_JSON FIELD: fail when the CLI printed FIELD
# as an empty object while REST has it filled in (the CLI and REST must
# decode the same records).
cli_vs_rest() {
	local what="$1" cli rest
	cli="$(scnet json --or '{}' "$4" <<<"$2")" || cli='{}'
	rest="$(scnet json --or '{}' "$4" <<<"$3")" || rest='{}'
	[[ "$cli" == '{}' && "$rest" != '{}' ]] && die "CLI: '$what' prints $4 as {} while REST has it"
	return 0
}

# ---------------------------------------------------------------- accounts

STEP="preparing the accounts org-c-admin, org-c-monitor, stranger"
for name in "$ORG-admin" "$ORG-monitor" stranger; do
	if ! "$MAIN_BIN_P" keys show "$name" -a --keyring-backend test --home "$MAIN_HOME" >/dev/null 2>&1; then
		key_mnemonic "$KEYDIR" "$name" "$MAIN_BIN_P" |
			"$MAIN_BIN_P" keys add "$name" --recover --keyring-backend test --home "$MAIN_HOME" --output json >/dev/null 2>&1 ||
			die "could not add key $name"
	fi
	"$MAIN_BIN_P" keys show "$name" -a --keyring-backend test --home "$MAIN_HOME" >"$KEYDIR/$name.address"
done
ORG_ADMIN="$(cat "$KEYDIR/$ORG-admin.address")"
MONITOR="$(cat "$KEYDIR/$ORG-monitor.address")"
STRANGER="$(cat "$KEYDIR/stranger.address")"

if rest_get "$REST/subchains/$CHAIN" >/dev/null 2>&1; then
	die "$CHAIN is already registered on $MAIN_ID: this check needs a fresh localnet (bash scripts/localnet-stop.sh; bash scripts/localnet.sh)"
fi

log "funding $ORG-admin, $ORG-monitor and stranger from user"
tx bank multi-send user "$ORG_ADMIN" "$MONITOR" "$STRANGER" "1000000$MAIN_DENOM" >/dev/null || die "multi-send failed"

# ---------------------------------------------------------------- registry

STEP="registering $CHAIN"
log "admin: register-subchain $CHAIN (other, 60s)"
out="$(tx statuscollect register-subchain "$CHAIN" "Plain chain" other 60s --from admin)" ||
	die "tx statuscollect register-subchain failed"
printf '%s' "$out" | has_event statuscollect.collector.v1.EventSubchainRegistered || die "no EventSubchainRegistered in the tx"
rest_get "$REST/subchains/$CHAIN" | scnet json --want "$CHAIN SUBCHAIN_KIND_OTHER 60s LIVENESS_AWAITING_FIRST_REPORT" \
	health.subchain.{chain_id,kind,report_interval,liveness} || die "the registered subchain is not as submitted"
cli_vs_rest "q statuscollect subchain $CHAIN" "$(q subchain "$CHAIN")" "$(rest_get "$REST/subchains/$CHAIN")" health.subchain

STEP="registering $ORG and its membership"
log "admin: register-org $ORG, add-member $CHAIN $ORG"
out="$(tx statuscollect register-org "$ORG" "Org C" "$ORG_ADMIN" --from admin)" || die "register-org failed"
printf '%s' "$out" | has_event statuscollect.collector.v1.EventOrgRegistered || die "no EventOrgRegistered in the tx"
out="$(tx statuscollect add-member "$CHAIN" "$ORG" --from admin)" || die "add-member failed"
printf '%s' "$out" | has_event statuscollect.collector.v1.EventMemberAdded || die "no EventMemberAdded in the tx"

STEP="granting $ORG's monitoring account"
log "stranger: grant-reporter must be refused"
tx_refused "not the organization's admin" statuscollect grant-reporter "$CHAIN" "$ORG" "$STRANGER" --from stranger >/dev/null ||
	die "a stranger could grant a monitoring account, or was refused for another reason"
log "$ORG-admin: grant-reporter $CHAIN $ORG $MONITOR"
out="$(tx statuscollect grant-reporter "$CHAIN" "$ORG" "$MONITOR" --from "$ORG-admin")" || die "grant-reporter failed"
printf '%s' "$out" | has_event statuscollect.collector.v1.EventReporterGranted || die "no EventReporterGranted in the tx"
# One member, ORG, with one reporter, MONITOR.
rest_get "$REST/subchains/$CHAIN/members" | scnet json --want "1 $ORG 1 $MONITOR" 'members[]#' members.0.org_id 'members.0.reporters[]#' members.0.reporters.0 ||
	die "the membership is not as granted"
cli_vs_rest "q statuscollect members $CHAIN" "$(q members "$CHAIN")" "$(rest_get "$REST/subchains/$CHAIN/members")" members.0

# ---------------------------------------------------------------- reports

STEP="submitting a status snapshot"
# A snapshot as a monitor would build it: orgs sorted, validators sorted by
# address, contract_count >= len(new_contracts), new contracts sorted.
scnet sample-snapshot "$CHAIN" "$ORG" >"$SNAPSHOT"
log "$ORG-monitor: submit-status $(cat "$SNAPSHOT")"
out="$(tx statuscollect submit-status "$(cat "$SNAPSHOT")" --from "$ORG-monitor")" || die "submit-status failed"
for ev in EventStatusReported EventOrgsChanged EventNodesChanged EventContractsChanged; do
	printf '%s' "$out" | has_event "statuscollect.collector.v1.$ev" || die "no $ev in the submit-status tx"
done

STEP="reading the latest status"
latest="$(rest_get "$REST/subchains/$CHAIN/status")" || die "no latest status over REST"
printf '%s' "$latest" | scnet check-status "$SNAPSHOT" "$ORG" "$MONITOR" || die "the latest status of $CHAIN is not the submitted snapshot: $latest"
cli_status="$(q status "$CHAIN")" || die "'q statuscollect status $CHAIN' failed"
cli_vs_rest "q statuscollect status $CHAIN" "$cli_status" "$latest" report
log "q statuscollect status $CHAIN: report 1 at height 100 from $ORG ($MONITOR)"

STEP="submitting the same height again"
log "$ORG-monitor: a second submit at height 100 must be refused"
err="$(tx_refused "report height not above the latest report" statuscollect submit-status "$(cat "$SNAPSHOT")" \
	--from "$ORG-monitor")" || die "a second report at the same height was not refused as outdated"
log "refused: $err"

STEP="submitting as a stranger"
stranger_snap="$(sed 's/"height": "100"/"height": "101"/' "$SNAPSHOT")"
log "stranger: submit-status at height 101 must be refused"
err="$(tx_refused "not a monitoring account" statuscollect submit-status "$stranger_snap" --from stranger)" ||
	die "a stranger's report was not refused as 'not a monitoring account'"
log "refused: $err"
rest_get "$REST/subchains/$CHAIN" | scnet json --want "1 100 LIVENESS_ACTIVE" health.subchain.{last_sequence,last_height,liveness} || die "a refused report changed the subchain"

STEP="submitting a report that names its lists by hash"
# The latest report's lists hash, from REST and the CLI; a report at 110
# without its orgs and validators, naming them by it.
hash="$(printf '%s' "$latest" | scnet json lists_hash)" && [[ -n "$hash" ]] || die "no lists_hash in the latest status: $latest"
[[ "$(printf '%s' "$cli_status" | scnet json lists_hash)" == "$hash" ]] || die "the CLI's lists_hash is not REST's ($hash)"
no_lists="$(scnet sample-snapshot "$CHAIN" "$ORG" | sed -e 's/"height": "100"/"height": "110"/' \
	-e 's/"orgs": \[[^]]*\], "validators": \[[^]]*\], //')"
[[ "$no_lists" != *'"validators"'* && "$no_lists" == *'"height": "110"'* ]] || die "could not leave the lists out of $no_lists"
log "$ORG-monitor: submit-status at height 110 with --lists-hash of other lists must be refused"
err="$(tx_refused "lists hash is not that of the latest report's" statuscollect submit-status "$no_lists" \
	--lists-hash "$(printf '00%.0s' {1..32})" --from "$ORG-monitor")" || die "a report naming other lists was not refused"
log "refused: $err"
log "$ORG-monitor: submit-status at height 110 --lists-hash $hash"
tx statuscollect submit-status "$no_lists" --lists-hash "$hash" --from "$ORG-monitor" >/dev/null ||
	die "submit-status with --lists-hash failed"
rest_get "$REST/subchains/$CHAIN/status" |
	scnet json --want "2 110 $(printf '%s' "$latest" | scnet json 'report.snapshot.validators[]#' 'report.snapshot.orgs.0') $hash" \
		report.sequence report.snapshot.height 'report.snapshot.validators[]#' report.snapshot.orgs.0 lists_hash ||
	die "report 2 is not stored with report 1's lists"
log "report 2 at height 110 sent without its lists is stored with report 1's ($hash)"

# ---------------------------------------------------------------- gRPC and REST

STEP="checking gRPC reflection with grpcurl"
services="$("$GRPCURL_BIN" -plaintext "$GRPC" list)" || die "grpcurl list $GRPC failed"
grep -qx 'statuscollect.collector.v1.Query' <<<"$services" ||
	die "grpcurl list $GRPC does not list statuscollect.collector.v1.Query: $(tr '\n' ' ' <<<"$services")"
log "grpcurl $GRPC list: $(wc -l <<<"$services") services, statuscollect.collector.v1.Query among them"
ov="$("$GRPCURL_BIN" -plaintext -d '{}' "$GRPC" statuscollect.collector.v1.Query/Overview)" ||
	die "grpcurl statuscollect.collector.v1.Query/Overview failed"
ids="$(printf '%s' "$ov" | scnet json 'subchains[].subchain.chainId' | LC_ALL=C sort)"
grep -qxF -- "$CHAIN" <<<"$ids" || die "grpcurl Overview does not list $CHAIN: it lists $(paste -sd ' ' <<<"$ids")"
echo "grpcurl Query/Overview: $(paste -sd , <<<"$ids" | sed 's/,/, /g')"
log "grpcurl Query/Overview answers and lists $CHAIN"

STEP="checking REST"
rest="$(curl -sS --fail --max-time 10 "$REST/overview")" || die "curl $REST/overview failed"
# CHAIN's entry has its countdown and is ACTIVE.
entry="$(printf '%s' "$rest" | scnet json --first "subchains[subchain.chain_id=$CHAIN]")" &&
	scnet json seconds_until_due <<<"$entry" >/dev/null && scnet json --want LIVENESS_ACTIVE subchain.liveness <<<"$entry" ||
	die "REST overview is not as expected"
log "curl $REST/overview lists $(printf '%s' "$rest" | scnet json --join ', ' 'subchains[].subchain.chain_id')"

STEP="checking REST status codes"
# http_code URL: the HTTP status REST answers.
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1"; }
for want in "404 $REST/subchains/no-such-chain" "404 $REST/subchains/no-such-chain/status" "404 $REST/disputes/999999" \
	"400 $REST/subchains/bad%20id" "400 $REST/overview?pagination.limit=1000"; do
	got="$(http_code "${want#* }")"
	[[ "$got" == "${want%% *}" ]] || die "REST ${want#* } answered $got, expected ${want%% *}"
done
log "REST: an unknown subchain or dispute is 404, a bad id or an oversized page 400"

STEP="done"
log "collector CLI/gRPC/REST check PASSED in $((SECONDS - START))s"
