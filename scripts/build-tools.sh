#!/usr/bin/env bash
# Build the development tools pinned in tools/go.mod into build/:
#   build/rly   the IBC relayer (github.com/cosmos/relayer/v2), used by localnet.sh and e2e.sh
#
# Usage: bash scripts/build-tools.sh      (FORCE=1 rebuilds even if build/rly is current)
# Idempotent: skips the build when build/rly already reports the pinned version.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

TOOLS_DIR="$REPO_ROOT/tools"
RLY_MODULE="github.com/cosmos/relayer/v2"

[[ -f "$TOOLS_DIR/go.mod" ]] || die "$TOOLS_DIR/go.mod is missing"
RLY_TAG="$(awk -v m="$RLY_MODULE" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$TOOLS_DIR/go.mod" | head -n1)"
[[ -n "$RLY_TAG" ]] || die "$TOOLS_DIR/go.mod does not require $RLY_MODULE"
RLY_VER="${RLY_TAG#v}"

# rly_version: the version build/rly reports ("" if it does not run).
rly_version() {
	"$RLY_BIN" version --json 2>/dev/null |
		sed -n 's/.*"version":"\([^"]*\)".*/\1/p'
}

if [[ "${FORCE:-0}" != 1 && -x "$RLY_BIN" && "$(rly_version)" == "$RLY_VER" ]]; then
	log "build/rly is already $RLY_TAG; nothing to do (FORCE=1 to rebuild)"
	exit 0
fi

require_build_tools
mkdir -p "$BUILD_DIR"
log "building rly $RLY_TAG into build/rly (from tools/go.mod; takes a few minutes the first time)"
start=$SECONDS
# The same version stamps as the relayer's own Makefile (VERSION without the v).
ldflags="-X $RLY_MODULE/cmd.Version=$RLY_VER -X $RLY_MODULE/cmd.Commit=$RLY_TAG -X $RLY_MODULE/cmd.Dirty=0"
(
	cd "$TOOLS_DIR"
	go build -mod=readonly -ldflags "$ldflags" -o "$RLY_BIN.tmp" "$RLY_MODULE"
) || {
	rm -f "$RLY_BIN.tmp"
	die "building rly failed (see the go output above)"
}
mv "$RLY_BIN.tmp" "$RLY_BIN"
got="$(rly_version)"
[[ "$got" == "$RLY_VER" ]] || die "build/rly reports version '$got', want '$RLY_VER'"
log "built build/rly $RLY_TAG in $((SECONDS - start))s"
