package network

import (
	"fmt"
	"time"

	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// Defaults, as scripts/localnet.sh has always run the network.
const (
	DefaultRoot           = "/var/lib/statuscollect"
	DefaultUser           = "statuscollect"
	DefaultReportInterval = "30s"
	DefaultSnapshotEvery  = 5
	DefaultHeartbeatEvery = 6
	DefaultPacketTimeout  = "600s"
	MainBinary            = "mainchaind"
	SubBinary             = "subchaind"
)

// The default port of each service at port offset 0.
const (
	BaseRPC        = 26657
	BaseP2P        = 26656
	BaseGRPC       = 9090
	BaseAPI        = 1317
	BaseABCI       = 26658
	BasePrometheus = 26660
)

// SetDefaults fills in every field left out that has a default.
func (n *Network) SetDefaults() {
	for i := range n.Hosts {
		h := &n.Hosts[i]
		if h.Listen == "" {
			h.Listen = h.Address
		}
		if h.Root == "" {
			h.Root = DefaultRoot
		}
		if h.User == "" {
			h.User = DefaultUser
		}
	}
	for i := range n.Orgs {
		if len(n.Orgs[i].Monitors) == 0 && n.Orgs[i].ID != "" {
			n.Orgs[i].Monitors = []string{n.Orgs[i].ID + "-monitor"}
		}
	}
	if n.MainChain.Binary == "" {
		n.MainChain.Binary = MainBinary
	}
	for i := range n.Subchains {
		s := &n.Subchains[i]
		if s.Binary == "" {
			// A plain chain is any Cosmos SDK chain; mainchaind stands in for
			// one (it has neither the sidecar nor x/wasm).
			if s.Plain {
				s.Binary = MainBinary
			} else {
				s.Binary = SubBinary
			}
		}
		if s.ReportInterval == "" {
			s.ReportInterval = DefaultReportInterval
		}
		if !s.Plain {
			if s.Sidecar == nil {
				s.Sidecar = &Sidecar{}
			}
			if s.Sidecar.SnapshotEvery == 0 {
				s.Sidecar.SnapshotEvery = DefaultSnapshotEvery
			}
			if s.Sidecar.HeartbeatEvery == 0 {
				s.Sidecar.HeartbeatEvery = DefaultHeartbeatEvery
			}
			if s.Sidecar.PacketTimeout == "" {
				s.Sidecar.PacketTimeout = DefaultPacketTimeout
			}
		}
	}
}

// EffectivePorts are a validator's ports: its overrides, else the defaults
// plus its port offset.
func (v Validator) EffectivePorts() Ports {
	pick := func(set, base int) int {
		if set != 0 {
			return set
		}
		return base + v.PortOffset
	}
	return Ports{
		RPC:        pick(v.Ports.RPC, BaseRPC),
		P2P:        pick(v.Ports.P2P, BaseP2P),
		GRPC:       pick(v.Ports.GRPC, BaseGRPC),
		API:        pick(v.Ports.API, BaseAPI),
		ABCI:       pick(v.Ports.ABCI, BaseABCI),
		Prometheus: pick(v.Ports.Prometheus, BasePrometheus),
	}
}

// named lists the ports with their service names, in a fixed order.
func (p Ports) named() []struct {
	Name string
	Port int
} {
	return []struct {
		Name string
		Port int
	}{{"rpc", p.RPC}, {"p2p", p.P2P}, {"grpc", p.GRPC}, {"api", p.API}, {"abci", p.ABCI}, {"prometheus", p.Prometheus}}
}

// Denom is the bond and fee denom of a chain binary's chains.
func Denom(binary string) string {
	if binary == SubBinary {
		return "usub"
	}
	return "umain"
}

// Prefix is the bech32 account prefix of a chain binary's chains.
func Prefix(binary string) string {
	if binary == SubBinary {
		return "sub"
	}
	return "main"
}

// NodeName is the name of validator i of a chain: its home folder, log and
// unit; node 0 is named after the chain, as on the localnet.
func NodeName(chainID string, i int) string {
	if i == 0 {
		return chainID
	}
	return fmt.Sprintf("%s-node%d", chainID, i)
}

// Moniker is validator i's moniker.
func Moniker(chainID string, i int) string { return "node-" + NodeName(chainID, i) }

// ValidatorKey is the key name of validator i's operator.
func ValidatorKey(i int) string {
	if i == 0 {
		return "validator"
	}
	return fmt.Sprintf("validator%d", i)
}

// Host returns the host named name, or nil.
func (n *Network) Host(name string) *Host {
	for i := range n.Hosts {
		if n.Hosts[i].Name == name {
			return &n.Hosts[i]
		}
	}
	return nil
}

// Org returns the org with id, or nil.
func (n *Network) Org(id string) *Org {
	for i := range n.Orgs {
		if n.Orgs[i].ID == id {
			return &n.Orgs[i]
		}
	}
	return nil
}

// Subchain returns the subchain with chain id id, or nil.
func (n *Network) Subchain(id string) *Subchain {
	for i := range n.Subchains {
		if n.Subchains[i].ChainID == id {
			return &n.Subchains[i]
		}
	}
	return nil
}

// Chains lists the main chain first, then the subchains' common parts.
func (n *Network) Chains() []*Chain {
	out := []*Chain{&n.MainChain}
	for i := range n.Subchains {
		out = append(out, &n.Subchains[i].Chain)
	}
	return out
}

// WatcherValidator is the index of org's first validator of s, whose
// operator key the org's watcher of s signs with; -1 if it has none.
func (s *Subchain) WatcherValidator(org string) int {
	for i, v := range s.Validators {
		if v.Org == org {
			return i
		}
	}
	return -1
}

// HasTransfer tells whether subchain id has a transfer path.
func (n *Network) HasTransfer(id string) bool { return contains(n.Paths.Transfer, id) }

// HasStatus tells whether subchain id has a status path.
func (n *Network) HasStatus(id string) bool { return contains(n.Paths.Status, id) }

// InRelayer tells whether the relayer must know chain id: the main chain
// and every subchain with a path.
func (n *Network) InRelayer(id string) bool {
	return id == n.MainChain.ChainID || n.HasTransfer(id) || n.HasStatus(id)
}

// Duration parses one of the file's durations (already validated).
func Duration(s string) time.Duration {
	d, _ := time.ParseDuration(s)
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NodePortStep is the port offset between a chain's validators added by
// SetValidators, as on the localnet (node i at the chain's offset + 10*i).
const NodePortStep = 10

// MaxSetValidators caps SetValidators: the staking module's default params
// bond that many validators, so more would not all validate.
const MaxSetValidators = int(stakingtypes.DefaultMaxValidators)

// SetValidators gives chain id count validators, for trying a network on
// one host (the localnet's LOCALNET_VALIDATORS): validators past those the
// file lists go on the first validator's host at its port offset +
// NodePortStep per validator, run by the orgs in turn; with fewer, the
// first count are kept. Validate the network again afterwards.
func (n *Network) SetValidators(id string, count int) error {
	c := n.Chain(id)
	if c == nil {
		return fmt.Errorf("no chain %q in the network", id)
	}
	if count < 1 || count > MaxSetValidators {
		return fmt.Errorf("%s: want 1 to %d validators, not %d", id, MaxSetValidators, count)
	}
	if count <= len(c.Validators) {
		c.Validators = c.Validators[:count]
		return nil
	}
	if len(c.Validators) == 0 || len(n.Orgs) == 0 {
		return fmt.Errorf("%s: no validator or org to add validators after", id)
	}
	first := c.Validators[0]
	// The last one added has the highest offset: refuse before building
	// rather than hand Validate thousands of out-of-range ports.
	last := Validator{PortOffset: first.PortOffset + NodePortStep*(count-1)}
	for _, p := range last.EffectivePorts().named() {
		if p.Port > 65535 {
			return fmt.Errorf("%s: %d validators: the last one's %s port would be %d, past 65535", id, count, p.Name, p.Port)
		}
	}
	for i := len(c.Validators); i < count; i++ {
		c.Validators = append(c.Validators, Validator{
			Org:        n.Orgs[i%len(n.Orgs)].ID,
			Host:       first.Host,
			PortOffset: first.PortOffset + NodePortStep*i,
		})
	}
	return nil
}
