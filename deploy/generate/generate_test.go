package generate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/statuscollect/statuscollect/deploy/network"
)

func TestSetTOML(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	in := "# top\nmoniker = \"a\"\n\n[rpc]\n# the address\nladdr = \"tcp://127.0.0.1:26657\"\n\n[p2p]\nladdr = \"tcp://0.0.0.0:26656\"\n"
	if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := setTOML(p, map[string]string{".moniker": q("b"), "p2p.laddr": q("tcp://10.0.0.1:1")}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want := "# top\nmoniker = \"b\"\n\n[rpc]\n# the address\nladdr = \"tcp://127.0.0.1:26657\"\n\n[p2p]\nladdr = \"tcp://10.0.0.1:1\"\n"
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// A key the file does not have means its format changed: an error, not a silent no-op.
	err := setTOML(p, map[string]string{"rpc.nope": "1", "p2p.laddr": q("x")})
	if err == nil || !strings.Contains(err.Error(), "keys not found: rpc.nope") {
		t.Fatalf("missing key: %v", err)
	}
}

func TestPresets(t *testing.T) {
	n, err := network.Parse([]byte(`
name: t
hosts: [{name: h, address: 10.0.0.1}]
admin: {host: h}
orgs:
  - {id: org-b, name: Org B, host: h, monitors: [b-mon-2, b-mon-1]}
  - {id: org-a, name: Org A, host: h}
main_chain:
  chain_id: m
  validators: [{org: org-a, host: h}]
subchains:
  - {chain_id: s2, name: S2, kind: cross-chain, members: [org-b, org-a], sidecar: {packet_timeout: 2m}, validators: [{org: org-a, host: h, port_offset: 100}]}
  - {chain_id: s1, name: S1, kind: file-storage, plain: true, members: [org-a], validators: [{org: org-a, host: h, port_offset: 200}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	// Numbers the preset does not touch stay as init wrote them.
	var g map[string]any
	dec := json.NewDecoder(strings.NewReader(`{"app_state":{"statuscollect":{"params":{"admin":"","staleness_factor":3},"orgs":[]},
		"statusreporter":{"params":{"admin":"","report_interval":10,"snapshot_ring":100},"orgs":[]}}}`))
	dec.UseNumber()
	if err := dec.Decode(&g); err != nil {
		t.Fatal(err)
	}
	err = presetMain(g, n, mainPreset{Admin: "main1admin", OrgAdmins: map[string]string{"org-a": "main1a", "org-b": "main1b"},
		Monitors: map[string][]string{"org-a": {"main1am"}, "org-b": {"main1bm2", "main1bm1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := presetSub(g, n.Subchain("s2"), "sub1admin"); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(g["app_state"])
	want := `{"statuscollect":{"memberships":[` +
		`{"chain_id":"s1","org_id":"org-a","reporters":["main1am"]},` +
		`{"chain_id":"s2","org_id":"org-a","reporters":["main1am"]},` +
		`{"chain_id":"s2","org_id":"org-b","reporters":["main1bm1","main1bm2"]}],` +
		`"orgs":[{"admin":"main1b","id":"org-b","name":"Org B"},{"admin":"main1a","id":"org-a","name":"Org A"}],` +
		`"params":{"admin":"main1admin","staleness_factor":3},` +
		`"subchains":[{"chain_id":"s2","kind":"SUBCHAIN_KIND_CROSS_CHAIN","name":"S2","report_interval":"30s"},` +
		`{"chain_id":"s1","kind":"SUBCHAIN_KIND_FILE_STORAGE","name":"S1","report_interval":"30s"}]},` +
		`"statusreporter":{"orgs":["org-a","org-b"],"params":{"admin":"sub1admin","heartbeat_every":6,"packet_timeout":"2m","report_interval":5,"snapshot_ring":100}}}`
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if err := presetSub(map[string]any{"app_state": map[string]any{}}, n.Subchain("s2"), "x"); err == nil ||
		!strings.Contains(err.Error(), "genesis has no object app_state.statusreporter") {
		t.Fatalf("missing module: %v", err)
	}
}

// A chain's voting period goes into its gov params, the expedited one half
// of it; without one the genesis keeps the SDK's.
func TestPresetGov(t *testing.T) {
	g := map[string]any{"app_state": map[string]any{"gov": map[string]any{"params": map[string]any{
		"voting_period": "172800s", "expedited_voting_period": "86400s", "quorum": "0.334"}}}}
	if err := presetGov(g, &network.Chain{ChainID: "c"}); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(g)
	if want := `{"app_state":{"gov":{"params":{"expedited_voting_period":"86400s","quorum":"0.334","voting_period":"172800s"}}}}`; string(out) != want {
		t.Fatalf("without a voting period: got %s", out)
	}
	if err := presetGov(g, &network.Chain{ChainID: "c", VotingPeriod: "1m"}); err != nil {
		t.Fatal(err)
	}
	out, _ = json.Marshal(g)
	if want := `{"app_state":{"gov":{"params":{"expedited_voting_period":"30s","quorum":"0.334","voting_period":"60s"}}}}`; string(out) != want {
		t.Fatalf("got %s, want %s", out, want)
	}
	if err := presetGov(map[string]any{"app_state": map[string]any{}}, &network.Chain{VotingPeriod: "60s"}); err == nil ||
		!strings.Contains(err.Error(), "genesis has no object app_state.gov") {
		t.Fatalf("missing module: %v", err)
	}
}
