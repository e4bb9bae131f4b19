package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const recorded = "internal/localnet/testdata"

// TestShellHelpers sources scripts/faults/lib.sh (and scripts/lib.sh) from a
// fake repository (stub chain binaries, the recorded localnet.json) with a
// fresh build of scnet, calls the shell helpers against an HTTP server with
// the recorded answers and a stand-in chain CLI, and compares everything
// they print, and their exit statuses, with testdata/shell_check.golden.
func TestShellHelpers(t *testing.T) {
	for _, tool := range []string{"bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	root := t.TempDir()
	for _, d := range []string{"scripts/faults", "build", ".localnet", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, "../../scripts/lib.sh", filepath.Join(root, "scripts/lib.sh"))
	copyFile(t, "../../scripts/faults/lib.sh", filepath.Join(root, "scripts/faults/lib.sh"))
	copyFile(t, filepath.Join(recorded, "localnet.json"), filepath.Join(root, ".localnet/localnet.json"))
	for _, b := range []string{"mainchaind", "subchaind", "rly"} {
		if err := os.WriteFile(filepath.Join(root, "build", b), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	scnet := filepath.Join(t.TempDir(), "scnet")
	if out, err := exec.Command("go", "build", "-o", scnet, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve := func(name string, code int) {
			b, err := os.ReadFile(filepath.Join(recorded, name))
			if err != nil {
				t.Error(err)
			}
			w.WriteHeader(code)
			w.Write(b)
		}
		switch {
		case r.URL.Query().Get("height") == "9999":
			serve("rpc_error.json", http.StatusInternalServerError)
		case r.URL.Path == "/metrics":
			serve("metrics.txt", http.StatusOK)
		case r.URL.Path == "/block" || r.URL.Path == "/block_results" || r.URL.Path == "/block_search":
			serve(strings.TrimPrefix(r.URL.Path, "/")+".json", http.StatusOK)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cmd := exec.Command("bash", abs("testdata/shell_check.sh"), root)
	cmd.Env = append(os.Environ(),
		"SCNET_BIN="+scnet,
		"B="+srv.URL,
		"PROXY_PORT="+strconv.Itoa(freePort(t)),
		"TMPDIR="+filepath.Join(root, "tmp"),
		"SCNET_TESTDATA="+abs(recorded),
		"FAKECLI="+abs("testdata/fakecli.sh"),
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("shell_check.sh: %v\nstderr:\n%s", err, stderr.String())
	}
	want, err := os.ReadFile("testdata/shell_check.golden")
	if err != nil {
		t.Fatal(err)
	}
	// The fake CLI's path is this checkout's: the golden file names it $FAKECLI.
	if got := strings.ReplaceAll(stdout.String(), abs("testdata/fakecli.sh"), "$FAKECLI"); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("shell_check.sh output differs from shell_check.golden at line %d:\n got %q\nwant %q\nstderr:\n%s", i+1, g, w, stderr.String())
			}
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func runCLI(stdin string, args ...string) (int, string, string) {
	var o, e bytes.Buffer
	rc := run(args, strings.NewReader(stdin), &o, &e)
	return rc, o.String(), e.String()
}

func TestCLI(t *testing.T) {
	// Every command has a --help with an example.
	for name := range commands {
		rc, out, _ := runCLI("", name, "--help")
		if rc != 0 || !strings.Contains(out, "usage: scnet "+name) || !strings.Contains(out, "example:\n  ") || strings.Contains(out, "example:\n  \n") {
			t.Errorf("%s --help: rc %d\n%s", name, rc, out)
		}
	}
	if rc, out, _ := runCLI("", "help"); rc != 0 || !strings.Contains(out, "wait-metrics") {
		t.Errorf("help: %d %s", rc, out)
	}
	if rc, _, errOut := runCLI("", "nope"); rc != 2 || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Errorf("unknown command: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "chain", "--", "mainchain"); rc != 2 || !strings.Contains(errOut, "want CHAIN FIELD, got 1 argument(s)") {
		t.Errorf("too few arguments: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "history", "--", "subchain-a"); rc != 2 || !strings.Contains(errOut, "--bin and --node are required") {
		t.Errorf("history without --bin: %d %s", rc, errOut)
	}
	// A path segment starting with "-" after "--" is a path, not a flag.
	if rc, out, errOut := runCLI(`{"l": [1, 2, 3]}`, "json-get", "--", "l.-1"); rc != 0 || out != "3\n" {
		t.Errorf("json-get l.-1: %d %q %s", rc, out, errOut)
	}
	if rc, out, errOut := runCLI(`{"a": 1}`, "json-get", "--", "b"); rc != 1 || out != "" || !strings.HasPrefix(errOut, `scnet json-get: no key "b" at the top`) {
		t.Errorf("json-get of a missing key: %d %q %s", rc, out, errOut)
	}
	if rc, out, _ := runCLI(`{"reports": []}`, "ibc-report-after", "--", "3"); rc != 1 || out != "" {
		t.Errorf("ibc-report-after with none: %d %q", rc, out)
	}
	if rc, _, errOut := runCLI("", "chain", "--summary", "/nonexistent/localnet.json", "--", "a", "b"); rc != 1 || !strings.Contains(errOut, "is a localnet started?") {
		t.Errorf("missing summary: %d %s", rc, errOut)
	}
	// json: a check (--want) fails, saying what it got, on a wrong input.
	members := `{"members": [{"org_id": "org-a", "suspended": true}, {"org_id": "org-b"}]}`
	if rc, out, errOut := runCLI(members, "json", "--first", "--want", "True", "--", "members[org_id=org-a].suspended"); rc != 0 || out != "" || errOut != "" {
		t.Errorf("json --want that holds: %d %q %s", rc, out, errOut)
	}
	if rc, _, errOut := runCLI(members, "json", "--first", "--want", "True", "--", "members[org_id=org-b].suspended"); rc != 1 || !strings.Contains(errOut, "no value at") {
		t.Errorf("json --want of a missing value: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI(members, "json", "--want", "1", "--", "members[]#"); rc != 1 || !strings.Contains(errOut, `members[]# gave "2", want "1"`) {
		t.Errorf("json --want that does not hold: %d %s", rc, errOut)
	}
	if rc, out, _ := runCLI(members, "json", "--join", ",", "--", "members[].org_id"); rc != 0 || out != "org-a,org-b\n" {
		t.Errorf("json --join: %d %q", rc, out)
	}
	if rc, out, _ := runCLI(members, "json", "--", "members[org_id=org-c].org_id"); rc != 0 || out != "" {
		t.Errorf("json with nothing matched: %d %q (want no line)", rc, out)
	}
	if rc, out, _ := runCLI(members, "json", "--first", "--or", "", "--", "members[org_id=org-c].org_id"); rc != 0 || out != "\n" {
		t.Errorf("json --first --or '': %d %q", rc, out)
	}
	if rc, out, _ := runCLI("{\"a\": 1}\n{\"a\": 2}\n", "json", "--lines", "--last", "--", "[].a"); rc != 0 || out != "2\n" {
		t.Errorf("json --lines --last: %d %q", rc, out)
	}
	if rc, _, errOut := runCLI("{", "json", "--", "a"); rc != 1 || !strings.HasPrefix(errOut, "scnet json: ") {
		t.Errorf("json of bad JSON: %d %s", rc, errOut)
	}
	if rc, _, errOut := runCLI("", "wait-metrics", "--", "127.0.0.1:1", "soon"); rc != 1 || !strings.Contains(errOut, `SECONDS "soon"`) {
		t.Errorf("wait-metrics with bad SECONDS: %d %s", rc, errOut)
	}
}
