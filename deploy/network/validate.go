package network

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var (
	// Host names, org ids and key names end up in folder, unit and key names.
	nameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$`)
	// Chain ids as CometBFT takes them, kept to what is safe in a path.
	chainIDRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,48}$`)
	// A DNS name for a host reached by name rather than by IP address.
	dnsRe = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
)

// The subchain kinds of the main chain's registry.
var kinds = []string{"file-storage", "industry", "cross-chain", "other"}

// Validate returns every problem of the file at once, each naming the
// entry it is about, or nil.
func (n *Network) Validate() error {
	v := &validator{n: n, ports: map[string]string{}, keys: map[string]string{}}
	v.check()
	return errors.Join(v.errs...)
}

type validator struct {
	n    *Network
	errs []error
	// ports: "host:port" -> what uses it, across every node and daemon.
	ports map[string]string
	// keys: main-chain key name -> what it is for.
	keys map[string]string
}

func (v *validator) errf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

func (v *validator) check() {
	n := v.n
	if !nameRe.MatchString(n.Name) {
		v.errf("name %q: want lower-case letters, digits and dashes", n.Name)
	}
	v.checkHosts()
	if n.Host(n.Admin.Host) == nil {
		v.errf("admin: host %q is not in hosts", n.Admin.Host)
	}
	for _, k := range []string{"admin", "user", "relayer"} {
		v.keys[k] = "the network's own " + k + " key"
	}
	v.checkOrgs()
	v.checkMain()
	chainIDs := map[string]bool{n.MainChain.ChainID: true}
	for i := range n.Subchains {
		s := &n.Subchains[i]
		where := fmt.Sprintf("subchains[%d] (%s)", i, s.ChainID)
		if chainIDs[s.ChainID] {
			v.errf("%s: chain id %q is used twice", where, s.ChainID)
		}
		chainIDs[s.ChainID] = true
		v.checkSubchain(where, s)
	}
	if len(n.Subchains) == 0 {
		v.errf("subchains: the network has none")
	}
	v.checkPaths()
	v.checkDaemons()
}

func (v *validator) checkHosts() {
	if len(v.n.Hosts) == 0 {
		v.errf("hosts: the network has none")
	}
	seen := map[string]bool{}
	for i, h := range v.n.Hosts {
		where := fmt.Sprintf("hosts[%d] (%s)", i, h.Name)
		if !nameRe.MatchString(h.Name) {
			v.errf("%s: name %q: want lower-case letters, digits and dashes", where, h.Name)
		}
		if seen[h.Name] {
			v.errf("%s: host name %q is used twice", where, h.Name)
		}
		seen[h.Name] = true
		if h.Address == "" {
			v.errf("%s: no address", where)
		} else if net.ParseIP(h.Address) == nil && !dnsRe.MatchString(h.Address) {
			v.errf("%s: address %q is neither an IP address nor a DNS name", where, h.Address)
		}
		if net.ParseIP(h.Listen) == nil && h.Listen != h.Address {
			v.errf("%s: listen %q is not an IP address", where, h.Listen)
		}
		if !filepath.IsAbs(h.Root) {
			v.errf("%s: root %q is not an absolute path", where, h.Root)
		}
	}
}

func (v *validator) hostKnown(where, host string) {
	if v.n.Host(host) == nil {
		v.errf("%s: host %q is not in hosts", where, host)
	}
}

func (v *validator) checkOrgs() {
	seen := map[string]bool{}
	for i, o := range v.n.Orgs {
		where := fmt.Sprintf("orgs[%d] (%s)", i, o.ID)
		if !nameRe.MatchString(o.ID) {
			v.errf("%s: id %q: want lower-case letters, digits and dashes", where, o.ID)
		}
		if seen[o.ID] {
			v.errf("%s: org id %q is used twice", where, o.ID)
		}
		seen[o.ID] = true
		if strings.TrimSpace(o.Name) == "" {
			v.errf("%s: no name", where)
		}
		v.hostKnown(where, o.Host)
		v.key(where, o.ID+"-admin", "admin of org "+o.ID)
		for _, m := range o.Monitors {
			v.key(where, m, "monitoring account of org "+o.ID)
		}
	}
}

