package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2ECommands runs the end-to-end scripts' commands as the scripts call
// them: flags, arguments, what they print and how they fail.
func TestE2ECommands(t *testing.T) {
	const own = `{"snapshot": {"height": "40", "block_time": "2024-05-01T00:00:00.5Z", "contract_count": "2"}}`
	if rc, out, errOut := runCLI(own, "forge-snapshot", "--contract-count", "+5"); rc != 0 ||
		out != `{"height": "40", "block_time": "2024-05-01T00:00:00.5Z", "contract_count": "7"}`+"\n" {
		t.Errorf("forge-snapshot --contract-count +5: %d %q %s", rc, out, errOut)
	}
	// The flags of one run do not carry over to the next.
	if rc, out, errOut := runCLI(own, "forge-snapshot", "--height", "120", "--seconds", "30"); rc != 0 ||
		out != `{"height": "160", "block_time": "2024-05-01T00:00:30.5Z", "contract_count": "2"}`+"\n" {
		t.Errorf("forge-snapshot --height 120 --seconds 30: %d %q %s", rc, out, errOut)
	}
	if rc, _, errOut := runCLI(own, "forge-snapshot", "--height", "many"); rc != 2 || !strings.Contains(errOut, `"many" is not an integer`) {
		t.Errorf("forge-snapshot --height many: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI(`{}`, "forge-snapshot", "--contract-count", "1"); rc != 1 || !strings.HasPrefix(errOut, `scnet forge-snapshot: no key "snapshot"`) {
		t.Errorf("forge-snapshot of no snapshot: %d %s", rc, errOut)
	}
	// A check prints its lines, then fails with the problems.
	summary := filepath.Join(t.TempDir(), "localnet.json")
	if err := os.WriteFile(summary, []byte(`{"status_paths": [{"subchain": "a", "dst": {"client_id": "c", "channel": "ch"}}, {"subchain": "b", "dst": {"client_id": "d", "channel": "ch2"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cli := `{"subchains": [{"subchain": {"chain_id": "a"}, "seconds_until_due": 5, "link": {"client_id": "c", "last_ibc_report": "2"}}]}`
	rest := `{"subchains": [{"subchain": {"chain_id": "a", "liveness": "LIVENESS_ACTIVE"}, "link": {"client_id": "c", "channel_id": "ch"}}]}`
	if rc, out, errOut := runCLI("", "check-overview", "--summary", summary, cli, rest); rc != 1 ||
		out != "  a           LIVENESS_ACTIVE, due in 5s, link c/ch (None), 2 reports over IBC\n" ||
		errOut != "scnet check-overview: CLI overview: 0 entries for b\n" {
		t.Errorf("check-overview: %d %q %q", rc, out, errOut)
	}
	if rc, _, errOut := runCLI("", "check-overview", "--summary", summary, "{", rest); rc != 1 || !strings.Contains(errOut, "CLI overview: invalid JSON") {
		t.Errorf("check-overview of bad JSON: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "compare-snapshot-facts", `{"snapshot": {"contract_count": "1"}}`, `{"contract_count": 1}`); rc != 0 {
		t.Errorf("compare-snapshot-facts that agree: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "compare-snapshot-facts", `{"snapshot": {"contract_count": "1"}}`, `{"contract_count": 2}`); rc != 1 ||
		!strings.Contains(errOut, "'contract_count': 1}\nobserver {") {
		t.Errorf("compare-snapshot-facts that disagree: %d %s", rc, errOut)
	}
	snap := filepath.Join(t.TempDir(), "snapshot.json")
	rc, out, _ := runCLI("", "sample-snapshot", "plain-1", "org-c")
	if rc != 0 || !strings.HasPrefix(out, `{"chain_id": "plain-1", "height": "100", `) {
		t.Fatalf("sample-snapshot: %d %q", rc, out)
	}
	if err := os.WriteFile(snap, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	status := `{"report": {"sequence": "1", "snapshot": ` + strings.TrimSpace(out) + `, "source": {"org_id": "org-c", "reporter": "m"}}}`
	if rc, _, errOut := runCLI(status, "check-status", snap, "org-c", "m"); rc != 0 {
		t.Errorf("check-status of the submitted snapshot: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI(status, "check-status", snap, "org-d", "m"); rc != 1 || !strings.Contains(errOut, "source: {'org_id': 'org-c', 'reporter': 'm'}") {
		t.Errorf("check-status of another org: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("{}", "network-plan", "ten"); rc != 1 || !strings.Contains(errOut, `NODE_PORT_STEP "ten"`) {
		t.Errorf("network-plan ten: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "write-summary", "a", "b", "c", "d", "e", "f", "g"); rc != 2 || !strings.Contains(errOut, "got 7 argument(s)") {
		t.Errorf("write-summary without items: %d %s", rc, errOut)
	}
	if rc, out, errOut := runCLI("", "prometheus-summary", `{"data": {"activeTargets": []}}`, `{"data": {"alerts": []}}`); rc != 0 ||
		out != "  targets up: 0 of 0 (0 not scraped yet)\n  alerts firing: 0 (pending 0)\n" {
		t.Errorf("prometheus-summary of nothing: %d %q %s", rc, out, errOut)
	}
	in, outFile := filepath.Join(t.TempDir(), "in.json"), filepath.Join(t.TempDir(), "out.json")
	if err := os.WriteFile(in, []byte(`{"swagger": "2.0", "info": {"title": "x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if rc, _, errOut := runCLI("", "swagger-info", in, outFile, "T", "D", "v1"); rc != 0 {
		t.Fatalf("swagger-info: %d %s", rc, errOut)
	}
	if b, _ := os.ReadFile(outFile); string(b) != "{\n  \"info\": {\n    \"description\": \"D\",\n    \"title\": \"T\",\n    \"version\": \"v1\"\n  },\n  \"swagger\": \"2.0\"\n}\n" {
		t.Errorf("swagger-info wrote %q", b)
	}
}
