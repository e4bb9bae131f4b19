package watcher

import (
	"context"
	"errors"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/chainview"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Subchain is the watched subchain as the daemon reads it
// (chainview.Observer).
type Subchain interface {
	View
	Identity(ctx context.Context) (string, error)
	Endpoints() *chainview.Endpoints
}

// Daemon runs a Watcher: it follows the main chain's blocks, checks each
// new report, files disputes, and watches both chains' endpoints.
type Daemon struct {
	// ChainID is the watched subchain's.
	ChainID string
	Sub     Subchain
	// Main are the main chain's gRPC endpoints; MainRPC its CometBFT RPC
	// endpoints, whose websocket tells of new blocks.
	Main    *chainview.Endpoints
	MainRPC []string
	// Send broadcasts the disputes (broadcast.Broadcaster.Send), as Filer.
	Send func(context.Context, sdk.Msg) (broadcast.Included, error)
	// FilerAddr is the account that files disputes. OrgID is empty on the
	// subchain, where its sidecar proves them; on the main chain it is the
	// org the disputes are filed for, to be resolved by an arbiter.
	FilerAddr, OrgID string
	// StatePath is the state file.
	StatePath string
	// Poll is how often to step without a block event; HaltAfter how old a
	// newest block may be before the subchain counts as halted; AheadMargin
	// as Watcher.AheadMargin.
	Poll, HaltAfter time.Duration
	// BlockTimeout is how long the main chain's websocket may bring no block
	// before the watcher moves to the next MainRPC endpoint (0: the default).
	BlockTimeout time.Duration
	AheadMargin  int64
	Metrics      *Metrics
	// Logf writes one log line.
	Logf func(format string, args ...any)
}

// stepTimeout bounds one step, so an endpoint that stops answering costs a
// logged failure and a retry, not a daemon stuck for good.
const stepTimeout = 2 * time.Minute

// Run checks that the endpoints serve the right chains, loads the state and
// watches until ctx ends; then it says what state it leaves. It returns an
// error only when it cannot start.
func (d *Daemon) Run(ctx context.Context) error {
	switch {
	case len(d.MainRPC) == 0:
		return errors.New("--main-rpc: no endpoint given")
	case d.Poll <= 0:
		return fmt.Errorf("--poll %s: must be positive", d.Poll)
	case d.HaltAfter <= 0:
		return fmt.Errorf("--halt-after %s: must be positive", d.HaltAfter)
	case d.BlockTimeout < 0:
		return fmt.Errorf("--block-timeout %s: must be positive", d.BlockTimeout)
	}
	if err := checkEndpoints(d.Sub.Endpoints().Probe(ctx), d.ChainID, "--sub-grpc"); err != nil {
		return err
	}
	mainQ := collectortypes.NewQueryClient(d.Main)
	if _, err := mainQ.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: d.ChainID}); err != nil {
		return fmt.Errorf("the main chain at %v does not know subchain %s: %w", d.Main.Addrs(), d.ChainID, err)
	}
	mainID, err := chainview.Identity(ctx, d.Main)
	if err != nil {
		return fmt.Errorf("main chain: %w", err)
	}
	subID, err := d.Sub.Identity(ctx)
	if err != nil {
		return fmt.Errorf("subchain: %w", err)
	}
	m := d.Metrics
	w := &Watcher{
		Main: MainGRPC{Conn: d.Main, ChainID: d.ChainID}, View: d.Sub, StatePath: d.StatePath,
		Identity: mainID + "/" + subID, AheadMargin: d.AheadMargin, File: d.file,
		OnReport: func(h Handled) {
			m.report(h)
			d.Logf("%s", d.describe(h))
		},
		OnAlert: func(a Alert, raised bool) {
			if raised {
				d.Logf("ALERT raised %s: %s", a.Key, a.Detail)
			} else {
				d.Logf("ALERT cleared %s; now: %s", a.Key, a.Detail)
			}
		},
	}
	if old, err := w.Load(); err != nil {
		return fmt.Errorf("state %s: %w", d.StatePath, err)
	} else if old != "" {
		d.Logf("state %s was written for %s, not %s: set aside as %s.stale, starting afresh", d.StatePath, old, w.Identity, d.StatePath)
	}
	d.Logf("watching %s's reports on the main chain from report %d (state %s, %d open alert(s))",
		d.ChainID, w.State().Cursor, d.StatePath, len(w.Alerts()))

	wake := make(chan struct{}, 1)
	go followBlocks(ctx, d.MainRPC, d.BlockTimeout, wake, m, d.Logf)
	for {
		d.step(ctx, w, mainQ)
		select {
		case <-ctx.Done():
			st := w.State()
			d.Logf("%v: stopped; state as saved in %s: checked up to report %d, %d report(s) put aside, %d dispute(s) filed, %d open alert(s)",
				context.Cause(ctx), d.StatePath, st.Cursor, len(st.Ahead), len(st.Filed), len(st.Alerts))
			return nil
		case <-wake:
		case <-time.After(d.Poll):
		}
	}
}

