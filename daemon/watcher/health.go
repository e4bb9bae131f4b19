package watcher

import (
	"fmt"
	"time"

	"github.com/statuscollect/statuscollect/daemon/chainview"
)

// Condition is what the watcher makes of its subchain from its own endpoints.
type Condition string

const (
	// Producing: an endpoint answers with a recent block.
	Producing Condition = "producing"
	// Halted: endpoints answer, and agree no block was made for HaltAfter.
	Halted Condition = "halted"
	// Unreachable: no endpoint answers. The watcher's own endpoints are
	// down; the subchain itself may be fine.
	Unreachable Condition = "unreachable"
	// Lagging: endpoints answer, but the main chain has heard of a higher
	// height than any of them has: they are behind, not the chain.
	Lagging Condition = "lagging"
)

// Conditions lists every condition, for metrics.
var Conditions = []Condition{Producing, Halted, Unreachable, Lagging}

// Classify tells apart "the subchain halted" from "my endpoints are down"
// (and from "my endpoints are behind") given every endpoint's latest block,
// the latest height the main chain recorded for the subchain, the time now
// and how long without a block counts as halted. It also returns the best
// height an endpoint has, and why it decided so.
func Classify(probes []chainview.Probe, mainHeight int64, now time.Time, haltAfter time.Duration) (Condition, int64, string) {
	var best *chainview.Probe
	for i := range probes {
		if p := &probes[i]; p.Up && (best == nil || p.Height > best.Height) {
			best = p
		}
	}
	switch {
	case best == nil:
		return Unreachable, 0, fmt.Sprintf("none of the %d endpoint(s) answers", len(probes))
	case mainHeight > best.Height:
		return Lagging, best.Height, fmt.Sprintf("the main chain has height %d, the best endpoint (%s) %d", mainHeight, best.Addr, best.Height)
	case now.Sub(best.BlockTime) > haltAfter:
		return Halted, best.Height, fmt.Sprintf("no block since height %d at %s (%s ago), per %s",
			best.Height, best.BlockTime.UTC().Format(time.RFC3339), now.Sub(best.BlockTime).Round(time.Second), best.Addr)
	default:
		return Producing, best.Height, fmt.Sprintf("height %d at %s", best.Height, best.Addr)
	}
}

// recordHealth classifies the subchain from its endpoints' probes, raises or
// clears the health alerts, and exports the endpoints' health. recorded is
// the latest height the main chain knows the subchain reached.
func (w *Watcher) recordHealth(m *Metrics, subProbes, mainProbes []chainview.Probe, recorded int64, now time.Time, haltAfter time.Duration) error {
	mainUp := false
	for _, p := range mainProbes {
		m.endpointUp.WithLabelValues("main", p.Addr).Set(boolGauge(p.Up))
		mainUp = mainUp || p.Up
	}
	for _, p := range subProbes {
		m.endpointUp.WithLabelValues("sub", p.Addr).Set(boolGauge(p.Up))
	}
	cond, height, why := Classify(subProbes, recorded, now, haltAfter)
	m.ownHeight.Set(float64(height))
	for _, c := range Conditions {
		m.condition.WithLabelValues(string(c)).Set(boolGauge(c == cond))
		if c != Producing {
			if err := w.SetAlert(AlertCondition(c), c == cond, why); err != nil {
				return err
			}
		}
	}
	detail := fmt.Sprintf("none of the main chain's %d endpoint(s) answers", len(mainProbes))
	if mainUp {
		detail = "a main chain endpoint answers"
	}
	if err := w.SetAlert(AlertMainUnreachable, !mainUp, detail); err != nil {
		return err
	}
	m.alerts.Reset()
	for kind, n := range CountAlerts(w.Alerts()) {
		m.alerts.WithLabelValues(kind).Set(float64(n))
	}
	return nil
}
