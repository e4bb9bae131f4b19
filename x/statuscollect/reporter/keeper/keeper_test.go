package keeper_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

var (
	admin    = sdk.AccAddress([]byte("consortium-admin----")).String()
	stranger = sdk.AccAddress([]byte("stranger------------")).String()
)

// withAdmin sets params.admin.
func (f *fixture) withAdmin() {
	f.t.Helper()
	p := types.DefaultParams()
	p.Admin = admin
	require.NoError(f.t, f.k.Params.Set(f.ctx, p))
}

// TestPermissions: each registry Msg is allowed to its signers and refused
// to everyone else with a permission error that changes nothing.
func TestPermissions(t *testing.T) {
	msgs := []struct {
		name    string
		allowed []string
		do      func(f *fixture, signer string) error
	}{
		{"UpdateParams", []string{"authority"}, func(f *fixture, s string) error {
			p := types.DefaultParams()
			p.ReportInterval++
			return f.k.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: s, Params: p})
		}},
		{"AddOrg", []string{"authority", "admin"}, func(f *fixture, s string) error {
			return f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: s, OrgId: "org-c"})
		}},
		{"RemoveOrg", []string{"authority", "admin"}, func(f *fixture, s string) error {
			return f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: s, OrgId: "org-b"})
		}},
	}
	signers := map[string]string{"authority": authority, "admin": admin, "stranger": stranger}
	for _, m := range msgs {
		for _, role := range []string{"authority", "admin", "stranger"} {
			t.Run(m.name+"/"+role, func(t *testing.T) {
				f := newFixture(t)
				f.withAdmin()
				before := f.dump()
				err := m.do(f, signers[role])
				for _, a := range m.allowed {
					if a == role {
						require.NoError(t, err)
						require.NotEqual(t, before, f.dump(), "an allowed Msg changes state")
						return
					}
				}
				require.ErrorIs(t, err, types.ErrUnauthorized)
				require.Equal(t, before, f.dump(), "a refused Msg changes nothing")
			})
		}
	}

	// Without params.admin, the admin's address is nobody's.
	f := newFixture(t)
	err := f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: admin, OrgId: "org-c"})
	require.ErrorIs(t, err, types.ErrUnauthorized)
	_, err = f.k.BindMainClient(f.ctx, &types.MsgBindMainClient{Authority: stranger, ClientId: "07-tendermint-0"})
	require.ErrorIs(t, err, types.ErrUnauthorized)
}

// TestOrgRegistry: an org is added once, removed once, and the registry is
// capped at the number of orgs a snapshot may list.
func TestOrgRegistry(t *testing.T) {
	f := newFixture(t)
	add := func(id string) error { return f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: authority, OrgId: id}) }
	require.ErrorIs(t, add("org-a"), types.ErrOrgExists)
	require.ErrorIs(t, f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: authority, OrgId: "org-x"}), types.ErrUnknownOrg)
	for i := 2; i < shared.MaxOrgs; i++ {
		require.NoError(t, add(fmt.Sprintf("org-%03d", i)))
	}
	before := f.dump()
	require.ErrorIs(t, add("org-one-too-many"), types.ErrTooManyOrgs)
	require.Equal(t, before, f.dump())
	require.NoError(t, f.k.RemoveOrg(f.ctx, &types.MsgRemoveOrg{Authority: authority, OrgId: "org-b"}))
	require.NoError(t, add("org-one-too-many"), "a removed org frees its place")
}

