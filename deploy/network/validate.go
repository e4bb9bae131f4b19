package network

import (
	"errors"
	"fmt"
	"math"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

var (
	// Host names, org ids and key names end up in folder, unit and key names.
	nameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$`)
	// Chain ids as CometBFT takes them, kept to what is safe in a path.
	chainIDRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{0,48}$`)
	// A DNS name for a host reached by name rather than by IP address.
	dnsRe = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
	// A host path goes unquoted into systemd units (where space, quotes, '%',
	// '$' and '\' mean something), env files, the units' command lines and
	// the shell commands link prints: only characters that mean nothing in
	// any of them.
	hostPathRe = regexp.MustCompile(`^/[A-Za-z0-9._/-]+$`)
	// A units' User=: a portable login name (useradd's default rule).
	userRe = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	// The operator keys' names (ValidatorKey): an org's monitoring account
	// of that name would be the operator's key from the key store, copied to
	// the org's host and granted as the org's reporter.
	validatorKeyRe = regexp.MustCompile(`^validator[0-9]*$`)
)

// CheckHostPath tells whether p can be a path on a host that the generated
// units, env files and printed commands name: absolute, clean, not the
// filesystem root, and of letters, digits, '.', '_', '-' and '/' only.
func CheckHostPath(p string) error {
	switch {
	case !filepath.IsAbs(p):
		return errors.New("is not an absolute path")
	case p == "/":
		return errors.New("is the filesystem root: give the network a folder of its own")
	case !hostPathRe.MatchString(p):
		return errors.New("has characters other than letters, digits, '.', '_', '-' and '/' (it is written unquoted into systemd units, env files and shell commands)")
	case filepath.Clean(p) != p:
		return fmt.Errorf("is not a clean path (%s): no '.', '..', '//' or trailing '/'", filepath.Clean(p))
	}
	return nil
}

// The subchain kinds of the main chain's registry.
var kinds = []string{"file-storage", "industry", "cross-chain", "other"}

