package network

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
)

// Where things live on a host, under its root. The generator writes each
// host's folder in this layout and the link step and the units read it, so
// they agree by construction.

// NodeHome is the home of validator i of chain c on its host.
func (n *Network) NodeHome(c *Chain, i int) string {
	return filepath.Join(n.Host(c.Validators[i].Host).Root, "nodes", NodeName(c.ChainID, i))
}

// CosmovisorBin is where cosmovisor expects a node's genesis binary:
// <home>/cosmovisor/genesis/bin/<binary> (DAEMON_HOME is the node's home).
func CosmovisorBin(home, binary string) string {
	return filepath.Join(home, "cosmovisor", "genesis", "bin", binary)
}

// BinDir holds the binaries a host's clients and daemons run (nodes run
// theirs from the cosmovisor folders).
func (h *Host) BinDir() string { return filepath.Join(h.Root, "bin") }

// ClientHome is a client home on h for chain id: client.toml pointing at
// the chain and a test keyring with the keys h owns on that chain.
func (h *Host) ClientHome(chainID string) string { return filepath.Join(h.Root, "clients", chainID) }

// RlyHome is the relayer's home.
func (h *Host) RlyHome() string { return filepath.Join(h.Root, "rly") }

// WatcherHome is the home of org's watcher of subchain (its key and state).
func (h *Host) WatcherHome(subchain, org string) string {
	return filepath.Join(h.Root, "watchers", subchain+"-"+org)
}

// ReporterHome is the home of org's reporter of subchain (its key and state).
func (h *Host) ReporterHome(subchain, org string) string {
	return filepath.Join(h.Root, "reporters", subchain+"-"+org)
}

// NetworkFile is the copy of the network file on every host.
func (h *Host) NetworkFile() string { return filepath.Join(h.Root, "network.yaml") }

// Endpoints of a validator node, as the other hosts reach it.

// RPC is the node's CometBFT RPC address.
func (n *Network) RPC(c *Chain, i int) string {
	return "tcp://" + hostPort(n.Host(c.Validators[i].Host).Address, c.Validators[i].EffectivePorts().RPC)
}

// GRPC is the node's gRPC address (host:port).
func (n *Network) GRPC(c *Chain, i int) string {
	return hostPort(n.Host(c.Validators[i].Host).Address, c.Validators[i].EffectivePorts().GRPC)
}

// API is the node's REST address.
func (n *Network) API(c *Chain, i int) string {
	return "http://" + hostPort(n.Host(c.Validators[i].Host).Address, c.Validators[i].EffectivePorts().API)
}

// P2P is the node's peer address (host:port).
func (n *Network) P2P(c *Chain, i int) string {
	return hostPort(n.Host(c.Validators[i].Host).Address, c.Validators[i].EffectivePorts().P2P)
}

// AllRPC and AllGRPC list every node of a chain, for daemons' failover.
func (n *Network) AllRPC(c *Chain) []string {
	out := make([]string, len(c.Validators))
	for i := range c.Validators {
		out[i] = n.RPC(c, i)
	}
	return out
}

// AllGRPC lists every node's gRPC address of a chain.
func (n *Network) AllGRPC(c *Chain) []string {
	out := make([]string, len(c.Validators))
	for i := range c.Validators {
		out[i] = n.GRPC(c, i)
	}
	return out
}

// Chain returns the chain with chain id id (main chain or subchain), or nil.
func (n *Network) Chain(id string) *Chain {
	for _, c := range n.Chains() {
		if c.ChainID == id {
			return c
		}
	}
	return nil
}

// UnitName is the systemd unit of a node (named by NodeName) or a daemon.
func UnitName(what string) string { return fmt.Sprintf("statuscollect-%s.service", what) }

// RelayerName names the relayer's unit.
const RelayerName = "rly"

// WatcherName names org's watcher of subchain: its unit and its env file.
func WatcherName(subchain, org string) string { return "watcher-" + subchain + "-" + org }

// ReporterName names org's reporter of subchain: its unit and its env file.
func ReporterName(subchain, org string) string { return "reporter-" + subchain + "-" + org }

func hostPort(h string, p int) string { return net.JoinHostPort(h, strconv.Itoa(p)) }
