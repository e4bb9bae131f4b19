package orgreporter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Subchain is the reported subchain as the daemon reads it
// (chainview.Observer).
type Subchain interface {
	View
	ChainID(ctx context.Context) (string, error)
	Identity(ctx context.Context) (string, error)
}

// Daemon runs one org's Reporter against the main chain.
type Daemon struct {
	// Main is the main chain's client: its queries, its first block (for the
	// state's identity) and the monitoring account (--from).
	Main client.Context
	// Send broadcasts a submission (broadcast.Broadcaster.Send).
	Send func(context.Context, sdk.Msg) (broadcast.Included, error)
	Sub  Subchain
	// SubEndpoints name the subchain's endpoints in errors.
	SubEndpoints []string
	// Orgs, Backfill: as Reporter's.
	Orgs     []string
	Backfill int64
	// StatePath is the state file (default <home>/reporter/<chain-id>.json).
	StatePath string
	// Poll is how often to read the subchain.
	Poll time.Duration
	// Heartbeat is Reporter.Heartbeat; nil for two thirds of the report
	// interval the main chain expects of the subchain.
	Heartbeat *time.Duration
	Metrics   *Metrics
	// Logf writes one log line.
	Logf func(format string, args ...any)

	// sentLists is the lists hash of the last report this daemon had
	// included: the next one with the same lists names them by it.
	sentLists []byte
}

// ErrNoRights says the account may not report for the subchain (any more).
var ErrNoRights = errors.New("the account may not report for this subchain")

// stepTimeout bounds one step, so an endpoint that stops answering costs a
// logged failure and a retry, not a daemon stuck for good.
const stepTimeout = 2 * time.Minute

// Run checks the account's rights, loads the state and reports until ctx
// ends; then it says what state it leaves. It returns an error when it
// cannot start, and one wrapping ErrNoRights when the account's rights are
// revoked or suspended while it runs.
func (d *Daemon) Run(ctx context.Context) error {
	if d.Poll <= 0 {
		return fmt.Errorf("--poll %s: must be positive", d.Poll)
	}
	// The chain id alone: observing the whole chain here would count
	// its contracts before the state file says where to go on from.
	chainID, err := d.Sub.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("subchain nodes %v: %w", d.SubEndpoints, err)
	}
	me := d.Main.GetFromAddress().String()
	expected, err := checkReporter(ctx, collectortypes.NewQueryClient(d.Main), chainID, me)
	if err != nil {
		return err
	}
	heartbeat := expected * 2 / 3
	if d.Heartbeat != nil {
		heartbeat = *d.Heartbeat
	}
	identity, err := d.identities(ctx)
	if err != nil {
		return err
	}
	statePath := d.StatePath
	if statePath == "" {
		statePath = d.Main.HomeDir + "/reporter/" + chainID + ".json"
	}
	m := d.Metrics
	var sent broadcast.Included // the last submission's tx; zero when another source was first
	r := &Reporter{View: d.Sub, Orgs: d.Orgs, StatePath: statePath, Identity: identity, Heartbeat: heartbeat, Backfill: d.Backfill,
		Submit: func(ctx context.Context, s shared.StatusSnapshot) error {
			var err error
			sent, err = d.submit(ctx, me, s)
			m.submissions.WithLabelValues(outcomeOf(err)).Inc()
			return err
		}}
	if old, err := r.Load(); err != nil {
		return fmt.Errorf("state %s: %w", statePath, err)
	} else if old != "" {
		d.Logf("state %s was written for %s, not %s: set aside as %s.stale, starting afresh", statePath, old, identity, statePath)
	}
	if err := d.takeUpLanded(ctx, chainID, me, r); err != nil {
		return fmt.Errorf("state %s: %w", statePath, err)
	}
	m.recorded(r.state.Last)
	d.Logf("reporting %s as %s every %s, heartbeat %s (state %s)", chainID, me, d.Poll, heartbeat, statePath)
	for {
		m.balance(ctx, d.Main, me)
		stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
		outcome, err := r.Step(stepCtx)
		cancel()
		switch {
		case errors.Is(err, ErrNoRights):
			return err // revoked or suspended: stop rather than retry
		case err != nil && ctx.Err() == nil:
			d.Logf("step failed, retrying in %s: %v", d.Poll, err)
		case outcome == Submitted:
			last := r.state.Last
			m.recorded(last)
			if sent.TxHash == "" {
				d.Logf("report of %s at height %d: the main chain holds one of that height already", chainID, last.Height)
			} else {
				d.Logf("report of %s at height %d recorded (tx %s, height %d)", chainID, last.Height, sent.TxHash, sent.Height)
			}
		case outcome == CatchingUp:
			continue // more blocks to count: no need to wait
		}
		select {
		case <-ctx.Done():
			d.Logf("%v: stopped; state as saved in %s: %s", context.Cause(ctx), statePath, r.state.describe())
			return nil
		case <-time.After(d.Poll):
		}
	}
}

// landedDepth bounds how far back takeUpLanded looks among the subchain's
// reports for this account's last one.
const landedDepth = 20

