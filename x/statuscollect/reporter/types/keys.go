package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the reporter's module name and store key; its IBC port is
	// shared.ReporterPortID (the same string).
	ModuleName = "statusreporter"
	StoreKey   = ModuleName
)

// Store prefixes: frozen once released, never renumbered or reused.
var (
	ParamsKey           = collections.NewPrefix(0)
	OrgsKey             = collections.NewPrefix(1)
	ChannelKey          = collections.NewPrefix(2)
	TxTotalKey          = collections.NewPrefix(3)
	WindowKey           = collections.NewPrefix(4)
	LastSentKey         = collections.NewPrefix(5)
	LinkKey             = collections.NewPrefix(6)
	PendingContractsKey = collections.NewPrefix(7)
	SnapshotsKey        = collections.NewPrefix(8)
	DisputedKey         = collections.NewPrefix(9)
	ContractCountKey    = collections.NewPrefix(10)
	MainClientKey       = collections.NewPrefix(11)
)
