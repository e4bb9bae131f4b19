package chainview

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
)

// Endpoint is a gRPC endpoint as the daemons take it.
type Endpoint struct {
	// Target is host:port.
	Target string
	// TLS says the endpoint is dialled over TLS.
	TLS bool
}

// ParseEndpoint reads a gRPC endpoint:
//
//	host:port                  plaintext, as a node serves gRPC by default (fit for loopback)
//	http://host:port           plaintext, said explicitly
//	https://host[:port]        TLS, port 443 unless given; the certificate must name host
//
// A URL with a path, query or user is refused: gRPC has no use for them,
// and taking one silently would dial something else than meant.
func ParseEndpoint(s string) (Endpoint, error) {
	scheme, _, hasScheme := strings.Cut(s, "://")
	if !hasScheme {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return Endpoint{}, fmt.Errorf("gRPC endpoint %q: want host:port or https://host[:port]: %w", s, err)
		}
		return Endpoint{Target: s}, nil
	}
	if scheme != "http" && scheme != "https" {
		return Endpoint{}, fmt.Errorf("gRPC endpoint %q: scheme %s: want host:port, http://host:port or https://host[:port]", s, scheme)
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("gRPC endpoint %q: %w", s, err)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Hostname() == "" {
		return Endpoint{}, fmt.Errorf("gRPC endpoint %q: want %s://host:port, with no path, query or user", s, scheme)
	}
	port := u.Port()
	switch {
	case port == "" && scheme == "https":
		port = "443"
	case port == "":
		return Endpoint{}, fmt.Errorf("gRPC endpoint %q: a plaintext endpoint needs its port", s)
	}
	return Endpoint{Target: net.JoinHostPort(u.Hostname(), port), TLS: scheme == "https"}, nil
}

// credentials are the endpoint's transport: TLS 1.2 or later verified
// against roots (the system's when nil), or plaintext.
func (e Endpoint) credentials(roots *x509.CertPool) credentials.TransportCredentials {
	if !e.TLS {
		return insecure.NewCredentials()
	}
	return credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots})
}

// dial prepares a connection that speaks the SDK's protobuf encoding, with
// the interface registry used to unpack keys.
func (e Endpoint) dial(roots *x509.CertPool, reg codectypes.InterfaceRegistry) (*grpc.ClientConn, error) {
	return grpc.NewClient(e.Target, grpc.WithTransportCredentials(e.credentials(roots)),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(reg).GRPCCodec())))
}

// loadCAs reads a PEM file of certificate authorities.
func loadCAs(path string) (*x509.CertPool, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(bz) {
		return nil, errors.New("CA file " + path + ": no PEM certificate in it")
	}
	return pool, nil
}