// key claims a main-chain key name: every key of the main chain's keyrings
// must have a name of its own.
func (v *validator) key(where, name, what string) {
	if !nameRe.MatchString(name) {
		v.errf("%s: key name %q: want lower-case letters, digits and dashes", where, name)
		return
	}
	if other, ok := v.keys[name]; ok {
		v.errf("%s: key name %q (%s) is already the %s", where, name, what, other)
		return
	}
	v.keys[name] = what
}

func (v *validator) checkMain() {
	c := &v.n.MainChain
	where := fmt.Sprintf("main_chain (%s)", c.ChainID)
	// The collector module lives in mainchaind only.
	if c.Binary != MainBinary {
		v.errf("%s: binary %q: the main chain runs %s", where, c.Binary, MainBinary)
	}
	v.checkChain(where, c)
}

func (v *validator) checkChain(where string, c *Chain) {
	if !chainIDRe.MatchString(c.ChainID) {
		v.errf("%s: chain id %q: want letters, digits, '.', '_' and '-'", where, c.ChainID)
	}
	if c.Binary != MainBinary && c.Binary != SubBinary {
		v.errf("%s: binary %q: want %s or %s", where, c.Binary, MainBinary, SubBinary)
	}
	if len(c.Validators) == 0 {
		v.errf("%s: no validators", where)
	}
	if c.VotingPeriod != "" {
		// Whole seconds: the expedited period (half of it) must stay shorter.
		if d, err := time.ParseDuration(c.VotingPeriod); err != nil || d < 2*time.Second || d%time.Second != 0 {
			v.errf("%s: voting_period %q: want whole seconds, 2s or more (e.g. 60s, 48h)", where, c.VotingPeriod)
		}
	}
	for i, val := range c.Validators {
		vw := fmt.Sprintf("%s validators[%d]", where, i)
		if v.n.Org(val.Org) == nil {
			v.errf("%s: org %q is not in orgs", vw, val.Org)
		}
		v.hostKnown(vw, val.Host)
		if val.PortOffset < 0 {
			v.errf("%s: port_offset %d is negative", vw, val.PortOffset)
		}
		for _, p := range val.EffectivePorts().named() {
			v.port(vw, val.Host, p.Port, fmt.Sprintf("%s of %s", p.Name, NodeName(c.ChainID, i)))
		}
	}
}

// port claims host:port for what; two users of one port on a host is an error.
func (v *validator) port(where, host string, port int, what string) {
	if port < 1 || port > 65535 {
		v.errf("%s: %s port %d is out of range (1 to 65535)", where, what, port)
		return
	}
	k := fmt.Sprintf("%s:%d", host, port)
	if other, ok := v.ports[k]; ok {
		v.errf("%s: %s port %s is also the %s port (duplicate host:port)", where, what, k, other)
		return
	}
	v.ports[k] = what
}

func (v *validator) checkSubchain(where string, s *Subchain) {
	v.checkChain(where, &s.Chain)
	if strings.TrimSpace(s.Name) == "" {
		v.errf("%s: no name (its name in the main chain's registry)", where)
	}
	if !contains(kinds, s.Kind) {
		v.errf("%s: kind %q: want one of %s", where, s.Kind, strings.Join(kinds, ", "))
	}
	if d, err := time.ParseDuration(s.ReportInterval); err != nil || d <= 0 {
		v.errf("%s: report_interval %q: want a positive duration like 30s", where, s.ReportInterval)
	}
	seen := map[string]bool{}
	for _, m := range s.Members {
		if v.n.Org(m) == nil {
			v.errf("%s: member org %q is not in orgs", where, m)
		}
		if seen[m] {
			v.errf("%s: member org %q is listed twice", where, m)
		}
		seen[m] = true
	}
	if s.Plain {
		if s.Sidecar != nil {
			v.errf("%s: a plain chain runs no sidecar: drop its sidecar section", where)
		}
		return
	}
	if s.Binary != SubBinary {
		v.errf("%s: binary %q has no statusreporter sidecar: use %s, or mark the chain plain", where, s.Binary, SubBinary)
	}
	sc := s.Sidecar
	if sc.SnapshotEvery < 1 || sc.HeartbeatEvery < 1 {
		v.errf("%s: sidecar snapshot_every (%d) and heartbeat_every (%d) must be 1 or more", where, sc.SnapshotEvery, sc.HeartbeatEvery)
	}
	d, err := time.ParseDuration(sc.PacketTimeout)
	if err != nil || d < time.Minute || d > 168*time.Hour {
		v.errf("%s: sidecar packet_timeout %q: the sidecar takes 1m to 168h", where, sc.PacketTimeout)
	}
}

