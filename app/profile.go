package app

import (
	"os"
	"path/filepath"

	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"

	"github.com/cosmos/cosmos-sdk/types/module"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Profile is what tells the main chain and a subchain apart. Both chains run
// the same App; a profile only chooses names, the staking denom and which
// optional parts are wired in, so the two binaries cannot drift apart.
type Profile struct {
	// AppName is the baseapp name and the binary name.
	AppName string
	// Description is the one-line summary shown by the binary's help.
	Description string
	// Bech32Prefix is the account address prefix; validator and consensus
	// prefixes are derived from it the way the SDK does.
	Bech32Prefix string
	// BondDenom is the staking and fee denom of a new genesis.
	BondDenom string
	// HomeDirName is the default home folder under $HOME.
	HomeDirName string
	// WithWasm wires CosmWasm (x/wasm) into the app.
	WithWasm bool
	// Plugins are the chain-specific modules (the statuscollect collector on the
	// main chain, the statusreporter sidecar on subchains).
	Plugins []Plugin
}

// Plugin adds one module to the app. It is the seam through which the
// statuscollect modules join the shared wiring: the app mounts the plugin's
// stores, calls Build once every base keeper exists (before the IBC router is
// sealed), and appends the module to every ordering list after the base modules.
type Plugin interface {
	// ModuleName is the module's name in the module manager.
	ModuleName() string
	// StoreKeys lists the KV store keys the module needs mounted.
	StoreKeys() []string
	// ModuleAccountPerms lists module accounts (name to permissions) the plugin owns.
	ModuleAccountPerms() map[string][]string
	// Build returns the module and, when the module speaks IBC, its port id and
	// IBC application (an empty port means none).
	Build(app *App) (mod module.AppModule, ibcPort string, ibcApp porttypes.IBCModule)
}

// MainChain is the profile of mainchaind.
var MainChain = Profile{
	AppName:      "mainchaind",
	Description:  "statuscollect main chain: keeps the record of every subchain's running status",
	Bech32Prefix: "main",
	BondDenom:    "umain",
	HomeDirName:  ".mainchaind",
	Plugins:      []Plugin{collectorPlugin{}},
}

// SubChain is the profile of subchaind.
var SubChain = Profile{
	AppName:      "subchaind",
	Description:  "statuscollect subchain: a CosmWasm chain that reports its status to the main chain",
	Bech32Prefix: "sub",
	BondDenom:    "usub",
	HomeDirName:  ".subchaind",
	WithWasm:     true,
	Plugins:      []Plugin{reporterPlugin{}},
}

// DefaultNodeHome is the profile's default home directory.
func (p Profile) DefaultNodeHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, p.HomeDirName)
}

// SetAddressConfig sets and seals the process-wide bech32 prefixes for the
// profile. The SDK keeps them in a global, so a process runs one chain kind;
// in-process tests that hold both apps leave the global at its default and
// both apps follow it.
func (p Profile) SetAddressConfig() {
	cfg := sdk.GetConfig()
	cfg.SetBech32PrefixForAccount(p.Bech32Prefix, p.Bech32Prefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(p.Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator,
		p.Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(p.Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		p.Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
	cfg.Seal()
}
