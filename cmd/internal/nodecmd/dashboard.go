package nodecmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/statuscollect/statuscollect/client"
	"github.com/statuscollect/statuscollect/dashboard"
)

// dashboardCmd serves the live status page of a main chain.
func dashboardCmd() *cobra.Command {
	var grpcAddr, rpcAddr, listen string
	var maxStreams int
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Serve a live status page of the network, read from a main-chain node",
		Long: `Serves a web page with every subchain's health (liveness, countdown to its deadline, height, TPS,
orgs, nodes, contracts, last report and its source, link health, open disputes) and, per subchain, its
timeline of reports and changes, contract changes and disputes. It reads the node's collector over gRPC
and follows its blocks over the CometBFT RPC; every block with statuscollect events updates the open
pages at once, without a reload. After the node restarts, it catches up and the pages update again.

Each open page holds one live-update stream; --max-streams caps how many are open at once (one more is
refused with 503 and the page tries again later), and the dashboard ends each stream after 10 minutes
(the page reconnects by itself).`,
		Example: `mainchaind dashboard --main-grpc 127.0.0.1:9090 --main-rpc tcp://127.0.0.1:26657 --listen 127.0.0.1:8088

# on a public address, with room for 1000 open pages
mainchaind dashboard --listen 0.0.0.0:8088 --max-streams 1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Past the flags' parsing, an error is the dashboard's: the usage would bury it.
			cmd.SilenceUsage = true
			if maxStreams < 1 {
				return fmt.Errorf("--max-streams is %d: it must be at least 1 (each open page holds one stream)", maxStreams)
			}
			c, err := client.Dial(grpcAddr, rpcAddr)
			if err != nil {
				return err
			}
			defer c.Close()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			srv := &dashboard.Server{Source: dashboard.Source{Q: c.Collector}, Timeout: 10 * time.Second, MaxStreams: maxStreams}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			// The pages read everything again at each update: a dashboard
			// that fell behind (a node or a machine too busy) need not read
			// the blocks it missed one by one, only say that they changed.
			f := &client.Follower{Blocks: c.RPC, Wake: c.Wake, Errors: func(err error) {
				fmt.Fprintf(cmd.ErrOrStderr(), "dashboard: following %s: %v\n", rpcAddr, err)
			}, MaxBehind: dashboardMaxBehind, Skipped: func(from, to int64) {
				fmt.Fprintf(cmd.ErrOrStderr(), "dashboard: %d blocks behind %s: blocks %d to %d not read, the pages read again\n", to-from+1, rpcAddr, from, to)
				srv.Publish(dashboard.Update{Height: to})
			}}
			go srv.Relay(f.Run(ctx, 0))
			// Every request is a GET without a body, and every answer but
			// /api/events is read within srv.Timeout, so all timeouts can be
			// short. WriteTimeout counts from the request and would end every
			// event stream after 30 s: the stream lifts it and bounds each of
			// its writes instead, and ends itself after its lifetime. The
			// read timeouts do not touch a stream: net/http stops applying
			// them once a bodiless request's handler runs.
			httpSrv := &http.Server{
				Handler:           srv.Handler(),
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       30 * time.Second,
				WriteTimeout:      30 * time.Second,
				IdleTimeout:       2 * time.Minute,
				MaxHeaderBytes:    64 << 10,
			}
			go func() {
				<-ctx.Done()
				_ = httpSrv.Close()
			}()
			fmt.Fprintf(cmd.OutOrStdout(), "dashboard: serving http://%s (node %s, %s)\n", ln.Addr(), grpcAddr, rpcAddr)
			if err := httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&grpcAddr, "main-grpc", "127.0.0.1:9090", "the main-chain node's gRPC endpoint (host:port)")
	cmd.Flags().StringVar(&rpcAddr, "main-rpc", "tcp://127.0.0.1:26657", "the main-chain node's CometBFT RPC")
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8088", "where to serve the page (host:port)")
	cmd.Flags().IntVar(&maxStreams, "max-streams", dashboard.DefaultMaxStreams, "the most live-update streams open at once (one per open page); one more is refused with 503")
	return cmd
}

// dashboardMaxBehind is how many blocks the dashboard's follower may lag
// before it skips to the latest (half a minute of 1 s blocks).
const dashboardMaxBehind = 30
