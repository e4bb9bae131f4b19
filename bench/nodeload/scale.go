package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cosmos/cosmos-sdk/client/tx"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// scaleCmd is figure 8's point on a real node: -subchains subchains (1,000),
// each reported once every -every (10 s) by tx, so 100 reports a second from
// the n monitoring accounts, each sending one report a tick in turn for its
// subchains i, i+n, ... (genesis -subchains). The figure is the node's own
// timing of block execution (CometBFT's ABCI timing of FinalizeBlock and
// Commit, scraped from its Prometheus endpoint) per block while the load runs,
// against the same node's idle blocks just before it. The report load is
// paced, not back to back as in run: the point is a given rate, not the
// most the node takes.
func scaleCmd(args []string) error {
	fs := flag.NewFlagSet("scale", flag.ExitOnError)
	rpcAddr := fs.String("rpc", "tcp://127.0.0.1:26657", "the node's CometBFT RPC")
	metricsURL := fs.String("metrics", "http://127.0.0.1:26660/metrics", "the node's Prometheus endpoint (instrumentation.prometheus)")
	chainID := fs.String("chain-id", "", "the main chain's id")
	n := fs.Int("accounts", 100, "load accounts (as in nodeload genesis)")
	subs := fs.Int("subchains", 1000, "load subchains reported on (as in nodeload genesis -subchains)")
	every := fs.Duration("every", 10*time.Second, "each subchain's report interval")
	idle := fs.Int64("idle-blocks", 10, "idle blocks measured before the load")
	warmup := fs.Duration("warmup", 10*time.Second, "load before the window opens (one interval: every subchain has reported once, later reports are steady-state ones)")
	windowLen := fs.Duration("window", 50*time.Second, "the measured window")
	adjust := fs.Float64("gas-adjustment", 1.3, "gas limit = simulated gas times this")
	out := fs.String("out", "", "write the window's blocks here (TSV)")
	drain := fs.Duration("drain-timeout", 60*time.Second, "how long to wait for the mempool to empty after the window")
	_ = fs.Parse(args)
	if *chainID == "" || *n <= 0 || *subs < *n || *every <= 0 {
		return errors.New("-chain-id is required, -subchains at least -accounts, -every positive")
	}
	ctx := context.Background()
	nd, err := dial(*rpcAddr, *chainID, *n)
	if err != nil {
		return err
	}

	// Account i's subchains, and the height and time each report must pass.
	mine := make([][]int, *n)
	for j := range *subs {
		mine[j%*n] = append(mine[j%*n], j)
	}
	q := collectortypes.NewQueryClient(nd.clientCtx)
	base := make([]int64, *subs)
	for j := range *subs {
		if base[j], _, err = latestOf(ctx, q, loadChain(j), time.Time{}); err != nil {
			return err
		}
	}
	// A subchain of 1 s blocks moves this many heights an interval.
	step := max(int64(*every/time.Second), 1)
	factories := make([]tx.Factory, *n)
	for i := range *n {
		if factories[i], err = nd.factory(i, *adjust); err != nil {
			return err
		}
	}
	// The k-th report of subchain j, at block time t (when it is signed).
	msgOf := func(j, k int, t time.Time) *collectortypes.MsgSubmitStatus {
		return reportOf(loadAddr(j%*n).String(),
			steadySnapshot(loadChain(j), base[j]+step*int64(k+1), t, 1000+uint64(k)*uint64(step)), k > 0 || base[j] > 0)
	}
	gas, err := nd.gas(factories[0], 0, msgOf(0, 0, time.Now()))
	if err != nil {
		return fmt.Errorf("simulating a report: %w", err)
	}
	for i := range factories {
		factories[i] = factories[i].WithGas(gas).WithSimulateAndExecute(false)
	}

	// The idle peer: the node's own blocks with nothing sent.
	idle0, m0, err := mark(ctx, nd, *metricsURL, 0)
	if err != nil {
		return err
	}
	idle1, m1, err := mark(ctx, nd, *metricsURL, idle0+*idle)
	if err != nil {
		return err
	}

	// The load: account i sends its t-th report at start + i*tick/n + t*tick,
	// for its subchain mine[i][t mod len], signed then, so the report's block
	// time is the time it is sent. A sender that falls behind sends its late
	// reports at once, so the offered rate stays that of the schedule.
	var sent atomic.Int64
	var counts loadCounts
	loadCtx, stop := context.WithCancel(ctx)
	defer stop()
	var senders sync.WaitGroup
	start := time.Now()
	for i := range *n {
		tick := *every / time.Duration(len(mine[i]))
		senders.Add(1)
		go func() {
			defer senders.Done()
			for t := 0; ; t++ {
				at := start.Add(time.Duration(i)*tick/time.Duration(*n) + time.Duration(t)*tick)
				select {
				case <-loadCtx.Done():
					return
				case <-time.After(time.Until(at)):
				}
				j, k := mine[i][t%len(mine[i])], t/len(mine[i])
				raw, err := nd.sign(ctx, factories[i].WithSequence(factories[i].Sequence()+uint64(t)), i, msgOf(j, k, time.Now()))
				if err != nil {
					logf("%s: signing report %d: %v", loadName(i), t, err)
					counts.failed.Add(1)
					return
				}
				sent.Add(1)
				if !nd.broadcast(loadCtx, raw, &counts, fmt.Sprintf("%s: report %d", loadName(i), t)) {
					return
				}
			}
		}()
	}
	time.Sleep(time.Until(start.Add(*warmup)))
	first, m2, err := mark(ctx, nd, *metricsURL, 0)
	if err != nil {
		return err
	}
	openAt, sentAt := time.Now(), sent.Load()
	time.Sleep(*windowLen)
	last, m3, err := mark(ctx, nd, *metricsURL, 0)
	if err != nil {
		return err
	}
	closeAt, sentClose := time.Now(), sent.Load()
	stop()
	senders.Wait()
	drainStart := time.Now()
	for time.Since(drainStart) < *drain {
		mp, err := nd.rpc.NumUnconfirmedTxs(ctx)
		if err == nil && mp.Total == 0 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}

	// What the idle and the window's blocks included, and the idle blocks'
	// time span (their headers' times), beside the window's: the chain's
	// pace with and without the load.
	idleTxs := 0
	idleHead, err := nd.count(ctx, "report", idle0)
	if err != nil {
		return err
	}
	idleTail := idleHead
	for h := idle0 + 1; h <= idle1; h++ {
		if idleTail, err = nd.count(ctx, "report", h); err != nil {
			return err
		}
		idleTxs += idleTail.Txs
	}
	head, err := nd.count(ctx, "report", first)
	if err != nil {
		return err
	}
	var counted []blockCount
	minLoad, maxLoad := -1, 0
	for h := first + 1; h <= last; h++ {
		c, err := nd.count(ctx, "report", h)
		if err != nil {
			return err
		}
		counted = append(counted, c)
		if minLoad < 0 || c.Load < minLoad {
			minLoad = c.Load
		}
		maxLoad = max(maxLoad, c.Load)
	}
	included, loadFailed, other, seconds, perSecond := window(head, counted)
	if *out != "" {
		if err := writeBlocks(*out, head, counted); err != nil {
			return err
		}
	}
	idleT, busyT := m1.since(m0), m3.since(m2)
	for _, kv := range []struct {
		k string
		v any
	}{
		{"phase", "scale"}, {"accounts", *n}, {"subchains", *subs}, {"every_s", every.Seconds()}, {"gas_per_tx", gas},
		{"idle_first", idle0 + 1}, {"idle_last", idle1}, {"idle_txs", idleTxs},
		{"idle_seconds", fmt.Sprintf("%.3f", idleTail.Time.Sub(idleHead.Time).Seconds())},
		{"idle_blocks_timed", idleT.blocks}, {"idle_finalize_ms", ms(idleT.finalize, idleT.blocks)}, {"idle_commit_ms", ms(idleT.commit, idleT.blocks)},
		{"window_first", first + 1}, {"window_last", last}, {"blocks", len(counted)}, {"seconds", fmt.Sprintf("%.3f", seconds)},
		{"busy_blocks_timed", busyT.blocks}, {"busy_finalize_ms", ms(busyT.finalize, busyT.blocks)}, {"busy_commit_ms", ms(busyT.commit, busyT.blocks)},
		{"included", included}, {"included_per_s", fmt.Sprintf("%.1f", perSecond)}, {"load_failed", loadFailed}, {"other_txs", other},
		{"included_min_block", minLoad}, {"included_max_block", maxLoad},
		{"sent_per_s", fmt.Sprintf("%.1f", float64(sentClose-sentAt)/closeAt.Sub(openAt).Seconds())},
		{"sent", sent.Load()}, {"admitted", counts.admitted.Load()}, {"mempool_full", counts.full.Load()}, {"send_errors", counts.failed.Load()},
		{"open_unix_ms", openAt.UnixMilli()}, {"close_unix_ms", closeAt.UnixMilli()},
	} {
		fmt.Printf("%s %v\n", kv.k, kv.v)
	}
	return nil
}

