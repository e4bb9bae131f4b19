// Package generate writes, from a network file, each host's folder: node
// homes (keys only where they are owned, one shared genesis per chain with
// the network's presets, peers, addresses and ports), client homes with the
// admins' and orgs' keys, the relayer's home, daemon env files, systemd
// units in cosmovisor's layout and the binaries they run (docs/deploy.md).
package generate

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/cometbft/cometbft/p2p"

	"github.com/statuscollect/statuscollect/deploy/genesisjson"
	"github.com/statuscollect/statuscollect/deploy/network"
)

// Every funded account's balance and every validator's self-delegation,
// as on the localnet (equal stakes, so equal voting power).
const (
	accountBalance = "1000000000000"
	validatorStake = "100000000000"
)

// Options of a generation.
type Options struct {
	Network *network.Network
	// Out receives hosts/<host>/ (each host's root, to copy there),
	// keys/ (every mnemonic: the generator's secret, kept across runs so
	// addresses stay) and summary.json.
	Out string
	// BinDir holds mainchaind, subchaind, rly and statusnet.
	BinDir string
	// Cosmovisor is the cosmovisor binary's path on the hosts, for the units.
	Cosmovisor string
	// Force replaces an earlier generation in Out (keys/ is kept).
	Force bool
	// Log reports progress; nil for quiet.
	Log func(format string, args ...any)
}

type generator struct {
	Options
	// mu guards what the chains, made side by side, share: addrs' outer
	// map, bins, clientHosts and the summary's units.
	mu   sync.Mutex
	n    *network.Network
	keys *keyStore
	work string
	sum  Summary
	// addrs: chain id -> key name -> address.
	addrs map[string]map[string]string
	// bins: host -> binaries its bin/ folder needs.
	bins map[string]map[string]bool
	// clientHosts: host -> chain ids it has a client home for.
	clientHosts map[string]map[string]bool
}

// DefaultCosmovisor is cosmovisor's path on the hosts when Options.Cosmovisor is empty.
const DefaultCosmovisor = "/usr/local/bin/cosmovisor"

// Run generates the network's folders. A generation that fails part-way
// removes what it wrote (see cleanup): half a network is not left to copy.
func Run(o Options) (*Summary, error) {
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if o.Cosmovisor == "" {
		o.Cosmovisor = DefaultCosmovisor
	}
	// The network again: its caller may have changed it since it was
	// parsed (--local-roots rewrites the roots), and the units, env files
	// and genesis are written from it as it is.
	if err := o.Network.Validate(); err != nil {
		return nil, err
	}
	if err := network.CheckHostPath(o.Cosmovisor); err != nil {
		return nil, fmt.Errorf("cosmovisor %q %v", o.Cosmovisor, err)
	}
	g := &generator{Options: o, n: o.Network, keys: newKeyStore(filepath.Join(o.Out, "keys")),
		addrs: map[string]map[string]string{}, bins: map[string]map[string]bool{}, clientHosts: map[string]map[string]bool{}}
	for _, b := range []string{network.MainBinary, network.SubBinary} {
		if _, err := os.Stat(filepath.Join(o.BinDir, b)); err != nil {
			return nil, fmt.Errorf("%s not found in %s: build it first (make build)", b, o.BinDir)
		}
	}
	if g.n.Daemons.Relayer != nil {
		for _, b := range []string{"rly", "statusnet"} {
			if _, err := os.Stat(filepath.Join(o.BinDir, b)); err != nil {
				return nil, fmt.Errorf("%s not found in %s: the relayer's host needs it (make build tools)", b, o.BinDir)
			}
		}
	}
	_, err := os.Stat(o.Out)
	outExisted := err == nil
	_, err = os.Stat(g.keys.dir)
	keysExisted := err == nil
	if err := g.prepareOut(); err != nil {
		return nil, err
	}
	sum, err := g.generate()
	if err != nil {
		if cerr := g.cleanup(outExisted, keysExisted); cerr != nil {
			return nil, fmt.Errorf("%w\n(and removing the partial generation failed: %v)", err, cerr)
		}
		return nil, err
	}
	return sum, nil
}

