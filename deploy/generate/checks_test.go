package generate

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/statuscollect/statuscollect/deploy/network"
)

const twoHosts = `
name: t
hosts:
  - {name: h1, address: 10.0.0.1, root: /srv/sc}
  - {name: h2, address: 10.0.0.2}
admin: {host: h1}
orgs:
  - {id: org-a, name: Org A, host: h1}
  - {id: org-b, name: Org B, host: h2}
main_chain:
  chain_id: m
  validators: [{org: org-a, host: h1}, {org: org-b, host: h2}]
subchains:
  - {chain_id: s, name: S, kind: other, plain: true, members: [org-a, org-b], validators: [{org: org-a, host: h1, port_offset: 100}]}
daemons:
  reporters:
    - {subchain: s, org: org-b, host: h2, metrics_port: 26692}
`

func parse(t *testing.T, file string) *network.Network {
	t.Helper()
	n, err := network.Parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hosts[].user and hosts[].root are written unquoted into units, env files
// and printed commands: what would add a directive or an argument there is
// refused.
func TestUnitInjectionThroughUserOrRootIsRefused(t *testing.T) {
	parse(t, twoHosts)
	directive := `ExecStartPre=+/bin/sh -c 'id > /tmp/pwned'`
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"user with a newline", "root: /srv/sc}", `root: /srv/sc, user: "sc\n` + directive + `"}`, `hosts[0] (h1): user "sc\nExecStartPre=`},
		{"root with a newline", "root: /srv/sc}", `root: "/srv/sc\n` + directive + `"}`, `hosts[0] (h1): root "/srv/sc\nExecStartPre=`},
		{"root with flags", "root: /srv/sc}", `root: "/tmp/x --halt-height 1 --home /srv/sc"}`, `root "/tmp/x --halt-height 1 --home /srv/sc" has characters other than`},
		{"root with specifiers and variables", "root: /srv/sc}", `root: "/srv/%h/${HOME}"}`, `root "/srv/%h/${HOME}" has characters other than`},
		{"root not clean", "root: /srv/sc}", `root: /srv/sc/../etc}`, `root "/srv/sc/../etc" is not a clean path (/srv/etc)`},
		{"root the filesystem root", "root: /srv/sc}", `root: /}`, `root "/" is the filesystem root`},
		{"user starting with a digit", "root: /srv/sc}", `root: /srv/sc, user: 0day}`, `hosts[0] (h1): user "0day": want a login name`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := network.Parse([]byte(strings.Replace(twoHosts, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// A daemon's metrics address on an IPv6 host is host:port as Go and the
// daemons parse it: [2001:db8::1]:26692.
func TestMetricsAddrOnIPv6IsHostPort(t *testing.T) {
	n := parse(t, strings.Replace(twoHosts, "address: 10.0.0.2", "address: '2001:db8::1'", 1))
	out := t.TempDir()
	g := &generator{Options: Options{Network: n, Out: out}, n: n, bins: map[string]map[string]bool{},
		sum: Summary{Hosts: map[string]*HostSummary{"h1": {}, "h2": {}}}}
	if err := g.daemons(); err != nil {
		t.Fatal(err)
	}
	env, err := os.ReadFile(filepath.Join(out, "hosts", "h2", "env", network.ReporterName("s", "org-b")+".env"))
	if err != nil {
		t.Fatal(err)
	}
	var addr string
	for _, line := range strings.Split(string(env), "\n") {
		if v, ok := strings.CutPrefix(line, "METRICS_ADDR="); ok {
			addr = v
		}
	}
	if host, port, err := net.SplitHostPort(addr); err != nil || host != "2001:db8::1" || port != "26692" {
		t.Fatalf("METRICS_ADDR=%s: %q %q %v", addr, host, port, err)
	}
}

// validator1 is validator 1's operator key in the key store: as an org's
// monitoring account its mnemonic would go to the org's host.
func TestMonitorCannotTakeAnOperatorKey(t *testing.T) {
	_, err := network.Parse([]byte(strings.Replace(twoHosts, "{id: org-b, name: Org B, host: h2}", "{id: org-b, name: Org B, host: h2, monitors: [validator1]}", 1)))
	if err == nil || !strings.Contains(err.Error(), `key name "validator1" (monitoring account of org org-b) is reserved`) {
		t.Fatalf("got %v", err)
	}
}

// fakeBins writes chain binaries that make the --home they are given and
// fail, as a binary failing half-way through a generation would.
func fakeBins(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --home ] && mkdir -p \"$2/config\"; shift; done\necho 'fake failure' >&2\nexit 1\n"
	for _, b := range []string{network.MainBinary, network.SubBinary} {
		if err := os.WriteFile(filepath.Join(dir, b), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A network changed after it was parsed into one the chain refuses is
// refused before Run writes anything.
func TestRunRefusesAnInvalidNetworkBeforeWriting(t *testing.T) {
	n := parse(t, twoHosts)
	n.Subchains[0].ReportInterval = "1ns"
	out := filepath.Join(t.TempDir(), "out")
	_, err := Run(Options{Network: n, Out: out, BinDir: fakeBins(t)})
	if err == nil || !strings.Contains(err.Error(), `report_interval "1ns"`) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("Run wrote %s (%v)", out, err)
	}
	// The same for cosmovisor's path, which every node unit runs.
	n.Subchains[0].ReportInterval = "30s"
	_, err = Run(Options{Network: n, Out: out, BinDir: fakeBins(t), Cosmovisor: "/usr/bin/cosmovisor\nExecStartPre=/bin/true"})
	if err == nil || !strings.Contains(err.Error(), `cosmovisor "/usr/bin/cosmovisor\nExecStartPre=/bin/true" has characters other than`) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("Run wrote %s (%v)", out, err)
	}
}

// A generation failing half-way removes what it wrote, and keeps the keys
// of an earlier run.
func TestFailedRunRemovesWhatItWrote(t *testing.T) {
	n := parse(t, twoHosts)
	bins := fakeBins(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(Options{Network: n, Out: out, BinDir: bins}); err == nil || !strings.Contains(err.Error(), "fake failure") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a failed run into a new folder left %s (%v)", out, err)
	}
	// Into a folder with an earlier run's keys: they stay, the rest goes.
	keyFile := filepath.Join(out, "keys", "m", "validator.mnemonic")
	if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte("kept\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(Options{Network: n, Out: out, BinDir: bins}); err == nil {
		t.Fatal("no error")
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "keys" {
		t.Fatalf("left %v, want keys/ only", entries)
	}
	if b, err := os.ReadFile(keyFile); err != nil || string(b) != "kept\n" {
		t.Fatalf("the earlier key: %q %v", b, err)
	}
}
