package generate

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/statuscollect/statuscollect/deploy/network"
)

// binDir is the repository's build/ folder, if the binaries are built.
func binDir(t *testing.T) string {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	dir := filepath.Join(root, "build")
	for _, b := range []string{"mainchaind", "subchaind", "rly", "statusnet"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			t.Skipf("build/%s not built (make build tools): the generation runs the real binaries", b)
		}
	}
	return dir
}

// keysIn lists the key names of the test keyring under home.
func keysIn(t *testing.T, home string) []string {
	entries, err := os.ReadDir(filepath.Join(home, "keyring-test"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".info"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// The deploy-test network generated with the real binaries: every key only
// on the host that owns it, one genesis for all of a chain's nodes, peers
// at the other hosts' addresses, every unit's paths present.
func TestGenerateDeployTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the chain binaries and rly (about 20 s)")
	}
	bins := binDir(t)
	_, self, _, _ := runtime.Caller(0)
	n, err := network.Load(filepath.Join(filepath.Dir(self), "..", "..", "network", "deploy-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for i := range n.Hosts {
		n.Hosts[i].Root = filepath.Join(out, "hosts", n.Hosts[i].Name)
	}
	sum, err := Run(Options{Network: n, Out: out, BinDir: bins, Cosmovisor: "/usr/local/bin/cosmovisor"})
	if err != nil {
		t.Fatal(err)
	}
	root := func(h string) string { return n.Host(h).Root }
	// Keys by owner.
	for _, tc := range []struct {
		home string
		keys string
	}{
		{filepath.Join(root("main-0"), "nodes", "mainchain-1"), "validator"},
		{filepath.Join(root("main-1"), "nodes", "mainchain-1-node1"), "validator1"},
		{filepath.Join(root("sub-0"), "nodes", "subchain-a"), "validator"},
		{filepath.Join(root("sub-1"), "nodes", "subchain-a-node1"), "validator1"},
		{filepath.Join(root("relay"), "clients", "mainchain-1"), "admin,user"},
		{filepath.Join(root("relay"), "clients", "subchain-a"), "admin,user"},
		{filepath.Join(root("daemons"), "clients", "mainchain-1"), "org-a-admin,org-a-monitor,org-b-admin,org-b-monitor"},
		// org-b's watcher signs with org-b's validator operator key on subchain-a.
		{filepath.Join(root("daemons"), "watchers", "subchain-a-org-b"), "validator1"},
		{filepath.Join(root("relay"), "rly", "keys", "mainchain-1"), "relayer"},
		{filepath.Join(root("relay"), "rly", "keys", "subchain-a"), "relayer"},
	} {
		if got := strings.Join(keysIn(t, tc.home), ","); got != tc.keys {
			t.Errorf("%s holds keys %q, want %q", tc.home, got, tc.keys)
		}
	}
	for _, h := range []string{"main-0", "main-1", "sub-0", "sub-1"} {
		if _, err := os.Stat(filepath.Join(root(h), "clients")); err == nil {
			t.Errorf("validator host %s has client homes (keys it does not own)", h)
		}
	}
	// One genesis per chain.
	for _, c := range sum.Chains {
		var first []byte
		for _, node := range c.Nodes {
			g, err := os.ReadFile(filepath.Join(node.Home, "config", "genesis.json"))
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = g
			} else if !bytes.Equal(first, g) {
				t.Errorf("%s: node %s has another genesis", c.ChainID, node.Name)
			}
			cfg, err := os.ReadFile(filepath.Join(node.Home, "config", "config.toml"))
			if err != nil {
				t.Fatal(err)
			}
			for _, other := range c.Nodes {
				peer := other.NodeID + "@" + other.P2P
				if has := bytes.Contains(cfg, []byte(peer)); has != (other.Name != node.Name) {
					t.Errorf("%s: peer %s in its config: %v", node.Name, peer, has)
				}
			}
			addr := n.Host(node.Host).Address
			for _, want := range []string{`laddr = "tcp://` + addr + `:31657"`, `external_address = "` + addr + `:31656"`} {
				if !bytes.Contains(cfg, []byte(want)) {
					t.Errorf("%s: config.toml has no %s", node.Name, want)
				}
			}
			if _, err := os.Stat(network.CosmovisorBin(node.Home, c.Binary)); err != nil {
				t.Errorf("%s: no binary in cosmovisor's genesis folder: %v", node.Name, err)
			}
		}
	}
	// Every unit names files that exist.
	for host, hs := range sum.Hosts {
		for _, u := range hs.Units {
			data, err := os.ReadFile(filepath.Join(hs.Root, "systemd", u))
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(data), "\n") {
				for _, prefix := range []string{"Environment=DAEMON_HOME=", "EnvironmentFile=", "ExecStart="} {
					v, ok := strings.CutPrefix(line, prefix)
					if !ok {
						continue
					}
					path := strings.Fields(v)[0]
					if path == "/usr/local/bin/cosmovisor" {
						continue
					}
					if _, err := os.Stat(path); err != nil {
						t.Errorf("%s on %s: %s%s does not exist", u, host, prefix, path)
					}
				}
			}
		}
	}
	// Generating again keeps the addresses, and refuses without --force.
	if _, err := Run(Options{Network: n, Out: out, BinDir: bins}); err == nil || !strings.Contains(err.Error(), "pass --force") {
		t.Fatalf("second run without force: %v", err)
	}
	again, err := Run(Options{Network: n, Out: out, BinDir: bins, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range again.Chains {
		for k, a := range c.Keys {
			if sum.Chains[i].Keys[k] != a {
				t.Errorf("%s key %s: %s, then %s", c.ChainID, k, sum.Chains[i].Keys[k], a)
			}
		}
	}
}
