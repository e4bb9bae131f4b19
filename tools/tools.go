//go:build tools

// Package tools pins the versions of the development tools used by the
// scripts in ../scripts: the IBC relayer (rly) and grpcurl (gRPC reflection
// checks in scripts/collector-cli.sh). Build them with scripts/build-tools.sh.
package tools

import (
	_ "github.com/cosmos/relayer/v2"
	_ "github.com/fullstorydev/grpcurl/cmd/grpcurl"
)
