#!/usr/bin/env bash
# Generates the TypeScript client (clients/ts/src/gen) from proto/ with
# ts-proto, installed from the npm registry at the version clients/ts pins.
# The output is committed. With --check it regenerates into a scratch folder
# and fails if the committed code differs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
ts="$root/clients/ts"

command -v npm >/dev/null || { echo "npm not found: apt-get install -y npm" >&2; exit 1; }
command -v protoc >/dev/null || { echo "protoc not found: make deps" >&2; exit 1; }
(cd "$ts" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

moddir() { go list -m -f '{{.Dir}}' "$1"; }
gogo=$(moddir github.com/cosmos/gogoproto)
cosmosproto=$(moddir github.com/cosmos/cosmos-proto)
sdk=$(moddir github.com/cosmos/cosmos-sdk)
gateway=$(cd tools/proto && go list -m -f '{{.Dir}}' github.com/grpc-ecosystem/grpc-gateway)
wkt=$(dirname "$(dirname "$(command -v protoc)")")/include

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t files < <(find proto -name '*.proto' | sort)
protoc \
  --plugin="protoc-gen-ts_proto=$ts/node_modules/.bin/protoc-gen-ts_proto" \
  -I proto -I "$gogo" -I "$cosmosproto/proto" -I "$sdk/proto" -I "$gateway/third_party/googleapis" -I "$wkt" \
  --ts_proto_out="$out" \
  --ts_proto_opt=esModuleInterop=true,forceLong=bigint,useDate=true,outputClientImpl=true,outputServices=default \
  "${files[@]}"

if [ "${1:-}" = "--check" ]; then
  diff -r "$out" "$ts/src/gen" >/dev/null || {
    echo "clients/ts/src/gen is stale: run make ts-client and commit" >&2
    exit 1
  }
  echo "clients/ts/src/gen is up to date"
  exit 0
fi
rm -rf "$ts/src/gen"
mkdir -p "$ts/src"
cp -r "$out" "$ts/src/gen"
echo "generated $(find "$ts/src/gen" -name '*.ts' | wc -l) TypeScript files from ${#files[@]} protos"
