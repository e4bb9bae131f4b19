package collector

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// IBCModule is the main chain's end of the status channels.
type IBCModule struct{ keeper keeper.Keeper }

// NewIBCModule returns the collector's IBC application.
func NewIBCModule(k keeper.Keeper) IBCModule { return IBCModule{keeper: k} }

var _ porttypes.IBCModule = IBCModule{}

// OnChanOpenInit refuses: the subchain opens its status channel, so that the
// main chain only ever answers a handshake it can check against its registry.
func (IBCModule) OnChanOpenInit(sdk.Context, channeltypes.Order, []string, string, string, channeltypes.Counterparty, string) (string, error) {
	return "", errorsmod.Wrap(shared.ErrInvalidChannel, "status channels are opened by the subchain's reporter, not the main chain")
}

// OnChanOpenTry accepts a channel only over the client bound to a registered
// subchain without a channel.
func (im IBCModule) OnChanOpenTry(ctx sdk.Context, order channeltypes.Order, hops []string, portID, _ string,
	counterparty channeltypes.Counterparty, counterpartyVersion string,
) (string, error) {
	if err := shared.ValidateChannel(order, portID, shared.CollectorPortID, counterparty.PortId, shared.ReporterPortID, counterpartyVersion); err != nil {
		return "", err
	}
	if err := im.keeper.VerifyChannelOpenTry(ctx, hops); err != nil {
		return "", err
	}
	return shared.Version, nil
}

// OnChanOpenAck is never called: the main chain never initiates.
func (IBCModule) OnChanOpenAck(sdk.Context, string, string, string, string) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "the main chain does not initiate status channels")
}

// OnChanOpenConfirm binds the channel to its subchain.
func (im IBCModule) OnChanOpenConfirm(ctx sdk.Context, portID, channelID string) error {
	return im.keeper.BindChannel(ctx, portID, channelID)
}

// OnChanCloseInit refuses: nobody closes a status channel from the main chain.
func (IBCModule) OnChanCloseInit(sdk.Context, string, string) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "status channels cannot be closed by users")
}

// OnChanCloseConfirm unbinds a channel the counterparty closed.
func (im IBCModule) OnChanCloseConfirm(ctx sdk.Context, _, channelID string) error {
	return im.keeper.UnbindChannel(ctx, channelID)
}

// OnRecvPacket decodes a status packet and hands it to the keeper's IBC door
// for its kind: a report is recorded, evidence settles a dispute. Every
// failure becomes an error acknowledgement, which keeps only the error code,
// so the reason is logged and emitted (EventStatusPacketRefused).
func (im IBCModule) OnRecvPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, _ sdk.AccAddress) ibcexported.Acknowledgement {
	ack, err := im.Receive(ctx, packet)
	if err != nil {
		im.keeper.Logger(ctx).Info("status packet refused", "channel", packet.DestinationChannel,
			"sequence", packet.Sequence, "err", err)
		im.keeper.EmitPacketRefused(ctx, packet, err)
		return channeltypes.NewErrorAcknowledgement(err)
	}
	bz, err := ack.Marshal()
	if err != nil {
		return channeltypes.NewErrorAcknowledgement(err)
	}
	return channeltypes.NewResultAcknowledgement(bz)
}

// Receive is OnRecvPacket before the acknowledgement is written: it decodes
// the packet and returns what the keeper's door made of it.
func (im IBCModule) Receive(ctx sdk.Context, packet channeltypes.Packet) (*shared.StatusReportAck, error) {
	pd, err := shared.DecodePacketData(packet.Data)
	if err != nil {
		return nil, err
	}
	switch p := pd.Packet.(type) {
	case *shared.StatusPacketData_Report:
		seq, err := im.keeper.ReceiveReport(ctx, packet.DestinationChannel, *p.Report)
		if err != nil {
			return nil, err
		}
		return &shared.StatusReportAck{MainSequence: seq, TakesListsHash: true}, nil
	case *shared.StatusPacketData_Evidence:
		id, err := im.keeper.ReceiveEvidence(ctx, packet.DestinationChannel, *p.Evidence)
		if err != nil {
			return nil, err
		}
		return &shared.StatusReportAck{MainSequence: p.Evidence.MainSequence, DisputeId: id}, nil
	default:
		return nil, errorsmod.Wrapf(shared.ErrInvalidPacket, "unknown packet type %T", pd.Packet)
	}
}

// OnAcknowledgementPacket is never called: the main chain sends no packets.
func (IBCModule) OnAcknowledgementPacket(sdk.Context, string, channeltypes.Packet, []byte, sdk.AccAddress) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "the main chain sends no status packets")
}

// OnTimeoutPacket is never called: the main chain sends no packets.
func (IBCModule) OnTimeoutPacket(sdk.Context, string, channeltypes.Packet, sdk.AccAddress) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "the main chain sends no status packets")
}
