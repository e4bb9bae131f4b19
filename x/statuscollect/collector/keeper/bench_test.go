package keeper_test

// Benchmarks behind make bench (scripts/bench.sh, docs/benchmarks.md): the
// EndBlocker's cost as subchains grow (figure 4), the queries' cost as
// reports grow (figure 5) and the bytes a report adds to the store (figure
// 6). Each prints figures with b.ReportMetric; the script sets them against
// their peer from the same run. They assert nothing about time.

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	storetypes "cosmossdk.io/store/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/keeper"
	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// cost is what one call costs on the store: gas under the SDK's default KV
// gas table, and the reads (gets and iterator steps) and writes (sets and
// deletes) it made.
type cost struct{ gas, reads, writes, readBytes, writeBytes uint64 }

// measure runs fn three times, each on a cache of the fixture's state that is
// thrown away, under three gas tables: the default one, one that charges 1
// per read and one that charges 1 per write.
func (f *fixture) measure(fn func(ctx sdk.Context) error) cost {
	f.t.Helper()
	run := func(cfg storetypes.GasConfig) uint64 {
		ctx, _ := f.ctx.CacheContext()
		ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter()).WithKVGasConfig(cfg)
		require.NoError(f.t, fn(ctx))
		return ctx.GasMeter().GasConsumed()
	}
	return cost{
		gas:        run(storetypes.KVGasConfig()),
		reads:      run(storetypes.GasConfig{ReadCostFlat: 1, IterNextCostFlat: 1}),
		writes:     run(storetypes.GasConfig{WriteCostFlat: 1, DeleteCost: 1}),
		readBytes:  run(storetypes.GasConfig{ReadCostPerByte: 1}),
		writeBytes: run(storetypes.GasConfig{WriteCostPerByte: 1}),
	}
}

func (c cost) report(b *testing.B) {
	b.ReportMetric(float64(c.gas), "gas/op")
	b.ReportMetric(float64(c.reads), "reads/op")
	b.ReportMetric(float64(c.writes), "writes/op")
}

// BenchmarkReceiveGas (the profile of figures 1 and 2): the store cost of
// the collector's ReceiveReport alone, for a heartbeat with its lists sent
// whole and named by hash (as the sidecar names unchanged lists), for a
// typical change (2 new contracts, 1 power change) and for figure 2's
// report (1 new contract, the lists named by hash), each following a report
// that is no prune checkpoint, and for figure 2's report following one (once
// in keeper.PruneEvery reports, it queues that one for pruning): its gas
// under the default table, and the reads, writes and bytes behind it.
func BenchmarkReceiveGas(b *testing.B) {
	for _, kind := range []string{"heartbeat", "heartbeat-by-hash", "change", "figure-2", "figure-2-after-checkpoint"} {
		b.Run(kind, func(b *testing.B) {
			f := newFixture(b)
			snap := typical(chainA, 100)
			f.must(f.ibcReport(1, snap))
			if kind == "figure-2-after-checkpoint" {
				for seq := uint64(2); seq <= keeper.PruneEvery; seq++ {
					f.advance(10 * time.Second)
					snap = heartbeat(snap, 10)
					f.must(f.ibcReport(seq, snap))
				}
			}
			f.advance(10 * time.Second)
			next := heartbeat(snap, 10)
			report := shared.StatusReport{Sequence: f.subchain(chainA).LastIbcReport + 1, Snapshot: &next}
			switch kind {
			case "heartbeat-by-hash":
				report.ListsHash = next.NameListsByHash()
			case "change":
				next = change(snap, 10, 1)
			case "figure-2", "figure-2-after-checkpoint": // one new contract, its unchanged lists named by hash
				next.NewContracts = []shared.Contract{{Address: contractAddress(-7), CodeId: 1, Label: "registry"}}
				next.ContractCount++
				report.ListsHash = next.NameListsByHash()
			}
			channel := f.statusChannel(chainA)
			var c cost
			for range b.N {
				c = f.measure(func(ctx sdk.Context) error {
					_, err := f.k.ReceiveReport(ctx, channel, report)
					return err
				})
			}
			c.report(b)
			b.ReportMetric(float64(c.readBytes), "read-B/op")
			b.ReportMetric(float64(c.writeBytes), "written-B/op")
		})
	}
}

// storeBytes is the size of the collector's whole store: the keys' and the
// values' bytes.
func (f *fixture) storeBytes() int {
	it := f.cms.GetKVStore(f.key).Iterator(nil, nil)
	defer it.Close()
	n := 0
	for ; it.Valid(); it.Next() {
		n += len(it.Key()) + len(it.Value())
	}
	return n
}

