package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// cometWS is a CometBFT websocket as subscribeBlocks meets it: it answers
// the subscription, sends events blocks headers, then does what end says.
type cometWS struct {
	t      *testing.T
	events int
	end    func(*websocket.Conn) // after the events; the connection closes when it returns
	query  chan string
}

func (c cometWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/websocket" {
		http.NotFound(w, r)
		return
	}
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	var req struct {
		Method string            `json:"method"`
		Params map[string]string `json:"params"`
	}
	if err := conn.ReadJSON(&req); err != nil || req.Method != "subscribe" {
		return
	}
	c.query <- req.Params["query"]
	_ = conn.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 1, "result": map[string]any{}})
	for i := 0; i < c.events; i++ {
		_ = conn.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 1, "result": map[string]any{
			"query": req.Params["query"], "data": map[string]any{"type": "tendermint/event/NewBlockHeader"}}})
	}
	c.end(conn)
}

func serve(t *testing.T, c cometWS) string {
	c.t, c.query = t, make(chan string, 1)
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return "tcp://" + strings.TrimPrefix(srv.URL, "http://")
}

// wakes counts the wakes subscribeBlocks gives until it returns. A wake
// that finds one pending is dropped, so with several events the count is at
// least 1, not their number.
func wakes(t *testing.T, rpc string, timeout time.Duration) (int, error) {
	t.Helper()
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- subscribeBlocks(context.Background(), rpc, timeout, wake) }()
	n := 0
	for {
		select {
		case <-wake:
			n++
		case err := <-done:
			if len(wake) > 0 {
				n++
			}
			return n, err
		case <-time.After(10 * time.Second):
			t.Fatal("subscribeBlocks did not return")
		}
	}
}

func TestSubscribeWakesOnHeadersAndEndsWhenBlocksStop(t *testing.T) {
	stalled := make(chan struct{})
	defer close(stalled)
	c := cometWS{events: 3, end: func(*websocket.Conn) { <-stalled }}
	c.query = make(chan string, 1)
	srv := httptest.NewServer(c)
	defer srv.Close()
	n, err := wakes(t, "tcp://"+strings.TrimPrefix(srv.URL, "http://"), 300*time.Millisecond)
	if q := <-c.query; q != "tm.event='NewBlockHeader'" {
		t.Fatalf("subscribed to %q; a header is all a wake needs", q)
	}
	if n < 1 {
		t.Fatal("no wake for 3 headers")
	}
	if err == nil || err.Error() != "no new block for 300ms" {
		t.Fatalf("want the stall named, got %v", err)
	}
}

func TestSubscriptionAnswerIsNotABlock(t *testing.T) {
	stalled := make(chan struct{})
	defer close(stalled)
	rpc := serve(t, cometWS{events: 0, end: func(*websocket.Conn) { <-stalled }})
	n, err := wakes(t, rpc, 300*time.Millisecond)
	if n != 0 || err == nil || err.Error() != "no new block for 300ms" {
		t.Fatalf("want no wake and the stall, got %d, %v", n, err)
	}
}

func TestSubscribeEndsWhenTheNodeGoes(t *testing.T) {
	rpc := serve(t, cometWS{events: 2, end: func(*websocket.Conn) {}}) // closes right after
	n, err := wakes(t, rpc, 5*time.Second)
	if n < 1 || err == nil {
		t.Fatalf("want a wake then the drop as an error, got %d, %v", n, err)
	}
}

func TestSubscribeRefusalIsAnError(t *testing.T) {
	c := cometWS{end: func(*websocket.Conn) {}}
	c.query = make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var req map[string]any
		_ = conn.ReadJSON(&req)
		_ = conn.WriteJSON(map[string]any{"jsonrpc": "2.0", "id": 1,
			"error": map[string]any{"code": -32603, "message": "Internal error", "data": "max_subscriptions_per_client 5 reached"}})
		time.Sleep(time.Second)
	}))
	defer srv.Close()
	_, err := wakes(t, "tcp://"+strings.TrimPrefix(srv.URL, "http://"), 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "max_subscriptions_per_client 5 reached") {
		t.Fatalf("want the node's refusal, got %v", err)
	}
}

func TestSubscribeStopsWithItsContext(t *testing.T) {
	stalled := make(chan struct{})
	defer close(stalled)
	rpc := serve(t, cometWS{events: 1, end: func(*websocket.Conn) { <-stalled }})
	ctx, cancel := context.WithCancel(context.Background())
	wake := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() { done <- subscribeBlocks(ctx, rpc, time.Minute, wake) }()
	<-wake
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want the context's error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled subscription kept waiting for a block")
	}
}

func TestWebsocketURL(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:26657":   "ws://127.0.0.1:26657/websocket",
		"http://node:26657/":      "ws://node:26657/websocket",
		"https://rpc.example.org": "wss://rpc.example.org/websocket",
		"127.0.0.1:26657":         "ws://127.0.0.1:26657/websocket",
	} {
		if got, err := websocketURL(in); err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := websocketURL("grpc://node:9090"); err == nil {
		t.Error("a gRPC address was taken for an RPC one")
	}
}
