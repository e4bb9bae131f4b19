package chainview

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
)

// AttemptTimeout bounds one call to one endpoint, so an endpoint that
// accepts connections but never answers costs a failover, not the caller's
// whole deadline.
const AttemptTimeout = 10 * time.Second

// Endpoints are one chain's gRPC endpoints (its nodes), used as one
// connection: a call goes to the endpoint that answered last and fails over,
// in the order given, to the others when it is down or cannot answer (a
// node that is behind, or has pruned the height asked for).
type Endpoints struct {
	addrs []string
	conns []*grpc.ClientConn
	reg   codectypes.InterfaceRegistry

	mu     sync.Mutex
	active int
}

var _ grpc.ClientConnInterface = (*Endpoints)(nil)

// DialEndpoints prepares connections to every address: host:port in
// plaintext, or https://host[:port] over TLS (see ParseEndpoint), verified
// against the certificate authorities of caFile (PEM) when given, else the
// system's. Nothing is dialled until the first call.
func DialEndpoints(addrs []string, caFile string) (*Endpoints, error) {
	if len(addrs) == 0 {
		return nil, errors.New("no gRPC endpoint given")
	}
	endpoints := make([]Endpoint, len(addrs))
	anyTLS := false
	for i, a := range addrs {
		ep, err := ParseEndpoint(a)
		if err != nil {
			return nil, err
		}
		endpoints[i], anyTLS = ep, anyTLS || ep.TLS
	}
	var roots *x509.CertPool
	if caFile != "" {
		// A CA file that no endpoint uses is a mistake, not a choice: the
		// operator meant TLS and would get plaintext.
		if !anyTLS {
			return nil, fmt.Errorf("CA file %s given, but none of %v is an https:// endpoint", caFile, addrs)
		}
		var err error
		if roots, err = loadCAs(caFile); err != nil {
			return nil, err
		}
	}
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	e := &Endpoints{addrs: addrs, reg: reg}
	for i, ep := range endpoints {
		conn, err := ep.dial(roots, reg)
		if err != nil {
			e.Close()
			return nil, fmt.Errorf("gRPC endpoint %s: %w", addrs[i], err)
		}
		e.conns = append(e.conns, conn)
	}
	return e, nil
}

// Close closes every connection.
func (e *Endpoints) Close() {
	for _, c := range e.conns {
		_ = c.Close()
	}
}

// Invoke calls method on the active endpoint, failing over to the others.
// When none could answer it returns Unimplemented if every endpoint lacks
// the service, else the last error other than Unimplemented. Callers take
// Unimplemented as a fact about the chain, which they remember and build on
// (no x/wasm: 0 contracts, the base of every later count; no sidecar: the
// orgs of --orgs), so one node without the service (another build, a proxy
// exposing part of the API), or one answering so while the others are
// down, must not decide it.
func (e *Endpoints) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	e.mu.Lock()
	first := e.active
	e.mu.Unlock()
	var err, failed error // failed: the last error other than Unimplemented
	for k := range e.conns {
		i := (first + k) % len(e.conns)
		attempt, cancel := context.WithTimeout(ctx, AttemptTimeout)
		err = e.conns[i].Invoke(attempt, method, args, reply, opts...)
		cancel()
		if ctx.Err() != nil {
			return err // the caller gave up: no endpoint is to blame
		}
		e.mark(i, err)
		if !failsOver(err) {
			return err
		}
		if status.Code(err) != codes.Unimplemented {
			failed = err
		}
	}
	if failed == nil {
		return err // every endpoint lacks the service
	}
	return fmt.Errorf("every endpoint of %v failed; last: %w", e.addrs, failed)
}

// NewStream opens a stream on the active endpoint (streams do not fail over).
func (e *Endpoints) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	e.mu.Lock()
	conn := e.conns[e.active]
	e.mu.Unlock()
	return conn.NewStream(ctx, desc, method, opts...)
}

// mark makes endpoint i the active one when it answered: the next call
// starts there.
func (e *Endpoints) mark(i int, err error) {
	if err != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.active = i
}

// failsOver says another endpoint of the same chain may answer where this
// one failed. Answers about the chain's state (no such entry) are the same
// on every node and are returned as they are. A missing service
// (Unimplemented) is not: it may be one node's build or the proxy before
// it, so it fails over too (see Invoke).
func failsOver(err error) bool {
	switch status.Code(err) {
	case codes.OK, codes.NotFound, codes.PermissionDenied, codes.Unauthenticated:
		return false
	default:
		return true
	}
}

// Probe is one endpoint's answer to "what is your latest block?".
type Probe struct {
	Addr      string
	Up        bool
	ChainID   string
	Height    int64
	BlockTime time.Time
	Err       error
}

// Probe asks every endpoint for its latest block, each on its own.
func (e *Endpoints) Probe(ctx context.Context) []Probe {
	out := make([]Probe, len(e.conns))
	for i, conn := range e.conns {
		attempt, cancel := context.WithTimeout(ctx, AttemptTimeout)
		block, err := latestBlock(attempt, conn)
		cancel()
		out[i] = Probe{Addr: e.addrs[i], Err: err}
		if err == nil {
			h := block.Header
			out[i].Up, out[i].ChainID, out[i].Height, out[i].BlockTime = true, h.ChainID, h.Height, h.Time
		}
		// A reply without a block counts as an answer of the endpoint's own,
		// so it does not make that endpoint the active one.
		e.mark(i, err)
	}
	return out
}

// Addrs are the endpoints, in order of preference.
func (e *Endpoints) Addrs() []string { return slices.Clone(e.addrs) }

// Active is the address calls go to first.
func (e *Endpoints) Active() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addrs[e.active]
}
