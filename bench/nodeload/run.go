package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// runCmd runs one phase: every load account sends txs of the phase's kind
// back to back (broadcast_tx_sync, each waiting for CheckTx's answer, a
// "mempool is full" retried after a pause), so the mempool never runs dry,
// while the blocks go by. The window is -blocks blocks (fewer if -max-window
// passes first), starting -skip blocks after the load began (the mempool
// filling up); then the senders
// stop, the mempool drains, and what the window's blocks included is
// counted from their results.
func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	rpcAddr := fs.String("rpc", "tcp://127.0.0.1:26657", "the node's CometBFT RPC")
	chainID := fs.String("chain-id", "", "the main chain's id")
	n := fs.Int("accounts", 100, "load accounts (as in nodeload genesis)")
	phase := fs.String("phase", "send", "send (bank MsgSend) or report (MsgSubmitStatus)")
	lists := fs.String("lists", "hash", "reports name their unchanged lists by hash after a subchain's first (hash), or send them (whole)")
	blocks := fs.Int64("blocks", 20, "blocks in the measured window")
	maxWindow := fs.Duration("max-window", 0, "close the window at the first block after this long, if that comes before -blocks (0: no limit)")
	skip := fs.Int64("skip", 2, "blocks after the load began before the window opens")
	presign := fs.Int("presign", 100, "txs signed per account before the load starts (more are signed as needed)")
	adjust := fs.Float64("gas-adjustment", 1.3, "gas limit = simulated gas times this, for both phases")
	denom := fs.String("denom", "umain", "the denom of the bank sends")
	out := fs.String("out", "", "write the window's blocks here (TSV)")
	drain := fs.Duration("drain-timeout", 90*time.Second, "how long to wait for the mempool to empty after the window")
	_ = fs.Parse(args)
	if *chainID == "" || (*phase != "send" && *phase != "report") || (*lists != "hash" && *lists != "whole") {
		return errors.New("-chain-id is required, -phase is send or report, -lists is hash or whole")
	}
	ctx := context.Background()
	nd, err := dial(*rpcAddr, *chainID, *n)
	if err != nil {
		return err
	}
	rpc := nd.rpc

	// Each account's factory at its current sequence; for reports, the
	// height its subchain's next report must pass.
	factories := make([]tx.Factory, *n)
	base, baseTime := make([]int64, *n), make([]time.Time, *n)
	q := collectortypes.NewQueryClient(nd.clientCtx)
	for i := range *n {
		if factories[i], err = nd.factory(i, *adjust); err != nil {
			return err
		}
		baseTime[i] = time.Now().Add(-time.Minute)
		if *phase == "report" {
			if base[i], baseTime[i], err = latestOf(ctx, q, loadChain(i), baseTime[i]); err != nil {
				return err
			}
		}
	}
	msgOf := func(i, k int) sdk.Msg {
		if *phase == "send" {
			return banktypes.NewMsgSend(loadAddr(i), loadAddr((i+1)%*n), sdk.NewCoins(sdk.NewCoin(*denom, math.OneInt())))
		}
		return reportOf(loadAddr(i).String(), loadSnapshot(loadChain(i), base[i], baseTime[i], k), *lists == "hash" && (k > 0 || base[i] > 0))
	}
	gas, err := nd.gas(factories[0], 0, msgOf(0, 0))
	if err != nil {
		return fmt.Errorf("simulating a %s: %w", *phase, err)
	}
	for i := range factories {
		factories[i] = factories[i].WithGas(gas).WithSimulateAndExecute(false)
	}
	sign := func(i, k int) ([]byte, error) {
		return nd.sign(ctx, factories[i].WithSequence(factories[i].Sequence()+uint64(k)), i, msgOf(i, k))
	}

	start := time.Now()
	signed := make([][][]byte, *n)
	var wg sync.WaitGroup
	var signErr atomic.Value
	workers := runtime.NumCPU()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < *n; i += workers {
				for k := range *presign {
					b, err := sign(i, k)
					if err != nil {
						signErr.Store(err)
						return
					}
					signed[i] = append(signed[i], b)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := signErr.Load().(error); err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	logf("%s: %d accounts, gas %d a tx, %d txs signed in %.1fs", *phase, *n, gas, *n**presign, time.Since(start).Seconds())

	// The senders.
	var liveSigned atomic.Int64
	var counts loadCounts
	loadCtx, stop := context.WithCancel(ctx)
	defer stop()
	var senders sync.WaitGroup
	for i := range *n {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for k := 0; loadCtx.Err() == nil; k++ {
				var raw []byte
				if k < len(signed[i]) {
					raw = signed[i][k]
				} else {
					var err error
					if raw, err = sign(i, k); err != nil {
						logf("%s: signing tx %d: %v", loadName(i), k, err)
						counts.failed.Add(1)
						return
					}
					liveSigned.Add(1)
				}
				if !nd.broadcast(loadCtx, raw, &counts, fmt.Sprintf("%s: tx %d", loadName(i), k)) {
					return
				}
			}
		}()
	}

	// Follow the blocks: open the window, close it, note the mempool.
	status, err := rpc.Status(ctx)
	if err != nil {
		return err
	}
	began := status.SyncInfo.LatestBlockHeight
	first, last := began+*skip, began+*skip+*blocks
	var openAt, closeAt time.Time
	var openAttempts, openAdmitted, openFull, closeAttempts, closeAdmitted, closeFull int64
	var mpMin, mpSum, mpN int64 = -1, 0, 0
	for {
		time.Sleep(200 * time.Millisecond)
		st, err := rpc.Status(ctx)
		if err != nil {
			stop()
			return err
		}
		h := st.SyncInfo.LatestBlockHeight
		if openAt.IsZero() && h >= first {
			openAt, openAttempts, openAdmitted, openFull = time.Now(), counts.attempts.Load(), counts.admitted.Load(), counts.full.Load()
		}
		if !openAt.IsZero() {
			if mp, err := rpc.NumUnconfirmedTxs(ctx); err == nil {
				if mpMin < 0 || int64(mp.Total) < mpMin {
					mpMin = int64(mp.Total)
				}
				mpSum += int64(mp.Total)
				mpN++
			}
		}
		if !openAt.IsZero() && *maxWindow > 0 && h > first && time.Since(openAt) >= *maxWindow {
			last = h // a slow chain: fewer blocks, a bounded wall time
		}
		if h >= last {
			closeAt, closeAttempts, closeAdmitted, closeFull = time.Now(), counts.attempts.Load(), counts.admitted.Load(), counts.full.Load()
			break
		}
	}
	stop()
	senders.Wait()
	drainStart := time.Now()
	for time.Since(drainStart) < *drain {
		mp, err := rpc.NumUnconfirmedTxs(ctx)
		if err == nil && mp.Total == 0 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	drained := time.Since(drainStart)

	// Count what the window's blocks included.
	fetch := func(h int64) (blockCount, error) { return nd.count(ctx, *phase, h) }
	head, err := fetch(first)
	if err != nil {
		return err
	}
	var counted []blockCount
	for h := first + 1; h <= last; h++ {
		c, err := fetch(h)
		if err != nil {
			return err
		}
		counted = append(counted, c)
	}
	included, loadFailed, other, seconds, perSecond := window(head, counted)
	if *out != "" {
		if err := writeBlocks(*out, head, counted); err != nil {
			return err
		}
	}
	wall := closeAt.Sub(openAt).Seconds()
	mean := 0.0
	if mpN > 0 {
		mean = float64(mpSum) / float64(mpN)
	}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"phase", *phase}, {"accounts", *n}, {"gas_per_tx", gas},
		{"window_first", first}, {"window_last", last}, {"blocks", len(counted)}, {"seconds", fmt.Sprintf("%.3f", seconds)},
		{"included", included}, {"included_per_s", fmt.Sprintf("%.1f", perSecond)}, {"load_failed", loadFailed}, {"other_txs", other},
		{"offered_per_s", fmt.Sprintf("%.1f", float64(closeAttempts-openAttempts)/wall)},
		{"admitted_per_s", fmt.Sprintf("%.1f", float64(closeAdmitted-openAdmitted)/wall)},
		{"mempool_full_per_s", fmt.Sprintf("%.1f", float64(closeFull-openFull)/wall)},
		{"mempool_min", mpMin}, {"mempool_mean", fmt.Sprintf("%.0f", mean)},
		{"open_unix_ms", openAt.UnixMilli()}, {"close_unix_ms", closeAt.UnixMilli()},
		{"signed_live", liveSigned.Load()}, {"send_errors", counts.failed.Load()}, {"drain_s", fmt.Sprintf("%.1f", drained.Seconds())},
	} {
		fmt.Printf("%s %v\n", kv.k, kv.v)
	}
	return nil
}

