// Package orgreporter is an organization's status reporter (S11): it watches
// its own subchain node and, when something changed, submits the subchain's
// status to the main chain through the org's monitoring account. What it last
// submitted is kept in a state file, so a restart of the daemon or of either
// node loses no change and repeats none.
package orgreporter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// View is what the reporter reads of its subchain (chainview.Observer).
type View interface {
	LatestHeight(ctx context.Context) (int64, error)
	ReportInterval(ctx context.Context) (int64, error)
	Observe(ctx context.Context, height int64, orgs []string) (shared.StatusSnapshot, error)
	Contracts(ctx context.Context, height int64) ([]string, error)
	Contract(ctx context.Context, height int64, address string) (shared.Contract, error)
}

// Submitter sends a snapshot to the main chain and returns once the main
// chain has recorded it (or failed to).
type Submitter func(ctx context.Context, snap shared.StatusSnapshot) error

// State is what survives a restart.
type State struct {
	// Last is the last snapshot the main chain recorded from this reporter.
	Last *shared.StatusSnapshot `json:"last,omitempty"`
	// Known are the contract addresses the main chain has heard of from it.
	Known []string `json:"known,omitempty"`
}

// Reporter is one org's reporter for one subchain.
type Reporter struct {
	View   View
	Submit Submitter
	// Orgs are the subchain's member orgs, for a chain without a sidecar.
	Orgs []string
	// StatePath is the state file.
	StatePath string
	state     State
}

// Load reads the state file; a missing file is a first start.
func (r *Reporter) Load() error {
	bz, err := os.ReadFile(r.StatePath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(bz, &r.state)
}

func (r *Reporter) save() error {
	bz, err := json.MarshalIndent(r.state, "", "  ")
	if err != nil {
		return err
	}
	tmp := r.StatePath + ".tmp"
	if err := os.MkdirAll(filepath.Dir(r.StatePath), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(tmp, bz, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, r.StatePath) // atomic: a crash leaves the old state or the new one
}

// Outcome says what one step did.
type Outcome string

const (
	Submitted Outcome = "submitted"
	Unchanged Outcome = "unchanged"
	NoNewData Outcome = "no new height"
)

// Step observes the subchain once and submits when something changed. On a
// chain with the statusreporter sidecar it reads the latest height the
// sidecar took a snapshot at, so its reports can be checked against the
// subchain's own record. A failed submission leaves the state as it was: the
// next step carries the same changes.
func (r *Reporter) Step(ctx context.Context) (Outcome, error) {
	h, err := r.View.LatestHeight(ctx)
	if err != nil {
		return "", err
	}
	interval, err := r.View.ReportInterval(ctx)
	if err != nil {
		return "", err
	}
	if interval > 0 {
		h -= h % interval
	}
	if r.state.Last != nil && h <= r.state.Last.Height {
		return NoNewData, nil
	}
	snap, err := r.View.Observe(ctx, h, r.Orgs)
	if err != nil {
		return "", err
	}
	contracts, err := r.View.Contracts(ctx, h)
	if err != nil {
		return "", err
	}
	for _, addr := range contracts {
		if len(snap.NewContracts) == shared.MaxNewContracts {
			break // the count still moves; the rest are listed next time
		}
		if _, known := slices.BinarySearch(r.state.Known, addr); known {
			continue
		}
		c, err := r.View.Contract(ctx, h, addr)
		if err != nil {
			return "", err
		}
		snap.NewContracts = append(snap.NewContracts, c)
	}
	if r.state.Last != nil && len(snap.NewContracts) == 0 && len(shared.DisputedFields(*r.state.Last, snap)) == 0 {
		return Unchanged, nil
	}
	if err := snap.Validate(); err != nil {
		return "", fmt.Errorf("observed snapshot: %w", err)
	}
	if err := r.Submit(ctx, snap); err != nil {
		return "", err
	}
	for _, c := range snap.NewContracts {
		i, _ := slices.BinarySearch(r.state.Known, c.Address)
		r.state.Known = slices.Insert(r.state.Known, i, c.Address)
	}
	r.state.Last = &snap
	return Submitted, r.save()
}
