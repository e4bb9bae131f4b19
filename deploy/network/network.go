// Package network reads and checks a statuscollect network file: the one
// description of a network's chains, validators, hosts, orgs, IBC paths and
// daemons that both the loopback localnet and a deployment across hosts are
// generated from (see docs/deploy.md).
package network

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// Network is the whole file.
type Network struct {
	// Name names the network in generated files (unit descriptions, the summary).
	Name  string `yaml:"name"`
	Hosts []Host `yaml:"hosts"`
	// Admin is the consortium's operator: the collector's admin on the main
	// chain, the sidecar's admin on every subchain with a sidecar, and a funded
	// "user" account on every chain. Its keys are put on Admin.Host.
	Admin     Admin      `yaml:"admin"`
	Orgs      []Org      `yaml:"orgs"`
	MainChain Chain      `yaml:"main_chain"`
	Subchains []Subchain `yaml:"subchains"`
	Paths     Paths      `yaml:"paths"`
	Daemons   Daemons    `yaml:"daemons"`
}

// Host is a machine (or, in the namespace test, a network namespace).
type Host struct {
	Name string `yaml:"name"`
	// Address is what the other hosts reach this one at: peers, the relayer
	// and daemons dial it, and nodes advertise it as their external address.
	Address string `yaml:"address"`
	// Listen is the address the host's services bind to (default Address;
	// 0.0.0.0 behind a NAT).
	Listen string `yaml:"listen,omitempty"`
	// Root is where the host's generated folder is copied to: every home,
	// binary and env file under it (default /var/lib/statuscollect).
	Root string `yaml:"root,omitempty"`
	// User runs the systemd units (default statuscollect).
	User string `yaml:"user,omitempty"`
}

// Admin names where the consortium admin's keys go.
type Admin struct {
	Host string `yaml:"host"`
}

// Org is an organization of the consortium.
type Org struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// Host holds the org's keys: its admin (<id>-admin) and its monitoring
	// accounts on the main chain.
	Host string `yaml:"host"`
	// Monitors are the key names of the org's monitoring accounts on the
	// main chain, each granted on every subchain the org is a member of
	// (default one, <id>-monitor).
	Monitors []string `yaml:"monitors,omitempty"`
}

// Chain is the part common to the main chain and the subchains.
type Chain struct {
	ChainID string `yaml:"chain_id"`
	// Binary is mainchaind or subchaind (the generator knows their denoms
	// and address prefixes). Default: mainchaind for the main chain and for
	// plain chains, subchaind for chains with the sidecar.
	Binary     string      `yaml:"binary,omitempty"`
	Validators []Validator `yaml:"validators"`
	// VotingPeriod is the governance voting period (default the SDK's, 48h;
	// the expedited one is half of it). A rehearsal of a software upgrade
	// on a test network wants seconds.
	VotingPeriod string `yaml:"voting_period,omitempty"`
}

// Subchain is a chain registered on the main chain.
type Subchain struct {
	Chain `yaml:",inline"`
	// Name is its name in the main chain's registry.
	Name string `yaml:"name"`
	// Kind is file-storage, industry, cross-chain or other.
	Kind string `yaml:"kind"`
	// Plain marks a chain without the statusreporter sidecar: no sidecar
	// genesis, no status path; its orgs report it by transaction.
	Plain bool `yaml:"plain,omitempty"`
	// Members are the orgs taking part: memberships on the main chain with
	// their monitoring accounts granted, and the sidecar's org list.
	Members []string `yaml:"members"`
	// ReportInterval is how often the main chain expects a report (default 30s).
	ReportInterval string `yaml:"report_interval,omitempty"`
	// Sidecar is the statusreporter's pace; only for chains with the sidecar.
	Sidecar *Sidecar `yaml:"sidecar,omitempty"`
}

// Sidecar is the statusreporter's genesis parameters.
type Sidecar struct {
	// SnapshotEvery is the number of blocks between snapshots (default 5).
	SnapshotEvery int `yaml:"snapshot_every,omitempty"`
	// HeartbeatEvery is the number of unchanged snapshots before a heartbeat report (default 6).
	HeartbeatEvery int `yaml:"heartbeat_every,omitempty"`
	// PacketTimeout is the status packets' timeout, 1m to 168h (default 600s).
	PacketTimeout string `yaml:"packet_timeout,omitempty"`
}

// Validator is one validator node of a chain.
type Validator struct {
	// Org runs it (informative on the chain; it decides nothing there).
	Org  string `yaml:"org"`
	Host string `yaml:"host"`
	// PortOffset is added to every default port (26657 rpc, 26656 p2p,
	// 9090 grpc, 1317 api, 26658 abci, 26660 prometheus).
	PortOffset int `yaml:"port_offset,omitempty"`
	// Ports overrides single ports.
	Ports Ports `yaml:"ports,omitempty"`
}

// Ports are a node's ports; 0 means the default plus the port offset.
type Ports struct {
	RPC        int `yaml:"rpc,omitempty"`
	P2P        int `yaml:"p2p,omitempty"`
	GRPC       int `yaml:"grpc,omitempty"`
	API        int `yaml:"api,omitempty"`
	ABCI       int `yaml:"abci,omitempty"`
	Prometheus int `yaml:"prometheus,omitempty"`
}

// Paths are the IBC paths the relayer opens and relays.
type Paths struct {
	// Transfer lists the subchains with an ICS-20 channel to the main chain.
	Transfer []string `yaml:"transfer,omitempty"`
	// Status lists the subchains with a status channel to the main chain
	// (each must run the sidecar).
	Status []string `yaml:"status,omitempty"`
	// StatusClientTrustingPeriod is the trusting period of the status
	// paths' clients (default rly's: 85% of the unbonding time).
	StatusClientTrustingPeriod string `yaml:"status_client_trusting_period,omitempty"`
}

// Daemons say which daemon runs on which host.
type Daemons struct {
	Relayer   *Relayer   `yaml:"relayer,omitempty"`
	Watchers  []Watcher  `yaml:"watchers,omitempty"`
	Reporters []Reporter `yaml:"reporters,omitempty"`
}

// Relayer is the rly relayer of every path.
type Relayer struct {
	Host string `yaml:"host"`
}

// Watcher is a subchain's report watcher (subchaind watcher start), run by
// an org: it disputes, on the subchain, reports that disagree with the
// subchain's nodes. The sidecar takes disputes from bonded validators'
// operators only, so it signs with the operator key of the org's first
// validator of the subchain (also put into the watcher's home).
type Watcher struct {
	Subchain    string `yaml:"subchain"`
	Org         string `yaml:"org"`
	Host        string `yaml:"host"`
	MetricsPort int    `yaml:"metrics_port,omitempty"`
}

// Reporter is an org's reporter daemon (mainchaind reporter start): it
// reports a subchain by transaction with the org's first monitoring account.
type Reporter struct {
	Subchain    string `yaml:"subchain"`
	Org         string `yaml:"org"`
	Host        string `yaml:"host"`
	MetricsPort int    `yaml:"metrics_port,omitempty"`
}

// Load reads, defaults and validates a network file.
func Load(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	n, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// Parse decodes a network file (unknown fields are errors, so a misspelt
// key does not silently fall back to a default), fills in the defaults and
// validates it.
func Parse(data []byte) (*Network, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var n Network
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the network file is empty")
		}
		return nil, err
	}
	// A second document would be dropped unread: refuse it rather than
	// deploy half of what the file says.
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("after the network: %w", err)
		}
		return nil, fmt.Errorf("line %d: a second YAML document: a network file holds one network", extra.Line)
	}
	n.SetDefaults()
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return &n, nil
}