// ms is a total of seconds over blocks, in ms a block (3 decimals).
func ms(total float64, blocks int64) string {
	if blocks <= 0 {
		return "NaN"
	}
	return fmt.Sprintf("%.3f", total*1000/float64(blocks))
}

// mark waits for the node to commit a block at or above height atLeast (0:
// the next block) and returns the height and the node's timing scraped just
// after that commit: the block's timing is in, and the next block's is not
// (it starts at least timeout_commit, 1 s, later). It scrapes every 50 ms
// until the commit count moves; the height is read after it (CometBFT saves
// a block before executing it, so a height alone does not say its commit is
// done).
func mark(ctx context.Context, nd node, url string, atLeast int64) (int64, abciTiming, error) {
	prev, err := scrapeABCI(url)
	if err != nil {
		return 0, prev, err
	}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		cur, err := scrapeABCI(url)
		if err != nil {
			return 0, cur, err
		}
		if cur.blocks == prev.blocks {
			continue
		}
		st, err := nd.rpc.Status(ctx)
		if err != nil {
			return 0, cur, err
		}
		if h := st.SyncInfo.LatestBlockHeight; h >= atLeast {
			return h, cur, nil
		}
		prev = cur
	}
	return 0, prev, fmt.Errorf("no block committed at or above %d in 5 minutes", atLeast)
}

