package app_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	wasmtypes "github.com/CosmWasm/wasmd/x/wasm/types"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/app/apptesting"
)

// TestBootExportImport boots each profile from a genesis, produces blocks,
// exports the state as a genesis, starts a second app from it, and checks that
// both apps hold the same state, store by store, and export byte-identical
// genesis files. Two apps started from one genesis must also agree on the app
// hash, or a network started from an export would halt at its first block.
func TestBootExportImport(t *testing.T) {
	for _, profile := range []app.Profile{app.MainChain, app.SubChain} {
		t.Run(profile.AppName, func(t *testing.T) {
			coord := ibctesting.NewCoordinator(t, 0)
			chain := ibctesting.NewCustomAppTestChain(t, coord, "export-1", apptesting.NewAppCreator(t, profile))
			coord.Chains[chain.ChainID] = chain

			if profile.WithWasm {
				code, err := os.ReadFile("../testdata/hackatom.wasm")
				require.NoError(t, err)
				sender := chain.SenderAccount.GetAddress().String()
				_, err = chain.SendMsgs(&wasmtypes.MsgStoreCode{Sender: sender, WASMByteCode: code})
				require.NoError(t, err)
				// hackatom's instantiate message names who may release its funds.
				initMsg := fmt.Sprintf(`{"verifier":%q,"beneficiary":%q}`, sender, sender)
				// The second contract is one x/wasm's instance sequence does not
				// count: the import must count it from the contracts themselves.
				_, err = chain.SendMsgs(&wasmtypes.MsgInstantiateContract{
					Sender: sender, Admin: sender, CodeID: 1, Label: "export test", Msg: []byte(initMsg),
				}, &wasmtypes.MsgInstantiateContract2{
					Sender: sender, CodeID: 1, Label: "export test 2", Msg: []byte(initMsg), Salt: []byte("export"),
				})
				require.NoError(t, err)
			}
			for range 5 {
				coord.CommitBlock(chain)
			}
			orig := apptesting.App(chain)
			require.Greater(t, orig.LastBlockHeight(), int64(5))

			exported, err := orig.ExportAppStateAndValidators(false, nil, nil)
			require.NoError(t, err)

			first := importGenesis(t, profile, chain.ChainID, exported)
			second := importGenesis(t, profile, chain.ChainID, exported)
			require.Equal(t, first.LastCommitID().Hash, second.LastCommitID().Hash, "two imports of one genesis disagree")

			reExported, err := first.ExportAppStateAndValidators(false, nil, nil)
			require.NoError(t, err)
			require.JSONEq(t, string(exported.AppState), string(reExported.AppState))
			require.Len(t, reExported.Validators, len(exported.Validators))

			compareStores(t, orig, first)
			for _, a := range []*app.App{orig, first} {
				ctx := a.NewUncachedContext(false, cmtproto.Header{ChainID: chain.ChainID, Height: a.LastBlockHeight()})
				require.NoError(t, app.ContractCountInvariant(ctx, a))
			}
		})
	}
}

// importGenesis starts a new app from an exported app state and commits its
// first block.
func importGenesis(t *testing.T, profile app.Profile, chainID string, exported servertypes.ExportedApp) *app.App {
	t.Helper()
	a := apptesting.NewApp(t, profile)
	baseapp.SetChainID(chainID)(a.GetBaseApp())
	_, err := a.InitChain(&abci.RequestInitChain{
		ChainId:         chainID,
		AppStateBytes:   exported.AppState,
		InitialHeight:   exported.Height,
		ConsensusParams: &exported.ConsensusParams,
	})
	require.NoError(t, err)
	_, err = a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: exported.Height})
	require.NoError(t, err)
	_, err = a.Commit()
	require.NoError(t, err)
	return a
}

// storesSkipped lists, per store, the key prefixes that legitimately differ
// between a running chain and one started from its export: records of
// blocks that were not replayed.
var storesSkipped = map[string][][]byte{
	stakingtypes.StoreKey: {stakingtypes.HistoricalInfoKey, stakingtypes.ValidatorUpdatesKey},
	wasmtypes.StoreKey:    {wasmtypes.TXCounterPrefix},
}

// compareStores requires every KV store of a and b to hold the same pairs,
// apart from the prefixes listed in storesSkipped.
func compareStores(t *testing.T, a, b *app.App) {
	t.Helper()
	for _, key := range a.StoreKeys() {
		sa := a.CommitMultiStore().GetKVStore(key)
		sb := b.CommitMultiStore().GetKVStore(b.GetKey(key.Name()))
		da, db := storeDump(sa, storesSkipped[key.Name()]), storeDump(sb, storesSkipped[key.Name()])
		require.Equal(t, len(da), len(db), "store %s: key counts differ", key.Name())
		for i := range da {
			require.Equal(t, da[i], db[i], "store %s: entry %d differs", key.Name(), i)
		}
	}
}

func storeDump(s storetypes.KVStore, skip [][]byte) [][2][]byte {
	it := s.Iterator(nil, nil)
	defer it.Close()
	var out [][2][]byte
outer:
	for ; it.Valid(); it.Next() {
		for _, p := range skip {
			if bytes.HasPrefix(it.Key(), p) {
				continue outer
			}
		}
		out = append(out, [2][]byte{it.Key(), it.Value()})
	}
	return out
}