// addSubchains registers n subchains, binds a status channel to each and
// gives each its first report over IBC, as a followed subchain has.
func (f *fixture) addSubchains(n int, interval time.Duration) []string {
	f.t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%05d", i)
		f.must(f.msgs.RegisterSubchain(f.ctx, &types.MsgRegisterSubchain{Authority: authority, ChainId: ids[i], Name: ids[i],
			Kind: types.SUBCHAIN_KIND_INDUSTRY, ReportInterval: interval}))
		f.must(f.ibcReport(1, snapshot(ids[i], 100)))
	}
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	return ids
}

// BenchmarkEndBlocker (figure 4): one EndBlocker one block after every
// subchain reported, at 10, 1,000 and 10,000 registered subchains.
func BenchmarkEndBlocker(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000} {
		b.Run(fmt.Sprintf("subchains=%d", n), func(b *testing.B) {
			f := newFixture(b)
			f.addSubchains(n, time.Minute)
			f.cms.Commit() // reads go through a saved IAVL tree, as on a node
			f.advance(time.Second)
			c := f.measure(func(ctx sdk.Context) error { return f.k.EndBlocker(ctx) })
			b.ResetTimer()
			for range b.N {
				ctx, _ := f.ctx.CacheContext()
				if err := f.k.EndBlocker(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			c.report(b)
		})
	}
}

// BenchmarkQueries (figure 5): LatestStatus, a page of Overview (all 10
// subchains) and a page of StatusHistory (the latest 100 reports) with 10^3
// and 10^6 reports stored over 10 subchains. Each subchain's first report goes
// through ReceiveReport; the rest are written straight into Reports and
// ReportsByHeight (copies of the first with their own sequence and height),
// committed after each subchain, so reads go through a saved IAVL tree.
func BenchmarkQueries(b *testing.B) {
	for _, total := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("reports=%d", total), func(b *testing.B) {
			f := newFixture(b)
			ids := f.addSubchains(10, time.Minute)
			per := total / len(ids)
			for _, id := range ids {
				r, err := f.k.Reports.Get(f.ctx, collections.Join(id, uint64(1))) // as the store holds it
				require.NoError(b, err)
				for seq := uint64(2); seq <= uint64(per); seq++ {
					r.Snapshot.Height = 100 + int64(seq)
					require.NoError(b, f.k.Reports.Set(f.ctx, collections.Join(id, seq), r))
					require.NoError(b, f.k.ReportsByHeight.Set(f.ctx, collections.Join(id, r.Snapshot.Height), seq))
				}
				sub := f.subchain(id)
				sub.LastSequence = uint64(per)
				require.NoError(b, f.k.Subchains.Set(f.ctx, id, sub))
				f.cms.Commit() // a version per subchain keeps IAVL's unsaved nodes few
			}
			mid := ids[len(ids)/2]
			queries := []struct {
				name string
				fn   func(ctx sdk.Context) error
			}{
				{"latest", func(ctx sdk.Context) error {
					_, err := f.querys.LatestStatus(ctx, &types.QueryLatestStatusRequest{ChainId: mid})
					return err
				}},
				{"overview", func(ctx sdk.Context) error {
					res, err := f.querys.Overview(ctx, &types.QueryOverviewRequest{Pagination: &query.PageRequest{Limit: 100}})
					if err == nil && len(res.Subchains) != len(ids)+2 {
						err = fmt.Errorf("overview page of %d", len(res.Subchains))
					}
					return err
				}},
				{"history", func(ctx sdk.Context) error {
					res, err := f.querys.StatusHistory(ctx, &types.QueryStatusHistoryRequest{ChainId: mid,
						Pagination: &query.PageRequest{Limit: 100, Reverse: true}})
					if err == nil && len(res.Reports) != 100 {
						err = fmt.Errorf("history page of %d", len(res.Reports))
					}
					return err
				}},
			}
			for _, q := range queries {
				b.Run(q.name, func(b *testing.B) {
					c := f.measure(q.fn)
					ctx := f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
					b.ResetTimer()
					for range b.N {
						if err := q.fn(ctx); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					c.report(b)
				})
			}
		})
	}
}

// typical is the fixture's typical snapshot with addresses of real length:
// 50-character validator consensus addresses, and contract addresses as a
// CosmWasm chain makes them (contractAddress).
func typical(chain string, height int64) shared.StatusSnapshot {
	s := snapshot(chain, height)
	for i := range s.Validators {
		s.Validators[i].Address = fmt.Sprintf("subvalcons1%039d", i)
	}
	for i := range s.NewContracts {
		s.NewContracts[i].Address = contractAddress(height*10 + int64(i))
	}
	sortContracts(s.NewContracts)
	return s
}

