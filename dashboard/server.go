// Package dashboard is the network's live status page: a small web server
// that reads a main-chain node's collector over gRPC and pushes the chain's
// statuscollect events to every open page (server-sent events), so the page
// updates without a reload. Its assets are embedded in the binary.
package dashboard

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/statuscollect/statuscollect/client"
)

//go:embed web
var web embed.FS

// Server serves the page, its JSON and its event stream.
type Server struct {
	Source Source
	// Timeout bounds each read of the node.
	Timeout time.Duration
	// MaxStreams caps the event streams open at once (0: DefaultMaxStreams).
	// Each holds a goroutine, a buffer and a timer; one more is refused
	// with 503, so no client, however many connections it opens, makes the
	// dashboard hold more.
	MaxStreams int
	// StreamLifetime is how long the server keeps one event stream open
	// before it ends it (0: DefaultStreamLifetime). The page's EventSource
	// reconnects by itself and reads its view again, so a page loses
	// nothing; a stream whose client vanished without a word is gone within
	// this long at the latest.
	StreamLifetime time.Duration

	mu   sync.Mutex
	subs map[chan Update]struct{}
}

const (
	// DefaultMaxStreams is Server.MaxStreams's default: a page holds one
	// stream, so 256 pages open at once.
	DefaultMaxStreams = 256
	// DefaultStreamLifetime is Server.StreamLifetime's default.
	DefaultStreamLifetime = 10 * time.Minute
	// streamWriteTimeout bounds each write to an event stream. The stream
	// lifts the http.Server's WriteTimeout (which counts from the request
	// and would end every stream) and sets this deadline before each write
	// instead: a client that stops reading cannot hold its stream's
	// goroutine in a blocked write for ever.
	streamWriteTimeout = 10 * time.Second
	// streamRetryAfter is the Retry-After, in seconds, of a stream refused
	// because MaxStreams are open.
	streamRetryAfter = 10
	// keepaliveEvery is how often an idle stream sends a comment, so that
	// proxies do not close it and a gone client is noticed.
	keepaliveEvery = 15 * time.Second
)

// Update is what the page is told when a block brought statuscollect
// events: their heights and the subchains they name.
type Update struct {
	Height int64    `json:"height"`
	Types  []string `json:"types"`
	Chains []string `json:"chains"`
}

// Handler returns the routes: / (the page), /api/overview,
// /api/subchains/{chain-id}, /api/events (server-sent events), /healthz.
func (s *Server) Handler() http.Handler {
	assets, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded folder is part of the build
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(assets))
	mux.HandleFunc("GET /api/overview", func(w http.ResponseWriter, r *http.Request) {
		s.serveJSON(w, r, func(ctx context.Context) (any, error) { return s.Source.Overview(ctx) })
	})
	mux.HandleFunc("GET /api/subchains/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s.serveJSON(w, r, func(ctx context.Context) (any, error) { return s.Source.Detail(ctx, id) })
	})
	mux.HandleFunc("GET /api/events", s.serveEvents)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	return mux
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, read func(ctx context.Context) (any, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), max(s.Timeout, time.Second))
	defer cancel()
	v, err := read(ctx)
	if err != nil {
		code := http.StatusBadGateway // the node did not answer
		switch status.Code(err) {
		case codes.NotFound:
			code = http.StatusNotFound
		case codes.InvalidArgument:
			code = http.StatusBadRequest
		}
		http.Error(w, err.Error(), code)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// serveEvents streams updates to one page until it goes away or the
// stream's lifetime ends. A page that cannot keep up misses updates, never
// blocks the others: the next update makes it read everything again anyway.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	if _, ok := w.(http.Flusher); !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, err := s.subscribe()
	if err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(streamRetryAfter))
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.unsubscribe(ch)
	rc := http.NewResponseController(w)
	// write sends one message within streamWriteTimeout. Setting the
	// deadline fails only where the connection has none to set (not
	// net/http's server): there no WriteTimeout ends the stream either.
	write := func(msg string) error {
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		if _, err := fmt.Fprint(w, msg); err != nil {
			return err
		}
		return rc.Flush()
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	if write("retry: 2000\n\n") != nil {
		return
	}
	lifetime := time.NewTimer(s.streamLifetime())
	defer lifetime.Stop()
	keepalive := time.NewTicker(keepaliveEvery)
	defer keepalive.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-lifetime.C:
			return // the page's EventSource reconnects after the retry above
		case u := <-ch:
			bz, _ := json.Marshal(u)
			msg = fmt.Sprintf("event: update\ndata: %s\n\n", bz)
		case <-keepalive.C:
			msg = ": keepalive\n\n"
		}
		if write(msg) != nil {
			return // the client is gone or too slow to read
		}
	}
}

// subscribe adds a stream, unless MaxStreams are open.
func (s *Server) subscribe() (chan Update, error) {
	limit := s.MaxStreams
	if limit <= 0 {
		limit = DefaultMaxStreams
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.subs) >= limit {
		return nil, fmt.Errorf("dashboard: %d event streams are open, its limit (mainchaind dashboard --max-streams); try again in %d s", len(s.subs), streamRetryAfter)
	}
	if s.subs == nil {
		s.subs = map[chan Update]struct{}{}
	}
	ch := make(chan Update, 8)
	s.subs[ch] = struct{}{}
	return ch, nil
}

func (s *Server) unsubscribe(ch chan Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.subs, ch)
}

func (s *Server) streamLifetime() time.Duration {
	if s.StreamLifetime > 0 {
		return s.StreamLifetime
	}
	return DefaultStreamLifetime
}

// Publish tells every open page about an update.
func (s *Server) Publish(u Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- u:
		default:
		}
	}
}

// Relay publishes the events of each block as one update, until events
// closes.
func (s *Server) Relay(events <-chan client.Event) {
	var cur *Update
	flush := func() {
		if cur != nil {
			s.Publish(*cur)
			cur = nil
		}
	}
	for {
		var ev client.Event
		var ok bool
		if cur == nil {
			ev, ok = <-events
		} else {
			select {
			case ev, ok = <-events:
			default: // nothing queued: the block's events are all in
				flush()
				continue
			}
		}
		if !ok {
			flush()
			return
		}
		if cur != nil && cur.Height != ev.Height {
			flush()
		}
		if cur == nil {
			cur = &Update{Height: ev.Height}
		}
		cur.Types = appendNew(cur.Types, strings.TrimPrefix(ev.Type, "statuscollect."))
		if chain := chainOf(ev); chain != "" {
			cur.Chains = appendNew(cur.Chains, chain)
		}
	}
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// chainOf is the subchain an event names, if it has a chain_id.
func chainOf(ev client.Event) string {
	if c, ok := ev.Msg.(interface{ GetChainId() string }); ok {
		return c.GetChainId()
	}
	return ""
}
