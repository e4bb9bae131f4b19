package main

import (
	"strings"
	"testing"
)

// Figure 8's node figure is read from these series only: the sync ABCI
// calls' sums of finalize_block and commit, and commit's count as the
// number of blocks; the buckets, other methods and the async CheckTx are
// not.
func TestParseABCITiming(t *testing.T) {
	const page = `# HELP cometbft_abci_connection_method_timing_seconds Timing for each ABCI method.
# TYPE cometbft_abci_connection_method_timing_seconds histogram
cometbft_abci_connection_method_timing_seconds_bucket{chain_id="benchmain-1",method="commit",type="sync",le="0.0001"} 0
cometbft_abci_connection_method_timing_seconds_sum{chain_id="benchmain-1",method="check_tx",type="async"} 9
cometbft_abci_connection_method_timing_seconds_count{chain_id="benchmain-1",method="check_tx",type="sync"} 77
cometbft_abci_connection_method_timing_seconds_sum{chain_id="benchmain-1",method="commit",type="sync"} 0.25
cometbft_abci_connection_method_timing_seconds_count{chain_id="benchmain-1",method="commit",type="sync"} 40
cometbft_abci_connection_method_timing_seconds_sum{chain_id="benchmain-1",method="finalize_block",type="sync"} 1.5
cometbft_abci_connection_method_timing_seconds_count{chain_id="benchmain-1",method="finalize_block",type="sync"} 41
cometbft_state_block_processing_time_sum{chain_id="benchmain-1"} 1400
`
	got, err := parseABCITiming(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if want := (abciTiming{finalize: 1.5, commit: 0.25, blocks: 40}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if d := got.since(abciTiming{finalize: 0.5, commit: 0.125, blocks: 30}); d != (abciTiming{finalize: 1, commit: 0.125, blocks: 10}) {
		t.Fatalf("since: got %+v", d)
	}
	if _, err := parseABCITiming(strings.NewReader("# metrics off\n")); err == nil {
		t.Fatal("a page without the ABCI timing parsed")
	}
}