// contractAddress is contract n's address as a CosmWasm chain makes one:
// the bech32 of 32 bytes, 62 characters under the prefix "sub".
func contractAddress(n int64) string {
	data := sha256.Sum256([]byte(strconv.FormatInt(n, 10)))
	addr, err := bech32.ConvertAndEncode("sub", data[:])
	if err != nil {
		panic(err)
	}
	return addr
}

// sortContracts sorts new contracts by address, as a snapshot lists them.
func sortContracts(cs []shared.Contract) {
	slices.SortFunc(cs, func(a, b shared.Contract) int { return strings.Compare(a.Address, b.Address) })
}

// heartbeat is the next report of a subchain where nothing changed: the
// height, block time and tx count moved on, no new contract.
func heartbeat(prev shared.StatusSnapshot, blocks int64) shared.StatusSnapshot {
	s := prev
	s.Height += blocks
	s.BlockTime = s.BlockTime.Add(time.Duration(blocks) * time.Second)
	s.TotalTxs += uint64(blocks) * 3
	s.NewContracts = nil
	s.Validators = append([]shared.Validator(nil), prev.Validators...)
	return s
}

// change is a typical change: two new contracts and one validator's power.
func change(prev shared.StatusSnapshot, blocks int64, n int) shared.StatusSnapshot {
	s := heartbeat(prev, blocks)
	s.NewContracts = []shared.Contract{
		{Address: contractAddress(-2*int64(n) - 1), CodeId: 1, Label: "registry"},
		{Address: contractAddress(-2*int64(n) - 2), CodeId: 2, Label: "storage-index"},
	}
	sortContracts(s.NewContracts)
	s.ContractCount += 2
	s.Validators[n%len(s.Validators)].Power++
	return s
}

// BenchmarkStateBytes (figure 6): the collector store's bytes added per
// report over IBC (addresses of real length), for 100 heartbeats and for 100 typical changes after a
// first report; and its total size under retention (history_retention 1h,
// 100 subchains each reporting every 10 s, 1 s blocks, an EndBlocker each
// block, one report in ten a change) after 50,000 and after 100,000 reports.
func BenchmarkStateBytes(b *testing.B) {
	b.Run("per-report", func(b *testing.B) {
		for range b.N {
			f := newFixture(b)
			snap := typical(chainA, 100)
			f.must(f.ibcReport(1, snap))
			perKind := func(next func(prev shared.StatusSnapshot, i int) shared.StatusSnapshot, seq uint64) (float64, uint64) {
				before := f.storeBytes()
				for i := range 100 {
					f.advance(10 * time.Second)
					snap = next(snap, i)
					seq++
					f.must(f.ibcReport(seq, snap))
				}
				return float64(f.storeBytes()-before) / 100, seq
			}
			hb, seq := perKind(func(p shared.StatusSnapshot, _ int) shared.StatusSnapshot { return heartbeat(p, 10) }, 1)
			ch, _ := perKind(func(p shared.StatusSnapshot, i int) shared.StatusSnapshot { return change(p, 10, i) }, seq)
			b.ReportMetric(hb, "B/heartbeat")
			b.ReportMetric(ch, "B/change")
			b.ReportMetric(float64(len(latestReportBytes(b, f, chainA))), "B/report-value")
		}
	})
	b.Run("retention", func(b *testing.B) {
		for range b.N {
			f := newFixture(b)
			params, err := f.k.Params.Get(f.ctx)
			require.NoError(b, err)
			params.HistoryRetention = time.Hour
			require.NoError(b, f.k.Params.Set(f.ctx, params))
			ids := f.addSubchains(100, 10*time.Second)
			snaps := make([]shared.StatusSnapshot, len(ids))
			for i, id := range ids {
				snaps[i] = typical(id, 100)
			}
			reports, at50k := 0, 0
			for block := 0; reports < 100_000; block++ {
				f.advance(time.Second)
				for i := block % 10; i < len(ids); i += 10 {
					if reports%10 == 9 {
						snaps[i] = change(snaps[i], 10, reports)
					} else {
						snaps[i] = heartbeat(snaps[i], 10)
					}
					f.must(f.ibcReport(uint64(reports+2), snaps[i]))
					reports++
				}
				require.NoError(b, f.k.EndBlocker(f.ctx))
				f.cms.Commit() // a version per block, as a node writes
				if reports == 50_000 {
					at50k = f.storeBytes()
				}
			}
			total := f.storeBytes()
			b.ReportMetric(float64(at50k), "B/after-50k")
			b.ReportMetric(float64(total), "B/after-100k")
		}
	})
}

func latestReportBytes(b *testing.B, f *fixture, chain string) []byte {
	s := f.subchain(chain)
	r, err := f.k.Reports.Get(f.ctx, collections.Join(chain, s.LastSequence)) // as the store holds it
	require.NoError(b, err)
	bz, err := r.Marshal()
	require.NoError(b, err)
	return bz
}
