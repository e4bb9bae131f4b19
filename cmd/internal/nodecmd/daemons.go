package nodecmd

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/statuscollect/statuscollect/daemon/broadcast"
)

// daemonTxContext reads a daemon's transaction flags and returns its client
// context and broadcaster; signer says what the --from key is for.
func daemonTxContext(cmd *cobra.Command, signer string) (client.Context, *broadcast.Broadcaster, error) {
	// Before the client context: it trips over some of those flags with a
	// vaguer error.
	if err := broadcast.CheckTxFlags(client.GetClientContextFromCmd(cmd), cmd.Flags()); err != nil {
		return client.Context{}, nil, err
	}
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return client.Context{}, nil, err
	}
	if clientCtx.GetFromAddress().Empty() {
		return client.Context{}, nil, fmt.Errorf("--from: %s is required", signer)
	}
	b, err := broadcast.New(clientCtx, cmd.Flags())
	return clientCtx, b, err
}

// logger writes a daemon's log lines to the command's stderr, each stamped
// with the UTC time.
func logger(cmd *cobra.Command) func(format string, args ...any) {
	return func(format string, args ...any) {
		fmt.Fprintf(cmd.ErrOrStderr(), time.Now().UTC().Format(time.RFC3339)+" "+format+"\n", args...)
	}
}

// serveMetrics serves a daemon's metrics on addr (host:port), when given.
// It binds before returning, so an address taken or mistyped stops the
// daemon at start instead of leaving it without metrics unnoticed.
func serveMetrics(addr string, h http.Handler) error {
	if addr == "" {
		return nil
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--metrics-addr: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(lis) }()
	return nil
}

// shutdownGrace is how long a daemon may take to stop once told to: its
// state is saved atomically at every change, so a step still waiting on a
// node then is abandoned without loss.
const shutdownGrace = 10 * time.Second

// untilSignal runs a daemon until SIGINT or SIGTERM, which cancel its
// context with the signal as the cause: the daemon ends its step and says
// what state it leaves. A daemon that has not returned shutdownGrace later,
// or at a second signal, is left behind and the command returns an error.
func untilSignal(parent context.Context, run func(context.Context) error) error {
	return untilSignalOf(parent, run, shutdownGrace, os.Interrupt, syscall.SIGTERM)
}

func untilSignalOf(parent context.Context, run func(context.Context) error, grace time.Duration, sigs ...os.Signal) error {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, sigs...)
	defer signal.Stop(signals)
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	select {
	case err := <-done:
		return err
	case sig := <-signals:
		cancel(fmt.Errorf("received signal %s", sig))
	}
	select {
	case err := <-done:
		return err
	case sig := <-signals:
		return fmt.Errorf("received signal %s again: stopped without finishing the step in flight (the state file keeps what was saved before)", sig)
	case <-time.After(grace):
		return fmt.Errorf("did not stop within %s: stopped without finishing the step in flight (the state file keeps what was saved before)", grace)
	}
}
