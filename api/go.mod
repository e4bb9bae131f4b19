module github.com/statuscollect/statuscollect/api

go 1.24.0

require (
	cosmossdk.io/api v0.9.2
	github.com/cosmos/cosmos-proto v1.0.0-beta.5
	github.com/cosmos/gogoproto v1.7.0
	google.golang.org/genproto/googleapis/api v0.0.0-20250528174236-200df99c418a
	google.golang.org/protobuf v1.36.6
)

require github.com/google/go-cmp v0.7.0 // indirect
