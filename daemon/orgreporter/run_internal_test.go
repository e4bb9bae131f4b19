package orgreporter

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// answering is a sender the chain answers with err.
func answering(err error) func(context.Context, sdk.Msg) (broadcast.Included, error) {
	return func(context.Context, sdk.Msg) (broadcast.Included, error) {
		if err != nil {
			return broadcast.Included{}, err
		}
		return broadcast.Included{TxHash: "AB12", Height: 7}, nil
	}
}

func TestSubmissionOutcomes(t *testing.T) {
	for name, c := range map[string]struct {
		err             error
		outcome, reason string
		stops           bool
		tx              string
	}{
		"recorded":    {nil, "recorded", "", false, "AB12"},
		"implausible": {&broadcast.Refused{Reason: "implausible", Log: "implausible status"}, "refused", "implausible", false, ""},
		"revoked":     {&broadcast.Refused{Reason: "not_reporter", Log: "not a reporter"}, "refused", "not_reporter", true, ""},
		"suspended":   {&broadcast.Refused{Reason: "suspended", Code: 29, Codespace: "statuscollect"}, "refused", "suspended", true, ""},
		"outdated: the main chain has a report there already": {&broadcast.Refused{Reason: broadcast.OtherReason,
			Log: "report height not above the latest report"}, "recorded", "", false, ""},
		"an error not named": {&broadcast.Refused{Reason: broadcast.OtherReason, Codespace: "wasm", Code: 99}, "refused", "other", false, ""},
		"node down":          {errors.New("connection refused"), "failed", "", false, ""},
	} {
		d := &Daemon{Send: answering(c.err)}
		tx, err := d.submit(context.Background(), "main1x", shared.StatusSnapshot{})
		outcome, reason := outcomeOf(err)
		require.Equal(t, c.outcome, outcome, name)
		require.Equal(t, c.reason, reason, name)
		require.Equal(t, c.stops, errors.Is(err, ErrNoRights), name)
		require.Equal(t, c.tx, tx.TxHash, name)
	}
}

// The metric carries the refusal's name as a label of a bounded set.
func TestSubmissionMetricLabels(t *testing.T) {
	m := NewMetrics()
	m.submissions.WithLabelValues(outcomeOf(&broadcast.Refused{Reason: "implausible"})).Inc()
	m.submissions.WithLabelValues(outcomeOf(nil)).Inc()
	families, err := m.reg.Gather()
	require.NoError(t, err)
	got := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "statuscollect_reporter_submissions_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			key := ""
			for _, l := range s.GetLabel() {
				key += l.GetName() + "=" + l.GetValue() + " "
			}
			got[key] = s.GetCounter().GetValue()
		}
	}
	require.Equal(t, map[string]float64{"error=implausible outcome=refused ": 1, "error= outcome=recorded ": 1}, got)
}
