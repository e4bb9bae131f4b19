// Command example shows the Go client: it prints every subchain's health
// from a main-chain node, then follows the node's blocks and prints the
// statuscollect events decoded, until one subchain's next status report.
//
//	go run ./client/example --grpc 127.0.0.1:9090 --rpc tcp://127.0.0.1:26657 --chain subchain-a
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/statuscollect/statuscollect/client"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func main() {
	grpcAddr := flag.String("grpc", "127.0.0.1:9090", "the main-chain node's gRPC endpoint")
	rpcAddr := flag.String("rpc", "tcp://127.0.0.1:26657", "the main-chain node's CometBFT RPC")
	chain := flag.String("chain", "subchain-a", "the subchain whose next report ends the example")
	timeout := flag.Duration("timeout", time.Minute, "how long to wait for that report")
	flag.Parse()
	if err := run(*grpcAddr, *rpcAddr, *chain, *timeout); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(grpcAddr, rpcAddr, chain string, timeout time.Duration) error {
	c, err := client.Dial(grpcAddr, rpcAddr)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	overview, err := c.Collector.Overview(ctx, &collectortypes.QueryOverviewRequest{})
	if err != nil {
		return fmt.Errorf("overview: %w", err)
	}
	for _, h := range overview.Subchains {
		s := h.Subchain
		fmt.Printf("subchain %s %s height=%d orgs=%d nodes=%d contracts=%d due_in=%ds\n",
			s.ChainId, s.Liveness, s.LastHeight, h.OrgCount, h.NodeCount, h.ContractCount, h.SecondsUntilDue)
	}

	for ev := range c.Follow(ctx, 0) {
		fmt.Printf("event height=%d %s refused=%t\n", ev.Height, ev.Type, ev.Refused)
		if r, ok := ev.Msg.(*collectortypes.EventStatusReported); ok && r.ChainId == chain {
			src := "org:" + r.Source.OrgId
			if r.Source.ChannelId != "" {
				src = "ibc:" + r.Source.ChannelId
			}
			fmt.Printf("report chain=%s sequence=%d height=%d source=%s orgs=%d nodes=%d contracts=%d\n",
				r.ChainId, r.Sequence, r.Height, src, r.OrgCount, r.NodeCount, r.ContractCount)
			return nil
		}
	}
	return fmt.Errorf("no report of %s within %s", chain, timeout)
}
