#!/usr/bin/env bash
# Install the Debian packages the build and the scripts need, as root:
#   gcc, libc6-dev  cgo (wasmvm, secp256k1) when building the binaries and rly
#   make, git       the Makefile
#   iproute2        'ss', for the port checks (the scripts fall back to /dev/tcp without it)
#   procps          'ps', to check nothing is left running
#   protobuf-compiler  protoc, for make proto-gen
#   libprotobuf-dev    the google/protobuf/*.proto files protoc imports (only recommended by protoc)
# Go itself is not a Debian package here: install Go 1.24+.
#
# Usage: sudo bash scripts/deps.sh
set -euo pipefail

PACKAGES=(gcc libc6-dev make git iproute2 procps ca-certificates protobuf-compiler libprotobuf-dev nodejs npm chromium prometheus)

if [[ "$(id -u)" != 0 ]]; then
	echo "scripts/deps.sh installs Debian packages and must run as root (try: sudo bash scripts/deps.sh)" >&2
	exit 1
fi
command -v apt-get >/dev/null 2>&1 || {
	echo "apt-get not found: install these packages with your system's package manager: ${PACKAGES[*]}" >&2
	exit 1
}
# A Node.js that already brings its own npm (NodeSource's nodejs package does) conflicts with Debian's
# npm package: keep it, and ask apt for the rest.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	PACKAGES=("${PACKAGES[@]/nodejs/}")
	PACKAGES=("${PACKAGES[@]/npm/}")
	read -r -a PACKAGES <<<"${PACKAGES[*]}"
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
command -v go >/dev/null 2>&1 || echo "note: Go is not installed; install Go 1.24 or newer" >&2
