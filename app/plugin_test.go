package app_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"
	"github.com/cosmos/ibc-go/v10/testing/mock"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
)

// mockPlugin plugs ibc-go's mock IBC application in through the Plugin seam,
// standing in for the statuscollect collector and reporter modules.
type mockPlugin struct{ built *bool }

func (mockPlugin) ModuleName() string  { return mock.ModuleName }
func (mockPlugin) StoreKeys() []string { return []string{mock.ModuleName} }
func (mockPlugin) ModuleAccountPerms() map[string][]string {
	return map[string][]string{mock.ModuleName: nil}
}
func (p mockPlugin) Build(a *app.App) (module.AppModule, string, porttypes.IBCModule) {
	// The seam promises that every base keeper exists when Build runs.
	if a.IBCKeeper == nil || a.StakingKeeper == nil {
		panic("plugin built before the base keepers")
	}
	*p.built = true
	mod := mock.NewAppModule()
	return mod, mock.PortID, mock.NewIBCModule(&mod, mock.NewIBCApp(mock.PortID))
}

func withMock(p app.Profile, built *bool) app.Profile {
	p.Plugins = append(slices.Clone(p.Plugins), mockPlugin{built: built})
	return p
}

// TestPluginJoinsAppAndIBCRouter checks the seam the statuscollect modules use:
// a plugin's module is registered with the module manager, ordered after the
// base modules, its store is mounted, and its IBC port routes a real channel
// handshake between a main chain and a subchain.
func TestPluginJoinsAppAndIBCRouter(t *testing.T) {
	var mainBuilt, subBuilt bool
	coord := apptesting.NewCoordinator(t, withMock(app.MainChain, &mainBuilt), withMock(app.SubChain, &subBuilt), apptesting.SubChainAID)
	require.True(t, mainBuilt)
	require.True(t, subBuilt)

	mainChain := coord.GetChain(apptesting.MainChainID)
	subChain := coord.GetChain(apptesting.SubChainAID)
	for _, chain := range []*ibctesting.TestChain{mainChain, subChain} {
		a := apptesting.App(chain)
		require.Contains(t, a.ModuleManager.Modules, mock.ModuleName)
		require.Equal(t, mock.ModuleName, a.ModuleManager.OrderEndBlockers[len(a.ModuleManager.OrderEndBlockers)-1])
		require.True(t, slices.Contains(a.ModuleManager.OrderInitGenesis, mock.ModuleName))
		require.NotNil(t, a.GetKey(mock.ModuleName))
	}

	path := ibctesting.NewPath(mainChain, subChain)
	path.EndpointA.ChannelConfig.PortID = mock.PortID
	path.EndpointB.ChannelConfig.PortID = mock.PortID
	path.EndpointA.ChannelConfig.Version = mock.Version
	path.EndpointB.ChannelConfig.Version = mock.Version
	path.Setup()

	for _, end := range []*ibctesting.Endpoint{path.EndpointA, path.EndpointB} {
		ch := end.GetChannel()
		require.Equal(t, "STATE_OPEN", ch.State.String(), "channel on %s", end.Chain.ChainID)
		require.Equal(t, mock.Version, ch.Version)
	}
}
