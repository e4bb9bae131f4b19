package localnet

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// checkErr fails unless err is nil when want is "", or contains want.
func checkErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: unexpected error %v", name, err)
	case want != "" && err == nil:
		t.Errorf("%s: no error, want one with %q", name, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s: error %q, want one with %q", name, err, want)
	}
}

func TestJSONEqual(t *testing.T) {
	for _, c := range []struct {
		a, b string
		eq   bool
	}{
		{`{"a": 1, "b": [1, "x"]}`, `{"b": [1, "x"], "a": 1}`, true}, // key order does not matter
		{`{"a": 1}`, `{"a": 1, "b": 2}`, false},
		{`[1, 2]`, `[2, 1]`, false},
		{`1`, `1.0`, true},
		{`"1"`, `1`, false},
		{`null`, `false`, false},
		{`true`, `true`, true},
	} {
		if got := JSONEqual(mustDecode(t, c.a), mustDecode(t, c.b)); got != c.eq {
			t.Errorf("JSONEqual(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestForgeSnapshot(t *testing.T) {
	const own = `{"snapshot": {"chain_id": "subchain-a", "height": "40", "block_time": "2024-05-01T23:59:50.123456789Z", "contract_count": "2"}}`
	for _, c := range []struct {
		name, in string
		edit     SnapshotEdit
		want     string
		err      string
	}{
		{"contracts", own, SnapshotEdit{Contracts: 5, SetContracts: true},
			`{"chain_id": "subchain-a", "height": "40", "block_time": "2024-05-01T23:59:50.123456789Z", "contract_count": "7"}`, ""},
		{"ahead, over midnight, fraction kept", own, SnapshotEdit{Height: 120, Seconds: 30, SetHeight: true, SetSeconds: true, SetContracts: true},
			`{"chain_id": "subchain-a", "height": "160", "block_time": "2024-05-02T00:00:20.123456789Z", "contract_count": "2"}`, ""},
		{"no contract count, +0 writes it", `{"snapshot": {"height": "4", "block_time": "2024-05-01T00:00:00Z"}}`,
			SnapshotEdit{Seconds: 1, SetSeconds: true, SetContracts: true},
			`{"height": "4", "block_time": "2024-05-01T00:00:01Z", "contract_count": "0"}`, ""},
		{"no edit leaves it", own, SnapshotEdit{},
			`{"chain_id": "subchain-a", "height": "40", "block_time": "2024-05-01T23:59:50.123456789Z", "contract_count": "2"}`, ""},
		{"not an answer", `{"chain_id": "x"}`, SnapshotEdit{SetContracts: true}, "", `no key "snapshot"`},
		{"no height", `{"snapshot": {}}`, SnapshotEdit{SetHeight: true}, "", `no key "height"`},
		{"bad height", `{"snapshot": {"height": "4x"}}`, SnapshotEdit{SetHeight: true}, "", "not an integer"},
		{"bad time", `{"snapshot": {"block_time": "2024-05-01 00:00:00"}}`, SnapshotEdit{SetSeconds: true}, "", "not a UTC time"},
	} {
		got, err := ForgeSnapshot(mustDecode(t, c.in), c.edit)
		checkErr(t, c.name, err, c.err)
		if got != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

// overviewSummary is a summary with the status paths of two subchains.
const overviewSummary = `{"status_paths": [
 {"subchain": "subchain-a", "dst": {"client_id": "07-tendermint-2", "channel": "channel-2"}},
 {"subchain": "subchain-b", "dst": {"client_id": "07-tendermint-3", "channel": "channel-3"}}]}`

func TestCheckOverview(t *testing.T) {
	const (
		cliOK = `{"subchains": [
 {"subchain": {"chain_id": "subchain-a"}, "seconds_until_due": "12", "link": {"client_id": "07-tendermint-2", "client_status": "Active", "last_ibc_report": "3"}},
 {"subchain": {"chain_id": "subchain-b"}, "seconds_until_due": "-4", "link": {"client_id": "07-tendermint-3", "last_ibc_report": "1"}}]}`
		restOK = `{"subchains": [
 {"subchain": {"chain_id": "subchain-b", "liveness": "LIVENESS_ACTIVE"}, "link": {"client_id": "07-tendermint-3", "channel_id": "channel-3"}},
 {"subchain": {"chain_id": "subchain-a", "liveness": "LIVENESS_ACTIVE"}, "link": {"client_id": "07-tendermint-2", "channel_id": "channel-2"}}]}`
	)
	lineA := "  subchain-a  LIVENESS_ACTIVE, due in 12s, link 07-tendermint-2/channel-2 (Active), 3 reports over IBC"
	lineB := "  subchain-b  LIVENESS_ACTIVE, due in -4s, link 07-tendermint-3/channel-3 (None), 1 reports over IBC"
	for _, c := range []struct {
		name, cli, rest string
		lines           []string
		err             string
	}{
		{"all there", cliOK, restOK, []string{lineA, lineB}, ""},
		{"a subchain missing from the CLI", `{"subchains": [` + strings.SplitN(cliOK, "\n", 3)[2], restOK, []string{lineB},
			"CLI overview: 0 entries for subchain-a"},
		{"no reports over IBC yet", strings.Replace(cliOK, `"last_ibc_report": "3"`, `"last_ibc_report": "0"`, 1), restOK,
			[]string{strings.Replace(lineA, "3 reports", "0 reports", 1), lineB},
			"CLI overview subchain-a: link {'client_id': '07-tendermint-2', 'client_status': 'Active', 'last_ibc_report': '0'}"},
		{"REST shows it inactive", cliOK, strings.Replace(restOK, `"chain_id": "subchain-a", "liveness": "LIVENESS_ACTIVE"`, `"chain_id": "subchain-a", "liveness": "LIVENESS_OVERDUE"`, 1),
			[]string{strings.Replace(lineA, "LIVENESS_ACTIVE", "LIVENESS_OVERDUE", 1), lineB},
			"REST overview subchain-a: LIVENESS_OVERDUE, link {'client_id': '07-tendermint-2', 'channel_id': 'channel-2'}"},
		{"REST on another channel", cliOK, strings.Replace(restOK, `"channel_id": "channel-3"`, `"channel_id": "channel-9"`, 1), []string{lineA, lineB},
			"REST overview subchain-b: LIVENESS_ACTIVE, link"},
		{"REST lists none, both told", cliOK, `{}`, nil,
			"REST overview does not list subchain-a; REST overview does not list subchain-b"},
		{"no countdown", strings.Replace(cliOK, `"seconds_until_due": "12", `, "", 1), restOK, nil,
			"CLI overview subchain-a: no seconds_until_due"},
	} {
		lines, err := CheckOverview(mustDecode(t, c.cli), mustDecode(t, c.rest), mustDecode(t, overviewSummary))
		checkErr(t, c.name, err, c.err)
		if !reflect.DeepEqual(lines, c.lines) {
			t.Errorf("%s: lines\n%q\nwant\n%q", c.name, lines, c.lines)
		}
	}
}

func TestCompareSnapshotFacts(t *testing.T) {
	const (
		own  = `{"snapshot": {"chain_id": "subchain-a", "height": "40", "orgs": ["org-a", "org-b"], "validators": [{"address": "subvalcons1a", "power": "10", "moniker": "m"}], "contract_count": "2", "tps_milli": "5"}}`
		seen = `{"chain_id": "subchain-a", "height": "40", "orgs": ["org-a", "org-b"], "validators": [{"address": "subvalcons1a", "power": 10}], "contract_count": 2}`
	)
	for _, c := range []struct {
		name, own, seen, err string
	}{
		{"agree (power and count as numbers or strings, other fields ignored)", own, seen, ""},
		{"another contract count", own, strings.Replace(seen, `"contract_count": 2`, `"contract_count": 3`, 1),
			"sidecar {'chain_id': 'subchain-a', 'orgs': ['org-a', 'org-b'], 'validators': [('subvalcons1a', '10')], 'contract_count': 2}\n" +
				"observer {'chain_id': 'subchain-a', 'orgs': ['org-a', 'org-b'], 'validators': [('subvalcons1a', '10')], 'contract_count': 3}"},
		{"another power", own, strings.Replace(seen, `"power": 10`, `"power": 11`, 1), "[('subvalcons1a', '11')]"},
		{"an org fewer", own, strings.Replace(seen, `["org-a", "org-b"]`, `["org-a"]`, 1), "'orgs': ['org-a']"},
		{"no contract at all", strings.Replace(own, `"contract_count": "2"`, `"contract_count": "0"`, 1),
			strings.Replace(seen, `"contract_count": 2`, `"contract_count": null`, 1), "'contract_count': 0}\nobserver"},
		{"not a snapshot answer", seen, seen, `no key "snapshot"`},
	} {
		checkErr(t, c.name, CompareSnapshotFacts(mustDecode(t, c.own), mustDecode(t, c.seen)), c.err)
	}
}

func TestSampleSnapshotAndCheckStatus(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 999, time.FixedZone("x", 3600))
	snap := SampleSnapshot("plain-1", "org-c", now)
	want := `{"chain_id": "plain-1", "height": "100", "block_time": "2024-05-01T11:00:00Z", "total_txs": "900", "window_txs": "40", ` +
		`"window_blocks": "20", "tps_milli": "2000", "orgs": ["org-c"], "validators": [{"address": "plainvalcons1` + strings.Repeat("f", 38) +
		`", "power": "20", "moniker": "val-f"}, {"address": "plainvalcons1` + strings.Repeat("q", 38) + `", "power": "10", "moniker": "val-q"}], ` +
		`"contract_count": "3", "new_contracts": [{"address": "plain1` + strings.Repeat("k", 58) + `", "code_id": "1", "label": "contract-k"}, ` +
		`{"address": "plain1` + strings.Repeat("z", 58) + `", "code_id": "2", "label": "contract-z"}], "software_version": "v0.1.0"}`
	if snap != want {
		t.Fatalf("SampleSnapshot:\n%s\nwant\n%s", snap, want)
	}
	// The chain answers with its own key order and fields; the report's
	// snapshot has the submitted values.
	stored := strings.Replace(snap, `"chain_id": "plain-1", "height": "100"`, `"height": "100", "chain_id": "plain-1", "block_hash": ""`, 1)
	status := `{"report": {"sequence": "1", "snapshot": ` + stored + `, "source": {"org_id": "org-c", "reporter": "main1mon"}}}`
	for _, c := range []struct{ name, status, org, reporter, err string }{
		{"as submitted", status, "org-c", "main1mon", ""},
		{"another reporter", status, "org-c", "main1other", "source: {'org_id': 'org-c', 'reporter': 'main1mon'}"},
		{"another sequence", strings.Replace(status, `"sequence": "1"`, `"sequence": "2"`, 1), "org-c", "main1mon", "sequence '2', want 1"},
		{"no sequence, no source", strings.Replace(strings.Replace(status, `"sequence": "1", `, "", 1), `, "source": {"org_id": "org-c", "reporter": "main1mon"}`, "", 1),
			"org-c", "main1mon", "source: {}; sequence None, want 1"},
		{"a field changed", strings.Replace(status, `"tps_milli": "2000"`, `"tps_milli": "1"`, 1), "org-c", "main1mon", "tps_milli: '1', submitted '2000'"},
		{"validators changed", strings.Replace(status, `"power": "20"`, `"power": "21"`, 1), "org-c", "main1mon", "validators: [{'address': 'plainvalcons1f"},
		{"no report", `{}`, "org-c", "main1mon", `no key "report"`},
	} {
		checkErr(t, c.name, CheckStatus(mustDecode(t, c.status), mustDecode(t, snap), c.org, c.reporter), c.err)
	}
}

func TestNetworkPlan(t *testing.T) {
	const network = `{"hosts": [{"name": "local"}],
 "main_chain": {"chain_id": "main-1", "binary": "mainchaind", "validators": [{"host": "local"}, {"host": "local", "port_offset": 10}]},
 "subchains": [
  {"chain_id": "sub-a", "binary": "subchaind", "kind": "storage", "name": "Sub A", "members": ["org-a", "org-b"], "validators": [{"host": "local", "port_offset": 100}]},
  {"chain_id": "gw", "binary": "mainchaind", "kind": "gateway", "name": "Gateway", "plain": true, "validators": [{"host": "local", "port_offset": 400}]}],
 "paths": {"status": ["sub-a"], "transfer": ["sub-a", "gw"]},
 "orgs": [{"id": "org-a", "name": "Org A", "monitors": ["org-a-monitor"]}]}`
	all := []string{"chain\tmain-1 mainchaind 0", "chain\tsub-a subchaind 100 storage transfer", "name\tsub-a\tSub A", "members\tsub-a\torg-a org-b",
		"chain\tgw mainchaind 400 gateway transfer plain", "name\tgw\tGateway", "members\tgw\t", "org\torg-a|Org A"}
	for _, c := range []struct {
		name, network string
		step          int64
		lines         []string
		err           string
	}{
		{"runs", network, 10, all, ""},
		{"another step", network, 7, nil, "network/localnet.yaml: main-1: the validators port offsets [0, 10] are not 7 apart, as localnet.sh numbers its nodes"},
		{"two hosts", strings.Replace(network, `[{"name": "local"}]`, `[{"name": "local"}, {"name": "b"}]`, 1), 10, nil, "network/localnet.yaml: the localnet runs on one host"},
		{"a validator elsewhere", strings.Replace(network, `{"host": "local", "port_offset": 100}`, `{"host": "b", "port_offset": 100}`, 1), 10, nil, "the localnet runs on one host"},
		{"a sidecar without a status path", strings.Replace(network, `"status": ["sub-a"]`, `"status": []`, 1), 10, all[:1],
			"network/localnet.yaml: sub-a runs the sidecar but has no status path: localnet.sh links one for every such subchain"},
		{"two monitors", strings.Replace(network, `["org-a-monitor"]`, `["org-a-monitor", "x"]`, 1), 10, all[:7],
			"network/localnet.yaml: org org-a: localnet.sh gives each org one monitoring account, org-a-monitor"},
		{"no subchains", `{"main_chain": {}}`, 10, nil, `no key "subchains"`},
	} {
		lines, err := NetworkPlan(mustDecode(t, c.network), c.step)
		checkErr(t, c.name, err, c.err)
		if !reflect.DeepEqual(lines, c.lines) {
			t.Errorf("%s: lines\n%q\nwant\n%q", c.name, lines, c.lines)
		}
	}
}

func TestBuildSummary(t *testing.T) {
	dir := t.TempDir()
	for name, addr := range map[string]string{"validator": "main1val", "user": "main1user\n"} {
		if err := os.WriteFile(filepath.Join(dir, name+".address"), []byte(addr), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	services := filepath.Join(dir, "services.jsonl")
	if err := os.WriteFile(services, []byte(`{"name": "prometheus", "kind": "prometheus"}`+"\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := SummaryParams{RlyHome: "/r", RlyLog: "/r.log", SrcPort: "statusreporter", DstPort: "statuscollect", Version: "statuscollect-1", ServicesFile: services}
	chain := []string{"chain", "main-1", "/b/mainchaind", "/h", "umain", "main", "26657", "26656", "9090", "1317", dir, "validator,user", "/l", "-", "0", "1",
		"main-1-0", "/h0", "nodeid", "key0", "26657", "26656", "9090", "1317", "/l0", "/p0"}
	items := append(append(append([]string{}, chain...), "path", "main-sub", "main-1", "sub", "channel-0", "channel-1"),
		"status", "status-sub", "sub", "main-1", "07-tendermint-0", "connection-0", "channel-2", "07-tendermint-1", "connection-1", "channel-3")
	s, err := BuildSummary(p, items)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"main_chain": "main-1", "chains": [{"chain_id": "main-1", "binary": "/b/mainchaind", "home": "/h", "denom": "umain", "prefix": "main", ` +
		`"rpc": "tcp://127.0.0.1:26657", "ports": {"rpc": 26657, "p2p": 26656, "grpc": 9090, "api": 1317}, "keys": {"user": "main1user", "validator": "main1val"}, ` +
		`"log": "/l", "nodes": [{"moniker": "main-1-0", "home": "/h0", "node_id": "nodeid", "validator_key": "key0", "rpc": "tcp://127.0.0.1:26657", ` +
		`"ports": {"rpc": 26657, "p2p": 26656, "grpc": 9090, "api": 1317}, "log": "/l0", "pid_file": "/p0"}]}], ` +
		`"paths": [{"name": "main-sub", "src": {"chain_id": "main-1", "port": "transfer", "channel": "channel-0"}, "dst": {"chain_id": "sub", "port": "transfer", "channel": "channel-1"}}], ` +
		`"status_paths": [{"name": "status-sub", "subchain": "sub", "version": "statuscollect-1", "order": "unordered", ` +
		`"src": {"chain_id": "sub", "port": "statusreporter", "client_id": "07-tendermint-0", "connection_id": "connection-0", "channel": "channel-2"}, ` +
		`"dst": {"chain_id": "main-1", "port": "statuscollect", "client_id": "07-tendermint-1", "connection_id": "connection-1", "channel": "channel-3"}}], ` +
		`"rly": {"home": "/r", "log": "/r.log"}, "services": [{"name": "prometheus", "kind": "prometheus"}]}`
	if got := Dumps(s); got != want {
		t.Errorf("BuildSummary:\n%s\nwant\n%s", got, want)
	}
	// A kind and a plain chain are marked; a chain with no node has an empty list.
	plain := append([]string{}, chain[:16]...)
	plain[13], plain[14], plain[15] = "gateway", "1", "0"
	s, err = BuildSummary(p, plain)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Get("chains")
	if got := strings.Join(c.([]any)[0].(*Object).Keys, " "); got != "chain_id binary home denom prefix rpc ports keys log kind plain nodes" {
		t.Errorf("plain chain keys %s", got)
	}
	for _, c := range []struct {
		name  string
		items []string
		err   string
	}{
		{"a node short", chain[:20], "node 0 of main-1 at word 16 wants 10 words, 4 left"},
		{"a path short", append(append([]string{}, chain...), "path", "a"), "path at word 27 wants 5 words, 1 left"},
		{"a bad port", append(append([]string{}, chain[:6]...), append([]string{"x"}, chain[7:]...)...), "port rpc"},
		{"a key file missing", append(append(append([]string{}, chain[:11]...), "validator,admin"), chain[12:]...), "admin.address"},
		{"an unknown item", append(append([]string{}, chain...), "bridge", "x"), `"bridge" at 26 is not chain, path or status`},
		{"no chain", []string{"path", "a", "b", "c", "d", "e"}, "no chain"},
	} {
		_, err := BuildSummary(p, c.items)
		checkErr(t, c.name, err, c.err)
	}
}

func TestPrometheusSummary(t *testing.T) {
	const targets = `{"data": {"activeTargets": [
 {"health": "up", "labels": {"job": "mainchain"}, "scrapeUrl": "http://127.0.0.1:26660/metrics"},
 {"health": "down", "labels": {"job": "reporter"}, "scrapeUrl": "http://127.0.0.1:26690/metrics"},
 {"health": "down", "labels": {}, "scrapeUrl": "http://127.0.0.1:26691/metrics"},
 {"health": "unknown", "labels": {"job": "watcher"}, "scrapeUrl": "http://127.0.0.1:26692/metrics"}]}}`
	const alerts = `{"data": {"alerts": [
 {"state": "firing", "labels": {"severity": "page", "chain": "subchain-a", "alertname": "SubchainOverdue", "instance": "x"}},
 {"state": "pending", "labels": {"severity": "ticket"}}]}}`
	lines, err := PrometheusSummary(mustDecode(t, targets), mustDecode(t, alerts))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"  targets up: 1 of 4 (1 not scraped yet)",
		"    down: reporter http://127.0.0.1:26690/metrics",
		"    down: ? http://127.0.0.1:26691/metrics",
		"  alerts firing: 1 (pending 1)",
		"    firing SubchainOverdue chain=subchain-a, instance=x",
		"    pending None ",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%q\nwant\n%q", lines, want)
	}
	for _, c := range []struct{ name, targets, alerts, err string }{
		{"an error answer", `{"status": "error"}`, alerts, `no key "data"`},
		{"alerts without labels", targets, `{"data": {"alerts": [{"state": "firing"}]}}`, `no key "labels"`},
	} {
		_, err := PrometheusSummary(mustDecode(t, c.targets), mustDecode(t, c.alerts))
		checkErr(t, c.name, err, c.err)
	}
}

func TestSwaggerInfo(t *testing.T) {
	got, err := SwaggerInfo(mustDecode(t, `{"swagger": "2.0", "paths": {"/b": {}, "/a": {"get": {"x": [1, {"z": 1, "y": "é"}]}}}, "info": {"title": "q.proto", "version": "version not set"}}`),
		"T", "D", "v1")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "info": {
    "description": "D",
    "title": "T",
    "version": "v1"
  },
  "paths": {
    "/a": {
      "get": {
        "x": [
          1,
          {
            "y": "\u00e9",
            "z": 1
          }
        ]
      }
    },
    "/b": {}
  },
  "swagger": "2.0"
}
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := SwaggerInfo(mustDecode(t, `[]`), "T", "D", "v1"); err == nil {
		t.Error("a list taken for an OpenAPI document")
	}
}
