#!/usr/bin/env bash
# Generates Go code from proto/ with protoc and plugins built from the Go
# module proxy, taking third-party .proto files from the Go module cache, so it
# works without the Buf registry. Output is committed; users need none of this.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v protoc >/dev/null 2>&1; then
  echo "protoc not found. Install it with: apt-get update && apt-get install -y protobuf-compiler" >&2
  exit 1
fi

plugins="$root/build/protoc-plugins"
mkdir -p "$plugins"
(cd tools/proto && go build -o "$plugins/" \
  github.com/cosmos/cosmos-proto/cmd/protoc-gen-go-pulsar \
  github.com/cosmos/gogoproto/protoc-gen-gocosmos \
  github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway \
  github.com/grpc-ecosystem/grpc-gateway/protoc-gen-swagger)

moddir() { (cd "$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2"); }
gogo=$(moddir . github.com/cosmos/gogoproto)
cosmosproto=$(moddir . github.com/cosmos/cosmos-proto)
sdk=$(moddir . github.com/cosmos/cosmos-sdk)
gateway=$(moddir tools/proto github.com/grpc-ecosystem/grpc-gateway)
# google/protobuf/*.proto ship with protoc (Debian puts them in /usr/include).
wkt=$(dirname "$(dirname "$(command -v protoc)")")/include

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# protoc-gen-gocosmos takes one Go package per run: one run per proto folder.
mapfile -t dirs < <(find proto -name '*.proto' -printf '%h\n' | sort -u)
for dir in "${dirs[@]}"; do
  PATH="$plugins:$PATH" protoc \
    -I proto -I "$gogo" -I "$cosmosproto/proto" -I "$sdk/proto" \
    -I "$gateway/third_party/googleapis" -I "$wkt" \
    --gocosmos_out="plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:$out" \
    --grpc-gateway_out="logtostderr=true,allow_colon_final_segments=true:$out" \
    "$dir"/*.proto
done

# The same packages as protobuf v2 Go types (protoc-gen-go-pulsar), in their own
# module under api/, one Go package per proto folder (statuscollect/collector/v1
# becomes package collectorv1). The app imports them only so that they register
# in the protobuf v2 registry: the SDK decodes each message of a transaction
# there to find its signers, by reflection when the type is not registered
# (app/protov2.go). Imports of other projects map to their v2 packages.
module=github.com/statuscollect/statuscollect
v2map="Mgogoproto/gogo.proto=github.com/cosmos/gogoproto/gogoproto"
v2map+=",Mcosmos_proto/cosmos.proto=github.com/cosmos/cosmos-proto"
v2map+=",Mcosmos/msg/v1/msg.proto=cosmossdk.io/api/cosmos/msg/v1"
v2map+=",Mcosmos/base/query/v1beta1/pagination.proto=cosmossdk.io/api/cosmos/base/query/v1beta1"
v2map+=",Mcosmos/base/v1beta1/coin.proto=cosmossdk.io/api/cosmos/base/v1beta1"
v2map+=",Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations"
mapfile -t files < <(cd proto && find . -name '*.proto' | sed 's|^\./||' | sort)
for f in "${files[@]}"; do
  dir=$(dirname "$f")                           # statuscollect/collector/v1
  pkg=$(basename "$(dirname "$dir")")$(basename "$dir") # collectorv1
  v2map+=",M$f=$module/api/$dir;$pkg"
done
PATH="$plugins:$PATH" protoc \
  -I proto -I "$gogo" -I "$cosmosproto/proto" -I "$sdk/proto" \
  -I "$gateway/third_party/googleapis" -I "$wkt" \
  --go-pulsar_out="$v2map:$out" \
  "${files[@]/#/proto/}"

# One OpenAPI (Swagger 2.0) document for the REST routes of both modules'
# queries, served by every node (openapi/openapi.go).
PATH="$plugins:$PATH" protoc \
  -I proto -I "$gogo" -I "$cosmosproto/proto" -I "$sdk/proto" \
  -I "$gateway/third_party/googleapis" -I "$wkt" \
  --swagger_out="allow_merge=true,merge_file_name=statuscollect,fqn_for_swagger_name=true:$out" \
  proto/statuscollect/collector/v1/query.proto proto/statuscollect/reporter/v1/query.proto
# Its info is ours; scnet (cmd/scnet, the standard library only) sets it and
# writes the document with sorted keys, so regenerating it changes nothing.
go build -o "$plugins/" ./cmd/scnet
"$plugins/scnet" swagger-info "$out/statuscollect.swagger.json" "$root/openapi/statuscollect.swagger.json" \
  "statuscollect REST API" \
  "Queries of the main chain's collector (statuscollect) and the subchain's sidecar (statusreporter)." \
  v1

# Remove stale generated files first, so a deleted .proto leaves nothing behind.
if [ -d x ]; then find x \( -name '*.pb.go' -o -name '*.pb.gw.go' \) -delete; fi
if [ -d api ]; then find api -name '*.pulsar.go' -delete; fi
cp -r "$out/$module/." "$root/"
echo "generated $(find "$out/$module" -name '*.go' | wc -l) Go files from ${#dirs[@]} proto packages"
