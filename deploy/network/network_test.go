package network

import (
	"fmt"
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
			`subchains[0] (sub-1): sidecar packet_timeout "30s": the sidecar refuses it: packet timeout 30s must be between 1m and 168h`},
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

// Names built by joining ids with '-' must not come out the same on a host:
// the second unit, home or env file would overwrite the first's.
func TestNameCollisionsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"chain rly and the relayer", `
name: net
hosts: [{name: h1, address: 10.0.0.1}]
admin: {host: h1}
orgs: [{id: o, name: O, host: h1}]
main_chain: {chain_id: rly, validators: [{org: o, host: h1}]}
subchains:
  - {chain_id: s, name: S, kind: other, members: [o], validators: [{org: o, host: h1, port_offset: 100}]}
paths: {status: [s]}
daemons: {relayer: {host: h1}}
`, "daemons.relayer: unit statuscollect-rly.service on host h1 (the relayer) is also the unit of validator 0 of rly"},
		{"node 1 of m and node 0 of m-node1", `
name: net
hosts: [{name: h1, address: 10.0.0.1}]
admin: {host: h1}
orgs: [{id: o, name: O, host: h1}]
main_chain: {chain_id: m, validators: [{org: o, host: h1}, {org: o, host: h1, port_offset: 10}]}
subchains:
  - {chain_id: m-node1, name: S, kind: other, plain: true, members: [o], validators: [{org: o, host: h1, port_offset: 100}]}
`, "subchains[0] (m-node1) validators[0]: home /var/lib/statuscollect/nodes/m-node1 on host h1 (validator 0 of m-node1) is also the home of validator 1 of m"},
		{"watchers (s, x-o) and (s-x, o)", `
name: net
hosts: [{name: h1, address: 10.0.0.1}]
admin: {host: h1}
orgs: [{id: o, name: O, host: h1}, {id: x-o, name: XO, host: h1}]
main_chain: {chain_id: m, validators: [{org: o, host: h1}]}
subchains:
  - {chain_id: s, name: S, kind: other, members: [o, x-o], validators: [{org: x-o, host: h1, port_offset: 100}]}
  - {chain_id: s-x, name: SX, kind: other, members: [o], validators: [{org: o, host: h1, port_offset: 200}]}
paths: {status: [s, s-x]}
daemons:
  relayer: {host: h1}
  watchers:
    - {subchain: s, org: x-o, host: h1}
    - {subchain: s-x, org: o, host: h1}
`, "daemons.watchers[1] (s-x, o): unit statuscollect-watcher-s-x-o.service on host h1 (the watcher of s-x for o) is also the unit of the watcher of s for x-o"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// A monitor named like an operator key would get that validator's mnemonic
// from the key store, on the org's host, granted as the org's reporter.
func TestMonitorNamedAsOperatorKeyIsRefused(t *testing.T) {
	for _, m := range []string{"validator", "validator1", "validator07"} {
		file := strings.Replace(base, "{id: org-b, name: Org B, host: h2}", "{id: org-b, name: Org B, host: h2, monitors: ["+m+"]}", 1)
		_, err := Parse([]byte(file))
		want := `orgs[1] (org-b): key name "` + m + `" (monitoring account of org org-b) is reserved`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("monitor %s: error\n%v\nwant it to contain:\n%s", m, err, want)
		}
	}
}

// Ports are claimed per host entry: two entries of one machine would share
// ports unseen.
func TestTwoHostsWithOneAddressAreRefused(t *testing.T) {
	for _, addr := range []string{"10.0.0.1", "'::ffff:10.0.0.1'"} {
		_, err := Parse([]byte(strings.Replace(base, "address: 10.0.0.2", "address: "+addr, 1)))
		want := `hosts[1] (h2): address "` + strings.Trim(addr, "'") + `" is also host h1's`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
		}
	}
}