// TestReportAnswered: the main chain's answer to the report in flight.
func TestReportAnswered(t *testing.T) {
	sent := snapshot(50)
	carried := &shared.StatusReport{Sequence: 2, Snapshot: &sent}

	t.Run("recorded", func(t *testing.T) {
		f := newFixture(t)
		before := f.link()
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried, keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}))
		l := f.link()
		require.Nil(t, l.InFlight)
		require.EqualValues(t, 2, l.LastAcked)
		require.EqualValues(t, 9, l.LastAckedMainSequence)
		require.Equal(t, before.Failed, l.Failed)
		require.False(t, f.pending(c1.Address), "c1 rode on the report: settled")
		require.True(t, f.pending(c2.Address), "c2 was migrated again in flight: its new code id rides on the next report")
		require.True(t, f.pending(c3.Address), "c3 was not on the report")
		require.EqualValues(t, 2, l.PendingContracts)
		require.False(t, l.MainTakesListsHash, "an answer without takes_lists_hash: lists go whole")
	})
	t.Run("recorded by a main chain that takes lists by hash", func(t *testing.T) {
		f := newFixture(t)
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried,
			keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9, TakesListsHash: true}}))
		require.True(t, f.link().MainTakesListsHash)
	})
	for _, a := range []keeper.Answer{{Refusal: "ABCI code: 5: error handling packet"}, keeper.Timeout} {
		t.Run("released/"+a.Refusal, func(t *testing.T) {
			f := newFixture(t)
			before := f.link()
			require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried, a))
			l := f.link()
			require.Nil(t, l.InFlight)
			require.Equal(t, before.Failed+1, l.Failed)
			require.Equal(t, before.LastAcked, l.LastAcked)
			f.requireForgotten(snapshot(50))
			for _, c := range []shared.Contract{c1, c2, c3} {
				require.True(t, f.pending(c.Address), "%s stays pending", c.Address)
			}
			require.Len(t, f.ctx.EventManager().Events(), 1)
		})
	}
	t.Run("not in flight", func(t *testing.T) {
		f := newFixture(t)
		before := f.dump()
		ok := keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 2, carried, ok), "another packet of the channel")
		require.NoError(t, f.k.OnReportAnswered(f.ctx, "channel-9", 1, carried, ok), "the same sequence on another channel")
		require.Equal(t, before, f.dump())
	})
}

// TestHoleLoweredPendingCap: governance lowers max_pending_contracts below
// the contracts already pending (the SDK simulator found it). Before, the
// pending-contracts invariant broke and the export failed its own genesis
// validation. The cap now binds new pending contracts only: the three pending
// stay, the invariants hold, the export validates, and a new contract past
// the cap is counted as dropped.
func TestHoleLoweredPendingCap(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxPendingContracts = 1
	require.NoError(t, f.k.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: p}))
	checked := false
	for _, inv := range f.k.Invariants(nil) {
		if inv.Name == "pending-contracts-within-cap" { // the others need the staking and wasm keepers
			require.NoError(t, inv.Check(f.ctx), inv.Name)
			checked = true
		}
	}
	require.True(t, checked)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate(), "the chain's own export validates")
	require.Len(t, gs.PendingContracts, 3)

	dropped := f.link().DroppedContracts
	require.NoError(t, f.k.NoteContract(f.ctx, shared.Contract{Address: "sub1late", CodeId: 5}))
	require.False(t, f.pending("sub1late"))
	require.Equal(t, dropped+1, f.link().DroppedContracts)
}

// TestMigrationKeepsTheContractLabel: a migration keeps a contract's label,
// and so does the contract the next report carries. Before, a migration was
// noted without a label: the main chain recorded a spurious change of label
// and showed none, against the orgs' daemons, which report the real one.
func TestMigrationKeepsTheContractLabel(t *testing.T) {
	sent := snapshot(50)
	carried := &shared.StatusReport{Sequence: 2, Snapshot: &sent}
	pendingContract := func(f *fixture, addr string) shared.Contract {
		f.t.Helper()
		c, err := f.k.PendingContracts.Get(f.ctx, addr)
		require.NoError(f.t, err)
		return c
	}

	t.Run("migrated after its acknowledgement", func(t *testing.T) {
		// The contract is no longer pending: the label is the one the app
		// read from x/wasm (app/reporter.go), carried as it is.
		f := newFixture(t)
		require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, carried, keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}))
		require.False(t, f.pending(c1.Address))
		require.NoError(t, f.k.NoteContract(f.ctx, shared.Contract{Address: c1.Address, CodeId: 7, Label: c1.Label}))
		require.Equal(t, shared.Contract{Address: c1.Address, CodeId: 7, Label: c1.Label}, pendingContract(f, c1.Address))
	})
	t.Run("migrated while pending, noted without a label", func(t *testing.T) {
		f := newFixture(t)
		fresh := shared.Contract{Address: "sub1contract0009", CodeId: 1, Label: "billing"}
		require.NoError(t, f.k.NoteNewContract(f.ctx, fresh))
		require.NoError(t, f.k.NoteContract(f.ctx, shared.Contract{Address: fresh.Address, CodeId: 2}))
		require.Equal(t, shared.Contract{Address: fresh.Address, CodeId: 2, Label: "billing"}, pendingContract(f, fresh.Address),
			"the newest code id, the label it had")
		require.NoError(t, f.k.NoteContract(f.ctx, shared.Contract{Address: c3.Address, CodeId: 8}))
		require.Equal(t, shared.Contract{Address: c3.Address, CodeId: 8, Label: c3.Label}, pendingContract(f, c3.Address))
	})
}

