package nodecmd

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A signal stops the daemon through its context, with the signal as cause.
func TestUntilSignalStopsTheDaemonWithTheSignalAsCause(t *testing.T) {
	var cause error
	err := untilSignalOf(context.Background(), func(ctx context.Context) error {
		require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGUSR1))
		<-ctx.Done()
		cause = context.Cause(ctx)
		return nil
	}, time.Minute, syscall.SIGUSR1)
	require.NoError(t, err)
	require.EqualError(t, cause, "received signal user defined signal 1")

	// A daemon that cannot start returns its error as it is.
	refused := errors.New("not a monitoring account")
	require.Equal(t, refused, untilSignalOf(context.Background(), func(context.Context) error { return refused }, time.Minute, syscall.SIGUSR1))
}

// A daemon stuck in its step is left behind after the grace period.
func TestUntilSignalGivesUpOnAStuckDaemon(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	err := untilSignalOf(context.Background(), func(context.Context) error {
		require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGUSR1))
		<-stuck // ignores its context, as a call to a hung node may
		return nil
	}, 50*time.Millisecond, syscall.SIGUSR1)
	require.EqualError(t, err, "did not stop within 50ms: stopped without finishing the step in flight (the state file keeps what was saved before)")
}

func TestServeMetricsBindsAtStart(t *testing.T) {
	require.NoError(t, serveMetrics("", nil), "no address: no server")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	require.ErrorContains(t, serveMetrics(taken.Addr().String(), http.NotFoundHandler()), "--metrics-addr: listen tcp "+taken.Addr().String())

	free, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := free.Addr().String()
	require.NoError(t, free.Close())
	require.NoError(t, serveMetrics(addr, http.NotFoundHandler()))
	res, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}