// generate writes the network into the prepared output folder.
func (g *generator) generate() (*Summary, error) {
	g.sum = Summary{Network: g.n.Name, MainChain: g.n.MainChain.ChainID, AdminHost: g.n.Admin.Host,
		OrgHosts: map[string]string{}, Hosts: map[string]*HostSummary{}}
	for _, o := range g.n.Orgs {
		g.sum.OrgHosts[o.ID] = o.Host
	}
	if g.n.Daemons.Relayer != nil {
		g.sum.RelayerHost = g.n.Daemons.Relayer.Host
	}
	for _, h := range g.n.Hosts {
		g.sum.Hosts[h.Name] = &HostSummary{Address: h.Address, Root: h.Root, Dir: g.hostDir(&h)}
	}
	steps := []func() error{g.chains, g.clientHomes, g.relayer, g.daemons, g.binaries, g.networkFiles}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if err := os.RemoveAll(g.work); err != nil {
		return nil, err
	}
	for _, h := range g.sum.Hosts {
		sort.Strings(h.Units)
	}
	if err := genesisjson.Write(filepath.Join(g.Out, "summary.json"), g.sum); err != nil {
		return nil, err
	}
	return &g.sum, nil
}

// cleanup removes what a failed generation wrote after prepareOut: the
// output folder if this run made it; else the hosts' folders, the scratch
// folder, the summary, and keys/ when this run made it (its mnemonics went
// nowhere). Keys an earlier run made are kept, as prepareOut keeps them.
func (g *generator) cleanup(outExisted, keysExisted bool) error {
	if !outExisted {
		return os.RemoveAll(g.Out)
	}
	paths := []string{filepath.Join(g.Out, "hosts"), g.work, filepath.Join(g.Out, "summary.json")}
	if !keysExisted {
		paths = append(paths, g.keys.dir)
	}
	var errs []error
	for _, p := range paths {
		errs = append(errs, os.RemoveAll(p))
	}
	return errors.Join(errs...)
}

// prepareOut refuses to write over an earlier generation unless forced,
// and keeps its keys either way.
func (g *generator) prepareOut() error {
	hosts := filepath.Join(g.Out, "hosts")
	if _, err := os.Stat(hosts); err == nil {
		if !g.Force {
			return fmt.Errorf("%s already holds a generated network: pass --force to replace it (its keys/ are kept)", g.Out)
		}
		if err := os.RemoveAll(hosts); err != nil {
			return err
		}
	}
	g.work = filepath.Join(g.Out, ".work")
	if err := os.RemoveAll(g.work); err != nil {
		return err
	}
	return os.MkdirAll(g.work, 0o755)
}

// hostDir is where host h's root is written.
func (g *generator) hostDir(h *network.Host) string {
	return filepath.Join(g.Out, "hosts", h.Name)
}

// local maps a path on host h (under its root) to where it is written here.
func (g *generator) local(host, path string) string {
	h := g.n.Host(host)
	rel, err := filepath.Rel(h.Root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		panic(fmt.Sprintf("%s is not under %s's root %s", path, host, h.Root))
	}
	return filepath.Join(g.hostDir(h), rel)
}

func (g *generator) needBin(host, bin string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.bins[host] == nil {
		g.bins[host] = map[string]bool{}
	}
	g.bins[host][bin] = true
}

func (g *generator) needClient(host, chainID string) {
	g.mu.Lock()
	if g.clientHosts[host] == nil {
		g.clientHosts[host] = map[string]bool{}
	}
	g.clientHosts[host][chainID] = true
	g.mu.Unlock()
	g.needBin(host, g.n.Chain(chainID).Binary)
}

// run execs a binary; a failure carries its output.
func run(bin string, args ...string) error {
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(out, 20))
	}
	return nil
}