// TestReportAtEveryListLimitIsSentInPackets: with every list at its limit
// (MaxOrgs ids of MaxIDLen bytes, MaxValidators validators with monikers as
// long as x/staking allows, MaxNewContracts pending contracts with labels of
// MaxContractLabel bytes) a whole report is over MaxPacketSize, which the
// main chain refuses before decoding: before, every report was refused and
// none ever reached it again. A report now carries the pending contracts that
// fit, in address order, and the next ones the rest: each contract reaches the
// main chain once, in packets it decodes.
func TestReportAtEveryListLimitIsSentInPackets(t *testing.T) {
	f := newFixture(t)
	sink := &packetSink{}
	f.withChain(shared.MaxValidators, sink)
	sent := snapshot(50)
	require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, &shared.StatusReport{Sequence: 2, Snapshot: &sent},
		keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}))
	for i := 2; i < shared.MaxOrgs; i++ { // org-a and org-b are there
		require.NoError(t, f.k.AddOrg(f.ctx, &types.MsgAddOrg{Authority: authority, OrgId: fmt.Sprintf("org-%0*d", shared.MaxIDLen-4, i)}))
	}
	for i := 0; f.link().PendingContracts < shared.MaxNewContracts; i++ {
		require.NoError(t, f.k.NoteNewContract(f.ctx, shared.Contract{Address: fmt.Sprintf("sub1%058d", i), CodeId: 1,
			Label: fmt.Sprintf("%0*d", shared.MaxContractLabel, i)}))
	}
	snap, err := f.k.TakeSnapshot(f.ctx)
	require.NoError(t, err)
	require.Len(t, snap.Orgs, shared.MaxOrgs)
	require.Len(t, snap.Validators, shared.MaxValidators)
	require.Len(t, snap.NewContracts, shared.MaxNewContracts)
	pending := snap.NewContracts
	whole, err := keeper.ReportPacketData(snap, types.InFlight{Sequence: 3}, 10)
	require.NoError(t, err)
	_, err = shared.DecodePacketData(whole)
	require.ErrorIs(t, err, shared.ErrTooLarge, "a whole report of %d bytes", len(whole))
	t.Logf("a whole report: %d bytes", len(whole))

	var announced []shared.Contract
	for height := int64(60); f.link().PendingContracts > 0; height += 10 {
		require.Less(t, height, int64(100), "every contract announced within a few reports")
		f.at(height)
		require.NoError(t, f.k.EndBlocker(f.ctx))
		require.Len(t, sink.sent, int(height-60)/10+1)
		data := sink.sent[len(sink.sent)-1]
		pd, err := shared.DecodePacketData(data)
		require.NoError(t, err, "report at %d: %d bytes", height, len(data))
		report := pd.GetReport()
		l := f.link()
		require.NotNil(t, l.InFlight)
		carried := report.Snapshot.NewContracts
		require.NotEmpty(t, carried)
		t.Logf("report at %d: %d bytes, %d of %d pending contracts", height, len(data), len(carried), len(pending)-len(announced))
		require.Equal(t, pending[len(announced):len(announced)+len(carried)], carried, "the next pending contracts in address order")
		var addrs []string
		for _, c := range carried {
			addrs = append(addrs, c.Address)
		}
		require.Equal(t, addrs, l.InFlight.Contracts)
		if rest := len(pending) - len(announced) - len(carried); rest > 0 {
			more := *report.Snapshot
			more.NewContracts = pending[len(announced) : len(announced)+len(carried)+1]
			bz, err := keeper.ReportPacketData(more, *l.InFlight, 10)
			require.NoError(t, err)
			require.Greater(t, len(bz), shared.MaxPacketSize, "the report carries as many contracts as fit")
		}
		last, err := f.k.LastSent.Get(f.ctx)
		require.NoError(t, err)
		require.Equal(t, *report.Snapshot, last, "the last sent is the snapshot as sent")

		ack := resultAck(t, shared.StatusReportAck{MainSequence: 10 + uint64(height)})
		require.NoError(t, reporter.NewIBCModule(f.k).OnAcknowledgementPacket(f.ctx, "", inFlightPacket(l.InFlight.PacketSequence, data), ack, nil))
		announced = append(announced, carried...)
		require.EqualValues(t, len(pending)-len(announced), f.link().PendingContracts, "the rest stay pending")
		f.requirePendingCount(f.link())
	}
	require.Equal(t, pending, announced, "every contract announced once")
	require.Greater(t, len(sink.sent), 1)
}

