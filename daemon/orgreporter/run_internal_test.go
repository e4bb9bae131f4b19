package orgreporter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
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

// listsChain is a main chain as the collector answers a report: it holds
// the latest report's lists and refuses a lists hash that is not theirs.
type listsChain struct {
	latest shared.StatusSnapshot
	sent   []*collectortypes.MsgSubmitStatus
}

func (c *listsChain) send(_ context.Context, msg sdk.Msg) (broadcast.Included, error) {
	m := msg.(*collectortypes.MsgSubmitStatus)
	c.sent = append(c.sent, m)
	snap := m.Snapshot
	if m.ListsHash != nil {
		if !bytes.Equal(m.ListsHash, c.latest.ListsHash()) {
			return broadcast.Included{}, &broadcast.Refused{Reason: broadcast.OtherReason,
				Codespace: collectortypes.ErrListsChanged.Codespace(), Code: collectortypes.ErrListsChanged.ABCICode()}
		}
		snap.Orgs, snap.Validators = c.latest.Orgs, c.latest.Validators
	}
	c.latest = snap
	return broadcast.Included{TxHash: "AB12", Height: snap.Height}, nil
}

// The daemon names its lists by hash once it has sent them, and sends them
// whole again when the main chain's latest report has other lists.
func TestSubmissionNamesUnchangedListsByHash(t *testing.T) {
	chain := &listsChain{}
	var logged []string
	d := &Daemon{Send: chain.send, Metrics: NewMetrics(), Logf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }}
	snap := shared.StatusSnapshot{ChainId: "subchain-a", Height: 10, Orgs: []string{"org-a"},
		Validators: []shared.Validator{{Address: "subvalcons1a", Power: 1}}}
	submit := func(h int64) *collectortypes.MsgSubmitStatus {
		t.Helper()
		snap.Height = h
		n := len(chain.sent)
		_, err := d.submit(context.Background(), "main1x", snap)
		require.NoError(t, err)
		require.Equal(t, snap, chain.latest, "the main chain holds the whole snapshot")
		return chain.sent[n]
	}
	require.Nil(t, submit(10).ListsHash, "the first report sends its lists")
	byHash := submit(20)
	require.Equal(t, snap.ListsHash(), byHash.ListsHash)
	require.Empty(t, byHash.Snapshot.Orgs)
	require.Empty(t, byHash.Snapshot.Validators)

	// Another source's report changed the latest lists: refused by hash, sent whole.
	chain.latest.Validators = nil
	n := len(chain.sent)
	require.NotNil(t, submit(30).ListsHash)
	require.Len(t, chain.sent, n+2)
	require.Nil(t, chain.sent[n+1].ListsHash)
	require.Equal(t, snap.Validators, chain.sent[n+1].Snapshot.Validators)
	require.Contains(t, logged[len(logged)-1], "has other orgs or validators; sending them")

	snap.Orgs = []string{"org-a", "org-b"}
	require.Nil(t, submit(40).ListsHash, "new lists are sent")
	require.NotNil(t, submit(50).ListsHash)

	// A send that failed leaves the hash of the lists last included.
	d.Send = answering(errors.New("connection refused"))
	snap.Orgs = []string{"org-c"}
	_, err := d.submit(context.Background(), "main1x", snap)
	require.Error(t, err)
	d.Send = chain.send
	require.Nil(t, submit(60).ListsHash)
	families, err := d.Metrics.reg.Gather()
	require.NoError(t, err)
	recordedByHash := -1.0
	for _, f := range families {
		if f.GetName() == "statuscollect_reporter_lists_by_hash_total" {
			recordedByHash = f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	require.InDelta(t, 2, recordedByHash, 0, "reports 20 and 50 were recorded by hash (30 was sent whole after the refusal)")
}
