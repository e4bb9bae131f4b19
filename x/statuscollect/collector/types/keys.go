package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the collector's module name, store key and IBC port.
	ModuleName = "statuscollect"
	StoreKey   = ModuleName
)

// Store prefixes. Each is frozen once released: never renumber or reuse one,
// even after the collection is gone.
var (
	ParamsKey            = collections.NewPrefix(0)
	SubchainsKey         = collections.NewPrefix(1)
	OrgsKey              = collections.NewPrefix(2)
	MembershipsKey       = collections.NewPrefix(3)
	ReportersKey         = collections.NewPrefix(4)
	ReportsKey           = collections.NewPrefix(5)
	ReportsByHeightKey   = collections.NewPrefix(6)
	ContractChangesKey   = collections.NewPrefix(7)
	LivenessQueueKey     = collections.NewPrefix(8)
	PruneQueueKey        = collections.NewPrefix(9)
	ClientIndexKey       = collections.NewPrefix(10)
	ChannelIndexKey      = collections.NewPrefix(11)
	DisputesKey          = collections.NewPrefix(12)
	DisputesByChainKey   = collections.NewPrefix(13)
	DisputeQueueKey      = collections.NewPrefix(14)
	OpenDisputesKey      = collections.NewPrefix(15)
	LastDisputeIDKey     = collections.NewPrefix(16)
	ContractPruneKey     = collections.NewPrefix(17)
	DisputesByStatusKey  = collections.NewPrefix(18)
	DisputePruneQueueKey = collections.NewPrefix(19)
	// ContractIndexKey held the contract index by address up to consensus
	// version 5; version 6 keys it by the address's hash (ContractIndexV6Key).
	ContractIndexKey   = collections.NewPrefix(20)
	FirstListsKey      = collections.NewPrefix(21)
	ListsHoldersKey    = collections.NewPrefix(22)
	SetHoldersKey      = collections.NewPrefix(23)
	ContractIndexV6Key = collections.NewPrefix(24)
	// Version 8 keeps the part of a subchain's record that its reports do
	// not change under its own prefix (SubchainsKey keeps the rest).
	SubchainInfoKey = collections.NewPrefix(25)
)