// latestOf is the height and block time of a load subchain's latest report,
// which its next report must pass; (0, none) when it has none.
func latestOf(ctx context.Context, q collectortypes.QueryClient, chain string, none time.Time) (int64, time.Time, error) {
	res, err := q.Subchain(ctx, &collectortypes.QuerySubchainRequest{ChainId: chain})
	if err != nil {
		return 0, none, fmt.Errorf("subchain %s: %w", chain, err)
	}
	h := res.Health.Subchain.LastHeight
	if h == 0 {
		return 0, none, nil
	}
	// An earlier phase reported it: go on from its latest report.
	latest, err := q.LatestStatus(ctx, &collectortypes.QueryLatestStatusRequest{ChainId: chain})
	if err != nil {
		return 0, none, fmt.Errorf("latest report of %s: %w", chain, err)
	}
	return h, latest.Report.Snapshot.BlockTime, nil
}

// loadSnapshot is the k-th report of a load subchain in a phase, after the
// latest report (of height base and block time t0; a minute ago when none):
// a steady-state report as an org reporter sends it (4 orgs, 4 validators,
// 2 contracts known before, none new), one block higher and 100 ms later
// each (the default min_block_interval), so that every one is admitted:
// heights grow, block times stay plausible and, as an account gets a few
// reports a second in, within max_clock_drift of the main chain's clock.
func loadSnapshot(chain string, base int64, t0 time.Time, k int) shared.StatusSnapshot {
	return steadySnapshot(chain, base+int64(k)+1, t0.Add(time.Duration(k+1)*100*time.Millisecond), 1000+5*uint64(k))
}