func tail(out []byte, lines int) string {
	l := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// keyUse is a key of a chain and the keyring homes it goes to.
type keyUse struct {
	name  string
	homes []string // local paths of homes (keyring-test inside)
}

// chainKeys lists the keys of chain c besides the validators': who owns
// them decides where they go.
func (g *generator) chainKeys(c *network.Chain) []keyUse {
	n := g.n
	admin := n.Host(n.Admin.Host)
	client := func(h *network.Host) string {
		g.needClient(h.Name, c.ChainID)
		return g.local(h.Name, h.ClientHome(c.ChainID))
	}
	// The relayer's key is restored into rly's own keyring (see relayer);
	// it is funded on every chain, as on the localnet.
	uses := []keyUse{{name: "relayer"}, {name: "user", homes: []string{client(admin)}}}
	if c == &n.MainChain {
		uses = append(uses, keyUse{name: "admin", homes: []string{client(admin)}})
		for _, o := range n.Orgs {
			oh := n.Host(o.Host)
			uses = append(uses, keyUse{name: o.ID + "-admin", homes: []string{client(oh)}})
			for mi, m := range o.Monitors {
				u := keyUse{name: m, homes: []string{client(oh)}}
				// An org's reporter daemons sign with its first monitoring account.
				if mi == 0 {
					for _, r := range n.Daemons.Reporters {
						if r.Org == o.ID {
							rh := n.Host(r.Host)
							u.homes = append(u.homes, g.local(r.Host, rh.ReporterHome(r.Subchain, r.Org)))
						}
					}
				}
				uses = append(uses, u)
			}
		}
		return uses
	}
	s := n.Subchain(c.ChainID)
	if !s.Plain {
		uses = append(uses, keyUse{name: "admin", homes: []string{client(admin)}})
	}
	return uses
}

// chains makes every chain's node homes and shared genesis, the chains
// side by side (each runs its binary a few times per node).
func (g *generator) chains() error {
	chains := g.n.Chains()
	errs := make([]error, len(chains))
	sums := make([]ChainSummary, len(chains))
	var wg sync.WaitGroup
	for i, c := range chains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := g.chain(c)
			if err != nil {
				errs[i] = fmt.Errorf("chain %s: %w", c.ChainID, err)
				return
			}
			sums[i] = *s
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	g.sum.Chains = sums
	return nil
}

func (g *generator) chain(c *network.Chain) (*ChainSummary, error) {
	n := g.n
	bin := filepath.Join(g.BinDir, c.Binary)
	denom, prefix := network.Denom(c.Binary), network.Prefix(c.Binary)
	g.Log("%s: %d validator(s), %s", c.ChainID, len(c.Validators), c.Binary)
	addrs := map[string]string{}
	g.mu.Lock()
	g.addrs[c.ChainID] = addrs
	g.mu.Unlock()
	homes := make([]string, len(c.Validators))
	for i, v := range c.Validators {
		homes[i] = g.local(v.Host, n.NodeHome(c, i))
		if err := run(bin, "init", network.Moniker(c.ChainID, i), "--chain-id", c.ChainID,
			"--default-denom", denom, "--home", homes[i]); err != nil {
			return nil, err
		}
		// The validator's operator key lives only in its node's home.
		addr, err := g.keys.add(homes[i], c.ChainID, network.ValidatorKey(i), prefix)
		if err != nil {
			return nil, err
		}
		addrs[network.ValidatorKey(i)] = addr
	}
	// A watcher signs its disputes with its org's validator operator key.
	if s := n.Subchain(c.ChainID); s != nil {
		for _, w := range n.Daemons.Watchers {
			if w.Subchain != s.ChainID {
				continue
			}
			home := g.local(w.Host, n.Host(w.Host).WatcherHome(w.Subchain, w.Org))
			if _, err := g.keys.add(home, c.ChainID, network.ValidatorKey(s.WatcherValidator(w.Org)), prefix); err != nil {
				return nil, err
			}
		}
	}
	for _, u := range g.chainKeys(c) {
		var addr string
		var err error
		if len(u.homes) == 0 {
			addr, err = g.keys.address(c.ChainID, u.name, prefix)
		}
		for _, h := range u.homes {
			if addr, err = g.keys.add(h, c.ChainID, u.name, prefix); err != nil {
				break
			}
		}
		if err != nil {
			return nil, err
		}
		addrs[u.name] = addr
	}
	// Fund every key of the chain in node 0's genesis.
	type coin struct {
		Denom  string `json:"denom"`
		Amount string `json:"amount"`
	}
	type account struct {
		Address string `json:"address"`
		Coins   []coin `json:"coins"`
	}
	var accounts []account
	names := sortedKeys(addrs)
	for _, name := range names {
		accounts = append(accounts, account{addrs[name], []coin{{denom, accountBalance}}})
	}
	accFile := filepath.Join(g.work, c.ChainID+"-accounts.json")
	if err := genesisjson.Write(accFile, accounts); err != nil {
		return nil, err
	}
	if err := run(bin, "genesis", "bulk-add-genesis-account", accFile, "--home", homes[0]); err != nil {
		return nil, err
	}
	genesis0 := filepath.Join(homes[0], "config", "genesis.json")
	gentxDir := filepath.Join(g.work, c.ChainID+"-gentx")
	if err := os.MkdirAll(gentxDir, 0o755); err != nil {
		return nil, err
	}
	for i := range c.Validators {
		// gentx checks the validator's funds in the genesis it is given.
		if i > 0 {
			if err := copyFile(genesis0, filepath.Join(homes[i], "config", "genesis.json"), 0o644); err != nil {
				return nil, err
			}
		}
		if err := run(bin, "genesis", "gentx", network.ValidatorKey(i), validatorStake+denom, "--chain-id", c.ChainID,
			"--keyring-backend", "test", "--home", homes[i],
			"--output-document", filepath.Join(gentxDir, network.NodeName(c.ChainID, i)+".json")); err != nil {
			return nil, err
		}
	}
	if err := run(bin, "genesis", "collect-gentxs", "--gentx-dir", gentxDir, "--home", homes[0]); err != nil {
		return nil, err
	}
	if err := g.preset(c, genesis0); err != nil {
		return nil, err
	}
	if err := run(bin, "genesis", "validate", genesis0); err != nil {
		return nil, fmt.Errorf("the preset genesis does not validate: %w", err)
	}
	ids := make([]string, len(c.Validators))
	for i := range c.Validators {
		if i > 0 {
			if err := copyFile(genesis0, filepath.Join(homes[i], "config", "genesis.json"), 0o644); err != nil {
				return nil, err
			}
		}
		nk, err := p2p.LoadNodeKey(filepath.Join(homes[i], "config", "node_key.json"))
		if err != nil {
			return nil, err
		}
		ids[i] = string(nk.ID())
		// gentx leaves the validator's own copy in its home; the shared
		// genesis has them all.
		_ = os.RemoveAll(filepath.Join(homes[i], "config", "gentx"))
	}
	cs := ChainSummary{ChainID: c.ChainID, Binary: c.Binary, Denom: denom, Prefix: prefix, Keys: addrs}
	for i, v := range c.Validators {
		if err := g.configNode(c, i, ids, homes[i]); err != nil {
			return nil, err
		}
		// cosmovisor's layout: the genesis binary in <home>/cosmovisor/genesis/bin.
		home := n.NodeHome(c, i)
		if err := linkOrCopy(bin, g.local(v.Host, network.CosmovisorBin(home, c.Binary))); err != nil {
			return nil, err
		}
		unit := network.UnitName(network.NodeName(c.ChainID, i))
		if err := g.writeUnit(v.Host, unit, g.nodeUnit(c, i)); err != nil {
			return nil, err
		}
		p := v.EffectivePorts()
		cs.Nodes = append(cs.Nodes, NodeSummary{Name: network.NodeName(c.ChainID, i), Host: v.Host, Org: v.Org,
			NodeID: ids[i], Home: home, Unit: unit, RPC: n.RPC(c, i), GRPC: n.GRPC(c, i), API: n.API(c, i),
			P2P: n.P2P(c, i), Ports: map[string]int{"rpc": p.RPC, "p2p": p.P2P, "grpc": p.GRPC, "api": p.API}})
	}
	return &cs, nil
}

// preset writes the network's presets into the chain's genesis.
func (g *generator) preset(c *network.Chain, path string) error {
	gen, err := genesisjson.Read(path)
	if err != nil {
		return err
	}
	g.mu.Lock()
	addrs := g.addrs[c.ChainID]
	g.mu.Unlock()
	if c == &g.n.MainChain {
		p := mainPreset{Admin: addrs["admin"], OrgAdmins: map[string]string{}, Monitors: map[string][]string{}}
		for _, o := range g.n.Orgs {
			p.OrgAdmins[o.ID] = addrs[o.ID+"-admin"]
			for _, m := range o.Monitors {
				p.Monitors[o.ID] = append(p.Monitors[o.ID], addrs[m])
			}
		}
		err = presetMain(gen, g.n, p)
	} else if s := g.n.Subchain(c.ChainID); !s.Plain {
		err = presetSub(gen, s, addrs["admin"])
	}
	if err != nil {
		return err
	}
	if err := presetGov(gen, c); err != nil {
		return err
	}
	return genesisjson.Write(path, gen)
}

// configNode puts node i's services on its host's listen address and
// ports, advertises the host's address, and peers it with the chain's
// other nodes.
func (g *generator) configNode(c *network.Chain, i int, ids []string, home string) error {
	n := g.n
	v := c.Validators[i]
	h := n.Host(v.Host)
	p := v.EffectivePorts()
	listen := func(port int) string { return net.JoinHostPort(h.Listen, fmt.Sprint(port)) }
	var peers []string
	strict, dupIP := true, false
	seen := map[string]bool{}
	for m, w := range c.Validators {
		addr := n.Host(w.Host).Address
		// CometBFT's strict address book drops private and loopback
		// addresses: a consortium's hosts on a private network need it off.
		if ip := net.ParseIP(addr); ip != nil && (ip.IsPrivate() || ip.IsLoopback()) {
			strict = false
		}
		if seen[addr] {
			dupIP = true
		}
		seen[addr] = true
		if m != i {
			peers = append(peers, ids[m]+"@"+n.P2P(c, m))
		}
	}
	if err := setTOML(filepath.Join(home, "config", "config.toml"), map[string]string{
		// The app runs in the node's process: proxy_app is not listened on.
		".proxy_app":                q("tcp://127.0.0.1:" + fmt.Sprint(p.ABCI)),
		"rpc.laddr":                 q("tcp://" + listen(p.RPC)),
		"rpc.pprof_laddr":           q(""),
		"p2p.laddr":                 q("tcp://" + listen(p.P2P)),
		"p2p.external_address":      q(n.P2P(c, i)),
		"p2p.persistent_peers":      q(strings.Join(peers, ",")),
		"p2p.addr_book_strict":      fmt.Sprint(strict),
		"p2p.allow_duplicate_ip":    fmt.Sprint(dupIP),
		"consensus.timeout_commit":  q("1s"),
		"consensus.timeout_propose": q("1s"),
		// CometBFT's metrics and the app's telemetry (on the REST server's
		// /metrics) are on for Prometheus (monitoring/), and so is the REST
		// server's Swagger page.
		"instrumentation.prometheus":             "true",
		"instrumentation.prometheus_listen_addr": q(listen(p.Prometheus)),
	}); err != nil {
		return err
	}
	if err := setTOML(filepath.Join(home, "config", "app.toml"), map[string]string{
		"telemetry.enabled":                   "true",
		"telemetry.prometheus-retention-time": "60",
		"api.enable":                          "true",
		"api.swagger":                         "true",
		"api.address":                         q("tcp://" + listen(p.API)),
		"grpc.enable":                         "true",
		"grpc.address":                        q(listen(p.GRPC)),
		"grpc-web.enable":                     "false",
	}); err != nil {
		return err
	}
	return setTOML(filepath.Join(home, "config", "client.toml"), map[string]string{
		".chain-id":        q(c.ChainID),
		".keyring-backend": q("test"),
		".node":            q(n.RPC(c, i)),
	})
}

// clientHomes writes client.toml into every client home: the chain, the
// test keyring, and the chain's first node.
func (g *generator) clientHomes() error {
	for host, chains := range g.clientHosts {
		h := g.n.Host(host)
		for id := range chains {
			c := g.n.Chain(id)
			dir := filepath.Join(g.local(host, h.ClientHome(id)), "config")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			toml := fmt.Sprintf("# The client of %s on host %s (generated by statusnet).\nchain-id = %s\nkeyring-backend = \"test\"\nkeyring-default-keyname = \"\"\noutput = \"text\"\nnode = %s\nbroadcast-mode = \"sync\"\n",
				id, host, q(id), q(g.n.RPC(c, 0)))
			if err := os.WriteFile(filepath.Join(dir, "client.toml"), []byte(toml), 0o644); err != nil {
				return err
			}
			g.sum.Hosts[host].Clients = append(g.sum.Hosts[host].Clients, ClientSummary{ChainID: id, Home: h.ClientHome(id)})
		}
		sort.Slice(g.sum.Hosts[host].Clients, func(i, j int) bool {
			return g.sum.Hosts[host].Clients[i].ChainID < g.sum.Hosts[host].Clients[j].ChainID
		})
	}
	return nil
}

// binaries links (or copies) into each host's bin/ what it runs.
func (g *generator) binaries() error {
	for host, bins := range g.bins {
		h := g.n.Host(host)
		for b := range bins {
			if err := linkOrCopy(filepath.Join(g.BinDir, b), g.local(host, filepath.Join(h.BinDir(), b))); err != nil {
				return err
			}
		}
	}
	return nil
}

// networkFiles puts the network file, with every default filled in, on
// every host: statusnet link reads it there.
func (g *generator) networkFiles() error {
	data, err := marshalNetwork(g.n)
	if err != nil {
		return err
	}
	for _, h := range g.n.Hosts {
		p := g.local(h.Name, h.NetworkFile())
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// linkOrCopy hard-links src to dst (a binary is large and every node has
// its own cosmovisor folder), copying when they are on different filesystems.
func linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	_ = os.Remove(dst)
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return copyFile(src, dst, 0o755)
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Summary is summary.json: where everything went, for scripts and people.
type Summary struct {
	Network   string `json:"network"`
	MainChain string `json:"main_chain"`
	// AdminHost holds the consortium admin's client homes, OrgHosts each
	// org's, RelayerHost the relayer (statusnet link runs there).
	AdminHost   string                  `json:"admin_host"`
	OrgHosts    map[string]string       `json:"org_hosts"`
	RelayerHost string                  `json:"relayer_host,omitempty"`
	Chains      []ChainSummary          `json:"chains"`
	Hosts       map[string]*HostSummary `json:"hosts"`
}

// ChainSummary is one chain.
type ChainSummary struct {
	ChainID string            `json:"chain_id"`
	Binary  string            `json:"binary"`
	Denom   string            `json:"denom"`
	Prefix  string            `json:"prefix"`
	Keys    map[string]string `json:"keys"`
	Nodes   []NodeSummary     `json:"nodes"`
}

// NodeSummary is one validator node.
type NodeSummary struct {
	Name   string         `json:"name"`
	Host   string         `json:"host"`
	Org    string         `json:"org"`
	NodeID string         `json:"node_id"`
	Home   string         `json:"home"`
	Unit   string         `json:"unit"`
	RPC    string         `json:"rpc"`
	GRPC   string         `json:"grpc"`
	API    string         `json:"api"`
	P2P    string         `json:"p2p"`
	Ports  map[string]int `json:"ports"`
}

// HostSummary is one host: its root, where it was written, its units.
type HostSummary struct {
	Address string          `json:"address"`
	Root    string          `json:"root"`
	Dir     string          `json:"dir"`
	Units   []string        `json:"units"`
	Clients []ClientSummary `json:"clients,omitempty"`
}

// ClientSummary is a client home on a host.
type ClientSummary struct {
	ChainID string `json:"chain_id"`
	Home    string `json:"home"`
}
