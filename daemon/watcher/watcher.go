// Package watcher checks a subchain's reports on the main chain against the
// organization's own node: every report an org's monitoring account
// submitted is compared, at its height, with what the node says, and a
// difference is disputed without a human. Its progress and the disputes it
// filed are kept in a state file, so a restart neither misses nor repeats one.
package watcher

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/statefile"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Main reads the main chain's record of one subchain.
type Main interface {
	// ReportsAfter returns the subchain's next reports: those of sequences
	// after+1, after+2, … (from its oldest report when the main chain no
	// longer keeps the ones before), at most a step's worth.
	ReportsAfter(ctx context.Context, after uint64) ([]collectortypes.Report, error)
	// Settled says whether a dispute against the report with this sequence
	// has ended (upheld, rejected or expired), and how.
	Settled(ctx context.Context, sequence uint64) (collectortypes.DisputeStatus, bool, error)
}

// View is what the watcher reads of its own subchain node.
type View interface {
	LatestHeight(ctx context.Context) (int64, error)
	Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error)
}

// Filer disputes a report whose fields differ from the node's view and
// returns the dispute's transaction: none when the report was disputed
// already, by another watcher or by an earlier transaction of this one that
// landed after its broadcast gave up on it (the dispute is under way all the
// same). An error wrapping ErrRefused says the dispute cannot be filed at
// all (the subchain's own record agrees with the report, or has no snapshot
// of its height): the watcher moves on rather than retry it for ever.
type Filer func(ctx context.Context, report collectortypes.Report, observed shared.StatusSnapshot, fields []string) (broadcast.Included, error)

// ErrRefused marks a dispute the chain it was filed on will never accept.
var ErrRefused = errors.New("dispute refused")

// State is what survives a restart.
type State struct {
	// Cursor is the sequence of the last report checked.
	Cursor uint64 `json:"cursor"`
	// Filed are the report sequences disputed.
	Filed []uint64 `json:"filed,omitempty"`
	// Alerts are the open alerts, sorted by key.
	Alerts []Alert `json:"alerts,omitempty"`
	// Ahead are org reports of heights the nodes had not reached, to check
	// once they have (at most MaxAhead).
	Ahead []collectortypes.Report `json:"ahead,omitempty"`
}

// Watcher watches one subchain.
type Watcher struct {
	Main      Main
	View      View
	File      Filer
	StatePath string
	// Identity names the chains the state belongs to (chainview.Identity of
	// the subchain and the main chain).
	Identity string
	// OnReport, when set, hears once of every org-submitted report handled:
	// checked (and disputed or not), or put aside for later.
	OnReport func(Handled)
	// AheadMargin is how many blocks ahead of the nodes a report may be
	// before it is an alert (DefaultAheadMargin when 0).
	AheadMargin int64
	// OnAlert, when set, hears of every alert raised or cleared.
	OnAlert func(a Alert, raised bool)
	// Now is the clock alerts are stamped with (time.Now when nil).
	Now   func() time.Time
	state State
}

// Load reads the state file; a missing file is a first start, and a file
// written for other chains (Identity) is set aside: old names them.
func (w *Watcher) Load() (old string, err error) {
	return statefile.Load(w.StatePath, w.Identity, &w.state)
}

func (w *Watcher) save() error { return statefile.Save(w.StatePath, w.Identity, w.state) }

// State returns the current state.
func (w *Watcher) State() State { return w.state }

// Step checks every report recorded since the last step. Reports that came
// over IBC carry the subchain's own consensus and are skipped. The cursor
// moves past a report only once it is checked (and disputed if it differs),
// so a failure is retried at the next step. A report of a height this
// chain's nodes have not reached yet is put aside and checked once they
// have, so it cannot hold the cursor up; one more than AheadMargin blocks
// ahead of them is an alert.
func (w *Watcher) Step(ctx context.Context) (checked, filed int, err error) {
	tip, err := w.View.LatestHeight(ctx)
	if err != nil {
		return 0, 0, err
	}
	if checked, filed, err = w.recheckAhead(ctx, tip); err != nil {
		return checked, filed, err
	}
	reports, err := w.Main.ReportsAfter(ctx, w.state.Cursor)
	if err != nil {
		return checked, filed, err
	}
	for _, r := range reports {
		switch {
		case r.Source.OrgId == "":
		case r.Snapshot.Height > tip:
			if len(w.state.Ahead) >= MaxAhead {
				return checked, filed, fmt.Errorf("%d reports ahead of this chain's nodes (at %d) wait already; report %d waits too", MaxAhead, tip, r.Sequence)
			}
			w.state.Ahead = append(w.state.Ahead, r)
			w.handled(Handled{Report: r, Verdict: PutAside, Tip: tip})
			if r.Snapshot.Height > tip+w.aheadMargin() {
				detail := fmt.Sprintf("report %d (org %s) is of height %d; this chain's nodes are at %d", r.Sequence, r.Source.OrgId, r.Snapshot.Height, tip)
				if err := w.SetAlert(aheadAlert(r.Sequence), true, detail); err != nil {
					return checked, filed, err
				}
			}
		default:
			n, err := w.check(ctx, r)
			if err != nil {
				return checked, filed, err
			}
			checked, filed = checked+1, filed+n
		}
		w.state.Cursor = r.Sequence
		if err := w.save(); err != nil {
			return checked, filed, err
		}
	}
	return checked, filed, w.settle(ctx)
}

// Verdict says what the watcher made of an org-submitted report.
type Verdict string