// What the chains refuse is refused by validate, not found by generate after
// it has written half the output.
func TestValuesTheChainRefusesAreRefused(t *testing.T) {
	const one = `
name: net
hosts: [{name: h1, address: 10.0.0.1}]
admin: {host: h1}
orgs: [{id: o, name: O, host: h1}]
main_chain: {chain_id: m, validators: [{org: o, host: h1}]}
subchains:
  - chain_id: s
    name: S
    kind: other
    members: [o]
    validators: [{org: o, host: h1, port_offset: 100}]
`
	if _, err := Parse([]byte(one)); err != nil {
		t.Fatal(err)
	}
	monitors := make([]string, 65)
	for i := range monitors {
		monitors[i] = fmt.Sprintf("m%d", i)
	}
	long := strings.Repeat("x", 129)
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"report interval under 1s", "kind: other", "kind: other\n    report_interval: 1ns", `subchains[0] (s): report_interval "1ns": want a duration like 30s, from 1s to 720h0m0s`},
		{"report interval over 720h", "kind: other", "kind: other\n    report_interval: 721h", `report_interval "721h"`},
		{"snapshot_every over the sidecar's limit", "kind: other", "kind: other\n    sidecar: {snapshot_every: 100001}",
			"subchains[0] (s): sidecar snapshot_every 100001: the sidecar refuses it: report interval 100001 must be 1 to 100000 blocks"},
		{"snapshot_every past 32 bits", "kind: other", "kind: other\n    sidecar: {snapshot_every: 4294967296}",
			"subchains[0] (s): sidecar snapshot_every 4294967296: want a count from 1 to the sidecar's limit"},
		{"heartbeat_every over the sidecar's limit", "kind: other", "kind: other\n    sidecar: {heartbeat_every: 10001}",
			"subchains[0] (s): sidecar heartbeat_every 10001: the sidecar refuses it"},
		{"subchain name over 128 bytes", "name: S", "name: " + long, "subchains[0] (s): the main chain's registry refuses the name: name is 129 bytes, at most 128"},
		{"org name over 128 bytes", "name: O,", "name: " + long + ",", "orgs[0] (o): the main chain refuses the org's name: name is 129 bytes, at most 128"},
		{"65 monitors", "name: O, host: h1}", "name: O, host: h1, monitors: [" + strings.Join(monitors, ", ") + "]}", "orgs[0] (o): 65 monitors: a membership has at most 64 reporters"},
		{"unspecified address", "address: 10.0.0.1", "address: 0.0.0.0", `hosts[0] (h1): address "0.0.0.0" is not one the other hosts can dial`},
		{"multicast address", "address: 10.0.0.1", "address: 224.0.0.1", `hosts[0] (h1): address "224.0.0.1" is not one the other hosts can dial`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(one, tc.old) {
				t.Fatalf("the file has no %q", tc.old)
			}
			_, err := Parse([]byte(strings.Replace(one, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// SetValidators refuses a count past the cap or whose ports would pass
// 65535, before building anything.
func TestSetValidatorsIsBounded(t *testing.T) {
	n, err := Load(repoFile(t, "network/localnet.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetValidators("mainchain-1", 100_000); err == nil || !strings.Contains(err.Error(), "want 1 to 100 validators, not 100000") {
		t.Fatalf("got %v", err)
	}
	if len(n.MainChain.Validators) != 2 {
		t.Fatalf("the refused call changed the chain: %d validators", len(n.MainChain.Validators))
	}
	// gateway-c's validators start at offset 400: the 100th would be at
	// 400+990, far from 65535; an offset near the top is refused.
	n.Subchain("gateway-c").Validators[0].PortOffset = 65535 - BasePrometheus - 5*NodePortStep
	if err := n.SetValidators("gateway-c", 7); err == nil || !strings.Contains(err.Error(), "gateway-c: 7 validators: the last one's rpc port would be 65542, past 65535") {
		t.Fatalf("got %v", err)
	}
	if err := n.SetValidators("gateway-c", 6); err != nil {
		t.Fatalf("the last port that fits: %v", err)
	}
}

// A second YAML document would be dropped unread.
func TestSecondDocumentIsRefused(t *testing.T) {
	_, err := Parse([]byte(base + "---\nname: other\n"))
	if err == nil || !strings.Contains(err.Error(), "a second YAML document: a network file holds one network") {
		t.Fatalf("got %v", err)
	}
	_, err = Parse([]byte(base + "---\n{ unclosed\n"))
	if err == nil || !strings.Contains(err.Error(), "after the network:") {
		t.Fatalf("a broken second document: %v", err)
	}
}
