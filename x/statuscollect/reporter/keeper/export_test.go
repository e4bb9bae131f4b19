package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// TrimRing exposes trimRing to the package's external tests.
func (k Keeper) TrimRing(ctx context.Context, cutoff int64) error { return k.trimRing(ctx, cutoff) }

// FitReport exposes fitReport to the package's external tests.
func FitReport(snap shared.StatusSnapshot, f types.InFlight, snapshotEvery uint32) (shared.StatusSnapshot, []byte, error) {
	return fitReport(snap, f, snapshotEvery)
}

// MaybeSend exposes maybeSend, with the stored params, to the package's
// external tests.
func (k Keeper) MaybeSend(ctx sdk.Context, snap shared.StatusSnapshot) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	return k.maybeSend(ctx, snap, params)
}
