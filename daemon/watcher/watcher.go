// Package watcher checks a subchain's reports on the main chain against the
// organization's own node (S5, S10): every report an org's monitoring account
// submitted is compared, at its height, with what the node says, and a
// difference is disputed without a human. Its progress and the disputes it
// filed are kept in a state file, so a restart neither misses nor repeats one.
package watcher

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Main reads the main chain's record of one subchain.
type Main interface {
	// ReportsAfter returns the subchain's reports with a sequence above after,
	// in ascending order.
	ReportsAfter(ctx context.Context, after uint64) ([]collectortypes.Report, error)
}

// View is what the watcher reads of its own subchain node.
type View interface {
	Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error)
}

// Filer disputes a report whose fields differ from the node's view.
type Filer func(ctx context.Context, report collectortypes.Report, observed shared.StatusSnapshot, fields []string) error

// State is what survives a restart.
type State struct {
	// Cursor is the sequence of the last report checked.
	Cursor uint64 `json:"cursor"`
	// Filed are the report sequences disputed.
	Filed []uint64 `json:"filed,omitempty"`
}

// Watcher watches one subchain.
type Watcher struct {
	Main      Main
	View      View
	File      Filer
	StatePath string
	// OnCheck, when set, hears of every report checked and what differed.
	OnCheck func(report collectortypes.Report, fields []string)
	state   State
}

// Load reads the state file; a missing file is a first start.
func (w *Watcher) Load() error {
	bz, err := os.ReadFile(w.StatePath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(bz, &w.state)
}

// State returns the current state.
func (w *Watcher) State() State { return w.state }

func (w *Watcher) save() error {
	bz, err := json.MarshalIndent(w.state, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(w.StatePath), 0o755); err != nil {
		return err
	}
	tmp := w.StatePath + ".tmp"
	if err := os.WriteFile(tmp, bz, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, w.StatePath)
}

// Step checks every report recorded since the last step. Reports that came
// over IBC carry the subchain's own consensus and are skipped. The cursor
// moves past a report only once it is checked (and disputed if it differs),
// so a failure is retried at the next step.
func (w *Watcher) Step(ctx context.Context) (checked, filed int, err error) {
	reports, err := w.Main.ReportsAfter(ctx, w.state.Cursor)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range reports {
		if r.Source.OrgId != "" {
			observed, err := w.View.Observe(ctx, r.Snapshot.Height, nil)
			if err != nil {
				return checked, filed, err
			}
			fields := shared.DisputedFields(r.Snapshot, observed)
			if w.OnCheck != nil {
				w.OnCheck(r, fields)
			}
			if _, done := slices.BinarySearch(w.state.Filed, r.Sequence); len(fields) > 0 && !done {
				if err := w.File(ctx, r, observed, fields); err != nil {
					return checked, filed, err
				}
				i, _ := slices.BinarySearch(w.state.Filed, r.Sequence)
				w.state.Filed = slices.Insert(w.state.Filed, i, r.Sequence)
				filed++
			}
			checked++
		}
		w.state.Cursor = r.Sequence
		if err := w.save(); err != nil {
			return checked, filed, err
		}
	}
	return checked, filed, nil
}
