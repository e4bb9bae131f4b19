package reporter

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// IBCModule is the subchain's end of the status channel.
type IBCModule struct{ keeper keeper.Keeper }

// NewIBCModule returns the reporter's IBC application.
func NewIBCModule(k keeper.Keeper) IBCModule { return IBCModule{keeper: k} }

var _ porttypes.IBCModule = IBCModule{}

// OnChanOpenInit starts the status channel; there is one per subchain, over
// a connection on the pinned client of the main chain.
func (im IBCModule) OnChanOpenInit(ctx sdk.Context, order channeltypes.Order, connectionHops []string, portID, _ string,
	counterparty channeltypes.Counterparty, version string,
) (string, error) {
	if version == "" {
		version = shared.Version
	}
	if err := shared.ValidateChannel(order, portID, shared.ReporterPortID, counterparty.PortId, shared.CollectorPortID, version); err != nil {
		return "", err
	}
	if err := im.keeper.VerifyMainClient(ctx, connectionHops); err != nil {
		return "", err
	}
	if err := im.keeper.VerifyNoChannel(ctx); err != nil {
		return "", err
	}
	return version, nil
}

// OnChanOpenTry refuses: the subchain opens its status channel itself.
func (IBCModule) OnChanOpenTry(sdk.Context, channeltypes.Order, []string, string, string, channeltypes.Counterparty, string) (string, error) {
	return "", errorsmod.Wrap(shared.ErrInvalidChannel, "the subchain's reporter opens the status channel; it does not answer one")
}

// OnChanOpenAck binds the channel once the main chain accepted it, if it still
// runs over the pinned client of the main chain.
func (im IBCModule) OnChanOpenAck(ctx sdk.Context, _, channelID, _, counterpartyVersion string) error {
	if counterpartyVersion != shared.Version {
		return errorsmod.Wrapf(shared.ErrInvalidChannel, "counterparty version %q, expected %q", counterpartyVersion, shared.Version)
	}
	return im.keeper.BindChannel(ctx, channelID)
}

// OnChanOpenConfirm is never called: the subchain initiates.
func (IBCModule) OnChanOpenConfirm(sdk.Context, string, string) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "the subchain initiates status channels")
}

// OnChanCloseInit refuses: users cannot close the status channel.
func (IBCModule) OnChanCloseInit(sdk.Context, string, string) error {
	return errorsmod.Wrap(shared.ErrInvalidChannel, "status channels cannot be closed by users")
}

// OnChanCloseConfirm forgets a channel the counterparty closed.
func (im IBCModule) OnChanCloseConfirm(ctx sdk.Context, _, channelID string) error {
	lost, err := im.keeper.UnbindChannel(ctx, channelID)
	if err != nil || lost == nil {
		return err
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventReportFailed{Sequence: lost.Sequence,
		Reason: "status channel " + channelID + " closed by the main chain"})
}

// OnRecvPacket refuses: the main chain sends nothing on the status channel.
func (IBCModule) OnRecvPacket(sdk.Context, string, channeltypes.Packet, sdk.AccAddress) ibcexported.Acknowledgement {
	return channeltypes.NewErrorAcknowledgement(errorsmod.Wrap(shared.ErrInvalidPacket, "the reporter receives no packets"))
}

// OnAcknowledgementPacket decodes the main chain's answer and the packet
// this module sent, and settles the evidence or the report in flight. An
// acknowledgement the main chain cannot have written is refused and settles
// nothing: one with an empty result or error text (ValidateBasic; the main
// chain's errors always have a text), or a result that names no report (the
// main chain's results name the report it recorded, or the one the evidence
// disputed, and it numbers reports from 1). Taken as they are, an empty
// result would record the report in flight as the main chain's report 0, and
// an empty error would count it refused.
func (im IBCModule) OnAcknowledgementPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, ackBytes []byte, _ sdk.AccAddress) error {
	var ack channeltypes.Acknowledgement
	if err := channeltypes.SubModuleCdc.UnmarshalJSON(ackBytes, &ack); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAck, "decoding: %s", err)
	}
	if err := ack.ValidateBasic(); err != nil {
		return errorsmod.Wrap(types.ErrInvalidAck, err.Error())
	}
	answer := keeper.Answer{Refusal: ack.GetError()}
	if ack.Success() {
		answer.Result = &shared.StatusReportAck{}
		if err := answer.Result.Unmarshal(ack.GetResult()); err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAck, "decoding result: %s", err)
		}
		if answer.Result.MainSequence == 0 {
			return errorsmod.Wrap(types.ErrInvalidAck, "the result names no main-chain report (main_sequence 0)")
		}
	}
	return im.settle(ctx, packet, answer)
}

// OnTimeoutPacket releases the evidence or the report in flight.
func (im IBCModule) OnTimeoutPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, _ sdk.AccAddress) error {
	return im.settle(ctx, packet, keeper.Timeout)
}

func (im IBCModule) settle(ctx sdk.Context, packet channeltypes.Packet, answer keeper.Answer) error {
	sent := sentData(packet)
	if ev := sent.GetEvidence(); ev != nil {
		return im.keeper.OnEvidenceAnswered(ctx, ev, answer)
	}
	return im.keeper.OnReportAnswered(ctx, packet.SourceChannel, packet.Sequence, sent.GetReport(), answer)
}

// sentData decodes a packet this module sent (empty if it cannot be: then it
// is not ours, and only the report in flight, matched by channel and
// sequence, is settled).
func sentData(packet channeltypes.Packet) *shared.StatusPacketData {
	var pd shared.StatusPacketData
	if err := pd.Unmarshal(packet.Data); err != nil {
		return &shared.StatusPacketData{}
	}
	return &pd
}