// TestReportTooLargeWithoutContractsIsNotSent: a report whose orgs and
// validators alone make a packet over MaxPacketSize is not sent (the main
// chain would refuse it unread), without an error: the sidecar says why
// (EventReportFailed, and its log), keeps its contracts pending, and tries
// again an interval later, not at every block.
func TestReportTooLargeWithoutContractsIsNotSent(t *testing.T) {
	f := newFixture(t)
	sink := &packetSink{}
	f.withChain(0, sink)
	sent := snapshot(50)
	require.NoError(t, f.k.OnReportAnswered(f.ctx, statusChannel, 1, &shared.StatusReport{Sequence: 2, Snapshot: &sent},
		keeper.Answer{Result: &shared.StatusReportAck{MainSequence: 9}}))
	f.at(60)
	snap := snapshot(60)
	snap.NewContracts = []shared.Contract{c2Migrated, c3}
	snap.Orgs, snap.Validators = nil, nil
	for i := range shared.MaxOrgs {
		snap.Orgs = append(snap.Orgs, fmt.Sprintf("org-%0*d", shared.MaxIDLen-4, i))
	}
	for i := range shared.MaxValidators {
		snap.Validators = append(snap.Validators, shared.Validator{Address: fmt.Sprintf("subvalcons1%0*d", shared.MaxIDLen-11, i),
			Power: 1, Moniker: strings.Repeat("m", shared.MaxIDLen)})
	}
	require.NoError(t, snap.Validate(), "within every limit of a snapshot")
	_, data, err := keeper.FitReport(snap, types.InFlight{Sequence: 3}, 10)
	require.NoError(t, err)
	require.Nil(t, data)

	link := f.link()
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	require.NoError(t, f.k.MaybeSend(f.ctx, snap))
	require.Empty(t, sink.sent)
	require.Equal(t, link, f.link(), "nothing in flight, nothing counted sent")
	f.requireForgotten(snap)
	require.True(t, f.pending(c2.Address))
	require.True(t, f.pending(c3.Address))
	events := f.ctx.EventManager().Events()
	require.Len(t, events, 1)
	require.Equal(t, "statuscollect.reporter.v1.EventReportFailed", events[0].Type)
	require.Contains(t, fmt.Sprint(events[0].Attributes), "over the main chain's limit")

	f.at(61)
	snap.Height, snap.BlockTime = 61, f.ctx.BlockTime()
	require.NoError(t, f.k.MaybeSend(f.ctx, snap))
	require.Len(t, f.ctx.EventManager().Events(), 1, "the next attempt waits an interval")
}

