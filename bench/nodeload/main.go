// Command nodeload drives figure 3 of docs/benchmarks.md: how many status
// reports per second a real main-chain node accepts, against bank sends in
// the same run. `make bench` measures gas on an in-process app; only a node
// behind its own RPC shows what CheckTx, the mempool, block building and
// commit cost together, so this tool talks to one the way wallets and the
// org reporters do: signed txs (the SDK's tx factory), broadcast_tx_sync over
// CometBFT's RPC, from many accounts at once, each in its sequence order.
//
//	nodeload genesis -genesis FILE -accounts N ...   add the load accounts, their subchains and orgs to a genesis
//	nodeload run -rpc URL -chain-id ID -phase send|report -blocks N ...
//	nodeload scale -rpc URL -chain-id ID -subchains 1000 ...   figure 8's point: block execution with 1,000 subchains reporting by tx
//
// scripts/bench-node.sh runs both; the figure is counted from what the
// blocks included (block results), never from what was sent.
package main

import (
	"fmt"
	"os"

	"github.com/statuscollect/statuscollect/app"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: nodeload genesis|run|scale [flags] (-h for the flags)")
		os.Exit(2)
	}
	// The process-wide bech32 prefixes of the main chain ("main").
	app.MainChain.SetAddressConfig()
	var err error
	switch os.Args[1] {
	case "genesis":
		err = genesisCmd(os.Args[2:])
	case "run":
		err = runCmd(os.Args[2:])
	case "scale":
		err = scaleCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want genesis, run or scale", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nodeload:", err)
		os.Exit(1)
	}
}
