package orgreporter

import (
	"context"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	gogogrpc "github.com/cosmos/gogoproto/grpc"

	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	"github.com/statuscollect/statuscollect/daemon/metricnames"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Metrics are the reporter daemon's Prometheus metrics, in a registry of
// their own.
type Metrics struct {
	reg         *prometheus.Registry
	collectors  []prometheus.Collector
	submissions *prometheus.CounterVec
	byHash      prometheus.Counter
	balanceG    *prometheus.GaugeVec
	// lastHeight and lastTime are the last report the main chain recorded
	// (from this reporter, or another source first at that height).
	lastHeight, lastTime prometheus.Gauge
}

// NewMetrics registers the reporter's metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "statuscollect_reporter_submissions_total",
			Help: "Status submissions by outcome (recorded; refused, with the refusal's name as error; failed: no answer from the main chain)."},
			[]string{"outcome", "error"}),
		byHash: prometheus.NewCounter(prometheus.CounterOpts{Name: "statuscollect_reporter_lists_by_hash_total",
			Help: "Recorded submissions that named their orgs and validators by hash (those of the main chain's latest report)."}),
		balanceG: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "statuscollect_reporter_balance",
			Help: "The monitoring account's balance, by denom."}, []string{"denom"}),
		lastHeight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_reporter_last_report_height",
			Help: "Subchain height of the last report the main chain recorded (0 before the first)."}),
		lastTime: prometheus.NewGauge(prometheus.GaugeOpts{Name: "statuscollect_reporter_last_report_block_time_seconds",
			Help: "Subchain block time of the last report the main chain recorded, in unix seconds (0 before the first)."}),
	}
	m.collectors = []prometheus.Collector{m.submissions, m.byHash, m.balanceG, m.lastHeight, m.lastTime}
	m.reg.MustRegister(m.collectors...)
	return m
}

// Names are the names of the metrics the reporter exports.
func (m *Metrics) Names() []string { return metricnames.Of(m.collectors...) }

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// recorded sets the last recorded report's gauges.
func (m *Metrics) recorded(last *shared.StatusSnapshot) {
	if last == nil {
		return
	}
	m.lastHeight.Set(float64(last.Height))
	m.lastTime.Set(float64(last.BlockTime.Unix()))
}

// balance exports the account's balances, as the main chain answers them
// (nothing when it does not).
func (m *Metrics) balance(ctx context.Context, main gogogrpc.ClientConn, addr string) {
	res, err := banktypes.NewQueryClient(main).AllBalances(ctx, &banktypes.QueryAllBalancesRequest{Address: addr})
	if err != nil {
		return
	}
	for _, c := range res.Balances {
		f, _ := c.Amount.BigInt().Float64()
		m.balanceG.WithLabelValues(c.Denom).Set(f)
	}
}

// outcomeOf labels a submission's result for the metrics: recorded; refused
// with the refusal's name; failed when the chain gave no answer.
func outcomeOf(err error) (outcome, reason string) {
	var refused *broadcast.Refused
	switch {
	case err == nil:
		return "recorded", ""
	case errors.As(err, &refused):
		return "refused", refused.Reason
	default:
		return "failed", ""
	}
}
