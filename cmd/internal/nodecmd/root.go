// Package nodecmd builds the command line shared by mainchaind and subchaind:
// node, keys, genesis, tx and query commands for one app profile.
package nodecmd

import (
	"errors"
	"io"
	"os"

	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"cosmossdk.io/log"
	confixcmd "cosmossdk.io/tools/confix/cmd"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/client/debug"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/client/pruning"
	"github.com/cosmos/cosmos-sdk/client/rpc"
	"github.com/cosmos/cosmos-sdk/client/snapshot"
	"github.com/cosmos/cosmos-sdk/server"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	authcmd "github.com/cosmos/cosmos-sdk/x/auth/client/cli"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"

	"github.com/CosmWasm/wasmd/x/wasm"
	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/app"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// NewRootCmd returns the root command of the binary for a profile. It sets the
// process-wide bech32 prefixes, so call it once per process.
func NewRootCmd(profile app.Profile) *cobra.Command {
	profile.SetAddressConfig()
	home := profile.DefaultNodeHome()

	// A throwaway app gives the codecs and module basics the CLI needs.
	tmpDir, err := os.MkdirTemp("", profile.AppName)
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmpDir)
	tempApp := app.New(profile, log.NewNopLogger(), dbm.NewMemDB(), nil, false,
		simtestutil.NewAppOptionsWithFlagHome(tmpDir))

	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(home).
		WithViper("")

	rootCmd := &cobra.Command{
		Use:           profile.AppName,
		Short:         profile.Description,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			clientCtx := initClientCtx.WithCmdContext(cmd.Context())
			clientCtx, err := client.ReadPersistentCommandFlags(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			clientCtx, err = config.ReadFromClientConfig(clientCtx)
			if err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			appTemplate, appConfig := appConfigFor(profile)
			return server.InterceptConfigsPreRunHandler(cmd, appTemplate, appConfig, cmtcfg.DefaultConfig())
		},
	}

	newApp := func(logger log.Logger, db dbm.DB, traceStore io.Writer, appOpts servertypes.AppOptions) servertypes.Application {
		return app.New(profile, logger, db, traceStore, true, appOpts, server.DefaultBaseappOptions(appOpts)...)
	}
	exportApp := func(logger log.Logger, db dbm.DB, traceStore io.Writer, height int64, forZeroHeight bool,
		jailAllowedAddrs []string, appOpts servertypes.AppOptions, modulesToExport []string,
	) (servertypes.ExportedApp, error) {
		if h, _ := appOpts.Get(flags.FlagHome).(string); h == "" {
			return servertypes.ExportedApp{}, errors.New("application home is not set")
		}
		a := app.New(profile, logger, db, traceStore, height == -1, appOpts)
		if height != -1 {
			if err := a.LoadHeight(height); err != nil {
				return servertypes.ExportedApp{}, err
			}
		}
		return a.ExportAppStateAndValidators(forZeroHeight, jailAllowedAddrs, modulesToExport)
	}
	addStartFlags := func(startCmd *cobra.Command) {
		if profile.WithWasm {
			wasm.AddModuleInitFlags(startCmd)
		}
	}

	basics := tempApp.BasicModuleManager
	rootCmd.AddCommand(
		genutilcli.InitCmd(basics, home),
		debug.Cmd(),
		confixcmd.ConfigCommand(),
		pruning.Cmd(newApp, home),
		snapshot.Cmd(newApp),
	)
	server.AddCommands(rootCmd, home, newApp, exportApp, addStartFlags)
	// The reporter signs main-chain transactions: only mainchaind has it. The
	// watcher files disputes on the chain its binary signs for.
	if _, ok := tempApp.ModuleManager.Modules[collectortypes.ModuleName]; ok {
		rootCmd.AddCommand(reporterCmd(), watcherCmd(true), dashboardCmd())
	} else {
		rootCmd.AddCommand(watcherCmd(false))
	}
	rootCmd.AddCommand(
		observeCmd(),
		server.StatusCommand(),
		genutilcli.Commands(tempApp.TxConfig(), basics, home),
		queryCommand(),
		txCommand(),
		keys.Commands(),
	)

	// Defaults come from a throwaway client.toml: reading the default home's
	// here would register its config folder first with the shared viper, and
	// it would then win over --home for every command.
	initClientCtx, err = config.ReadDefaultValuesFromDefaultClientConfig(initClientCtx)
	if err != nil {
		panic(err)
	}
	autoCliOpts := tempApp.AutoCliOpts()
	autoCliOpts.ClientCtx = initClientCtx
	if err := autoCliOpts.EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	return rootCmd
}

// appConfigFor is app.toml for a profile: a zero minimum gas price in the
// profile's denom (a consortium chain's members don't charge each other), and
// the wasm section on subchains.
func appConfigFor(profile app.Profile) (string, any) {
	srvCfg := serverconfig.DefaultConfig()
	srvCfg.MinGasPrices = "0" + profile.BondDenom
	if !profile.WithWasm {
		return serverconfig.DefaultConfigTemplate, srvCfg
	}
	type wasmAppConfig struct {
		serverconfig.Config `mapstructure:",squash"`
		Wasm                wasmtypes.NodeConfig `mapstructure:"wasm"`
	}
	return serverconfig.DefaultConfigTemplate + wasmtypes.DefaultConfigTemplate(),
		wasmAppConfig{Config: *srvCfg, Wasm: wasmtypes.DefaultNodeConfig()}
}

func queryCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "query",
		Aliases:                    []string{"q"},
		Short:                      "Querying subcommands",
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		rpc.QueryEventForTxCmd(),
		server.QueryBlockCmd(),
		authcmd.QueryTxsByEventsCmd(),
		server.QueryBlocksCmd(),
		authcmd.QueryTxCmd(),
		server.QueryBlockResultsCmd(),
	)
	return cmd
}

func txCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "tx",
		Short:                      "Transactions subcommands",
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		authcmd.GetSignCommand(),
		authcmd.GetSignBatchCommand(),
		authcmd.GetMultiSignCommand(),
		authcmd.GetMultiSignBatchCmd(),
		authcmd.GetValidateSignaturesCommand(),
		authcmd.GetBroadcastCommand(),
		authcmd.GetEncodeCommand(),
		authcmd.GetDecodeCommand(),
		authcmd.GetSimulateCmd(),
	)
	return cmd
}

// Execute runs the root command with the SDK's server conventions.
func Execute(profile app.Profile) {
	rootCmd := NewRootCmd(profile)
	if err := svrcmd.Execute(rootCmd, "", profile.DefaultNodeHome()); err != nil {
		log.NewLogger(rootCmd.OutOrStderr()).Error("failure when running app", "err", err)
		os.Exit(1)
	}
}
