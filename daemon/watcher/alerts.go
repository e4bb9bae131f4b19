package watcher

import (
	"slices"
	"strings"
	"time"
)

// Alert is a condition the watcher raised and has not seen end yet. Alerts
// are kept in the state file: after a restart each is checked again, so one
// whose cause ended meanwhile is cleared, not left standing.
type Alert struct {
	Key    string    `json:"key"`
	Since  time.Time `json:"since"`
	Detail string    `json:"detail"`
}

// Alert keys: one per subchain condition other than producing, one for the
// main chain's endpoints, one per disputed report until its dispute is
// settled on the main chain, and one per report of a height well ahead of
// the nodes until they reach it.
const (
	AlertMainUnreachable = "main-unreachable"
	alertDisputePrefix   = "dispute/"
	alertAheadPrefix     = "ahead/"
)

// AlertCondition is the key of the alert a subchain condition raises.
func AlertCondition(c Condition) string { return "subchain-" + string(c) }

// Alerts returns the open alerts, sorted by key.
func (w *Watcher) Alerts() []Alert { return slices.Clone(w.state.Alerts) }

// setAlert raises (on) or clears (off) the alert key and saves the state
// when that changed it. It says whether it changed.
func (w *Watcher) setAlert(key string, on bool, detail string, now time.Time) (bool, error) {
	i, found := slices.BinarySearchFunc(w.state.Alerts, key, func(a Alert, k string) int { return strings.Compare(a.Key, k) })
	switch {
	case on && !found:
		w.state.Alerts = slices.Insert(w.state.Alerts, i, Alert{Key: key, Since: now.UTC(), Detail: detail})
	case !on && found:
		w.state.Alerts = slices.Delete(w.state.Alerts, i, i+1)
	default:
		return false, nil
	}
	return true, w.save()
}

// CountAlerts counts the open alerts by kind: the key up to its first "/".
func CountAlerts(alerts []Alert) map[string]int {
	out := map[string]int{}
	for _, a := range alerts {
		kind, _, _ := strings.Cut(a.Key, "/")
		out[kind]++
	}
	return out
}
