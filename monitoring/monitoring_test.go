package monitoring_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/orgreporter"
	"github.com/statuscollect/statuscollect/daemon/watcher"
)

func promtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool is not installed: run make deps (Debian's prometheus package)")
		}
		t.Skip("promtool is not installed (make deps installs Debian's prometheus package)")
	}
	return path
}

// TestAlertRules: the rules and the scrape configuration are valid, and
// the rules' unit tests (prometheus/alerts_test.yml) pass: each alert fires
// on its condition, after its delay, and clears.
func TestAlertRules(t *testing.T) {
	bin := promtool(t)
	for _, args := range [][]string{
		{"check", "rules", "alerts.yml"},
		{"check", "config", "prometheus.yml"},
		{"test", "rules", "alerts_test.yml"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = "prometheus"
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool %v:\n%s", args, out)
	}
}

// Metrics that come from elsewhere: Prometheus itself and CometBFT.
var external = []string{"up", "cometbft_consensus_height"}

var metricName = regexp.MustCompile(`\b(statuscollect_[a-z_]+|cometbft_[a-z_]+|up)\b`)

// exported are the names the daemons register.
func exported() []string {
	return append(watcher.NewMetrics().Names(), orgreporter.NewMetrics().Names()...)
}

// TestNamesExist: every metric the rules and the dashboard use is one the
// daemons export (or Prometheus' or CometBFT's own): a renamed metric fails
// here, not silently on a screen.
func TestNamesExist(t *testing.T) {
	known := append(exported(), external...)
	rules, err := os.ReadFile("prometheus/alerts.yml")
	require.NoError(t, err)
	used := metricName.FindAllString(string(rules), -1)
	require.NotEmpty(t, used)

	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	bz, err := os.ReadFile("grafana/statuscollect.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(bz, &dash))
	require.NotEmpty(t, dash.Panels)
	for _, p := range dash.Panels {
		require.NotEmpty(t, p.Targets, "panel %q has no query", p.Title)
		for _, tg := range p.Targets {
			names := metricName.FindAllString(tg.Expr, -1)
			require.NotEmpty(t, names, "panel %q: %s uses no metric", p.Title, tg.Expr)
			used = append(used, names...)
		}
	}
	for _, name := range used {
		require.True(t, slices.Contains(known, name), "%s is used but no daemon exports it (they export %v)", name, exported())
	}
	// And the other way: every metric the daemons export is on the dashboard.
	for _, name := range exported() {
		require.Contains(t, used, name, "%s is exported but neither on the dashboard nor in a rule", name)
	}
}
