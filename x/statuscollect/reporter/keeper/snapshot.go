package keeper

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// CountTxs adds a block's transactions to the total. The app calls it from
// its PreBlocker with the FinalizeBlock request's transactions.
func (k Keeper) CountTxs(ctx context.Context, n int) error {
	if n == 0 {
		return nil
	}
	total, err := k.TxTotal.Get(ctx)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	return k.TxTotal.Set(ctx, total+uint64(n))
}

// NoteNewContract counts a contract the engine has just created, however it
// was created (instantiate, instantiate2, store-and-instantiate, or by another
// contract), and records it as NoteContract does. The app calls it in the
// same context as the creation, so a creation rolled back (a failed
// transaction or submessage) is uncounted with it.
func (k Keeper) NoteNewContract(ctx context.Context, c shared.Contract) error {
	n, err := k.ContractCount.Get(ctx)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	if err := k.ContractCount.Set(ctx, n+1); err != nil {
		return err
	}
	return k.NoteContract(ctx, c)
}

// NoteContract records a contract deployed or migrated, to be carried by the
// next report until the main chain acknowledges it; it does not count it (a
// migration keeps the count, a new contract goes through NoteNewContract).
// Past the cap the contract is counted as dropped (the contract count still
// moves) rather than letting pending state grow without bound.
//
// A migration keeps a contract's label, and the app passes it (read from the
// engine), so the main chain and the orgs' daemons see the same contract.
// Should a caller pass none, a pending contract keeps the label it has: an
// empty one would reach the main chain as a change of label.
func (k Keeper) NoteContract(ctx context.Context, c shared.Contract) error {
	c.Label = shared.TruncateText(c.Label, shared.MaxContractLabel)
	pending, err := k.PendingContracts.Get(ctx, c.Address)
	switch {
	case err == nil:
		// Migrated while still pending: carry the newest code id.
		if c.Label == "" {
			c.Label = pending.Label
		}
		return k.PendingContracts.Set(ctx, c.Address, c)
	case !errorsmod.IsOf(err, collections.ErrNotFound):
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	l, err := k.link(ctx)
	if err != nil {
		return err
	}
	if l.PendingContracts >= uint64(params.MaxPendingContracts) {
		l.DroppedContracts++
		return k.Link.Set(ctx, l)
	}
	l.PendingContracts++
	if err := k.Link.Set(ctx, l); err != nil {
		return err
	}
	return k.PendingContracts.Set(ctx, c.Address, c)
}

// TakeSnapshot observes this chain at the current block. Every input is
// consensus state, so every honest node takes the same snapshot.
func (k Keeper) TakeSnapshot(ctx context.Context) (shared.StatusSnapshot, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	snap := shared.StatusSnapshot{ChainId: sdkCtx.ChainID(), Height: sdkCtx.BlockHeight(), BlockTime: sdkCtx.BlockTime()}

	total, err := k.TxTotal.Get(ctx)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return snap, err
	}
	snap.TotalTxs = total
	window, err := k.Window.Get(ctx)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return snap, err
	}
	if window.Height > 0 && window.Height < snap.Height {
		snap.WindowTxs = total - window.TotalTxs
		snap.WindowBlocks = uint64(snap.Height - window.Height)
		if ms := snap.BlockTime.Sub(window.Time).Milliseconds(); ms > 0 {
			snap.TpsMilli = snap.WindowTxs * 1_000_000 / uint64(ms)
		}
	}

	if err := k.Orgs.Walk(ctx, nil, func(org string) (bool, error) {
		snap.Orgs = append(snap.Orgs, org)
		return len(snap.Orgs) >= shared.MaxOrgs, nil
	}); err != nil {
		return snap, err
	}

	vals, err := k.staking.GetBondedValidatorsByPower(ctx)
	if err != nil {
		return snap, err
	}
	// The bonded set is bounded by staking's max_validators.
	reduction := k.staking.PowerReduction(ctx)
	bonded := make([]shared.Validator, 0, len(vals))
	for _, v := range vals {
		cons, err := v.GetConsAddr()
		if err != nil {
			return snap, err
		}
		bonded = append(bonded, shared.Validator{Address: sdk.ConsAddress(cons).String(),
			Power: v.ConsensusPower(reduction), Moniker: v.Description.Moniker})
	}
	snap.Validators = shared.ProjectValidators(bonded)

	// One read, whatever the number of contracts: the counter moves with
	// every contract created (NoteNewContract).
	if snap.ContractCount, err = k.ContractCount.Get(ctx); err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return snap, err
	}
	// Pending contracts come in address order, the order the snapshot needs.
	if err := k.PendingContracts.Walk(ctx, nil, func(_ string, c shared.Contract) (bool, error) {
		snap.NewContracts = append(snap.NewContracts, c)
		return len(snap.NewContracts) >= shared.MaxNewContracts, nil
	}); err != nil {
		return snap, err
	}
	if uint64(len(snap.NewContracts)) > snap.ContractCount {
		snap.ContractCount = uint64(len(snap.NewContracts))
	}

	// The software version is the last upgrade applied by consensus, not the
	// binary's version string, which may differ between honest nodes.
	name, _, err := k.upgrade.GetLastCompletedUpgrade(ctx)
	if err != nil {
		return snap, err
	}
	if name == "" {
		name = "genesis"
	}
	snap.SoftwareVersion = shared.TruncateText(name, shared.MaxVersionLen)
	plan, err := k.upgrade.GetUpgradePlan(ctx)
	switch {
	case err == nil && plan.Height > snap.Height:
		snap.PlannedUpgrade = &shared.PlannedUpgrade{Name: shared.TruncateText(plan.Name, shared.MaxUpgradeName), Height: plan.Height}
	case err != nil && !errors.Is(err, upgradetypes.ErrNoUpgradePlanFound):
		return snap, err
	}
	return snap, nil
}

