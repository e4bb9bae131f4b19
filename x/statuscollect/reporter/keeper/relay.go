package keeper

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/collx"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// channelID returns the bound status channel, or "" before one is open.
func (k Keeper) channelID(ctx context.Context) (string, error) {
	return collx.Optional(ctx, k.Channel)
}

// VerifyNoChannel refuses a second status channel: the main chain accepts one
// per subchain, and two would split the report sequence.
func (k Keeper) VerifyNoChannel(ctx context.Context) error {
	ch, err := k.channelID(ctx)
	if err != nil {
		return err
	}
	if ch != "" {
		return errorsmod.Wrapf(types.ErrChannelBound, "reports already go over %s", ch)
	}
	return nil
}

// BindChannel records the opened status channel. It checks the pinned client
// again: the authority or admin may have re-pointed it since OpenInit.
func (k Keeper) BindChannel(ctx sdk.Context, channelID string) error {
	ch, found := k.channels.GetChannel(ctx, shared.ReporterPortID, channelID)
	if !found {
		return errorsmod.Wrapf(shared.ErrInvalidChannel, "channel %s/%s not found", shared.ReporterPortID, channelID)
	}
	if err := k.VerifyMainClient(ctx, ch.ConnectionHops); err != nil {
		return err
	}
	if err := k.VerifyNoChannel(ctx); err != nil {
		return err
	}
	return k.Channel.Set(ctx, channelID)
}

// UnbindChannel forgets a closed channel. A report in flight on it is lost
// to the channel (reportLost): what it carried stays pending and the next
// interval sends again. It returns that report, if there was one.
func (k Keeper) UnbindChannel(ctx context.Context, channelID string) (*types.InFlight, error) {
	ch, err := k.channelID(ctx)
	if err != nil || ch != channelID {
		return nil, err
	}
	l, err := k.link(ctx)
	if err != nil {
		return nil, err
	}
	lost := l.InFlight
	if lost != nil {
		l.InFlight = nil
		if err := k.reportLost(ctx, &l); err != nil {
			return nil, err
		}
	}
	return lost, k.Channel.Remove(ctx)
}

// maybeSend sends a snapshot when something changed since the last report
// sent, or as a heartbeat when nothing did for heartbeat_every intervals. It
// sends nothing while a report is in flight: the next one carries whatever
// changed meanwhile, so at most one report is ever pending. Nor does it send
// within report_interval blocks of the last report: a prompt report between
// snapshot heights (promptDue) moves the next one on, so a subchain never
// reports more often than once an interval.
func (k Keeper) maybeSend(ctx sdk.Context, snap shared.StatusSnapshot, params types.Params) error {
	ch, err := k.channelID(ctx)
	if err != nil || ch == "" {
		return err
	}
	l, err := k.link(ctx)
	if err != nil {
		return err
	}
	if l.InFlight != nil {
		return nil
	}
	last, err := k.LastSent.Get(ctx)
	first := errorsmod.IsOf(err, collections.ErrNotFound)
	if err != nil && !first {
		return err
	}
	if !first && snap.Height-last.Height < int64(params.ReportInterval) {
		return nil
	}
	heartbeat := false
	if !first && !changed(last, snap) {
		if snap.Height-last.Height < int64(params.HeartbeatEvery)*int64(params.ReportInterval) {
			return nil
		}
		heartbeat = true
	}

	inFlight := &types.InFlight{Sequence: l.LastSent + 1, Height: snap.Height, ChannelId: ch, Heartbeat: heartbeat,
		ListsByHash: !first && listsByHash(l, last, snap)}
	pending := len(snap.NewContracts)
	snap, data, err := fitReport(snap, *inFlight, params.ReportInterval)
	if err != nil {
		return err
	}
	if data == nil {
		return k.skipOversized(ctx, snap, inFlight.Sequence)
	}
	if len(snap.NewContracts) < pending {
		k.Logger(ctx).Info("status report carries the pending contracts that fit in a packet; the rest ride on the next report",
			"sequence", inFlight.Sequence, "carried", len(snap.NewContracts), "pending", pending)
	}
	timeout := uint64(ctx.BlockTime().Add(params.PacketTimeout).UnixNano())
	packetSeq, err := k.ics4.SendPacket(ctx, shared.ReporterPortID, ch, clienttypes.ZeroHeight(), timeout, data)
	if err != nil {
		return err
	}
	inFlight.PacketSequence, inFlight.TimeoutTimestamp = packetSeq, timeout
	for _, c := range snap.NewContracts {
		inFlight.Contracts = append(inFlight.Contracts, c.Address)
	}
	l.LastSent, l.InFlight = inFlight.Sequence, inFlight
	if err := k.Link.Set(ctx, l); err != nil {
		return err
	}
	if err := k.LastSent.Set(ctx, snap); err != nil {
		return err
	}
	return emit(ctx, &types.EventReportSent{Sequence: inFlight.Sequence, Height: snap.Height, ChannelId: ch,
		PacketSequence: packetSeq, Heartbeat: heartbeat, Contracts: uint64(len(snap.NewContracts)), ListsByHash: inFlight.ListsByHash})
}