// TestMalformedAcknowledgementIsRefused: an acknowledgement the main chain
// cannot have written is refused and changes nothing. Before, an empty result
// recorded the report in flight as the main chain's report 0, and an empty
// error counted it refused.
func TestMalformedAcknowledgementIsRefused(t *testing.T) {
	report, evidence, _ := packetSeeds(t)
	noSequence := resultAck(t, shared.StatusReportAck{TakesListsHash: true})
	for name, tc := range map[string]struct {
		ack    []byte
		packet channeltypes.Packet
	}{
		"empty result":                   {[]byte(`{"result":""}`), inFlightPacket(1, report)},
		"empty error":                    {[]byte(`{"error":""}`), inFlightPacket(1, report)},
		"blank error":                    {[]byte(`{"error":"  "}`), inFlightPacket(1, report)},
		"neither result nor error":       {[]byte(`{}`), inFlightPacket(1, report)},
		"report result without sequence": {noSequence, inFlightPacket(1, report)},
		"evidence result without report": {noSequence, inFlightPacket(2, evidence)},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			before := f.dump()
			err := reporter.NewIBCModule(f.k).OnAcknowledgementPacket(f.ctx, "", tc.packet, tc.ack, nil)
			require.ErrorIs(t, err, types.ErrInvalidAck)
			requireSameStore(t, before, f.dump(), "a refused acknowledgement")
			require.Empty(t, f.ctx.EventManager().Events())
		})
	}
}

// TestGenesisValidateRefusesWhatTheModuleCannotRunFrom: each genesis below
// loaded before and broke the module at once: a pending label the main chain
// refuses in every report, a contract twice, a link whose count of pending
// contracts is not the list's (the pending-contracts-within-cap invariant),
// or whose report in flight is not the last sent on the status channel
// (in-flight-report-on-bound-channel).
func TestGenesisValidateRefusesWhatTheModuleCannotRunFrom(t *testing.T) {
	require.NoError(t, fixtureGenesis().Validate())
	for name, tc := range map[string]struct {
		edit func(gs *types.GenesisState)
		want string
	}{
		"pending label over the limit": {func(gs *types.GenesisState) {
			gs.PendingContracts[0].Label = strings.Repeat("l", shared.MaxContractLabel+1)
		}, "label is 129 bytes, at most 128"},
		"pending label not UTF-8": {func(gs *types.GenesisState) {
			gs.PendingContracts[0].Label = "\xff"
		}, "not valid UTF-8"},
		"pending contract twice": {func(gs *types.GenesisState) {
			gs.PendingContracts[2] = c1
		}, "pending contract sub1contract0001 is listed twice"},
		"link counts other pending contracts": {func(gs *types.GenesisState) {
			gs.Link.PendingContracts = 2
		}, "the link counts 2 pending contracts, the genesis lists 3"},
		"pending contracts without a link": {func(gs *types.GenesisState) {
			gs.Link = nil
		}, "the link counts 0 pending contracts, the genesis lists 3"},
		"report in flight on another channel": {func(gs *types.GenesisState) {
			gs.Link.InFlight.ChannelId = "channel-7"
		}, `report 2 in flight on channel "channel-7", the status channel is "channel-0"`},
		"report in flight without a channel": {func(gs *types.GenesisState) {
			gs.ChannelId = ""
		}, `report 2 in flight on channel "channel-0", the status channel is ""`},
		"report in flight not the last sent": {func(gs *types.GenesisState) {
			gs.Link.LastSent = 3
		}, "report 2 in flight, the last sent is 3"},
		"more reports acknowledged than sent": {func(gs *types.GenesisState) {
			gs.Link.InFlight, gs.Link.LastAcked = nil, 3
		}, "report 3 acknowledged, only 2 sent"},
	} {
		t.Run(name, func(t *testing.T) {
			gs := fixtureGenesis()
			tc.edit(&gs)
			err := gs.Validate()
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}
