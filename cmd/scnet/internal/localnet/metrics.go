package localnet

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sample is one line of Prometheus' text format: Key is everything before
// the last space (name{labels} as the exporter prints them), Value the rest.
type Sample struct {
	Key   string
	Value float64
}

// Name is the metric's name (Key without its labels).
func (s Sample) Name() string { n, _, _ := strings.Cut(s.Key, "{"); return n }

// ParseMetrics reads Prometheus' text format as the Python helpers did: each
// non-empty line not starting with '#' is "KEY VALUE", split at its last space.
func ParseMetrics(body string) ([]Sample, error) {
	var out []Sample
	for i, l := range strings.Split(body, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := cutLast(l, " ")
		if !ok {
			return nil, fmt.Errorf("metrics line %d %q: no value", i+1, l)
		}
		f, err := parsePyFloat(v)
		if err != nil {
			return nil, fmt.Errorf("metrics line %d %q: %v", i+1, l, err)
		}
		out = append(out, Sample{Key: k, Value: f})
	}
	return out, nil
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// parsePyFloat is Python's float(): surrounding blanks allowed; inf, nan,
// Infinity in any case.
func parsePyFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

// Want is one condition of wait_metrics: sample Key has Value.
type Want struct {
	Key   string
	Raw   string
	Value float64
	// AtLeast: the sample holds when it is at least Value (not only equal).
	AtLeast bool
	// Present: an absent sample does not hold, even for a Value of 0.
	Present bool
}

// ParseWant reads 'name{labels} value' (split at the last space).
func ParseWant(s string) (Want, error) {
	k, v, ok := cutLast(s, " ")
	if !ok {
		return Want{}, fmt.Errorf("want %q: write it as 'name{labels} value'", s)
	}
	f, err := parsePyFloat(v)
	if err != nil {
		return Want{}, fmt.Errorf("want %q: %v", s, err)
	}
	return Want{Key: k, Raw: v, Value: f}, nil
}

// Unmet returns the wants that do not hold on samples ("key value" each).
// An absent sample counts as 0: a vector shows no label set it never had, so
// 'x{a="b"} 0' holds while x{a="b"} is not exported. When a key is exported
// twice, the last line counts (as the Python dict did).
func Unmet(samples []Sample, wants []Want) []string {
	vals := map[string]float64{}
	seen := map[string]bool{}
	for _, s := range samples {
		vals[s.Key] = s.Value
		seen[s.Key] = true
	}
	var missing []string
	for _, w := range wants {
		switch {
		case w.Present && !seen[w.Key]:
			missing = append(missing, w.Key+" (not exported)")
		case w.AtLeast && !(vals[w.Key] >= w.Value): // NaN never holds
			missing = append(missing, w.Key+" >= "+w.Raw)
		case !w.AtLeast && vals[w.Key] != w.Value:
			missing = append(missing, w.Key+" "+w.Raw)
		}
	}
	return missing
}

func metricsURL(addr string) string { return "http://" + addr + "/metrics" }

// FetchMetrics GETs ADDR/metrics and parses it.
func FetchMetrics(ctx context.Context, addr string, timeout time.Duration) ([]Sample, string, error) {
	body, err := HTTPGet(ctx, metricsURL(addr), timeout)
	if err != nil {
		return nil, "", err
	}
	s, err := ParseMetrics(string(body))
	if err != nil {
		return nil, string(body), fmt.Errorf("%s: %w", metricsURL(addr), err)
	}
	return s, string(body), nil
}

// WaitMetrics is wait_metrics: poll ADDR/metrics every interval until every
// want holds; after wait, an error naming what still does not hold and the
// daemons' (statuscollect_watcher_, statuscollect_reporter_) samples. An
// endpoint that does not answer yet counts as exporting nothing.
func WaitMetrics(ctx context.Context, addr string, wait, interval, fetchTimeout time.Duration, wants []Want) error {
	start := time.Now()
	for {
		samples, body, err := FetchMetrics(ctx, addr, fetchTimeout)
		if err != nil && body != "" {
			return err // it answered, with a line that is not a sample
		}
		if err != nil {
			samples = nil // not listening yet
		}
		missing := Unmet(samples, wants)
		if len(missing) == 0 {
			return nil
		}
		if time.Since(start) >= wait {
			var ours []string
			for _, l := range strings.Split(body, "\n") {
				if strings.HasPrefix(l, "statuscollect_watcher_") || strings.HasPrefix(l, "statuscollect_reporter_") {
					ours = append(ours, l)
				}
			}
			return fmt.Errorf("after %ds, still not: %s\nmetrics:\n%s", int(wait/time.Second), strings.Join(missing, "; "), strings.Join(ours, "\n"))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// MetricValue is metric: the value of the first sample whose key is key, as
// the exporter wrote it; ok false if there is none.
func MetricValue(body, key string) (string, bool) {
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := cutLast(l, " ")
		if ok && k == key {
			return v, true
		}
	}
	return "", false
}

// MetricSum is metric_sum: the sum, truncated to an integer, of every sample
// of metric name whose key (name and labels) contains contains.
func MetricSum(samples []Sample, name, contains string) int64 {
	total := 0.0
	for _, s := range samples {
		if s.Name() == name && strings.Contains(s.Key, contains) {
			total += s.Value
		}
	}
	return int64(total)
}
