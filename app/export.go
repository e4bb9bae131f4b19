package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// ExportAppStateAndValidators exports the state at the last committed height
// as a genesis that a new chain (or `init` of a new node) can start from.
// With forZeroHeight the new chain starts again at height 1 (a hard fork):
// the state is first brought to what a chain at height zero would hold (see
// prepareZeroHeight), on a cached context, so the running node's state is
// left as it was.
func (app *App) ExportAppStateAndValidators(forZeroHeight bool, jailAllowedAddrs []string, modulesToExport []string) (servertypes.ExportedApp, error) {
	ctx := app.NewContextLegacy(true, cmtproto.Header{Height: app.LastBlockHeight()})
	height := app.LastBlockHeight() + 1 // CometBFT starts the new chain after the last committed block
	if forZeroHeight {
		height = 0
		ctx, _ = ctx.CacheContext()
		if err := app.prepareZeroHeight(ctx, jailAllowedAddrs); err != nil {
			return servertypes.ExportedApp{}, fmt.Errorf("preparing the zero-height export: %w", err)
		}
	}
	genState, err := app.ModuleManager.ExportGenesisForModules(ctx, app.appCodec, modulesToExport)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	// Compact on purpose: indenting would also re-indent raw JSON kept in state
	// (CosmWasm stores each contract's instantiate message verbatim), and the
	// imported chain would then hold different bytes than the exported one.
	appState, err := json.Marshal(genState)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	validators, err := staking.WriteValidators(ctx, app.StakingKeeper)
	if err != nil {
		return servertypes.ExportedApp{}, err
	}
	return servertypes.ExportedApp{
		AppState:        appState,
		Validators:      validators,
		Height:          height,
		ConsensusParams: app.GetConsensusParams(ctx),
	}, nil
}

// prepareZeroHeight rewrites the heights the SDK's modules keep so that the
// state is valid at height zero: every reward and commission is paid out and
// distribution's per-validator records start again, staking's creation and
// unbonding heights become 0, slashing's signing windows start at 0. With
// jailAllowedAddrs given, every validator not in it (operator addresses) is
// jailed. The statuscollect modules keep no height that a new chain's heights
// must exceed on the main chain (report heights are the subchains'); see
// docs/operations.md for a subchain's restart.
func (app *App) prepareZeroHeight(ctx sdk.Context, jailAllowedAddrs []string) error {
	valCodec := app.StakingKeeper.ValidatorAddressCodec()
	validators, err := app.StakingKeeper.GetAllValidators(ctx)
	if err != nil {
		return err
	}
	delegations, err := app.StakingKeeper.GetAllDelegations(ctx)
	if err != nil {
		return err
	}
	type pair struct {
		del sdk.AccAddress
		val sdk.ValAddress
	}
	pairs := make([]pair, 0, len(delegations))
	for _, d := range delegations {
		val, err := valCodec.StringToBytes(d.ValidatorAddress)
		if err != nil {
			return err
		}
		del, err := app.AccountKeeper.AddressCodec().StringToBytes(d.DelegatorAddress)
		if err != nil {
			return err
		}
		pairs = append(pairs, pair{del, val})
	}
	operators := make([]sdk.ValAddress, 0, len(validators))
	for _, v := range validators {
		op, err := valCodec.StringToBytes(v.GetOperator())
		if err != nil {
			return err
		}
		operators = append(operators, op)
	}

	// Distribution: pay out, then start every record again at height 0.
	for _, op := range operators {
		if _, err := app.DistrKeeper.WithdrawValidatorCommission(ctx, op); err != nil && !errors.Is(err, distrtypes.ErrNoValidatorCommission) {
			return err
		}
	}
	for _, p := range pairs {
		if _, err := app.DistrKeeper.WithdrawDelegationRewards(ctx, p.del, p.val); err != nil {
			return err
		}
	}
	app.DistrKeeper.DeleteAllValidatorSlashEvents(ctx)
	app.DistrKeeper.DeleteAllValidatorHistoricalRewards(ctx)
	atHeight := ctx.BlockHeight()
	ctx = ctx.WithBlockHeight(0)
	hooks := app.DistrKeeper.Hooks()
	for _, op := range operators {
		// What rounding left with the validator goes to the community pool.
		scraps, err := app.DistrKeeper.GetValidatorOutstandingRewardsCoins(ctx, op)
		if err != nil {
			return err
		}
		pool, err := app.DistrKeeper.FeePool.Get(ctx)
		if err != nil {
			return err
		}
		pool.CommunityPool = pool.CommunityPool.Add(scraps...)
		if err := app.DistrKeeper.FeePool.Set(ctx, pool); err != nil {
			return err
		}
		if err := hooks.AfterValidatorCreated(ctx, op); err != nil {
			return err
		}
	}
	for _, p := range pairs {
		if err := hooks.BeforeDelegationCreated(ctx, p.del, p.val); err != nil {
			return err
		}
		if err := hooks.AfterDelegationModified(ctx, p.del, p.val); err != nil {
			return err
		}
	}
	ctx = ctx.WithBlockHeight(atHeight)

	// Staking: creation and unbonding heights to 0, the jailing asked for.
	var reds []stakingtypes.Redelegation
	if err := app.StakingKeeper.IterateRedelegations(ctx, func(_ int64, r stakingtypes.Redelegation) bool {
		reds = append(reds, r)
		return false
	}); err != nil {
		return err
	}
	for _, r := range reds {
		for i := range r.Entries {
			r.Entries[i].CreationHeight = 0
		}
		if err := app.StakingKeeper.SetRedelegation(ctx, r); err != nil {
			return err
		}
	}
	var ubds []stakingtypes.UnbondingDelegation
	if err := app.StakingKeeper.IterateUnbondingDelegations(ctx, func(_ int64, u stakingtypes.UnbondingDelegation) bool {
		ubds = append(ubds, u)
		return false
	}); err != nil {
		return err
	}
	for _, u := range ubds {
		for i := range u.Entries {
			u.Entries[i].CreationHeight = 0
		}
		if err := app.StakingKeeper.SetUnbondingDelegation(ctx, u); err != nil {
			return err
		}
	}
	for _, v := range validators {
		v.UnbondingHeight = 0
		if len(jailAllowedAddrs) > 0 && !slices.Contains(jailAllowedAddrs, v.GetOperator()) {
			v.Jailed = true
		}
		if err := app.StakingKeeper.SetValidator(ctx, v); err != nil {
			return err
		}
	}
	if _, err := app.StakingKeeper.ApplyAndReturnValidatorSetUpdates(ctx); err != nil {
		return err
	}

	// Slashing: every signing window starts at 0.
	type signing struct {
		addr sdk.ConsAddress
		info slashingtypes.ValidatorSigningInfo
	}
	var infos []signing
	if err := app.SlashingKeeper.IterateValidatorSigningInfos(ctx, func(addr sdk.ConsAddress, info slashingtypes.ValidatorSigningInfo) bool {
		infos = append(infos, signing{addr, info})
		return false
	}); err != nil {
		return err
	}
	for _, s := range infos {
		s.info.StartHeight = 0
		if err := app.SlashingKeeper.SetValidatorSigningInfo(ctx, s.addr, s.info); err != nil {
			return err
		}
	}
	return nil
}
