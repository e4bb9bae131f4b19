package dashboard_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/dashboard"
)

// stream is one open /api/events.
type stream struct {
	body io.ReadCloser
	r    *bufio.Reader
}

// openStream opens /api/events and reads the stream's first message, so
// the server counts it when openStream returns. A stream lasts at most 10 s.
func openStream(t *testing.T, client *http.Client, base string) *stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/events", nil)
	require.NoError(t, err)
	res, err := client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = res.Body.Close() })
	require.Equal(t, http.StatusOK, res.StatusCode)
	s := &stream{body: res.Body, r: bufio.NewReader(res.Body)}
	require.Equal(t, "retry: 2000\n\n", s.next(t))
	return s
}

// next reads the stream's next message.
func (s *stream) next(t *testing.T) string {
	t.Helper()
	var msg strings.Builder
	for {
		line, err := s.r.ReadString('\n')
		require.NoError(t, err, "the stream ended after %q", msg.String())
		msg.WriteString(line)
		if line == "\n" {
			return msg.String()
		}
	}
}

// TestEventStreamsBeyondMaxStreamsAreRefused: one client opening streams
// gets DefaultMaxStreams of them and then a 503 that says why, with a
// Retry-After; a stream that closes frees its place.
func TestEventStreamsBeyondMaxStreamsAreRefused(t *testing.T) {
	web := httptest.NewServer((&dashboard.Server{}).Handler())
	t.Cleanup(web.Close) // after the streams close: their cleanups run first
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	streams := make([]*stream, dashboard.DefaultMaxStreams)
	for i := range streams {
		streams[i] = openStream(t, client, web.URL)
	}
	res, err := client.Get(web.URL + "/api/events")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "10", res.Header.Get("Retry-After"))
	require.Equal(t, "dashboard: 256 event streams are open, its limit (mainchaind dashboard --max-streams); try again in 10 s\n", string(body))

	require.NoError(t, streams[0].body.Close())
	require.Eventually(t, func() bool {
		res, err := client.Get(web.URL + "/api/events")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 5*time.Second, 20*time.Millisecond, "a closed stream's place was not freed")
}

// TestEventStreamEndsAfterItsLifetime: the server ends a stream after
// StreamLifetime, cleanly (the browser's EventSource then reconnects), and
// no longer counts it.
func TestEventStreamEndsAfterItsLifetime(t *testing.T) {
	const lifetime = 300 * time.Millisecond
	web := httptest.NewServer((&dashboard.Server{MaxStreams: 1, StreamLifetime: lifetime}).Handler())
	t.Cleanup(web.Close) // after the streams close: their cleanups run first
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	start := time.Now()
	s := openStream(t, client, web.URL)
	rest, err := io.ReadAll(s.r)
	require.NoError(t, err, "the stream did not end cleanly")
	require.Empty(t, rest)
	require.GreaterOrEqual(t, time.Since(start), lifetime)
	openStream(t, client, web.URL) // the ended stream's place is free
}

// TestEventStreamOutlivesServerTimeouts: an http.Server's ReadTimeout and
// WriteTimeout count from the request; the dashboard's sets both, and a
// stream must still deliver updates long after them.
func TestEventStreamOutlivesServerTimeouts(t *testing.T) {
	const timeout = 200 * time.Millisecond
	srv := &dashboard.Server{}
	web := httptest.NewUnstartedServer(srv.Handler())
	web.Config.ReadTimeout, web.Config.WriteTimeout = timeout, timeout
	web.Start()
	t.Cleanup(web.Close) // after the streams close: their cleanups run first
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	s := openStream(t, client, web.URL)
	time.Sleep(3 * timeout)
	srv.Publish(dashboard.Update{Height: 7, Chains: []string{"subchain-a"}})
	require.Equal(t, "event: update\ndata: {\"height\":7,\"types\":null,\"chains\":[\"subchain-a\"]}\n\n", s.next(t))
}
