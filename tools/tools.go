//go:build tools

// Package tools pins the versions of the development tools used by the
// scripts in ../scripts (currently only the IBC relayer, rly).
// Build them with scripts/build-tools.sh.
package tools

import (
	_ "github.com/cosmos/relayer/v2"
)
