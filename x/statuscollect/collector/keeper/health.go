package keeper

import (
	"context"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// health is a subchain with its countdown to the next deadline and the
// headline figures of its latest report.
func (k Keeper) health(ctx context.Context, sub types.Subchain) (types.SubchainHealth, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	h := types.SubchainHealth{
		Subchain:        sub,
		AsOf:            now,
		SecondsUntilDue: int64(sub.NextReportDue.Sub(now) / time.Second),
		Link:            k.linkHealth(sdkCtx, sub),
	}
	if sub.LastSequence == 0 {
		return h, nil
	}
	// The counts are the record's; the tps is the latest report's own, read
	// without the lists it may share.
	r, err := k.latestReport(ctx, sub, true)
	if err != nil {
		return h, err
	}
	h.OrgCount = sub.Latest.OrgCount
	h.NodeCount = sub.Latest.NodeCount
	h.ContractCount = sub.Latest.ContractCount
	h.TpsMilli = r.Snapshot.TpsMilli
	return h, nil
}

// linkHealth reads the bound client's state: status, latest height, and how
// long until its trusting period runs out.
func (k Keeper) linkHealth(ctx sdk.Context, sub types.Subchain) types.LinkHealth {
	h := types.LinkHealth{ClientId: sub.ClientId, ChannelId: sub.ChannelId, LastIbcReport: sub.LastIbcReport}
	if sub.ClientId == "" || k.clientKeeper == nil {
		return h
	}
	h.ClientStatus = string(k.clientKeeper.GetClientStatus(ctx, sub.ClientId))
	latest := k.clientKeeper.GetClientLatestHeight(ctx, sub.ClientId)
	h.ClientLatestHeight = latest.RevisionHeight
	cs, found := k.clientKeeper.GetClientState(ctx, sub.ClientId)
	tm, ok := cs.(*ibctm.ClientState)
	if !found || !ok {
		return h
	}
	ts, err := k.clientKeeper.GetClientTimestampAtHeight(ctx, sub.ClientId, latest)
	if err != nil {
		return h
	}
	expires := time.Unix(0, int64(ts)).Add(tm.TrustingPeriod)
	h.TrustExpiresInSeconds = int64(expires.Sub(ctx.BlockTime()) / time.Second)
	return h
}
