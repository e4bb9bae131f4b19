package network

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoFile is a file of the repository, from this package's folder.
func repoFile(t *testing.T, rel string) string {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Join(filepath.Dir(self), "..", "..", rel)
}

// The loopback file reproduces the localnet: its chains, kinds, orgs,
// memberships and port offsets.
func TestLocalnetFile(t *testing.T) {
	n, err := Load(repoFile(t, "network/localnet.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n.MainChain.ChainID != "mainchain-1" || len(n.MainChain.Validators) != 2 {
		t.Fatalf("main chain %+v", n.MainChain)
	}
	want := []struct {
		id, kind, binary string
		plain            bool
		members          string
		offset           int
	}{
		{"subchain-a", "file-storage", SubBinary, false, "org-a,org-b", 100},
		{"subchain-b", "industry", SubBinary, false, "org-b", 200},
		{"gateway-c", "cross-chain", MainBinary, true, "org-a,org-b", 400},
	}
	if len(n.Subchains) != len(want) {
		t.Fatalf("%d subchains, want %d", len(n.Subchains), len(want))
	}
	for i, w := range want {
		s := n.Subchains[i]
		if s.ChainID != w.id || s.Kind != w.kind || s.Binary != w.binary || s.Plain != w.plain ||
			strings.Join(s.Members, ",") != w.members || s.Validators[0].PortOffset != w.offset ||
			s.Validators[1].PortOffset != w.offset+10 || s.ReportInterval != "30s" {
			t.Errorf("subchain %d: %+v, want %+v", i, s, w)
		}
		if !w.plain && (s.Sidecar.SnapshotEvery != 5 || s.Sidecar.HeartbeatEvery != 6 || s.Sidecar.PacketTimeout != "600s") {
			t.Errorf("%s sidecar %+v", s.ChainID, *s.Sidecar)
		}
	}
	p := n.Subchains[0].Validators[1].EffectivePorts()
	if p != (Ports{RPC: 26767, P2P: 26766, GRPC: 9200, API: 1427, ABCI: 26768, Prometheus: 26770}) {
		t.Errorf("subchain-a node 1 ports %+v", p)
	}
	if !n.HasTransfer("subchain-a") || n.HasTransfer("subchain-b") || !n.HasStatus("subchain-b") || n.InRelayer("gateway-c") {
		t.Errorf("paths %+v", n.Paths)
	}
	if n.Orgs[0].Monitors[0] != "org-a-monitor" || n.Hosts[0].Root != DefaultRoot || n.Hosts[0].Listen != "127.0.0.1" {
		t.Errorf("defaults: %+v %+v", n.Orgs[0], n.Hosts[0])
	}
}

func TestDeployTestFile(t *testing.T) {
	if _, err := Load(repoFile(t, "network/deploy-test.yaml")); err != nil {
		t.Fatal(err)
	}
}

const base = `
name: net
hosts:
  - {name: h1, address: 10.0.0.1}
  - {name: h2, address: 10.0.0.2}
admin: {host: h1}
orgs:
  - {id: org-a, name: Org A, host: h1}
  - {id: org-b, name: Org B, host: h2}
main_chain:
  chain_id: main-1
  validators:
    - {org: org-a, host: h1}
    - {org: org-b, host: h2}
subchains:
  - chain_id: sub-1
    name: Sub 1
    kind: industry
    members: [org-a, org-b]
    validators:
      - {org: org-a, host: h1, port_offset: 100}
      - {org: org-b, host: h2, port_offset: 100}
  - chain_id: plain-1
    name: Plain 1
    kind: other
    plain: true
    members: [org-b]
    validators:
      - {org: org-b, host: h2, port_offset: 200}
paths:
  status: [sub-1]
daemons:
  relayer: {host: h2}
  watchers:
    - {subchain: sub-1, org: org-b, host: h2, metrics_port: 26691}
`

func TestValid(t *testing.T) {
	n, err := Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if n.Subchains[1].Binary != MainBinary || n.Subchains[1].Sidecar != nil || n.Subchains[0].Binary != SubBinary {
		t.Errorf("binaries: %+v", n.Subchains)
	}
}

// Each broken file fails with an error naming the entry and the problem.
func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown org", "- {org: org-b, host: h2}", "- {org: org-c, host: h2}",
			`main_chain (main-1) validators[1]: org "org-c" is not in orgs`},
		{"unknown host", "- {org: org-b, host: h2}", "- {org: org-b, host: h9}",
			`main_chain (main-1) validators[1]: host "h9" is not in hosts`},
		{"duplicate host:port", "- {org: org-a, host: h1, port_offset: 100}", "- {org: org-a, host: h1}",
			`subchains[0] (sub-1) validators[0]: rpc of sub-1 port h1:26657 is also the rpc of main-1 port (duplicate host:port)`},
		{"same port on two hosts is fine, a daemon's is not", "metrics_port: 26691", "metrics_port: 26857",
			`daemons.watchers[0] (sub-1, org-b): metrics of the watcher of sub-1 for org-b port h2:26857 is also the rpc of plain-1 port`},
		{"plain chain with a status path", "status: [sub-1]", "status: [sub-1, plain-1]",
			`paths.status (plain-1): plain-1 is a plain chain (no sidecar): it can have no status path`},
		{"plain chain with a transfer path", "status: [sub-1]", "status: [sub-1]\n  transfer: [plain-1]",
			`paths.transfer (plain-1): plain-1 is a plain chain: it gets no IBC path`},
		{"path to an unknown chain", "status: [sub-1]", "status: [sub-9]",
			`paths.status (sub-9): "sub-9" is not in subchains`},
		{"unknown member", "members: [org-b]", "members: [org-b, org-x]",
			`subchains[1] (plain-1): member org "org-x" is not in orgs`},
		{"bad kind", "kind: industry", "kind: mining",
			`subchains[0] (sub-1): kind "mining": want one of file-storage, industry, cross-chain, other`},
		{"duplicate chain id", "chain_id: plain-1", "chain_id: main-1",
			`subchains[1] (main-1): chain id "main-1" is used twice`},
		{"sidecar chain on mainchaind", "kind: industry", "kind: industry\n    binary: mainchaind",
			`subchains[0] (sub-1): binary "mainchaind" has no statusreporter sidecar`},
		{"plain chain with a sidecar section", "plain: true", "plain: true\n    sidecar: {snapshot_every: 3}",
			`subchains[1] (plain-1): a plain chain runs no sidecar`},
		{"packet timeout out of range", "kind: industry", "kind: industry\n    sidecar: {packet_timeout: 30s}",
			`subchains[0] (sub-1): sidecar packet_timeout "30s": the sidecar takes 1m to 168h`},
		{"voting period too short", "kind: industry", "kind: industry\n    voting_period: 1s",
			`subchains[0] (sub-1): voting_period "1s": want whole seconds, 2s or more`},
		{"voting period not whole seconds", "kind: industry", "kind: industry\n    voting_period: 2500ms",
			`subchains[0] (sub-1): voting_period "2500ms": want whole seconds`},
		{"bad report interval", "kind: industry", "kind: industry\n    report_interval: soon",
			`subchains[0] (sub-1): report_interval "soon"`},
		{"watcher of a non-member", "- {subchain: sub-1, org: org-b, host: h2, metrics_port: 26691}",
			"- {subchain: sub-1, org: org-c, host: h2}", `daemons.watchers[0] (sub-1, org-c): org "org-c" is not a member of sub-1`},
		{"watcher of an org without a validator there", "- {org: org-b, host: h2, port_offset: 100}",
			"- {org: org-a, host: h2, port_offset: 100}",
			`daemons.watchers[0] (sub-1, org-b): org "org-b" runs no validator of sub-1`},
		{"watcher of a plain chain", "- {subchain: sub-1, org: org-b, host: h2, metrics_port: 26691}",
			"- {subchain: plain-1, org: org-b, host: h2}", `daemons.watchers[0] (plain-1, org-b): plain-1 is a plain chain`},
		{"paths without a relayer", "  relayer: {host: h2}\n", "", "daemons.relayer: the network has IBC paths but no relayer host"},
		{"duplicate host name", "{name: h2, address: 10.0.0.2}", "{name: h1, address: 10.0.0.2}", `hosts[1] (h1): host name "h1" is used twice`},
		{"bad address", "address: 10.0.0.2", "address: 'not an address'", `hosts[1] (h2): address "not an address" is neither`},
		{"relative root", "address: 10.0.0.2}", "address: 10.0.0.2, root: srv}", `hosts[1] (h2): root "srv" is not an absolute path`},
		{"monitor key clash", "{id: org-b, name: Org B, host: h2}", "{id: org-b, name: Org B, host: h2, monitors: [org-a-admin]}",
			`orgs[1] (org-b): key name "org-a-admin" (monitoring account of org org-b) is already the admin of org org-a`},
		{"misspelt field", "kind: industry", "kind: industry\n    memebers: [org-a]", "field memebers not found"},
		{"main chain on subchaind", "chain_id: main-1", "chain_id: main-1\n  binary: subchaind",
			`main_chain (main-1): binary "subchaind": the main chain runs mainchaind`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("the base file has no %q", tc.old)
			}
			_, err := Parse([]byte(strings.Replace(base, tc.old, tc.new, 1)))
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// All problems are reported at once, not only the first.
func TestInvalidReportsEvery(t *testing.T) {
	bad := strings.Replace(strings.Replace(base, "kind: industry", "kind: mining", 1), "- {org: org-b, host: h2}", "- {org: org-c, host: h2}", 1)
	_, err := Parse([]byte(bad))
	if err == nil || !strings.Contains(err.Error(), "mining") || !strings.Contains(err.Error(), "org-c") {
		t.Fatalf("want both problems, got %v", err)
	}
	if _, err := Parse(nil); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty file: %v", err)
	}
}