// fitReport returns snap with as many of its new contracts, in order, as
// keep report f's packet within shared.MaxPacketSize, and that packet's data.
// The main chain refuses a larger packet before decoding it, and a report at
// the module's list limits (MaxOrgs ids and MaxValidators monikers at their
// longest, with MaxNewContracts labels at theirs) is larger: sent whole, it
// would be refused at every attempt, and nothing would reach the main chain
// again. The contracts left out stay pending: an acknowledgement settles only
// those the report carried (settleContracts), and the rest ride on the next
// report, which promptDue sends an interval later.
//
// A packet grows with every contract it carries, so a binary search finds
// the most that fit in at most log2(MaxNewContracts)+3 encodings. The data is
// nil if the report does not fit even without contracts: its orgs and
// validators alone are too large (see skipOversized).
func fitReport(snap shared.StatusSnapshot, f types.InFlight, snapshotEvery uint32) (shared.StatusSnapshot, []byte, error) {
	data, err := ReportPacketData(snap, f, snapshotEvery)
	if err != nil || len(data) <= shared.MaxPacketSize {
		return snap, data, err
	}
	all := snap.NewContracts
	var encodeErr error
	tooMany := func(n int) bool {
		snap.NewContracts = all[:n]
		bz, err := ReportPacketData(snap, f, snapshotEvery)
		if err != nil {
			encodeErr = err
			return true
		}
		return len(bz) > shared.MaxPacketSize
	}
	// The fewest contracts too many for a packet; all of them are.
	n := sort.Search(len(all), tooMany)
	if encodeErr != nil || n == 0 {
		return snap, nil, encodeErr
	}
	snap.NewContracts = all[:n-1]
	data, err = ReportPacketData(snap, f, snapshotEvery)
	return snap, data, err
}

// skipOversized records that the report of snap, sequence seq, was not sent:
// without any contract its packet is still over shared.MaxPacketSize, which
// the main chain would refuse unread. That takes orgs and validators beyond
// what the limits allow in practice (validator monikers are at most 70 bytes
// in x/staking); the report is not sent until they shrink, and every
// interval says so. As after a lost report, only the snapshot's chain, height
// and time are kept as the last sent: the next attempt waits report_interval
// blocks, where pending contracts would otherwise make every block try
// (promptDue), and goes whole.
func (k Keeper) skipOversized(ctx sdk.Context, snap shared.StatusSnapshot, seq uint64) error {
	reason := fmt.Sprintf("not sent: its orgs and validators alone make a packet over the main chain's limit of %d bytes", shared.MaxPacketSize)
	k.Logger(ctx).Error("status report not sent", "sequence", seq, "height", snap.Height,
		"orgs", len(snap.Orgs), "validators", len(snap.Validators), "reason", reason)
	if err := k.LastSent.Set(ctx, shared.StatusSnapshot{ChainId: snap.ChainId, Height: snap.Height, BlockTime: snap.BlockTime}); err != nil {
		return err
	}
	return emit(ctx, &types.EventReportFailed{Sequence: seq, Reason: reason})
}

// ReportPacketData is the packet data of report f, which carries snap (with
// its lists: LastSent keeps them) and the sidecar's snapshot interval.
func ReportPacketData(snap shared.StatusSnapshot, f types.InFlight, snapshotEvery uint32) ([]byte, error) {
	report := shared.StatusReport{Sequence: f.Sequence, Snapshot: &snap, Heartbeat: f.Heartbeat, SnapshotEvery: snapshotEvery}
	if f.ListsByHash {
		report.ListsHash = snap.NameListsByHash()
	}
	return shared.NewReportPacket(report)
}

// listsByHash tells whether a report of snap may name its orgs and
// validators by hash: the main chain said it takes that, and they are those
// of the last report sent, which it acknowledged, so they are those of its
// latest report unless an org's report by tx changed them since. Then it
// refuses the report, which counts as lost (reportLost), and the next one
// goes whole.
func listsByHash(l types.LinkStatus, last, snap shared.StatusSnapshot) bool {
	return l.MainTakesListsHash && l.LastAcked == l.LastSent && bytes.Equal(last.ListsHash(), snap.ListsHash())
}