// recordSnapshot keeps a snapshot in the ring and drops the one that falls out.
func (k Keeper) recordSnapshot(ctx context.Context, snap shared.StatusSnapshot, params types.Params) error {
	if err := k.Snapshots.Set(ctx, snap.Height, snap); err != nil {
		return err
	}
	if err := k.trimRing(ctx, snap.Height-int64(params.SnapshotRing)*int64(params.ReportInterval)); err != nil {
		return err
	}
	return k.Window.Set(ctx, windowAt(snap))
}

// maxRingTrim bounds the entries one snapshot takes out of the ring and of
// the disputed set. The ring gains one per snapshot, so this drains, a few
// snapshots at a time, whatever a change of report_interval or snapshot_ring
// left behind.
const maxRingTrim = 16

// trimRing removes, oldest first and at most maxRingTrim of each, the
// snapshots at or below cutoff and the disputes checked against them.
func (k Keeper) trimRing(ctx context.Context, cutoff int64) error {
	if cutoff <= 0 {
		return nil
	}
	var heights []int64
	if err := k.Snapshots.Walk(ctx, new(collections.Range[int64]).EndInclusive(cutoff), func(h int64, _ shared.StatusSnapshot) (bool, error) {
		heights = append(heights, h)
		return len(heights) >= maxRingTrim, nil
	}); err != nil {
		return err
	}
	for _, h := range heights {
		if err := k.Snapshots.Remove(ctx, h); err != nil {
			return err
		}
	}
	var disputed []collections.Pair[int64, uint64]
	if err := k.Disputed.Walk(ctx, collections.NewPrefixUntilPairRange[int64, uint64](cutoff), func(key collections.Pair[int64, uint64]) (bool, error) {
		disputed = append(disputed, key)
		return len(disputed) >= maxRingTrim, nil
	}); err != nil {
		return err
	}
	for _, key := range disputed {
		if err := k.Disputed.Remove(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

func windowAt(snap shared.StatusSnapshot) types.TxWindow {
	return types.TxWindow{Height: snap.Height, Time: snap.BlockTime, TotalTxs: snap.TotalTxs}
}

// changed reports whether anything but the counters moved since the last
// report sent.
func changed(prev, next shared.StatusSnapshot) bool {
	if len(next.NewContracts) > 0 || prev.ContractCount != next.ContractCount ||
		prev.SoftwareVersion != next.SoftwareVersion || !slices.Equal(prev.Orgs, next.Orgs) ||
		!slices.Equal(prev.Validators, next.Validators) {
		return true
	}
	if (prev.PlannedUpgrade == nil) != (next.PlannedUpgrade == nil) {
		return true
	}
	return prev.PlannedUpgrade != nil && *prev.PlannedUpgrade != *next.PlannedUpgrade
}