// step checks the new reports, then both chains' health. A step cut short
// by the daemon's stop says nothing: its failures, and endpoints that seem
// down, are the stop's doing.
func (d *Daemon) step(ctx context.Context, w *Watcher, mainQ collectortypes.QueryClient) {
	m := d.Metrics
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	before := w.State().Cursor
	_, _, err := w.Step(stepCtx)
	// Report sequences are consecutive: the cursor's move is the reports
	// seen, counted even when the stop cut the step short after them.
	m.seen.Add(float64(w.State().Cursor - before))
	m.cursor.Set(float64(w.State().Cursor))
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		d.Logf("step failed, retrying: %v", err)
	}
	recorded := m.observeSubchain(stepCtx, mainQ, d.ChainID)
	subProbes, mainProbes := d.Sub.Endpoints().Probe(stepCtx), d.Main.Probe(stepCtx)
	if ctx.Err() != nil {
		return
	}
	if err := w.recordHealth(m, subProbes, mainProbes, recorded, time.Now(), d.HaltAfter); err != nil {
		d.Logf("health check: %v", err)
	}
}

// describe is the log line of a report handled.
func (d *Daemon) describe(h Handled) string {
	r := h.Report
	what := fmt.Sprintf("report %d of %s (height %d, org %s)", r.Sequence, d.ChainID, r.Snapshot.Height, r.Source.OrgId)
	switch h.Verdict {
	case Matches:
		return what + " matches this chain's nodes"
	case Disputed:
		if h.Dispute.TxHash == "" {
			return fmt.Sprintf("%s differs in %v: disputed already (by another watcher, or by a transaction of this one that landed late)", what, h.Fields)
		}
		return fmt.Sprintf("disputed %s: differs in %v (tx %s, height %d)", what, h.Fields, h.Dispute.TxHash, h.Dispute.Height)
	case DisputedBefore:
		return fmt.Sprintf("%s differs in %v: disputed by this watcher before", what, h.Fields)
	case Undisputable:
		return fmt.Sprintf("%s differs in %v, but the dispute is refused; moving on: %v", what, h.Fields, h.Why)
	default:
		return fmt.Sprintf("%s is beyond this chain's nodes (at %d): put aside until they reach it", what, h.Tip)
	}
}

// file disputes a report: on the subchain, or on the main chain for OrgID.
//
// The subchain refuses a second dispute of a report (ErrAlreadyDisputed);
// the main chain takes one from each org, and a second one from the same org
// too, escrowing a second deposit. A broadcast that gave up waiting for its
// block may land all the same, so on the main chain the watcher looks for
// its org's dispute of the report before filing one (again).
func (d *Daemon) file(ctx context.Context, r collectortypes.Report, observed shared.StatusSnapshot, fields []string) (broadcast.Included, error) {
	if d.OrgID != "" {
		found, err := MainGRPC{Conn: d.Main, ChainID: d.ChainID}.disputedBy(ctx, r.Sequence, d.OrgID)
		if err != nil {
			return broadcast.Included{}, fmt.Errorf("dispute of report %d: disputes filed already: %w", r.Sequence, err)
		}
		if found {
			return broadcast.Included{}, nil
		}
	}
	tx, err := d.Send(ctx, disputeMsg(d.FilerAddr, d.OrgID, d.Sub.Endpoints().Active(), r, observed, fields))
	return filed(r.Sequence, tx, err)
}

// filed says what a dispute's broadcast came to: its transaction, none
// when the report was disputed already, ErrRefused when no retry can change
// the chain's answer, or an error to retry on.
func filed(seq uint64, tx broadcast.Included, err error) (broadcast.Included, error) {
	switch {
	case err == nil:
		return tx, nil
	case broadcast.Is(err, reportertypes.ErrAlreadyDisputed):
		// Another watcher of this subchain was first, or this one's earlier
		// broadcast landed after it gave up on it: the dispute is under way.
		return broadcast.Included{}, nil
	case broadcast.Is(err, reportertypes.ErrReportMatches), broadcast.Is(err, reportertypes.ErrNoSnapshot),
		// The watcher's own org sent the report: the main chain never takes
		// an org's dispute of itself (its reporter needs a look instead).
		broadcast.Is(err, collectortypes.ErrOwnReport):
		return broadcast.Included{}, fmt.Errorf("%w: %v", ErrRefused, err)
	default:
		return broadcast.Included{}, fmt.Errorf("dispute of report %d: %w", seq, err)
	}
}

// disputeMsg is the dispute the watcher files: on the subchain
// (orgID empty) or on the main chain for orgID.
func disputeMsg(filer, orgID, node string, r collectortypes.Report, observed shared.StatusSnapshot, fields []string) sdk.Msg {
	if orgID == "" {
		return &reportertypes.MsgDisputeReport{Filer: filer, MainSequence: r.Sequence, Reported: r.Snapshot}
	}
	disputed := make([]collectortypes.DisputedField, len(fields))
	for i, f := range fields {
		disputed[i] = collectortypes.DisputedField{Field: f,
			Reported: shared.FieldValue(r.Snapshot, f, collectortypes.MaxFieldValueLen),
			Observed: shared.FieldValue(observed, f, collectortypes.MaxFieldValueLen)}
	}
	return &collectortypes.MsgFileDispute{Filer: filer, ChainId: r.ChainId, OrgId: orgID, ReportSequence: r.Sequence,
		Fields:   disputed,
		Evidence: fmt.Sprintf("observed by the watcher on node %s at height %d", node, r.Snapshot.Height)}
}

// checkEndpoints refuses endpoints that serve another chain than want, and
// a list of which none answers.
func checkEndpoints(probes []chainview.Probe, want, flag string) error {
	answered := false
	for _, p := range probes {
		if p.Up && p.ChainID != want {
			return fmt.Errorf("%s %s serves chain %s, not %s", flag, p.Addr, p.ChainID, want)
		}
		answered = answered || p.Up
	}
	if !answered {
		return fmt.Errorf("%s: none of %d endpoint(s) answers; first: %v", flag, len(probes), probes[0].Err)
	}
	return nil
}