// steadySnapshot is a steady-state report of a load subchain at a height and
// block time: 4 orgs, 4 validators, 2 contracts known before, none new.
func steadySnapshot(chain string, height int64, t time.Time, totalTxs uint64) shared.StatusSnapshot {
	vals := make([]shared.Validator, 4)
	for v := range vals {
		vals[v] = shared.Validator{Address: fmt.Sprintf("subvalcons1%039d", v), Power: 100, Moniker: fmt.Sprintf("validator-%d", v)}
	}
	return shared.StatusSnapshot{
		ChainId: chain, Height: height, BlockTime: t,
		TotalTxs: totalTxs, WindowTxs: 5, WindowBlocks: 1, TpsMilli: 5000,
		Orgs:       []string{"org-a", "org-b", "org-c", "org-d"},
		Validators: vals, ContractCount: 2, SoftwareVersion: "v1.0.0",
	}
}

// reportOf is a load report as an org's reporter daemon sends it: naming
// its lists by their hash when the subchain has a report before it (every
// load report has the same lists).
func reportOf(reporter string, snap shared.StatusSnapshot, reportedBefore bool) *collectortypes.MsgSubmitStatus {
	msg := &collectortypes.MsgSubmitStatus{Reporter: reporter, Snapshot: snap}
	if reportedBefore {
		msg.NameListsByHash()
	}
	return msg
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().UTC().Format("15:04:05")+" nodeload "+format+"\n", args...)
}
