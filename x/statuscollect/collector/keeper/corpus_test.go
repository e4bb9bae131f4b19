package keeper_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// hostile is one input of the corpus: what it needs in the store first, the
// input itself, and the registered error (or, for a query, the gRPC code) it
// must be refused with.
type hostile struct {
	name    string
	prepare func(f *fixture)
	do      func(f *fixture) error
	err     error      // the registered error, for Msgs and packets
	code    codes.Code // the gRPC code, for queries
}

// Status channels of the corpus, bound by hand as BindChannel would.
const (
	channelA = "channel-7" // chain A's status channel
	channelB = "channel-9" // chain B's status channel
)

// Ids that look like the fixture's but are other strings.
const (
	cyrillicA   = "subchain-\u0430"  // Cyrillic "а" for the Latin "a"
	fullWidth1  = "subchain-\uff11"  // full-width digit one
	zeroWidth   = "org-a\u200b"      // zero-width space after "org-a"
	noBreakSp   = "org\u00a0new"     // no-break space (unicode.IsSpace)
	c1Control   = "subchain-\u0085c" // NEL, a C1 control character (unicode.IsControl)
	invalidUTF8 = "org-\xff\xfe"     // not UTF-8 at all
)

// deliver does what the SDK does with a Msg: ValidateBasic, then the handler.
func (f *fixture) deliver(msg sdk.Msg) error {
	if v, ok := msg.(sdk.HasValidateBasic); ok {
		if err := v.ValidateBasic(); err != nil {
			return err
		}
	}
	var err error
	switch m := msg.(type) {
	case *types.MsgUpdateParams:
		_, err = f.msgs.UpdateParams(f.ctx, m)
	case *types.MsgRegisterSubchain:
		_, err = f.msgs.RegisterSubchain(f.ctx, m)
	case *types.MsgBindClient:
		_, err = f.msgs.BindClient(f.ctx, m)
	case *types.MsgRetireSubchain:
		_, err = f.msgs.RetireSubchain(f.ctx, m)
	case *types.MsgRegisterOrg:
		_, err = f.msgs.RegisterOrg(f.ctx, m)
	case *types.MsgAddMember:
		_, err = f.msgs.AddMember(f.ctx, m)
	case *types.MsgRemoveMember:
		_, err = f.msgs.RemoveMember(f.ctx, m)
	case *types.MsgGrantReporter:
		_, err = f.msgs.GrantReporter(f.ctx, m)
	case *types.MsgRevokeReporter:
		_, err = f.msgs.RevokeReporter(f.ctx, m)
	case *types.MsgSubmitStatus:
		_, err = f.msgs.SubmitStatus(f.ctx, m)
	case *types.MsgFileDispute:
		_, err = f.msgs.FileDispute(f.ctx, m)
	case *types.MsgResolveDispute:
		_, err = f.msgs.ResolveDispute(f.ctx, m)
	case *types.MsgRestoreReporting:
		_, err = f.msgs.RestoreReporting(f.ctx, m)
	default:
		f.t.Fatalf("no handler for %T", msg)
	}
	return err
}

// recv hands packet data to the IBC door on a destination channel.
func (f *fixture) recv(channel string, data []byte) error {
	_, err := collector.NewIBCModule(f.k).Receive(f.ctx, channeltypes.Packet{
		Sequence: 1, SourcePort: shared.ReporterPortID, SourceChannel: "channel-0",
		DestinationPort: shared.CollectorPortID, DestinationChannel: channel, Data: data,
	})
	return err
}

// Case constructors, one per kind.

func msgCase(name string, prepare func(*fixture), msg sdk.Msg, err error) hostile {
	return hostile{name: "msg/" + name, prepare: prepare, do: func(f *fixture) error { return f.deliver(msg) }, err: err}
}

func packetCase(name string, prepare func(*fixture), channel string, data []byte, err error) hostile {
	return hostile{name: "packet/" + name, prepare: all(bindChannels, prepare),
		do: func(f *fixture) error { return f.recv(channel, data) }, err: err}
}

func queryCase(name string, prepare func(*fixture), q func(f *fixture) error, code codes.Code) hostile {
	return hostile{name: "query/" + name, prepare: prepare, do: q, code: code}
}

// Preparations.

func all(ps ...func(*fixture)) func(*fixture) {
	return func(f *fixture) {
		for _, p := range ps {
			if p != nil {
				p(f)
			}
		}
	}
}

func bindChannels(f *fixture) {
	for _, c := range []struct{ channel, chain string }{{channelA, chainA}, {channelB, chainB}} {
		require.NoError(f.t, f.k.ChannelIndex.Set(f.ctx, c.channel, c.chain))
		sub := f.subchain(c.chain)
		sub.ChannelId = c.channel
		require.NoError(f.t, f.k.Subchains.Set(f.ctx, c.chain, sub))
	}
}

func reportedAt(h int64) func(*fixture) {
	return func(f *fixture) {
		f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainA, h)}))
	}
}

func retiredA(f *fixture) {
	f.must(f.msgs.RetireSubchain(f.ctx, &types.MsgRetireSubchain{Authority: authority, ChainId: chainA}))
}

func boundClientA(f *fixture) {
	f.must(f.msgs.BindClient(f.ctx, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: "07-tendermint-" + chainA}))
}

// forgedA2 has org-a2 report chain A at height 50 with 9 contracts: report 1.
func forgedA2(f *fixture) { f.forgedReport(50) }

// disputeOpen: org-a disputes report 1, dispute 1.
func disputeOpen(f *fixture) {
	forgedA2(f)
	f.must(f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, 1)))
}

// disputeUpheld: dispute 1 upheld, org-a2 suspended on chain A.
func disputeUpheld(f *fixture) {
	disputeOpen(f)
	f.must(f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: authority, DisputeId: 1, Upheld: true, Reason: "9 is wrong"}))
}

// sidecarEvery10: chain A's sidecar said over IBC it snapshots every 10 blocks.
func sidecarEvery10(f *fixture) {
	snap := snapshot(chainA, 50)
	f.must(f.ibcReportEvery(1, snap, 10))
}

// Inputs.