// The localnet's LOCALNET_VALIDATORS: more validators on the first one's
// host, 10 ports apart; fewer keeps the first ones; clashes are caught.
func TestSetValidators(t *testing.T) {
	n, err := Load(repoFile(t, "network/localnet.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetValidators("subchain-a", 4); err != nil {
		t.Fatal(err)
	}
	v := n.Subchain("subchain-a").Validators
	if len(v) != 4 || v[2].PortOffset != 120 || v[3].PortOffset != 130 || v[2].Org != "org-a" || v[3].Org != "org-b" || v[3].Host != "local" {
		t.Fatalf("validators %+v", v)
	}
	if err := n.SetValidators("mainchain-1", 1); err != nil || len(n.MainChain.Validators) != 1 {
		t.Fatalf("%v %+v", err, n.MainChain.Validators)
	}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	// subchain-a's 11th validator would sit on subchain-b's ports.
	if err := n.SetValidators("subchain-a", 11); err != nil {
		t.Fatal(err)
	}
	if err := n.Validate(); err == nil || !strings.Contains(err.Error(), "rpc of subchain-b port local:26857 is also the rpc of subchain-a-node10 port") {
		t.Fatalf("want a port clash, got %v", err)
	}
	if err := n.SetValidators("nope", 2); err == nil || !strings.Contains(err.Error(), `no chain "nope"`) {
		t.Fatalf("unknown chain: %v", err)
	}
	if err := n.SetValidators("subchain-b", 0); err == nil {
		t.Fatal("0 validators accepted")
	}
}