// abciTiming is what CometBFT's proxy has timed of the consensus
// connection's calls (cometbft_abci_connection_method_timing_seconds, a
// histogram in seconds, type "sync"): the sums of FinalizeBlock's and
// Commit's times and how many blocks were committed. The same work as
// figure 8's in-process FinalizeBlock+Commit, timed by the node; with the
// SDK's local ABCI client the calls also hold the app's one lock, so a
// FinalizeBlock that waits for a CheckTx in progress includes that wait.
type abciTiming struct {
	finalize, commit float64
	blocks           int64
}

// since is the timing between an earlier scrape and this one.
func (a abciTiming) since(b abciTiming) abciTiming {
	return abciTiming{finalize: a.finalize - b.finalize, commit: a.commit - b.commit, blocks: a.blocks - b.blocks}
}

func scrapeABCI(url string) (abciTiming, error) {
	res, err := http.Get(url) //nolint:gosec // the benchmark's own node
	if err != nil {
		return abciTiming{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return abciTiming{}, fmt.Errorf("%s: %s", url, res.Status)
	}
	return parseABCITiming(res.Body)
}

// parseABCITiming reads the histogram's _sum and _count series of
// finalize_block and commit from Prometheus's text format.
func parseABCITiming(r io.Reader) (abciTiming, error) {
	var a abciTiming
	var seen int
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		brace := strings.IndexByte(line, '{')
		end := strings.LastIndexByte(line, '}')
		if brace < 0 || end < brace || !strings.Contains(line[brace:end], `type="sync"`) {
			continue
		}
		name, labels := line[:brace], line[brace:end]
		if !strings.HasSuffix(name, "abci_connection_method_timing_seconds_sum") &&
			!strings.HasSuffix(name, "abci_connection_method_timing_seconds_count") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(line[end+1:]), 64)
		if err != nil {
			return a, fmt.Errorf("metrics line %q: %w", line, err)
		}
		isSum := strings.HasSuffix(name, "_sum")
		switch {
		case strings.Contains(labels, `method="finalize_block"`) && isSum:
			a.finalize = v
		case strings.Contains(labels, `method="commit"`) && isSum:
			a.commit = v
		case strings.Contains(labels, `method="commit"`):
			a.blocks = int64(v)
		default:
			continue
		}
		seen++
	}
	if err := sc.Err(); err != nil {
		return a, err
	}
	if seen < 3 {
		return a, errors.New("no ABCI timing of finalize_block and commit in the node's metrics (instrumentation.prometheus off?)")
	}
	return a, nil
}

// writeBlocks writes a window's blocks as a TSV table, each with the time
// since the block before it.
func writeBlocks(path string, head blockCount, counted []blockCount) error {
	var sb strings.Builder
	sb.WriteString("height\ttime\tblock_s\ttxs\tload_ok\tload_failed\tother\n")
	prev := head
	for _, c := range counted {
		fmt.Fprintf(&sb, "%d\t%s\t%.3f\t%d\t%d\t%d\t%d\n", c.Height, c.Time.UTC().Format(time.RFC3339Nano),
			c.Time.Sub(prev.Time).Seconds(), c.Txs, c.Load, c.LoadFailed, c.Other)
		prev = c
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}
