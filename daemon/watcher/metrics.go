package watcher

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/statuscollect/statuscollect/daemon/metricnames"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// Metrics are the watcher daemon's Prometheus metrics, in a registry of
// their own.
type Metrics struct {
	reg                                                       *prometheus.Registry
	seen, checked, mismatches, filed, refused, websocketDrops prometheus.Counter
	cursor                                                    prometheus.Gauge
	// subchain is the main chain's view of the watched subchain, by figure.
	subchain *prometheus.GaugeVec
	// endpointUp is each endpoint's health, by chain (main, sub) and address.
	endpointUp *prometheus.GaugeVec
	// condition is the subchain's condition, one-hot.
	condition *prometheus.GaugeVec
	// ownHeight is the best height this watcher's subchain endpoints have.
	ownHeight prometheus.Gauge
	// alerts counts the open alerts by kind.
	alerts *prometheus.GaugeVec

	collectors []prometheus.Collector
}

// NewMetrics registers the watcher's metrics.
func NewMetrics() *Metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "statuscollect_watcher_" + name, Help: help})
	}
	m := &Metrics{
		reg:            prometheus.NewRegistry(),
		seen:           counter("reports_seen_total", "Reports of the subchain read from the main chain, over IBC or by an org."),
		checked:        counter("reports_checked_total", "Org-submitted reports compared with this node."),
		mismatches:     counter("mismatches_total", "Reports that differ from this node."),
		filed:          counter("disputes_filed_total", "Disputes filed."),
		refused:        counter("disputes_refused_total", "Disputes the subchain will not take: its own snapshot agrees with the report, or it has none of that height."),
		websocketDrops: counter("websocket_drops_total", "Main-chain websocket connections lost."),
		cursor: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_cursor",
			Help: "Sequence of the last report checked."}),
		subchain: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_subchain",
			Help: "The main chain's record of the watched subchain: height, tps_milli, orgs, nodes, contracts, stale, seconds_until_due, open_disputes, and, once a client is bound, link_active and link_trust_seconds_left."},
			[]string{"chain_id", "figure"}),
		endpointUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_endpoint_up",
			Help: "1 when the gRPC endpoint answered the last probe, by chain (main, sub) and endpoint."}, []string{"chain", "endpoint"}),
		condition: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_subchain_condition",
			Help: "1 for the subchain's condition as its endpoints show it: producing, halted, unreachable (the endpoints are down) or lagging."},
			[]string{"condition"}),
		ownHeight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_watcher_endpoint_height",
			Help: "The highest block any of the subchain's endpoints has."}),
		alerts: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_watcher_open_alerts",
			Help: "Open alerts by kind: subchain-halted, subchain-unreachable, subchain-lagging, main-unreachable, dispute (filed, not yet settled), ahead (a report beyond the endpoints)."},
			[]string{"kind"}),
	}
	m.collectors = []prometheus.Collector{m.seen, m.checked, m.mismatches, m.filed, m.refused, m.websocketDrops, m.cursor, m.subchain,
		m.endpointUp, m.condition, m.ownHeight, m.alerts}
	m.reg.MustRegister(m.collectors...)
	return m
}

// Names are the names of the metrics the watcher exports.
func (m *Metrics) Names() []string { return metricnames.Of(m.collectors...) }

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// report counts a report handled.
func (m *Metrics) report(h Handled) {
	if h.Verdict == PutAside {
		return // checked later, and counted then
	}
	m.checked.Inc()
	if len(h.Fields) > 0 {
		m.mismatches.Inc()
	}
	switch {
	case h.Verdict == Disputed && h.Dispute.TxHash != "":
		m.filed.Inc()
	case h.Verdict == Undisputable:
		m.refused.Inc()
	}
}

// observeSubchain exports what the main chain holds of the subchain: its
// latest reported figures, whether it is stale, and its open disputes. It
// returns the latest height the main chain knows the subchain reached: by
// its own reports over IBC when it sends any, else by any report (0 if the
// main chain did not answer).
func (m *Metrics) observeSubchain(ctx context.Context, q collectortypes.QueryClient, chainID string) int64 {
	h, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chainID})
	if err != nil {
		return 0
	}
	sub := h.Health.Subchain
	stale := 0.0
	if sub.Liveness == collectortypes.LIVENESS_STALE {
		stale = 1
	}
	for _, f := range []struct {
		figure string
		v      float64
	}{
		{"height", float64(sub.LastHeight)}, {"tps_milli", float64(h.Health.TpsMilli)}, {"orgs", float64(h.Health.OrgCount)},
		{"nodes", float64(h.Health.NodeCount)}, {"contracts", float64(h.Health.ContractCount)}, {"stale", stale},
		{"seconds_until_due", float64(h.Health.SecondsUntilDue)},
	} {
		m.subchain.WithLabelValues(chainID, f.figure).Set(f.v)
	}
	if link := h.Health.Link; link.ClientId != "" && link.ClientStatus != "" {
		active := 0.0
		if link.ClientStatus == "Active" {
			active = 1
		}
		m.subchain.WithLabelValues(chainID, "link_active").Set(active)
		m.subchain.WithLabelValues(chainID, "link_trust_seconds_left").Set(float64(link.TrustExpiresInSeconds))
	}
	if open, _, err := CountOpenDisputes(ctx, q, chainID); err == nil {
		m.subchain.WithLabelValues(chainID, "open_disputes").Set(float64(open))
	}
	if sub.LastIbcHeight > 0 {
		// The subchain's own word: an org's report of a far-future height
		// must not make this watcher think its nodes are behind.
		return sub.LastIbcHeight
	}
	return sub.LastHeight
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
