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

	mu   sync.Mutex
	subs map[chan Update]struct{}
}

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

// serveEvents streams updates to one page until it goes away. A page that
// cannot keep up misses updates, never blocks the others: the next update
// makes it read everything again anyway.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan Update, 8)
	s.mu.Lock()
	if s.subs == nil {
		s.subs = map[chan Update]struct{}{}
	}
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = fmt.Fprint(w, "retry: 2000\n\n")
	flusher.Flush()
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case u := <-ch:
			bz, _ := json.Marshal(u)
			_, _ = fmt.Fprintf(w, "event: update\ndata: %s\n\n", bz)
			flusher.Flush()
		case <-keepalive.C:
			_, _ = fmt.Fprint(w, ": keepalive\n\n")
			flusher.Flush()
		}
	}
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