// statusMsg is a report of chain A at height 100 by org-a's monitor, altered by mut.
func statusMsg(mut func(s *shared.StatusSnapshot)) *types.MsgSubmitStatus {
	s := snapshot(chainA, 100)
	if mut != nil {
		mut(&s)
	}
	return &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: s}
}

func validators(n int) []shared.Validator {
	out := make([]shared.Validator, n)
	for i := range out {
		out[i] = shared.Validator{Address: fmt.Sprintf("subvalcons1%06d", i), Power: 1}
	}
	return out
}

func orgIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("org-%06d", i)
	}
	return out
}

func contracts(n int) []shared.Contract {
	out := make([]shared.Contract, n)
	for i := range out {
		out[i] = shared.Contract{Address: fmt.Sprintf("sub1contract%06d", i), CodeId: 1}
	}
	return out
}

func dispute(mut func(m *types.MsgFileDispute)) *types.MsgFileDispute {
	m := fileMsg(reporterA, orgA, 1)
	if mut != nil {
		mut(m)
	}
	return m
}

func subchainMsg(mut func(m *types.MsgRegisterSubchain)) *types.MsgRegisterSubchain {
	m := &types.MsgRegisterSubchain{Authority: authority, ChainId: "subchain-c", Name: "C",
		Kind: types.SUBCHAIN_KIND_CROSS_CHAIN, ReportInterval: time.Minute}
	if mut != nil {
		mut(m)
	}
	return m
}

func orgMsg(id string) *types.MsgRegisterOrg {
	return &types.MsgRegisterOrg{Authority: authority, OrgId: id, Name: "New", Admin: newAccount}
}

func params(mut func(p *types.Params)) *types.MsgUpdateParams {
	p := types.DefaultParams()
	p.Admin = consortium
	mut(&p)
	return &types.MsgUpdateParams{Authority: authority, Params: p}
}

func resolve(signer string, id uint64, reason string) *types.MsgResolveDispute {
	return &types.MsgResolveDispute{Resolver: signer, DisputeId: id, Upheld: true, Reason: reason}
}

func mustBytes(bz []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return bz
}

// reportPacket is chain's report at height h, sequence seq, altered by mut.
func reportPacket(chain string, seq uint64, h int64, mut func(r *shared.StatusReport)) []byte {
	snap := snapshot(chain, h)
	r := shared.StatusReport{Sequence: seq, Snapshot: &snap}
	if mut != nil {
		mut(&r)
	}
	return mustBytes(shared.NewReportPacket(r))
}

// evidencePacket is chain A's own snapshot at height 50 (5 contracts, where
// the forged report 1 says 9) against report 1, altered by mut.
func evidencePacket(mut func(e *shared.DisputeEvidence)) []byte {
	own := snapshot(chainA, 50)
	e := shared.DisputeEvidence{MainSequence: 1, Snapshot: &own, Filer: "subchain1validatoroperator"}
	if mut != nil {
		mut(&e)
	}
	return mustBytes(shared.NewEvidencePacket(e))
}

