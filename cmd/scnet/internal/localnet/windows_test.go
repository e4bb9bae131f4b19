package localnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// An org reporter's history over a chain whose block i holds i%3
// transactions: blocks 1..h hold txs(h).
func TestCheckTxWindows(t *testing.T) {
	txs := func(h int64) int64 {
		var n int64
		for i := int64(1); i <= h; i++ {
			n += i % 3
		}
		return n
	}
	report := func(seq, h, prevH int64, org string) string {
		return fmt.Sprintf(`{"sequence": "%d", "source": {"org_id": %q}, "snapshot": {"height": "%d", "total_txs": "%d", "window_txs": "%d", "window_blocks": "%d"}}`,
			seq, org, h, txs(h), txs(h)-txs(prevH), h-prevH)
	}
	good := []string{report(1, 5, 0, "org-a"), report(2, 9, 5, "org-a"), report(3, 30, 9, "org-a")}
	for _, c := range []struct {
		name    string
		reports []string
		want    string // the error's start, or "" for none
	}{
		{"every window follows the one before", good, ""},
		{"none", nil, ""},
		{"another org's report", []string{good[0], report(2, 9, 5, "org-b")}, `report 2 came from org "org-b"`},
		{"a window counted twice", []string{good[0], report(2, 9, 3, "org-a")}, "report 2 at 9: window of 6 txs in 6 blocks; since report at 5: 3 txs in 4 blocks"},
		{"the same height twice", []string{good[0], report(2, 5, 5, "org-a")}, "report 2 at height 5 after one at 5"},
		{"a total the blocks do not hold", []string{strings.Replace(good[0], `"total_txs": "6"`, `"total_txs": "7"`, 1)}, "report 1 at 5: total_txs 7, the blocks hold 6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rs []WindowReport
			if err := json.Unmarshal([]byte("["+strings.Join(c.reports, ",")+"]"), &rs); err != nil {
				t.Fatal(err)
			}
			n, h, total, err := CheckTxWindows(rs, "org-a", func(h int64) (int64, error) { return txs(h), nil })
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("got %v", err)
			case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
				t.Fatalf("got error %v, want one starting %q", err, c.want)
			case c.want == "" && len(rs) > 0 && (n != len(rs) || h != int64(rs[len(rs)-1].Snapshot.Height) || total != txs(h)):
				t.Fatalf("got %d reports, last at %d with %d txs", n, h, total)
			}
		})
	}
}

// The counter reads /blockchain 20 blocks at a time, each range once.
func TestBlockTxCounter(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		lo, _ := strconv.Atoi(r.URL.Query().Get("minHeight"))
		hi, _ := strconv.Atoi(r.URL.Query().Get("maxHeight"))
		var metas []string
		for h := hi; h >= lo; h-- { // newest first, as CometBFT answers
			metas = append(metas, fmt.Sprintf(`{"num_txs": "%d"}`, h%3))
		}
		fmt.Fprintf(w, `{"jsonrpc": "2.0", "id": -1, "result": {"last_height": "100", "block_metas": [%s]}}`, strings.Join(metas, ","))
	}))
	defer srv.Close()
	c := &BlockTxCounter{Base: srv.URL, Timeout: 5 * time.Second}
	for _, h := range []int64{45, 45, 20} {
		got, err := c.TxsTo(context.Background(), h)
		var want int64
		for i := int64(1); i <= h; i++ {
			want += i % 3
		}
		if err != nil || got != want {
			t.Fatalf("blocks 1..%d: got %d, %v; want %d", h, got, err, want)
		}
	}
	if requests != 3 { // 1-20, 21-40, 41-45
		t.Fatalf("%d requests, want 3", requests)
	}
}
