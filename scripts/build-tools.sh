#!/usr/bin/env bash
# Build the development tools pinned in tools/go.mod into build/:
#   build/rly       the IBC relayer (github.com/cosmos/relayer/v2), used by localnet.sh and e2e.sh
#   build/grpcurl   gRPC client with reflection (github.com/fullstorydev/grpcurl), used by collector-cli.sh
#
# Usage: bash scripts/build-tools.sh      (FORCE=1 rebuilds even if a tool is current)
# Idempotent: skips a tool whose binary already reports the pinned version.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$REPO_ROOT/scripts/lib.sh"

TOOLS_DIR="$REPO_ROOT/tools"
RLY_MODULE="github.com/cosmos/relayer/v2"
GRPCURL_MODULE="github.com/fullstorydev/grpcurl"

[[ -f "$TOOLS_DIR/go.mod" ]] || die "$TOOLS_DIR/go.mod is missing"

# pinned_tag MODULE: the version tools/go.mod requires of MODULE.
pinned_tag() {
	local tag
	tag="$(awk -v m="$1" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$TOOLS_DIR/go.mod" | head -n1)"
	[[ -n "$tag" ]] || die "$TOOLS_DIR/go.mod does not require $1"
	echo "$tag"
}

RLY_TAG="$(pinned_tag "$RLY_MODULE")"
RLY_VER="${RLY_TAG#v}"
GRPCURL_TAG="$(pinned_tag "$GRPCURL_MODULE")"

# rly_version: the version build/rly reports ("" if it does not run).
rly_version() {
	"$RLY_BIN" version --json 2>/dev/null |
		sed -n 's/.*"version":"\([^"]*\)".*/\1/p'
}

# grpcurl_version: the version build/grpcurl reports ("" if it does not run);
# it prints "grpcurl vX.Y.Z" on stderr.
grpcurl_version() {
	"$GRPCURL_BIN" -version 2>&1 | awk 'NR == 1 { print $2 }'
}

# go_build OUT PACKAGE LDFLAGS: build PACKAGE from the tools module into OUT
# (through OUT.tmp, so a failed build leaves no half-written binary).
go_build() {
	local out="$1" pkg="$2" ldflags="$3"
	(
		cd "$TOOLS_DIR"
		go build -mod=readonly -ldflags "$ldflags" -o "$out.tmp" "$pkg"
	) || {
		rm -f "$out.tmp"
		die "building $pkg failed (see the go output above)"
	}
	mv "$out.tmp" "$out"
}

need_rly=1
need_grpcurl=1
if [[ "${FORCE:-0}" != 1 ]]; then
	if [[ -x "$RLY_BIN" && "$(rly_version)" == "$RLY_VER" ]]; then
		log "build/rly is already $RLY_TAG; nothing to do for it (FORCE=1 to rebuild)"
		need_rly=0
	fi
	if [[ -x "$GRPCURL_BIN" && "$(grpcurl_version)" == "$GRPCURL_TAG" ]]; then
		log "build/grpcurl is already $GRPCURL_TAG; nothing to do for it (FORCE=1 to rebuild)"
		need_grpcurl=0
	fi
fi
((need_rly + need_grpcurl > 0)) || exit 0

require_build_tools
mkdir -p "$BUILD_DIR"

if ((need_rly)); then
	log "building rly $RLY_TAG into build/rly (from tools/go.mod; takes a few minutes the first time)"
	start=$SECONDS
	# The same version stamps as the relayer's own Makefile (VERSION without the v).
	go_build "$RLY_BIN" "$RLY_MODULE" \
		"-X $RLY_MODULE/cmd.Version=$RLY_VER -X $RLY_MODULE/cmd.Commit=$RLY_TAG -X $RLY_MODULE/cmd.Dirty=0"
	got="$(rly_version)"
	[[ "$got" == "$RLY_VER" ]] || die "build/rly reports version '$got', want '$RLY_VER'"
	log "built build/rly $RLY_TAG in $((SECONDS - start))s"
fi

if ((need_grpcurl)); then
	log "building grpcurl $GRPCURL_TAG into build/grpcurl (from tools/go.mod)"
	start=$SECONDS
	# grpcurl's own release builds stamp main.version the same way.
	go_build "$GRPCURL_BIN" "$GRPCURL_MODULE/cmd/grpcurl" "-X main.version=$GRPCURL_TAG"
	got="$(grpcurl_version)"
	[[ "$got" == "$GRPCURL_TAG" ]] || die "build/grpcurl reports version '$got', want '$GRPCURL_TAG'"
	log "built build/grpcurl $GRPCURL_TAG in $((SECONDS - start))s"
fi