func (v *validator) checkPaths() {
	n := v.n
	for _, kind := range []struct {
		name string
		ids  []string
	}{{"transfer", n.Paths.Transfer}, {"status", n.Paths.Status}} {
		seen := map[string]bool{}
		for _, id := range kind.ids {
			where := fmt.Sprintf("paths.%s (%s)", kind.name, id)
			s := n.Subchain(id)
			switch {
			case s == nil:
				v.errf("%s: %q is not in subchains", where, id)
			case s.Plain && kind.name == "status":
				v.errf("%s: %s is a plain chain (no sidecar): it can have no status path", where, id)
			case s.Plain:
				v.errf("%s: %s is a plain chain: it gets no IBC path", where, id)
			}
			if seen[id] {
				v.errf("%s: listed twice", where)
			}
			seen[id] = true
		}
	}
	if tp := n.Paths.StatusClientTrustingPeriod; tp != "" {
		if d, err := time.ParseDuration(tp); err != nil || d < 30*time.Second {
			v.errf("paths.status_client_trusting_period %q: want a duration of 30s or more", tp)
		}
	}
}

func (v *validator) checkDaemons() {
	n := v.n
	if n.Daemons.Relayer == nil {
		if len(n.Paths.Transfer)+len(n.Paths.Status) > 0 {
			v.errf("daemons.relayer: the network has IBC paths but no relayer host")
		}
	} else {
		v.hostKnown("daemons.relayer", n.Daemons.Relayer.Host)
	}
	seen := map[string]bool{}
	for i, w := range n.Daemons.Watchers {
		where := fmt.Sprintf("daemons.watchers[%d] (%s, %s)", i, w.Subchain, w.Org)
		v.hostKnown(where, w.Host)
		s := n.Subchain(w.Subchain)
		switch {
		case s == nil:
			v.errf("%s: subchain %q is not in subchains", where, w.Subchain)
		case s.Plain:
			v.errf("%s: %s is a plain chain: its disputes are filed on the main chain, not by a subchain watcher", where, w.Subchain)
		case !n.HasStatus(w.Subchain):
			v.errf("%s: %s has no status path: the sidecar could not send a dispute's evidence", where, w.Subchain)
		case !contains(s.Members, w.Org):
			v.errf("%s: org %q is not a member of %s", where, w.Org, w.Subchain)
		case s.WatcherValidator(w.Org) < 0:
			// The sidecar takes a dispute only from a bonded validator's operator (or its admin).
			v.errf("%s: org %q runs no validator of %s: a watcher files disputes with a validator's operator key", where, w.Org, w.Subchain)
		}
		if seen[w.Subchain+"/"+w.Org] {
			v.errf("%s: a second watcher of the same org on the same subchain", where)
		}
		seen[w.Subchain+"/"+w.Org] = true
		if w.MetricsPort != 0 {
			v.port(where, w.Host, w.MetricsPort, "metrics of the watcher of "+w.Subchain+" for "+w.Org)
		}
	}
	seen = map[string]bool{}
	for i, r := range n.Daemons.Reporters {
		where := fmt.Sprintf("daemons.reporters[%d] (%s, %s)", i, r.Subchain, r.Org)
		v.hostKnown(where, r.Host)
		s := n.Subchain(r.Subchain)
		switch {
		case s == nil:
			v.errf("%s: subchain %q is not in subchains", where, r.Subchain)
		case !contains(s.Members, r.Org):
			v.errf("%s: org %q is not a member of %s", where, r.Org, r.Subchain)
		}
		if seen[r.Subchain+"/"+r.Org] {
			v.errf("%s: a second reporter of the same org on the same subchain", where)
		}
		seen[r.Subchain+"/"+r.Org] = true
		if r.MetricsPort != 0 {
			v.port(where, r.Host, r.MetricsPort, "metrics of the reporter of "+r.Subchain+" for "+r.Org)
		}
	}
}