const (
	// Matches: the report agrees with this chain's nodes.
	Matches Verdict = "matches"
	// Disputed: it differs and was disputed now (Handled.Dispute is the
	// transaction; zero when it was disputed already: see Filer).
	Disputed Verdict = "disputed"
	// DisputedBefore: it differs and this watcher disputed it already, before
	// a restart.
	DisputedBefore Verdict = "disputed before"
	// Undisputable: it differs, but the chain refuses the dispute
	// (Handled.Why says why); the watcher moves on.
	Undisputable Verdict = "undisputable"
	// PutAside: its height is beyond this chain's nodes (at Handled.Tip); it
	// is checked once they reach it.
	PutAside Verdict = "put aside"
)

// Handled is one org-submitted report the watcher is done with, for now
// (PutAside) or for good.
type Handled struct {
	Report  collectortypes.Report
	Verdict Verdict
	// Fields are those that differ from this chain's nodes.
	Fields  []string
	Dispute broadcast.Included
	Why     error
	Tip     int64
}

func (w *Watcher) handled(h Handled) {
	if w.OnReport != nil {
		w.OnReport(h)
	}
}

// MaxAhead bounds the reports put aside for a height the nodes have not
// reached: past it the watcher waits for them rather than keep more.
const MaxAhead = 100

// DefaultAheadMargin is how far ahead of the nodes a report may be before it
// is an alert: about as far as a node that is a little behind can be.
const DefaultAheadMargin = 20

func (w *Watcher) aheadMargin() int64 {
	if w.AheadMargin > 0 {
		return w.AheadMargin
	}
	return DefaultAheadMargin
}

// recheckAhead checks the reports put aside whose height the nodes reached.
func (w *Watcher) recheckAhead(ctx context.Context, tip int64) (checked, filed int, err error) {
	for len(w.state.Ahead) > 0 {
		i := slices.IndexFunc(w.state.Ahead, func(r collectortypes.Report) bool { return r.Snapshot.Height <= tip })
		if i < 0 {
			return checked, filed, nil
		}
		r := w.state.Ahead[i]
		n, err := w.check(ctx, r)
		if err != nil {
			return checked, filed, err
		}
		checked, filed = checked+1, filed+n
		w.state.Ahead = slices.Delete(w.state.Ahead, i, i+1)
		if err := w.SetAlert(aheadAlert(r.Sequence), false, fmt.Sprintf("this chain reached height %d; report %d checked", r.Snapshot.Height, r.Sequence)); err != nil {
			return checked, filed, err
		}
		if err := w.save(); err != nil {
			return checked, filed, err
		}
	}
	return checked, filed, nil
}

// check compares one org-submitted report with the nodes and disputes it
// (once) when it differs; it returns the disputes filed.
func (w *Watcher) check(ctx context.Context, r collectortypes.Report) (int, error) {
	// A chain without the sidecar keeps no record of its orgs (its reporters
	// name them with --orgs): nothing on it can contradict the report's, so
	// they are taken as reported there rather than disputed as missing.
	observed, err := w.View.Observe(ctx, r.Snapshot.Height, r.Snapshot.Orgs)
	if err != nil {
		return 0, err
	}
	fields := shared.DisputedFields(r.Snapshot, observed)
	if len(fields) == 0 {
		w.handled(Handled{Report: r, Verdict: Matches})
		return 0, nil
	}
	if _, done := slices.BinarySearch(w.state.Filed, r.Sequence); done {
		w.handled(Handled{Report: r, Verdict: DisputedBefore, Fields: fields})
		return 0, nil
	}
	tx, err := w.File(ctx, r, observed, fields)
	if errors.Is(err, ErrRefused) {
		// Retrying cannot change the answer.
		w.handled(Handled{Report: r, Verdict: Undisputable, Fields: fields, Why: err})
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	i, _ := slices.BinarySearch(w.state.Filed, r.Sequence)
	w.state.Filed = slices.Insert(w.state.Filed, i, r.Sequence)
	detail := fmt.Sprintf("report %d (height %d, org %s) differs in %v", r.Sequence, r.Snapshot.Height, r.Source.OrgId, fields)
	if err := w.SetAlert(disputeAlert(r.Sequence), true, detail); err != nil {
		return 0, err
	}
	w.handled(Handled{Report: r, Verdict: Disputed, Fields: fields, Dispute: tx})
	return 1, nil
}

// maxSettleChecks bounds the dispute alerts one step checks.
const maxSettleChecks = 50

// settle clears the alert of every disputed report whose dispute has ended
// on the main chain. A dispute filed on the subchain reaches the main chain
// as evidence and is settled there as soon as it arrives.
func (w *Watcher) settle(ctx context.Context) error {
	var open []uint64
	for _, a := range w.state.Alerts {
		if seq, ok := strings.CutPrefix(a.Key, alertDisputePrefix); ok && len(open) < maxSettleChecks {
			n, err := strconv.ParseUint(seq, 10, 64)
			if err != nil {
				return fmt.Errorf("alert %s: %w", a.Key, err)
			}
			open = append(open, n)
		}
	}
	for _, seq := range open {
		st, done, err := w.Main.Settled(ctx, seq)
		if err != nil {
			return err
		}
		if done {
			if err := w.SetAlert(disputeAlert(seq), false, st.String()); err != nil {
				return err
			}
		}
	}
	return nil
}

func disputeAlert(seq uint64) string { return alertDisputePrefix + strconv.FormatUint(seq, 10) }

func aheadAlert(seq uint64) string { return alertAheadPrefix + strconv.FormatUint(seq, 10) }

// SetAlert raises (on) or clears an alert, saves it and tells OnAlert when
// that changed anything.
func (w *Watcher) SetAlert(key string, on bool, detail string) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	changed, err := w.setAlert(key, on, detail, now())
	if changed && w.OnAlert != nil {
		w.OnAlert(Alert{Key: key, Detail: detail}, on)
	}
	return err
}