// takeUpLanded finds this account's newest report among the subchain's
// landedDepth latest on the main chain and takes it up (Reporter.TakeUp):
// the daemon may have been stopped after its last transaction was
// broadcast and before it saved its state. One the subchain does not
// confirm is passed over with a warning: the reporter goes on from its
// state.
func (d *Daemon) takeUpLanded(ctx context.Context, chainID, me string, r *Reporter) error {
	res, err := collectortypes.NewQueryClient(d.Main).StatusHistory(ctx, &collectortypes.QueryStatusHistoryRequest{
		ChainId: chainID, Pagination: &query.PageRequest{Limit: landedDepth, Reverse: true}})
	if err != nil {
		return fmt.Errorf("main chain: reports of %s: %w", chainID, err)
	}
	for _, rep := range res.Reports {
		if rep.Source.Reporter != me {
			continue
		}
		took, err := r.TakeUp(ctx, rep.Snapshot)
		if errors.Is(err, ErrUnconfirmed) {
			d.Logf("WARNING: the main chain names report %d of %s at height %d as this account's newest, but %v: ignored, going on from the state",
				rep.Sequence, chainID, rep.Snapshot.Height, err)
			return nil
		}
		if took {
			d.Logf("report of %s at height %d (main-chain report %d) landed before this daemon saved it: going on from there",
				chainID, rep.Snapshot.Height, rep.Sequence)
		}
		return err
	}
	return nil
}

// describe sums the state up for the log.
func (s State) describe() string {
	out := "nothing reported yet"
	if s.Last != nil {
		out = fmt.Sprintf("last report at height %d (%s)", s.Last.Height, s.Last.BlockTime.UTC().Format(time.RFC3339))
	}
	if s.Counted != nil {
		out += fmt.Sprintf(", transactions counted to height %d", s.Counted.Height)
	}
	return out + fmt.Sprintf(", %d contract(s) waiting for a report", len(s.Unsent))
}

// submit submits a snapshot and interprets the main chain's answer for the
// reporter.
//
// A report whose orgs and validators are those of the daemon's last report
// names them by their hash, which leaves about half of a typical report's
// bytes out. The main chain takes it only if they are still its latest
// report's lists; when another source changed them in between, the daemon
// sends the report again whole (the refusal comes from the broadcast's
// simulation, so it costs no fee).
func (d *Daemon) submit(ctx context.Context, me string, snap shared.StatusSnapshot) (broadcast.Included, error) {
	msg := &collectortypes.MsgSubmitStatus{Reporter: me, Snapshot: snap}
	lists := snap.ListsHash()
	if bytes.Equal(lists, d.sentLists) {
		msg.NameListsByHash()
	}
	tx, err := d.Send(ctx, msg)
	if msg.ListsHash != nil && broadcast.Is(err, collectortypes.ErrListsChanged) {
		d.Logf("report of %s at height %d: the main chain's latest report has other orgs or validators; sending them", snap.ChainId, snap.Height)
		msg = &collectortypes.MsgSubmitStatus{Reporter: me, Snapshot: snap}
		tx, err = d.Send(ctx, msg)
	}
	if err == nil {
		d.sentLists = lists
		if msg.ListsHash != nil {
			d.Metrics.byHash.Inc()
		}
	}
	if broadcast.Is(err, collectortypes.ErrOutdatedReport) {
		// Another source (the sidecar over IBC, another org) was first at
		// this height: the main chain has a report there already.
		return broadcast.Included{}, nil
	}
	var refused *broadcast.Refused
	if errors.As(err, &refused) && (refused.Reason == "not_reporter" || refused.Reason == "suspended") {
		// Revoked or suspended: the daemon stops instead of retrying.
		return tx, fmt.Errorf("%w: %w", ErrNoRights, err)
	}
	return tx, err
}

// checkReporter refuses to start an account that is not a monitoring account
// of a member org of the subchain, with the reason; it returns how often the
// main chain expects the subchain to report.
func checkReporter(ctx context.Context, q collectortypes.QueryClient, chainID, me string) (time.Duration, error) {
	sub, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		return 0, fmt.Errorf("main chain: subchain %s: %w", chainID, err)
	}
	res, err := q.Members(ctx, &collectortypes.QueryMembersRequest{ChainId: chainID})
	if err != nil {
		return 0, fmt.Errorf("main chain: members of %s: %w", chainID, err)
	}
	for _, m := range res.Members {
		if slices.Contains(m.Reporters, me) {
			if m.Suspended {
				return 0, fmt.Errorf("%w: org %s is suspended on %s after an upheld dispute", ErrNoRights, m.OrgId, chainID)
			}
			return sub.Health.Subchain.ReportInterval, nil
		}
	}
	return 0, fmt.Errorf("%w: %s is not a monitoring account of any member org of %s (ask your org admin: tx statuscollect grant-reporter)", ErrNoRights, me, chainID)
}

// identities names the main chain and the observed subchain, for the state
// file.
func (d *Daemon) identities(ctx context.Context) (string, error) {
	own, err := d.Sub.Identity(ctx)
	if err != nil {
		return "", fmt.Errorf("subchain identity: %w", err)
	}
	one := int64(1)
	var main string
	if first, err := d.Main.Client.Block(ctx, &one); err == nil {
		main = chainview.IdentityOf(first.Block.ChainID, first.BlockID.Hash)
	} else {
		main = d.Main.ChainID // block 1 pruned: named by chain id alone
	}
	return main + "/" + own, nil
}
