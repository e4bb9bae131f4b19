package chainview_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/statuscollect/statuscollect/daemon/chainview"
)

func TestParseEndpointSelectsTheTransport(t *testing.T) {
	for _, tc := range []struct {
		in     string
		target string
		tls    bool
		err    string
	}{
		{in: "127.0.0.1:9090", target: "127.0.0.1:9090"},
		{in: "[::1]:9090", target: "[::1]:9090"},
		{in: "node.example.org:9090", target: "node.example.org:9090"},
		{in: "http://127.0.0.1:9090", target: "127.0.0.1:9090"},
		{in: "https://grpc.example.org", target: "grpc.example.org:443", tls: true},
		{in: "https://grpc.example.org:9443/", target: "grpc.example.org:9443", tls: true},
		{in: "https://[2001:db8::1]:9443", target: "[2001:db8::1]:9443", tls: true},
		{in: "127.0.0.1", err: "want host:port or https://host[:port]"},
		{in: "http://127.0.0.1", err: "a plaintext endpoint needs its port"},
		{in: "grpcs://node:9090", err: "scheme grpcs: want host:port, http://host:port or https://host[:port]"},
		{in: "tcp://127.0.0.1:9090", err: "scheme tcp"},
		{in: "https://node:9090/cosmos", err: "with no path, query or user"},
		{in: "https://user@node:9090", err: "with no path, query or user"},
		{in: "https://:9090", err: "with no path, query or user"},
	} {
		got, err := chainview.ParseEndpoint(tc.in)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, chainview.Endpoint{Target: tc.target, TLS: tc.tls}, got, tc.in)
	}
}

// selfSigned makes a CA-signed-by-itself certificate for 127.0.0.1 and
// writes it, PEM-encoded, to a file.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "statuscollect test node"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caFile
}

// serveTLS serves n's CometBFT service over TLS on a loopback port.
func serveTLS(t *testing.T, n *node, cert tls.Certificate) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})),
		grpc.ForceServerCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec()))
	cmtservice.RegisterServiceServer(srv, n)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

func TestTLSEndpointsAreVerifiedAgainstTheCAFile(t *testing.T) {
	cert, caFile := selfSigned(t)
	addr := serveTLS(t, &node{height: 42}, cert)
	ctx := context.Background()

	// The daemons' dial path: an https:// endpoint and the CA file.
	obs, err := chainview.Dial([]string{"https://" + addr}, caFile, "sub")
	require.NoError(t, err)
	defer obs.Close()
	h, err := obs.LatestHeight(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 42, h)
	id, err := obs.ChainID(ctx)
	require.NoError(t, err)
	require.Equal(t, "subchain-a", id)

	// Without the CA file the system's roots do not know the certificate.
	bare, err := chainview.DialEndpoints([]string{"https://" + addr}, "")
	require.NoError(t, err)
	defer bare.Close()
	_, err = cmtservice.NewServiceClient(bare).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.Equal(t, codes.Unavailable, status.Code(err))
	require.ErrorContains(t, err, "certificate signed by unknown authority")
	require.False(t, bare.Probe(ctx)[0].Up)

	// Plaintext to a TLS endpoint gets no answer either.
	plain, err := chainview.DialEndpoints([]string{addr}, "")
	require.NoError(t, err)
	defer plain.Close()
	_, err = cmtservice.NewServiceClient(plain).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.Error(t, err)

	// Another CA's file: refused too.
	_, otherCA := selfSigned(t)
	other, err := chainview.DialEndpoints([]string{"https://" + addr}, otherCA)
	require.NoError(t, err)
	defer other.Close()
	_, err = cmtservice.NewServiceClient(other).GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	require.ErrorContains(t, err, "certificate signed by unknown authority")
}

func TestCAFileMistakesAreRefusedAtDial(t *testing.T) {
	_, caFile := selfSigned(t)
	_, err := chainview.DialEndpoints([]string{"127.0.0.1:9090", "http://127.0.0.1:9100"}, caFile)
	require.ErrorContains(t, err, "CA file "+caFile+" given, but none of [127.0.0.1:9090 http://127.0.0.1:9100] is an https:// endpoint")

	_, err = chainview.DialEndpoints([]string{"https://127.0.0.1:9090"}, filepath.Join(t.TempDir(), "missing.pem"))
	require.ErrorContains(t, err, "CA file: open ")

	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate"), 0o600))
	_, err = chainview.DialEndpoints([]string{"https://127.0.0.1:9090"}, notPEM)
	require.ErrorContains(t, err, "no PEM certificate in it")

	_, err = chainview.DialEndpoints([]string{"127.0.0.1:9090", "localhost"}, "")
	require.ErrorContains(t, err, `gRPC endpoint "localhost": want host:port`)
}