// Validate returns every problem of the file at once, each naming the
// entry it is about, or nil.
func (n *Network) Validate() error {
	v := &validator{n: n, ports: map[string]string{}, keys: map[string]string{}, names: map[string]string{}}
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
	// names: "host unit|home name" -> what uses it (see claim).
	names map[string]string
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
	// The generator's own keys; the operator keys (validator, validator<i>)
	// are refused by key() whatever the chain's validator count.
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
	// addresses: an address in one form -> the host that has it. Ports are
	// claimed per host entry, so two entries of one machine could share a
	// port unseen (and would install their units side by side).
	addresses := map[string]string{}
	for i, h := range v.n.Hosts {
		where := fmt.Sprintf("hosts[%d] (%s)", i, h.Name)
		if !nameRe.MatchString(h.Name) {
			v.errf("%s: name %q: want lower-case letters, digits and dashes", where, h.Name)
		}
		if seen[h.Name] {
			v.errf("%s: host name %q is used twice", where, h.Name)
		}
		seen[h.Name] = true
		ip := net.ParseIP(h.Address)
		switch {
		case h.Address == "":
			v.errf("%s: no address", where)
		case ip == nil && !dnsRe.MatchString(h.Address):
			v.errf("%s: address %q is neither an IP address nor a DNS name", where, h.Address)
		case ip != nil && (ip.IsUnspecified() || ip.IsMulticast()):
			v.errf("%s: address %q is not one the other hosts can dial (unspecified or multicast); a wildcard goes in listen", where, h.Address)
		}
		if h.Address != "" {
			key := strings.ToLower(h.Address)
			if ip != nil {
				key = ip.String()
			}
			if other, ok := addresses[key]; ok {
				v.errf("%s: address %q is also host %s's: one machine is one host entry", where, h.Address, other)
			} else {
				addresses[key] = h.Name
			}
		}
		if net.ParseIP(h.Listen) == nil && h.Listen != h.Address {
			v.errf("%s: listen %q is not an IP address", where, h.Listen)
		}
		if err := CheckHostPath(h.Root); err != nil {
			v.errf("%s: root %q %v", where, h.Root, err)
		}
		if !userRe.MatchString(h.User) {
			v.errf("%s: user %q: want a login name of lower-case letters, digits, '_' and '-' (32 at most, not starting with a digit or '-')", where, h.User)
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
		} else if err := shared.ValidateText("name", o.Name, collectortypes.MaxNameLen); err != nil {
			v.errf("%s: the main chain refuses the org's name: %v", where, err)
		}
		v.hostKnown(where, o.Host)
		v.key(where, o.ID+"-admin", "admin of org "+o.ID)
		// Each is granted on every membership of the org, which the main
		// chain caps.
		if len(o.Monitors) > collectortypes.MaxReportersLimit {
			v.errf("%s: %d monitors: a membership has at most %d reporters", where, len(o.Monitors), collectortypes.MaxReportersLimit)
		}
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
	if validatorKeyRe.MatchString(name) {
		v.errf("%s: key name %q (%s) is reserved: validator and validator<i> are the validators' operator keys", where, name, what)
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
		if h := v.n.Host(val.Host); h != nil {
			what := fmt.Sprintf("validator %d of %s", i, c.ChainID)
			v.claim(vw, val.Host, "unit", UnitName(NodeName(c.ChainID, i)), what)
			v.claim(vw, val.Host, "home", v.n.NodeHome(c, i), what)
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

// claim takes a name on a host (a systemd unit, which also names the
// daemon's env file, or a home folder) for what. The names are built by
// joining ids with '-', so two different entries can come out the same
// (chain m's node 1 and chain m-node1's node 0): the second would overwrite
// the first's files.
func (v *validator) claim(where, host, kind, name, what string) {
	k := host + " " + kind + " " + name
	if other, ok := v.names[k]; ok {
		v.errf("%s: %s %s on host %s (%s) is also the %s of %s", where, kind, name, host, what, kind, other)
		return
	}
	v.names[k] = what
}

func (v *validator) checkSubchain(where string, s *Subchain) {
	v.checkChain(where, &s.Chain)
	if strings.TrimSpace(s.Name) == "" {
		v.errf("%s: no name (its name in the main chain's registry)", where)
	} else if err := shared.ValidateText("name", s.Name, collectortypes.MaxNameLen); err != nil {
		v.errf("%s: the main chain's registry refuses the name: %v", where, err)
	}
	if !contains(kinds, s.Kind) {
		v.errf("%s: kind %q: want one of %s", where, s.Kind, strings.Join(kinds, ", "))
	}
	if d, err := time.ParseDuration(s.ReportInterval); err != nil ||
		d < collectortypes.MinReportInterval || d > collectortypes.MaxReportInterval {
		v.errf("%s: report_interval %q: want a duration like 30s, from %s to %s (the main chain's registry)",
			where, s.ReportInterval, collectortypes.MinReportInterval, collectortypes.MaxReportInterval)
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
	// Each of the sidecar's params alone through the module's own check, the
	// others at their defaults, so that an error names the file's field.
	sc := s.Sidecar
	sidecar := func(field, value string, set func(*reportertypes.Params)) {
		p := reportertypes.DefaultParams()
		set(&p)
		if err := p.Validate(); err != nil {
			v.errf("%s: sidecar %s %s: the sidecar refuses it: %v", where, field, value, err)
		}
	}
	for _, f := range []struct {
		name  string
		value int
		set   func(*reportertypes.Params, uint32)
	}{
		{"snapshot_every", sc.SnapshotEvery, func(p *reportertypes.Params, x uint32) { p.ReportInterval = x }},
		{"heartbeat_every", sc.HeartbeatEvery, func(p *reportertypes.Params, x uint32) { p.HeartbeatEvery = x }},
	} {
		// The params are 32-bit: a larger count would wrap round to one the
		// module takes.
		if f.value < 1 || int64(f.value) > math.MaxUint32 {
			v.errf("%s: sidecar %s %d: want a count from 1 to the sidecar's limit", where, f.name, f.value)
			continue
		}
		sidecar(f.name, fmt.Sprint(f.value), func(p *reportertypes.Params) { f.set(p, uint32(f.value)) })
	}
	if d, err := time.ParseDuration(sc.PacketTimeout); err != nil {
		v.errf("%s: sidecar packet_timeout %q: want a duration like 600s", where, sc.PacketTimeout)
	} else {
		sidecar("packet_timeout", fmt.Sprintf("%q", sc.PacketTimeout), func(p *reportertypes.Params) { p.PacketTimeout = d })
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
	} else if h := n.Host(n.Daemons.Relayer.Host); h == nil {
		v.hostKnown("daemons.relayer", n.Daemons.Relayer.Host)
	} else {
		v.claim("daemons.relayer", h.Name, "unit", UnitName(RelayerName), "the relayer")
		v.claim("daemons.relayer", h.Name, "home", h.RlyHome(), "the relayer")
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
		if h := n.Host(w.Host); h != nil {
			what := "the watcher of " + w.Subchain + " for " + w.Org
			v.claim(where, w.Host, "unit", UnitName(WatcherName(w.Subchain, w.Org)), what)
			v.claim(where, w.Host, "home", h.WatcherHome(w.Subchain, w.Org), what)
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
		if h := n.Host(r.Host); h != nil {
			what := "the reporter of " + r.Subchain + " for " + r.Org
			v.claim(where, r.Host, "unit", UnitName(ReporterName(r.Subchain, r.Org)), what)
			v.claim(where, r.Host, "home", h.ReporterHome(r.Subchain, r.Org), what)
		}
	}
}