// TestHostileCorpus feeds the collector hostile Msgs, packets and queries.
// Each must be refused with its own registered error (or gRPC code), write
// nothing and emit nothing.
func TestHostileCorpus(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []hostile{
		// ---- Msgs: empty fields.
		msgCase("SubmitStatus/empty reporter", nil, &types.MsgSubmitStatus{Snapshot: snapshot(chainA, 100)}, types.ErrInvalidRequest),
		msgCase("SubmitStatus/empty chain id", nil, statusMsg(func(s *shared.StatusSnapshot) { s.ChainId = "" }), shared.ErrInvalidID),
		msgCase("SubmitStatus/empty org id in the list", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = []string{""} }), shared.ErrInvalidID),
		msgCase("SubmitStatus/empty validator address", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[0].Address = "" }), shared.ErrInvalidID),
		msgCase("SubmitStatus/zero block time", nil, statusMsg(func(s *shared.StatusSnapshot) { s.BlockTime = time.Time{} }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/empty snapshot", nil, &types.MsgSubmitStatus{Reporter: reporterA}, shared.ErrInvalidID),
		msgCase("RegisterSubchain/empty chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = "" }), shared.ErrInvalidID),
		msgCase("RegisterSubchain/empty name", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.Name = "" }), types.ErrInvalidRequest),
		msgCase("RegisterSubchain/unspecified kind", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.Kind = types.SUBCHAIN_KIND_UNSPECIFIED }), types.ErrInvalidRequest),
		msgCase("RegisterSubchain/zero report interval", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ReportInterval = 0 }), types.ErrInvalidRequest),
		msgCase("RegisterOrg/empty admin", nil, &types.MsgRegisterOrg{Authority: authority, OrgId: "org-new", Name: "New"}, types.ErrInvalidRequest),
		msgCase("RegisterOrg/empty org id", nil, orgMsg(""), shared.ErrInvalidID),
		msgCase("AddMember/empty authority", nil, &types.MsgAddMember{ChainId: chainA, OrgId: orgB}, types.ErrInvalidRequest),
		msgCase("GrantReporter/empty reporter", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA}, types.ErrInvalidRequest),
		msgCase("FileDispute/empty disputed field name", forgedA2, dispute(func(m *types.MsgFileDispute) { m.Fields[0].Field = "" }), shared.ErrInvalidID),
		msgCase("FileDispute/no disputed fields", forgedA2, dispute(func(m *types.MsgFileDispute) { m.Fields = nil }), types.ErrInvalidRequest),
		msgCase("ResolveDispute/empty reason", disputeOpen, resolve(authority, 1, ""), types.ErrInvalidRequest),
		msgCase("ResolveDispute/empty resolver", disputeOpen, resolve("", 1, "checked"), types.ErrInvalidRequest),
		msgCase("BindClient/empty client id", nil, &types.MsgBindClient{Authority: authority, ChainId: chainA}, types.ErrInvalidRequest),

		// ---- Msgs: oversized strings, each one byte over its cap.
		msgCase("RegisterSubchain/chain id max+1", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = long(shared.MaxChainIDLen + 1) }), shared.ErrTooLarge),
		msgCase("RegisterSubchain/name max+1", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.Name = long(types.MaxNameLen + 1) }), types.ErrInvalidRequest),
		msgCase("RegisterSubchain/report interval max+1ns", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ReportInterval = types.MaxReportInterval + 1 }), types.ErrInvalidRequest),
		msgCase("RegisterOrg/org id max+1", nil, orgMsg(long(shared.MaxIDLen+1)), shared.ErrTooLarge),
		msgCase("SubmitStatus/chain id max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.ChainId = long(shared.MaxChainIDLen + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/org id max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = []string{long(shared.MaxIDLen + 1)} }), shared.ErrTooLarge),
		msgCase("SubmitStatus/validator address max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[3].Address = "subvalcons1" + long(shared.MaxIDLen) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/moniker max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[0].Moniker = long(shared.MaxIDLen + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/contract label max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.NewContracts[0].Label = long(shared.MaxContractLabel + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/software version max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.SoftwareVersion = long(shared.MaxVersionLen + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/upgrade name max+1", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.PlannedUpgrade = &shared.PlannedUpgrade{Name: long(shared.MaxUpgradeName + 1), Height: 200}
		}), shared.ErrInvalidSnapshot),
		msgCase("FileDispute/evidence max+1", forgedA2, dispute(func(m *types.MsgFileDispute) { m.Evidence = long(types.MaxEvidenceLen + 1) }), shared.ErrTooLarge),
		msgCase("FileDispute/observed value max+1", forgedA2, dispute(func(m *types.MsgFileDispute) { m.Fields[0].Observed = long(types.MaxFieldValueLen + 1) }), shared.ErrTooLarge),
		msgCase("FileDispute/field name max+1", forgedA2, dispute(func(m *types.MsgFileDispute) { m.Fields[0].Field = long(shared.MaxIDLen + 1) }), shared.ErrTooLarge),
		msgCase("ResolveDispute/reason max+1", disputeOpen, resolve(authority, 1, long(types.MaxReasonLen+1)), types.ErrInvalidRequest),
		msgCase("GrantReporter/chain id max+1", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: long(shared.MaxChainIDLen + 1), OrgId: orgA, Reporter: newAccount}, shared.ErrTooLarge),

		// ---- Msgs: ids with spaces or control characters.
		msgCase("RegisterOrg/space in org id", nil, orgMsg("org new"), shared.ErrInvalidID),
		msgCase("RegisterSubchain/newline in chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = "subchain\n-c" }), shared.ErrInvalidID),
		msgCase("RegisterSubchain/NUL in chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = "subchain-a\x00" }), shared.ErrInvalidID),
		msgCase("SubmitStatus/tab in validator address", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[0].Address = "subvalcons1\taaa" }), shared.ErrInvalidID),
		msgCase("SubmitStatus/DEL in contract address", nil, statusMsg(func(s *shared.StatusSnapshot) { s.NewContracts[0].Address = "sub1contract\x7f" }), shared.ErrInvalidID),
		msgCase("SubmitStatus/trailing space in chain id", nil, statusMsg(func(s *shared.StatusSnapshot) { s.ChainId = chainA + " " }), shared.ErrInvalidID),
		msgCase("FileDispute/NUL in org id", forgedA2, dispute(func(m *types.MsgFileDispute) { m.OrgId = "org-a\x00" }), shared.ErrInvalidID),
		msgCase("BindClient/slash in client id", nil, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: "07-tendermint/0"}, types.ErrInvalidRequest),

		// ---- Msgs: unicode look-alikes and non-ASCII spaces/controls. Only
		// ValidateID stands between them and the registry: the signer is the
		// authority, so these are refused only if the id check refuses them.
		msgCase("RegisterSubchain/Cyrillic look-alike chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = cyrillicA }), shared.ErrInvalidID),
		msgCase("RegisterSubchain/full-width digit in chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = fullWidth1 }), shared.ErrInvalidID),
		msgCase("RegisterOrg/zero-width space in org id", nil, orgMsg(zeroWidth), shared.ErrInvalidID),
		msgCase("RegisterOrg/no-break space in org id", nil, orgMsg(noBreakSp), shared.ErrInvalidID),
		msgCase("RegisterSubchain/C1 control character in chain id", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = c1Control }), shared.ErrInvalidID),
		msgCase("RegisterOrg/invalid UTF-8 org id", nil, orgMsg(invalidUTF8), shared.ErrInvalidID),
		msgCase("SubmitStatus/zero-width space in a reported org", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = []string{"org-a", zeroWidth, "org-c"} }), shared.ErrInvalidID),

		// ---- Msgs: lists at their cap + 1.
		msgCase("SubmitStatus/validators max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators = validators(shared.MaxValidators + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/orgs max+1", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = orgIDs(shared.MaxOrgs + 1) }), shared.ErrTooLarge),
		msgCase("SubmitStatus/new contracts max+1", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.NewContracts, s.ContractCount = contracts(shared.MaxNewContracts+1), shared.MaxNewContracts+1
		}), shared.ErrTooLarge),
		msgCase("GrantReporter/reporters max+1", func(f *fixture) {
			for i := 1; i < int(types.DefaultParams().MaxReportersPerMembership); i++ {
				acc := sdk.AccAddress([]byte(fmt.Sprintf("org-a-monitor-%06d", i))).String()
				f.must(f.msgs.GrantReporter(f.ctx, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: acc}))
			}
		}, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: newAccount}, types.ErrTooManyReporters),
		msgCase("UpdateParams/arbiters max+1", nil, params(func(p *types.Params) {
			for i := range types.MaxArbiters + 1 {
				p.Arbiters = append(p.Arbiters, sdk.AccAddress([]byte(fmt.Sprintf("arbiter-%012d", i))).String())
			}
		}), types.ErrInvalidParams),
		msgCase("FileDispute/disputed fields max+1", forgedA2, dispute(func(m *types.MsgFileDispute) {
			m.Fields = nil
			for i := range types.MaxDisputedFields + 1 {
				m.Fields = append(m.Fields, types.DisputedField{Field: fmt.Sprintf("field-%d", i), Reported: "1", Observed: "2"})
			}
		}), types.ErrInvalidRequest),
		msgCase("FileDispute/open disputes max+1", func(f *fixture) {
			forgedA2(f)
			for range types.DefaultParams().MaxOpenDisputesPerOrg {
				f.must(f.msgs.FileDispute(f.ctx, fileMsg(reporterA, orgA, 1)))
			}
		}, dispute(nil), types.ErrTooManyDisputes),

		// ---- Msgs: wrong chain, wrong org.
		msgCase("SubmitStatus/chain B's monitor reports chain A", nil, &types.MsgSubmitStatus{Reporter: reporterB, Snapshot: snapshot(chainA, 100)}, types.ErrNotReporter),
		msgCase("SubmitStatus/chain A's monitor reports chain B", nil, &types.MsgSubmitStatus{Reporter: reporterA, Snapshot: snapshot(chainB, 100)}, types.ErrNotReporter),
		msgCase("SubmitStatus/unregistered subchain", nil, statusMsg(func(s *shared.StatusSnapshot) { s.ChainId = "subchain-x" }), types.ErrNotReporter),
		msgCase("GrantReporter/org A's admin grants for org B", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainB, OrgId: orgB, Reporter: newAccount}, types.ErrNotOrgAdmin),
		msgCase("GrantReporter/org A's admin on a subchain org A is not in", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainB, OrgId: orgA, Reporter: newAccount}, types.ErrNotMember),
		msgCase("RevokeReporter/org A's admin revokes org A2's monitor", nil, &types.MsgRevokeReporter{Admin: adminA, ChainId: chainA, OrgId: orgA2, Reporter: reporterA2}, types.ErrNotOrgAdmin),
		msgCase("RevokeReporter/org A2's monitor through org A", nil, &types.MsgRevokeReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA2}, types.ErrNotReporter),
		msgCase("FileDispute/org A's monitor files for org A2", reportedAt(50), fileMsg(reporterA, orgA2, 1), types.ErrNotFiler),
		msgCase("FileDispute/org B's admin on chain A", forgedA2, fileMsg(adminB, orgB, 1), types.ErrNotMember),
		msgCase("FileDispute/unknown org", forgedA2, fileMsg(reporterA, "org-z", 1), types.ErrUnknownOrg),
		msgCase("GrantReporter/another org's monitor in upper case", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: strings.ToUpper(reporterA2)}, types.ErrInvalidRequest),

		// ---- Msgs: a stranger on every Msg that needs a role.
		msgCase("UpdateParams/stranger", nil, &types.MsgUpdateParams{Authority: stranger, Params: types.DefaultParams()}, types.ErrUnauthorized),
		msgCase("RegisterSubchain/stranger", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.Authority = stranger }), types.ErrUnauthorized),
		msgCase("BindClient/stranger", nil, &types.MsgBindClient{Authority: stranger, ChainId: chainA, ClientId: "07-tendermint-" + chainA}, types.ErrUnauthorized),
		msgCase("RetireSubchain/stranger", nil, &types.MsgRetireSubchain{Authority: stranger, ChainId: chainA}, types.ErrUnauthorized),
		msgCase("RegisterOrg/stranger", nil, &types.MsgRegisterOrg{Authority: stranger, OrgId: "org-new", Name: "New", Admin: stranger}, types.ErrUnauthorized),
		msgCase("AddMember/stranger", nil, &types.MsgAddMember{Authority: stranger, ChainId: chainA, OrgId: orgB}, types.ErrUnauthorized),
		msgCase("RemoveMember/stranger", nil, &types.MsgRemoveMember{Authority: stranger, ChainId: chainA, OrgId: orgA}, types.ErrUnauthorized),
		msgCase("GrantReporter/stranger", nil, &types.MsgGrantReporter{Admin: stranger, ChainId: chainA, OrgId: orgA, Reporter: stranger}, types.ErrNotOrgAdmin),
		msgCase("RevokeReporter/stranger", nil, &types.MsgRevokeReporter{Admin: stranger, ChainId: chainA, OrgId: orgA, Reporter: reporterA}, types.ErrNotOrgAdmin),
		msgCase("SubmitStatus/stranger", nil, &types.MsgSubmitStatus{Reporter: stranger, Snapshot: snapshot(chainA, 100)}, types.ErrNotReporter),
		msgCase("FileDispute/stranger", forgedA2, fileMsg(stranger, orgA, 1), types.ErrNotFiler),
		msgCase("ResolveDispute/stranger", disputeOpen, resolve(stranger, 1, "checked"), types.ErrUnauthorized),
		msgCase("ResolveDispute/the filing org's monitor", disputeOpen, resolve(reporterA, 1, "mine"), types.ErrUnauthorized),
		msgCase("RestoreReporting/stranger", disputeUpheld, &types.MsgRestoreReporting{Authority: stranger, ChainId: chainA, OrgId: orgA2}, types.ErrUnauthorized),
		msgCase("RestoreReporting/the suspended org's admin", disputeUpheld, &types.MsgRestoreReporting{Authority: adminA2, ChainId: chainA, OrgId: orgA2}, types.ErrUnauthorized),
		msgCase("UpdateParams/consortium admin", nil, &types.MsgUpdateParams{Authority: consortium, Params: types.DefaultParams()}, types.ErrUnauthorized),

		// ---- Msgs: revoked monitor, retired subchain, suspended org.
		msgCase("SubmitStatus/revoked monitor", nil, &types.MsgSubmitStatus{Reporter: revoked, Snapshot: snapshot(chainA, 100)}, types.ErrNotReporter),
		msgCase("FileDispute/revoked monitor", forgedA2, fileMsg(revoked, orgA, 1), types.ErrNotFiler),
		msgCase("RevokeReporter/already revoked", nil, &types.MsgRevokeReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: revoked}, types.ErrNotReporter),
		msgCase("SubmitStatus/retired subchain", retiredA, statusMsg(nil), types.ErrSubchainRetired),
		msgCase("AddMember/retired subchain", retiredA, &types.MsgAddMember{Authority: authority, ChainId: chainA, OrgId: orgB}, types.ErrSubchainRetired),
		msgCase("BindClient/retired subchain", retiredA, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: "07-tendermint-" + chainA}, types.ErrSubchainRetired),
		msgCase("RetireSubchain/twice", retiredA, &types.MsgRetireSubchain{Authority: authority, ChainId: chainA}, types.ErrSubchainRetired),
		msgCase("RetireSubchain/unknown subchain", nil, &types.MsgRetireSubchain{Authority: authority, ChainId: "subchain-x"}, types.ErrUnknownSubchain),
		msgCase("SubmitStatus/suspended org's monitor", disputeUpheld, &types.MsgSubmitStatus{Reporter: reporterA2, Snapshot: snapshot(chainA, 60)}, types.ErrSuspended),
		msgCase("GrantReporter/suspended org's admin", disputeUpheld, &types.MsgGrantReporter{Admin: adminA2, ChainId: chainA, OrgId: orgA2, Reporter: newAccount}, types.ErrSuspended),
		msgCase("FileDispute/suspended org", all(disputeUpheld, reportedAt(60)), fileMsg(adminA2, orgA2, 2), types.ErrSuspended),
		msgCase("GrantReporter/suspended org's monitor to another org", disputeUpheld, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA2}, types.ErrReporterExists),

		// ---- Msgs: duplicates.
		msgCase("RegisterSubchain/duplicate", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ChainId = chainA }), types.ErrSubchainExists),
		msgCase("RegisterOrg/duplicate", nil, orgMsg(orgA), types.ErrOrgExists),
		msgCase("AddMember/duplicate", nil, &types.MsgAddMember{Authority: authority, ChainId: chainA, OrgId: orgA}, types.ErrAlreadyMember),
		msgCase("GrantReporter/same account twice", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA}, types.ErrReporterExists),
		msgCase("GrantReporter/another org's monitor", nil, &types.MsgGrantReporter{Admin: adminA, ChainId: chainA, OrgId: orgA, Reporter: reporterA2}, types.ErrReporterExists),
		msgCase("BindClient/a client bound to another subchain", boundClientA, &types.MsgBindClient{Authority: authority, ChainId: chainB, ClientId: "07-tendermint-" + chainA}, types.ErrClientBound),
		msgCase("BindClient/rebind once a channel is bound", bindChannels, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: "07-tendermint-" + chainA}, types.ErrChannelBound),
		msgCase("BindClient/a client tracking another chain", nil, &types.MsgBindClient{Authority: authority, ChainId: chainA, ClientId: "07-tendermint-" + chainB}, types.ErrInvalidRequest),
		msgCase("RegisterSubchain/with a client tracking another chain", nil, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ClientId = "07-tendermint-" + chainB }), types.ErrInvalidRequest),
		msgCase("RegisterSubchain/with a client bound to another subchain", boundClientA, subchainMsg(func(m *types.MsgRegisterSubchain) { m.ClientId = "07-tendermint-" + chainA }), types.ErrClientBound),

		// ---- Msgs: reports not newer, implausible, uncheckable.
		msgCase("SubmitStatus/same height as the latest", reportedAt(100), statusMsg(nil), types.ErrOutdatedReport),
		msgCase("SubmitStatus/below the latest", reportedAt(100), statusMsg(func(s *shared.StatusSnapshot) { s.Height, s.BlockTime = 99, genesisTime.Add(110*time.Second) }), types.ErrOutdatedReport),
		msgCase("SubmitStatus/dated past max clock drift", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.BlockTime = genesisTime.Add(types.DefaultParams().MaxClockDrift + time.Nanosecond)
		}), types.ErrImplausible),
		msgCase("SubmitStatus/dated in year 9999", nil, statusMsg(func(s *shared.StatusSnapshot) { s.BlockTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }), types.ErrImplausible),
		msgCase("SubmitStatus/higher but not later than the latest", reportedAt(100), statusMsg(func(s *shared.StatusSnapshot) { s.Height = 110 }), types.ErrImplausible),
		msgCase("SubmitStatus/more blocks than fit since the latest", reportedAt(100), statusMsg(func(s *shared.StatusSnapshot) {
			s.Height, s.BlockTime = 100+101, genesisTime.Add(110*time.Second) // 10s hold 100 blocks
		}), types.ErrImplausible),
		msgCase("SubmitStatus/max int64 height after a report", reportedAt(100), statusMsg(func(s *shared.StatusSnapshot) {
			s.Height, s.TotalTxs, s.BlockTime = math.MaxInt64, math.MaxUint64, genesisTime.Add(110*time.Second)
		}), types.ErrImplausible),
		msgCase("SubmitStatus/height the sidecar does not snapshot", sidecarEvery10, statusMsg(func(s *shared.StatusSnapshot) { s.Height, s.BlockTime = 55, genesisTime.Add(55*time.Second) }), types.ErrUncheckable),

		// ---- Msgs: negative or zero heights, inconsistent snapshots.
		msgCase("SubmitStatus/height zero", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Height = 0 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/negative height", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Height = -1 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/min int64 height", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Height = math.MinInt64 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/total txs below window txs", nil, statusMsg(func(s *shared.StatusSnapshot) { s.TotalTxs = s.WindowTxs - 1 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/empty window with txs", nil, statusMsg(func(s *shared.StatusSnapshot) { s.WindowBlocks = 0 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/empty window with TPS", nil, statusMsg(func(s *shared.StatusSnapshot) { s.WindowBlocks, s.WindowTxs = 0, 0 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/orgs unsorted", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = []string{"org-b", "org-a"} }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/duplicate org", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Orgs = []string{"org-a", "org-a"} }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/duplicate validator", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[1].Address = s.Validators[0].Address }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/validator power zero", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[2].Power = 0 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/negative validator power", nil, statusMsg(func(s *shared.StatusSnapshot) { s.Validators[2].Power = math.MinInt64 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/more new contracts than contracts", nil, statusMsg(func(s *shared.StatusSnapshot) { s.ContractCount = 1 }), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/new contracts unsorted", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.NewContracts[0], s.NewContracts[1] = s.NewContracts[1], s.NewContracts[0]
		}), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/upgrade not after the height", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.PlannedUpgrade = &shared.PlannedUpgrade{Name: "v2", Height: 100}
		}), shared.ErrInvalidSnapshot),
		msgCase("SubmitStatus/upgrade without a name", nil, statusMsg(func(s *shared.StatusSnapshot) {
			s.PlannedUpgrade = &shared.PlannedUpgrade{Height: 200}
		}), shared.ErrInvalidSnapshot),

		// ---- Msgs: disputes and their settlement.
		msgCase("FileDispute/own report", forgedA2, fileMsg(reporterA2, orgA2, 1), types.ErrOwnReport),
		msgCase("FileDispute/own report by the org's admin", forgedA2, fileMsg(adminA2, orgA2, 1), types.ErrOwnReport),
		msgCase("FileDispute/report that does not exist", forgedA2, fileMsg(reporterA, orgA, 42), types.ErrNoReport),
		msgCase("FileDispute/report sequence zero", forgedA2, fileMsg(reporterA, orgA, 0), types.ErrInvalidRequest),
		msgCase("FileDispute/after the window", func(f *fixture) {
			forgedA2(f)
			f.advance(types.DefaultParams().DisputeWindow + time.Second)
		}, dispute(nil), types.ErrWindowClosed),
		msgCase("ResolveDispute/unknown dispute", disputeOpen, resolve(authority, 99, "checked"), types.ErrUnknownDispute),
		msgCase("ResolveDispute/dispute id zero", disputeOpen, resolve(authority, 0, "checked"), types.ErrInvalidRequest),
		msgCase("ResolveDispute/closed dispute", disputeUpheld, resolve(consortium, 1, "again"), types.ErrDisputeClosed),
		msgCase("ResolveDispute/expired dispute", func(f *fixture) {
			disputeOpen(f)
			f.advance(types.DefaultParams().DisputeWindow + time.Second)
			require.NoError(f.t, f.k.EndBlocker(f.ctx))
		}, resolve(authority, 1, "late"), types.ErrDisputeClosed),
		msgCase("RestoreReporting/org not suspended", nil, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA}, types.ErrNotSuspended),
		msgCase("RestoreReporting/twice", func(f *fixture) {
			disputeUpheld(f)
			f.must(f.msgs.RestoreReporting(f.ctx, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2}))
		}, &types.MsgRestoreReporting{Authority: authority, ChainId: chainA, OrgId: orgA2}, types.ErrNotSuspended),
		msgCase("RestoreReporting/org not a member", nil, &types.MsgRestoreReporting{Authority: authority, ChainId: chainB, OrgId: orgA}, types.ErrNotMember),
		msgCase("RemoveMember/org not a member", nil, &types.MsgRemoveMember{Authority: authority, ChainId: chainA, OrgId: orgB}, types.ErrNotMember),
		msgCase("AddMember/unknown org", nil, &types.MsgAddMember{Authority: authority, ChainId: chainA, OrgId: "org-z"}, types.ErrUnknownOrg),
		msgCase("AddMember/unknown subchain", nil, &types.MsgAddMember{Authority: authority, ChainId: "subchain-x", OrgId: orgA}, types.ErrUnknownSubchain),

		// ---- Msgs: params.
		msgCase("UpdateParams/dispute window over the retention", nil, params(func(p *types.Params) { p.DisputeWindow = p.HistoryRetention + 1 }), types.ErrInvalidParams),
		msgCase("UpdateParams/zero clock drift", nil, params(func(p *types.Params) { p.MaxClockDrift = 0 }), types.ErrInvalidParams),
		msgCase("UpdateParams/negative deposit", nil, params(func(p *types.Params) { p.DisputeDeposit.Amount = sdkmath.NewInt(-1) }), types.ErrInvalidParams),
		msgCase("UpdateParams/bad admin address", nil, params(func(p *types.Params) { p.Admin = "cosmos1notanaddress" }), types.ErrInvalidParams),

		// ---- Packets through the IBC door (chain A bound to channel-7, B to channel-9).
		packetCase("empty data", nil, channelA, nil, shared.ErrInvalidPacket),
		packetCase("garbage bytes", nil, channelA, []byte("\xde\xad\xbe\xef not a packet"), shared.ErrInvalidPacket),
		packetCase("valid proto of the wrong message (ack)", nil, channelA,
			mustBytes((&shared.StatusReportAck{MainSequence: 1, DisputeId: 2}).Marshal()), shared.ErrInvalidPacket),
		packetCase("ICS-20 transfer JSON", nil, channelA,
			[]byte(`{"denom":"stake","amount":"1","sender":"cosmos1a","receiver":"cosmos1b"}`), shared.ErrInvalidPacket),
		packetCase("unknown oneof field", nil, channelA, []byte{0x1a, 0x02, 0x08, 0x01}, shared.ErrInvalidPacket),
		packetCase("empty report message", nil, channelA, []byte{0x0a, 0x00}, shared.ErrInvalidPacket),
		packetCase("empty evidence message", nil, channelA, []byte{0x12, 0x00}, shared.ErrInvalidPacket),
		packetCase("valid report with trailing garbage", nil, channelA,
			append(reportPacket(chainA, 1, 50, nil), 0xff), shared.ErrInvalidPacket),
		packetCase("oversized", nil, channelA, make([]byte, shared.MaxPacketSize+1), shared.ErrTooLarge),
		packetCase("forged (unbound) channel", nil, "channel-99", reportPacket(chainA, 1, 50, nil), shared.ErrInvalidChannel),
		packetCase("no destination channel", nil, "", reportPacket(chainA, 1, 50, nil), shared.ErrInvalidChannel),
		packetCase("chain B's report over chain A's channel", nil, channelA, reportPacket(chainB, 1, 50, nil), types.ErrWrongChain),
		packetCase("chain A's report over chain B's channel", nil, channelB, reportPacket(chainA, 1, 50, nil), types.ErrWrongChain),
		packetCase("an unregistered chain's report over chain A's channel", nil, channelA, reportPacket("subchain-zz", 1, 50, nil), types.ErrWrongChain),
		packetCase("report sequence zero", nil, channelA, reportPacket(chainA, 0, 50, nil), shared.ErrInvalidPacket),
		packetCase("snapshot_every over its max", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.SnapshotEvery = shared.MaxSnapshotEvery + 1 }), shared.ErrInvalidPacket),
		packetCase("report whose snapshot has height zero", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.Snapshot.Height = 0 }), shared.ErrInvalidSnapshot),
		packetCase("report whose snapshot has total below window", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.Snapshot.TotalTxs = 1 }), shared.ErrInvalidSnapshot),
		packetCase("report with validators max+1", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.Snapshot.Validators = validators(shared.MaxValidators + 1) }), shared.ErrTooLarge),
		packetCase("report with an invalid UTF-8 org", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.Snapshot.Orgs = []string{"org-a", invalidUTF8} }), shared.ErrInvalidID),
		packetCase("older height after a newer report", func(f *fixture) {
			f.must(nil, f.recv(channelA, reportPacket(chainA, 2, 60, nil)))
		}, channelA, reportPacket(chainA, 1, 50, nil), types.ErrOutdatedReport),
		packetCase("replayed report", func(f *fixture) {
			f.must(nil, f.recv(channelA, reportPacket(chainA, 1, 50, nil)))
		}, channelA, reportPacket(chainA, 1, 50, nil), types.ErrOutdatedReport),
		packetCase("report for a retired subchain", retiredA, channelA, reportPacket(chainA, 1, 50, nil), types.ErrSubchainRetired),
		packetCase("lists by hash in the first report", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.ListsHash = r.Snapshot.NameListsByHash() }), types.ErrListsChanged),
		packetCase("lists by hash naming other lists", func(f *fixture) {
			f.must(nil, f.recv(channelA, reportPacket(chainA, 1, 50, nil)))
		}, channelA, reportPacket(chainA, 2, 60, func(r *shared.StatusReport) {
			r.Snapshot.Validators[0].Power++
			r.ListsHash = r.Snapshot.NameListsByHash()
		}), types.ErrListsChanged),
		packetCase("lists hash beside the lists", nil, channelA,
			reportPacket(chainA, 1, 50, func(r *shared.StatusReport) { r.ListsHash = r.Snapshot.ListsHash() }), shared.ErrInvalidPacket),
		packetCase("lists hash of 31 bytes", nil, channelA, reportPacket(chainA, 1, 50, func(r *shared.StatusReport) {
			r.ListsHash = r.Snapshot.NameListsByHash()[1:]
		}), shared.ErrInvalidPacket),
		packetCase("replayed evidence", func(f *fixture) {
			forgedA2(f)
			f.must(nil, f.recv(channelA, evidencePacket(nil)))
		}, channelA, evidencePacket(nil), types.ErrAlreadyProven),
		packetCase("evidence for another subchain's report", func(f *fixture) {
			forgedA2(f)
			f.must(f.msgs.SubmitStatus(f.ctx, &types.MsgSubmitStatus{Reporter: reporterB, Snapshot: snapshot(chainB, 50)}))
		}, channelA, evidencePacket(func(e *shared.DisputeEvidence) { e.Snapshot.ChainId = chainB }), types.ErrWrongChain),
		packetCase("chain A's evidence over chain B's channel", forgedA2, channelB, evidencePacket(nil), types.ErrWrongChain),
		packetCase("evidence of another height than the report", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { *e.Snapshot = snapshot(chainA, 60) }), types.ErrInvalidRequest),
		packetCase("evidence that agrees with the report", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.Snapshot.ContractCount = 9 }), types.ErrInvalidRequest),
		packetCase("evidence that differs only in txs, TPS and version", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) {
				e.Snapshot.ContractCount, e.Snapshot.TotalTxs, e.Snapshot.TpsMilli, e.Snapshot.SoftwareVersion = 9, 1000, 1, "v9"
			}), types.ErrInvalidRequest),
		packetCase("evidence naming a report that does not exist", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.MainSequence = 42 }), types.ErrNoReport),
		packetCase("evidence naming report zero", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.MainSequence = 0 }), shared.ErrInvalidPacket),
		packetCase("evidence without a snapshot", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.Snapshot = nil }), shared.ErrInvalidPacket),
		packetCase("evidence without a filer", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.Filer = "" }), shared.ErrInvalidID),
		packetCase("evidence with a filer max+1", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.Filer = long(shared.MaxIDLen + 1) }), shared.ErrTooLarge),
		packetCase("evidence with an invalid snapshot", forgedA2, channelA,
			evidencePacket(func(e *shared.DisputeEvidence) { e.Snapshot.Validators[0].Power = -1 }), shared.ErrInvalidSnapshot),
		packetCase("evidence on an unbound channel", forgedA2, "channel-99", evidencePacket(nil), shared.ErrInvalidChannel),

		// ---- Queries.
		queryCase("Subchain/unknown", nil, func(f *fixture) error {
			_, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("Subchain/space in id", nil, func(f *fixture) error {
			_, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: "subchain a"})
			return err
		}, codes.InvalidArgument),
		queryCase("Subchain/id max+1", nil, func(f *fixture) error {
			_, err := f.querys.Subchain(f.ctx, &types.QuerySubchainRequest{ChainId: long(shared.MaxChainIDLen + 1)})
			return err
		}, codes.InvalidArgument),
		queryCase("Subchain/nil request", nil, func(f *fixture) error {
			_, err := f.querys.Subchain(f.ctx, nil)
			return err
		}, codes.InvalidArgument),
		queryCase("Org/unknown", nil, func(f *fixture) error {
			_, err := f.querys.Org(f.ctx, &types.QueryOrgRequest{OrgId: "org-z"})
			return err
		}, codes.NotFound),
		queryCase("Org/empty id", nil, func(f *fixture) error {
			_, err := f.querys.Org(f.ctx, &types.QueryOrgRequest{})
			return err
		}, codes.InvalidArgument),
		queryCase("Org/control character in id", nil, func(f *fixture) error {
			_, err := f.querys.Org(f.ctx, &types.QueryOrgRequest{OrgId: "org-a\x1b[31m"})
			return err
		}, codes.InvalidArgument),
		queryCase("Members/unknown subchain", nil, func(f *fixture) error {
			_, err := f.querys.Members(f.ctx, &types.QueryMembersRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("Members/bad id", nil, func(f *fixture) error {
			_, err := f.querys.Members(f.ctx, &types.QueryMembersRequest{ChainId: "a\tb"})
			return err
		}, codes.InvalidArgument),
		queryCase("LatestStatus/unknown subchain", nil, func(f *fixture) error {
			_, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("LatestStatus/no report yet", nil, func(f *fixture) error {
			_, err := f.querys.LatestStatus(f.ctx, &types.QueryLatestStatusRequest{ChainId: chainA})
			return err
		}, codes.NotFound),
		queryCase("LatestStatus/nil request", nil, func(f *fixture) error {
			_, err := f.querys.LatestStatus(f.ctx, nil)
			return err
		}, codes.InvalidArgument),
		queryCase("StatusAtHeight/height zero", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusAtHeight/negative height", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: -50})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusAtHeight/min int64 height", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: math.MinInt64})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusAtHeight/below the first report", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: chainA, Height: 49})
			return err
		}, codes.NotFound),
		queryCase("StatusAtHeight/bad id", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, &types.QueryStatusAtHeightRequest{ChainId: "", Height: 50})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusAtHeight/nil request", nil, func(f *fixture) error {
			_, err := f.querys.StatusAtHeight(f.ctx, nil)
			return err
		}, codes.InvalidArgument),
		queryCase("Dispute/nil request", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Dispute(f.ctx, nil)
			return err
		}, codes.NotFound),
		queryCase("Disputes/nil request", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, nil)
			return err
		}, codes.InvalidArgument),
		queryCase("StatusHistory/unknown subchain", nil, func(f *fixture) error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("ContractChanges/unknown subchain", nil, func(f *fixture) error {
			_, err := f.querys.ContractChanges(f.ctx, &types.QueryContractChangesRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("Disputes/unknown subchain", nil, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: "subchain-x"})
			return err
		}, codes.NotFound),
		queryCase("Disputes/status out of the enum", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: chainA, Status: 99})
			return err
		}, codes.InvalidArgument),
		queryCase("Dispute/unknown", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: 99})
			return err
		}, codes.NotFound),
		queryCase("Dispute/max uint64 id", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Dispute(f.ctx, &types.QueryDisputeRequest{DisputeId: math.MaxUint64})
			return err
		}, codes.NotFound),
		queryCase("Disputes/bad id", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: "subchain a"})
			return err
		}, codes.InvalidArgument),
		queryCase("Disputes/count_total", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: chainA, Pagination: &query.PageRequest{CountTotal: true}})
			return err
		}, codes.InvalidArgument),
		queryCase("Disputes/page limit max+1", disputeOpen, func(f *fixture) error {
			_, err := f.querys.Disputes(f.ctx, &types.QueryDisputesRequest{ChainId: chainA, Pagination: &query.PageRequest{Limit: types.MaxPageLimit + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("Subchains/page limit max uint64", nil, func(f *fixture) error {
			_, err := f.querys.Subchains(f.ctx, &types.QuerySubchainsRequest{Pagination: &query.PageRequest{Limit: math.MaxUint64}})
			return err
		}, codes.InvalidArgument),
		queryCase("Subchains/offset max+1", nil, func(f *fixture) error {
			_, err := f.querys.Subchains(f.ctx, &types.QuerySubchainsRequest{Pagination: &query.PageRequest{Offset: types.MaxPageOffset + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("Orgs/count_total", nil, func(f *fixture) error {
			_, err := f.querys.Orgs(f.ctx, &types.QueryOrgsRequest{Pagination: &query.PageRequest{CountTotal: true}})
			return err
		}, codes.InvalidArgument),
		queryCase("Orgs/page limit max+1", nil, func(f *fixture) error {
			_, err := f.querys.Orgs(f.ctx, &types.QueryOrgsRequest{Pagination: &query.PageRequest{Limit: types.MaxPageLimit + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("Members/offset max+1", nil, func(f *fixture) error {
			_, err := f.querys.Members(f.ctx, &types.QueryMembersRequest{ChainId: chainA, Pagination: &query.PageRequest{Offset: types.MaxPageOffset + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusHistory/page limit max+1", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA, Pagination: &query.PageRequest{Limit: types.MaxPageLimit + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusHistory/count_total", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA, Pagination: &query.PageRequest{CountTotal: true, Reverse: true}})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusHistory/bad id", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: "subchain-a\x00"})
			return err
		}, codes.InvalidArgument),
		queryCase("StatusHistory/both key and offset", reportedAt(50), func(f *fixture) error {
			_, err := f.querys.StatusHistory(f.ctx, &types.QueryStatusHistoryRequest{ChainId: chainA, Pagination: &query.PageRequest{Key: []byte{0, 0, 0, 0, 0, 0, 0, 1}, Offset: 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("ContractChanges/offset max+1", nil, func(f *fixture) error {
			_, err := f.querys.ContractChanges(f.ctx, &types.QueryContractChangesRequest{ChainId: chainA, Pagination: &query.PageRequest{Offset: types.MaxPageOffset + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("ContractChanges/bad id", nil, func(f *fixture) error {
			_, err := f.querys.ContractChanges(f.ctx, &types.QueryContractChangesRequest{ChainId: ""})
			return err
		}, codes.InvalidArgument),
		queryCase("Overview/page limit max+1", nil, func(f *fixture) error {
			_, err := f.querys.Overview(f.ctx, &types.QueryOverviewRequest{Pagination: &query.PageRequest{Limit: types.MaxPageLimit + 1}})
			return err
		}, codes.InvalidArgument),
		queryCase("Overview/count_total", nil, func(f *fixture) error {
			_, err := f.querys.Overview(f.ctx, &types.QueryOverviewRequest{Pagination: &query.PageRequest{CountTotal: true}})
			return err
		}, codes.InvalidArgument),
	}

	counts := map[string]int{}
	for _, tc := range cases {
		kind, _, _ := strings.Cut(tc.name, "/")
		counts[kind]++
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.prepare != nil {
				tc.prepare(f)
			}
			f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
			before := f.dump()
			var err error
			require.NotPanics(t, func() { err = tc.do(f) })
			if kind == "query" {
				require.Error(t, err)
				require.Equal(t, tc.code, status.Code(err), "%v", err)
			} else {
				require.NotNil(t, tc.err, "the case names its error")
				require.ErrorIs(t, err, tc.err)
			}
			requireSameStore(t, before, f.dump())
			require.Empty(t, f.ctx.EventManager().Events(), "a refused input emits nothing")
		})
	}
	require.Equal(t, len(cases), counts["msg"]+counts["packet"]+counts["query"], "every case is named by its kind")
	t.Logf("hostile corpus: %d cases (%d Msgs, %d packets, %d queries)",
		len(cases), counts["msg"], counts["packet"], counts["query"])
	require.GreaterOrEqual(t, len(cases), 60)
}