// inFlightFor returns the link and its in-flight report if the packet
// (channel, sequence) is it.
func (k Keeper) inFlightFor(ctx context.Context, channelID string, packetSeq uint64) (types.LinkStatus, bool, error) {
	l, err := k.link(ctx)
	if err != nil {
		return l, false, err
	}
	f := l.InFlight
	return l, f != nil && f.ChannelId == channelID && f.PacketSequence == packetSeq, nil
}

// Answer is the main chain's answer to a packet this module sent, as the IBC
// module decoded it: Result on success, Refusal (the error acknowledgement's
// text, or "timed out") otherwise.
type Answer struct {
	Result   *shared.StatusReportAck
	Refusal  string
	TimedOut bool
}

// Timeout is the answer of a packet that timed out.
var Timeout = Answer{Refusal: "timed out", TimedOut: true}

// OnReportAnswered settles the report in flight, if the packet (channel,
// sequence) is it; carried is the report the packet carried. On success the
// contracts it carried stop being pending; on a refusal or a timeout they
// stay pending and ride on the next report.
func (k Keeper) OnReportAnswered(ctx sdk.Context, channelID string, packetSeq uint64, carried *shared.StatusReport, a Answer) error {
	l, ours, err := k.inFlightFor(ctx, channelID, packetSeq)
	if err != nil || !ours {
		return err
	}
	f := l.InFlight
	l.InFlight = nil
	if a.Result == nil {
		if err := k.reportLost(ctx, &l); err != nil {
			return err
		}
		reason := "error acknowledgement: " + a.Refusal
		if a.TimedOut {
			reason = fmt.Sprintf("timed out (packet %d)", packetSeq)
		}
		k.Logger(ctx).Info("status report not recorded by the main chain", "sequence", f.Sequence, "reason", reason)
		return emit(ctx, &types.EventReportFailed{Sequence: f.Sequence, Reason: reason})
	}
	settled, err := k.settleContracts(ctx, f.Contracts, carriedContracts(carried))
	if err != nil {
		return err
	}
	l.PendingContracts -= min(l.PendingContracts, settled)
	l.LastAcked, l.LastAckedMainSequence = f.Sequence, a.Result.MainSequence
	l.MainTakesListsHash = a.Result.TakesListsHash
	if err := k.Link.Set(ctx, l); err != nil {
		return err
	}
	return emit(ctx, &types.EventReportAcknowledged{Sequence: f.Sequence, MainSequence: a.Result.MainSequence})
}

// settleContracts removes from pending the contracts an acknowledged report
// carried, unless one was migrated again while the report was in flight: that
// newer code id rides on the next report. It returns how many it removed.
func (k Keeper) settleContracts(ctx sdk.Context, addrs []string, carried map[string]shared.Contract) (uint64, error) {
	var settled uint64
	for _, addr := range addrs {
		pending, err := k.PendingContracts.Get(ctx, addr)
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			continue
		}
		if err != nil {
			return settled, err
		}
		if sent, ok := carried[addr]; ok && (sent.CodeId != pending.CodeId || sent.Label != pending.Label) {
			continue
		}
		if err := k.PendingContracts.Remove(ctx, addr); err != nil {
			return settled, err
		}
		settled++
	}
	return settled, nil
}

// carriedContracts are the new contracts of the report a packet carried, by
// address.
func carriedContracts(r *shared.StatusReport) map[string]shared.Contract {
	if r == nil || r.Snapshot == nil {
		return nil // not a report this module sent (it always sends a snapshot)
	}
	out := make(map[string]shared.Contract, len(r.Snapshot.NewContracts))
	for _, c := range r.Snapshot.NewContracts {
		out[c.Address] = c
	}
	return out
}

// reportLost records that the report in flight never reached the main chain.
// Of the last snapshot sent only its chain, height and time are kept: the
// next snapshot is compared with a chain of no orgs, validators or contracts,
// which the main chain is not known to be past, so it is a change and is sent
// whole at the first chance (a change the lost report carried, a validator,
// an org, a version, does not wait for the next heartbeat); the height keeps
// that chance at least report_interval blocks after the lost report.
func (k Keeper) reportLost(ctx context.Context, l *types.LinkStatus) error {
	l.Failed++
	if err := k.Link.Set(ctx, *l); err != nil {
		return err
	}
	last, err := k.LastSent.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return k.LastSent.Set(ctx, shared.StatusSnapshot{ChainId: last.ChainId, Height: last.Height, BlockTime: last.BlockTime})
}
