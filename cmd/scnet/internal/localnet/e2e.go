package localnet

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file holds the checks and the builders of the end-to-end scripts
// (scripts/e2e.sh, daemons-e2e.sh, collector-cli.sh, localnet.sh,
// localnet-status.sh, protocgen.sh) that used to be Python snippets in them.
// Their messages and printed lines are the snippets', word for word.

// objectAt is v[k] as an object (Python's v[k] on a dict, failing as a
// KeyError would when k is missing).
func objectAt(v any, k string) (*Object, error) {
	o, ok := v.(*Object)
	if !ok {
		return nil, fmt.Errorf("%s is not an object: cannot look up %q", PyPrintValue(v), k)
	}
	x, ok := o.Get(k)
	if !ok {
		return nil, fmt.Errorf("no key %q (keys: %s)", k, strings.Join(sortedCopy(o.Keys), ", "))
	}
	xo, ok := x.(*Object)
	if !ok {
		return nil, fmt.Errorf("%q is %s, not an object", k, PyPrintValue(x))
	}
	return xo, nil
}

// valueAt is o[k], failing as a KeyError would.
func valueAt(o *Object, k string) (any, error) {
	x, ok := o.Get(k)
	if !ok {
		return nil, fmt.Errorf("no key %q (keys: %s)", k, strings.Join(sortedCopy(o.Keys), ", "))
	}
	return x, nil
}

// getOr is Python's o.get(k, def).
func getOr(o *Object, k string, def any) any {
	if x, ok := o.Get(k); ok {
		return x
	}
	return def
}

// listAt is o[k] as a list.
func listAt(o *Object, k string) ([]any, error) {
	x, err := valueAt(o, k)
	if err != nil {
		return nil, err
	}
	l, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("%q is %s, not a list", k, PyPrintValue(x))
	}
	return l, nil
}

// objects is l's items, each an object.
func objects(l []any, what string) ([]*Object, error) {
	out := make([]*Object, len(l))
	for i, x := range l {
		o, ok := x.(*Object)
		if !ok {
			return nil, fmt.Errorf("%s item %d is %s, not an object", what, i, PyPrintValue(x))
		}
		out[i] = o
	}
	return out, nil
}

// pyIntOf is Python's int() of a decoded JSON value: an integer, or a string
// holding one (the chain CLIs print 64-bit integers as strings).
func pyIntOf(v any) (int64, error) {
	switch t := v.(type) {
	case string:
		n, err := pyInt(t)
		if err != nil {
			return 0, err
		}
		return n.Int64()
	case Number:
		return t.Int64()
	}
	return 0, fmt.Errorf("int() of %s", pyRepr(v))
}

// JSONEqual is Python's == of two decoded JSON values: objects equal when they
// have the same keys with equal values, in any order.
func JSONEqual(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Keys) != len(y.Keys) {
			return false
		}
		for _, k := range x.Keys {
			yv, ok := y.Get(k)
			if !ok || !JSONEqual(x.Vals[k], yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !JSONEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case Number:
		y, ok := b.(Number)
		if !ok {
			return false
		}
		if !x.Float && !y.Float {
			return x.intText() == y.intText()
		}
		return x.float() == y.float()
	case nil:
		return b == nil
	case bool, string:
		return a == b
	}
	return false
}

// SnapshotEdit says how ForgeSnapshot moves a snapshot: each field is added
// to the snapshot's value when its Set flag is on.
type SnapshotEdit struct {
	Height, Seconds, Contracts          int64
	SetHeight, SetSeconds, SetContracts bool
}

var blockTimeRe = regexp.MustCompile(`^(.*?)(\.\d+)?Z$`)

// ForgeSnapshot takes the snapshot of a `q statusreporter snapshot` answer
// ({"snapshot": {...}}) and returns it, as json.dumps printed it, with its
// height, block time and contract count moved: the reports an org's monitor
// could forge. Heights and counts stay strings, as the CLI prints them; a
// missing contract count counts as 0; the block time keeps its fraction.
func ForgeSnapshot(v any, e SnapshotEdit) (string, error) {
	s, err := objectAt(v, "snapshot")
	if err != nil {
		return "", err
	}
	if e.SetHeight {
		h, err := valueAt(s, "height")
		if err != nil {
			return "", err
		}
		n, err := pyIntOf(h)
		if err != nil {
			return "", fmt.Errorf("height: %w", err)
		}
		s.Set("height", strconv.FormatInt(n+e.Height, 10))
	}
	if e.SetContracts {
		var n int64
		if c := getOr(s, "contract_count", nil); Truthy(c) {
			if n, err = pyIntOf(c); err != nil {
				return "", fmt.Errorf("contract_count: %w", err)
			}
		}
		s.Set("contract_count", strconv.FormatInt(n+e.Contracts, 10))
	}
	if e.SetSeconds {
		bt, err := valueAt(s, "block_time")
		if err != nil {
			return "", err
		}
		str, _ := bt.(string)
		m := blockTimeRe.FindStringSubmatch(str)
		if m == nil {
			return "", fmt.Errorf("block_time %s is not a UTC time ending in Z", pyRepr(bt))
		}
		t, err := time.Parse("2006-01-02T15:04:05", m[1])
		if err != nil {
			return "", fmt.Errorf("block_time %s: %w", pyRepr(bt), err)
		}
		s.Set("block_time", t.Add(time.Duration(e.Seconds)*time.Second).Format("2006-01-02T15:04:05")+m[2]+"Z")
	}
	return Dumps(s), nil
}

// CheckOverview is e2e.sh's overview check: for every status path of the
// localnet's summary, the main chain's overview (cli from `q statuscollect
// overview`, rest from the REST route) lists its subchain once, with its
// countdown (seconds_until_due), and the link over the path's client and
// channel with at least one report over IBC; REST shows it active. It
// returns a line for each subchain, and the problems joined by "; ".
func CheckOverview(cli, rest, summary any) ([]string, error) {
	cliTop, ok1 := cli.(*Object)
	restTop, ok2 := rest.(*Object)
	sumTop, ok3 := summary.(*Object)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("the overviews and the summary must be JSON objects")
	}
	cliList, _ := getOr(cliTop, "subchains", []any{}).([]any)
	cliSubs, err := objects(cliList, "CLI overview subchains")
	if err != nil {
		return nil, err
	}
	restList, _ := getOr(restTop, "subchains", []any{}).([]any)
	restObjs, err := objects(restList, "REST overview subchains")
	if err != nil {
		return nil, err
	}
	restSubs := map[string]*Object{}
	for _, s := range restObjs {
		sub, err := objectAt(s, "subchain")
		if err != nil {
			return nil, err
		}
		id, err := valueAt(sub, "chain_id")
		if err != nil {
			return nil, err
		}
		restSubs[PyStr(id)] = s
	}
	pathList, err := listAt(sumTop, "status_paths")
	if err != nil {
		return nil, err
	}
	paths, err := objects(pathList, "status_paths")
	if err != nil {
		return nil, err
	}
	var errs, lines []string
	for _, p := range paths {
		cidV, err := valueAt(p, "subchain")
		if err != nil {
			return nil, err
		}
		dst, err := objectAt(p, "dst")
		if err != nil {
			return nil, err
		}
		client, err1 := valueAt(dst, "client_id")
		ch, err2 := valueAt(dst, "channel")
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("status path of %s: no dst client_id or channel", PyStr(cidV))
		}
		cid := PyStr(cidV)
		var found []*Object
		for _, s := range cliSubs {
			sub, err := objectAt(s, "subchain")
			if err != nil {
				return nil, err
			}
			if JSONEqual(getOr(sub, "chain_id", nil), cidV) {
				found = append(found, s)
			}
		}
		if len(found) != 1 {
			errs = append(errs, fmt.Sprintf("CLI overview: %d entries for %s", len(found), cid))
			continue
		}
		c := found[0]
		due, hasDue := c.Get("seconds_until_due")
		if !hasDue {
			errs = append(errs, fmt.Sprintf("CLI overview %s: no seconds_until_due", cid))
		}
		link, err := objectAt(c, "link")
		if err != nil {
			return nil, fmt.Errorf("CLI overview %s: %w", cid, err)
		}
		reports, err := pyIntOf(getOr(link, "last_ibc_report", "0"))
		if err != nil {
			return nil, fmt.Errorf("CLI overview %s: last_ibc_report: %w", cid, err)
		}
		if !JSONEqual(getOr(link, "client_id", nil), client) || reports < 1 {
			errs = append(errs, fmt.Sprintf("CLI overview %s: link %s", cid, pyRepr(link)))
		}
		r, ok := restSubs[cid]
		if !ok {
			errs = append(errs, fmt.Sprintf("REST overview does not list %s", cid))
			continue
		}
		rsub, err := objectAt(r, "subchain")
		if err != nil {
			return nil, err
		}
		rlink, err := objectAt(r, "link")
		if err != nil {
			return nil, fmt.Errorf("REST overview %s: %w", cid, err)
		}
		liveness := getOr(rsub, "liveness", nil)
		if !JSONEqual(liveness, "LIVENESS_ACTIVE") || !JSONEqual(getOr(rlink, "channel_id", nil), ch) || !JSONEqual(getOr(rlink, "client_id", nil), client) {
			errs = append(errs, fmt.Sprintf("REST overview %s: %s, link %s", cid, PyStr(liveness), pyRepr(rlink)))
		}
		if !hasDue {
			// Nothing to print the line with: the problems so far say why.
			return lines, fmt.Errorf("%s", strings.Join(errs, "; "))
		}
		lines = append(lines, fmt.Sprintf("  %-11s %s, due in %ss, link %s/%s (%s), %s reports over IBC", cid, PyStr(liveness),
			PyStr(due), PyStr(getOr(link, "client_id", nil)), PyStr(ch), PyStr(getOr(link, "client_status", nil)), PyStr(getOr(link, "last_ibc_report", nil))))
	}
	if len(errs) > 0 {
		return lines, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return lines, nil
}

// snapshotFacts is what an observer can tell of a subchain at a height from
// its nodes alone, written as Python's repr of a dict: chain id, orgs,
// validators (address, power) and contract count. Two snapshots agree when
// their facts read the same, since repr tells these values apart exactly as == does.
func snapshotFacts(s *Object) (string, int64, error) {
	orgs := getOr(s, "orgs", nil)
	if !Truthy(orgs) {
		orgs = []any{}
	}
	var vals []string
	if vl := getOr(s, "validators", nil); Truthy(vl) {
		l, ok := vl.([]any)
		if !ok {
			return "", 0, fmt.Errorf("validators is %s, not a list", PyPrintValue(vl))
		}
		vs, err := objects(l, "validators")
		if err != nil {
			return "", 0, err
		}
		for _, v := range vs {
			addr, err1 := valueAt(v, "address")
			power, err2 := valueAt(v, "power")
			if err1 != nil || err2 != nil {
				return "", 0, fmt.Errorf("validator %s: no address or power", pyRepr(v))
			}
			vals = append(vals, "("+pyRepr(addr)+", "+pyStrRepr(PyStr(power))+")")
		}
	}
	var count int64
	if c := getOr(s, "contract_count", nil); Truthy(c) {
		var err error
		if count, err = pyIntOf(c); err != nil {
			return "", 0, fmt.Errorf("contract_count: %w", err)
		}
	}
	return fmt.Sprintf("{'chain_id': %s, 'orgs': %s, 'validators': [%s], 'contract_count': %d}",
		pyRepr(getOr(s, "chain_id", nil)), pyRepr(orgs), strings.Join(vals, ", "), count), count, nil
}

// CompareSnapshotFacts is e2e.sh's observer check: the subchain's own
// snapshot (own, a `q statusreporter snapshot` answer) and what `mainchaind
// observe` read from its node at that height (seen) have the same facts, and
// at least one contract.
func CompareSnapshotFacts(own, seen any) error {
	o, err := objectAt(own, "snapshot")
	if err != nil {
		return err
	}
	s, ok := seen.(*Object)
	if !ok {
		return fmt.Errorf("the observer's snapshot is %s, not an object", PyPrintValue(seen))
	}
	a, count, err := snapshotFacts(o)
	if err != nil {
		return fmt.Errorf("sidecar: %w", err)
	}
	b, _, err := snapshotFacts(s)
	if err != nil {
		return fmt.Errorf("observer: %w", err)
	}
	if a != b || count < 1 {
		return fmt.Errorf("sidecar %s\nobserver %s", a, b)
	}
	return nil
}

// SampleSnapshot is the snapshot collector-cli.sh submits for chain as org's
// monitor would build it, dated now (whole seconds, UTC): orgs sorted,
// validators sorted by address, contract_count >= len(new_contracts), new
// contracts sorted by address. Printed as json.dumps does (the script edits
// its "height": "100").
func SampleSnapshot(chain, org string, now time.Time) string {
	obj := func(kv ...any) *Object {
		o := NewObject()
		for i := 0; i < len(kv); i += 2 {
			o.Set(kv[i].(string), kv[i+1])
		}
		return o
	}
	val := func(c string, p int) *Object {
		return obj("address", "plainvalcons1"+strings.Repeat(c, 38), "power", strconv.Itoa(p), "moniker", "val-"+c)
	}
	contract := func(c string, id int) *Object {
		return obj("address", "plain1"+strings.Repeat(c, 58), "code_id", strconv.Itoa(id), "label", "contract-"+c)
	}
	s := obj("chain_id", chain, "height", "100", "block_time", now.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z"),
		"total_txs", "900", "window_txs", "40", "window_blocks", "20", "tps_milli", "2000",
		"orgs", []any{org},
		"validators", []any{val("f", 20), val("q", 10)},
		"contract_count", "3", "new_contracts", []any{contract("k", 1), contract("z", 2)},
		"software_version", "v0.1.0")
	return Dumps(s)
}

// CheckStatus is collector-cli.sh's check of the latest status (status, a
// `q statuscollect status` or REST answer) against the submitted snapshot:
// the same snapshot fields, source org and reporter, sequence 1.
func CheckStatus(status, submitted any, org, reporter string) error {
	r, err := objectAt(status, "report")
	if err != nil {
		return err
	}
	snap, err := objectAt(r, "snapshot")
	if err != nil {
		return err
	}
	want, ok := submitted.(*Object)
	if !ok {
		return fmt.Errorf("the submitted snapshot is %s, not an object", PyPrintValue(submitted))
	}
	var errs []string
	for _, k := range []string{"chain_id", "height", "total_txs", "window_txs", "window_blocks", "tps_milli", "orgs",
		"contract_count", "new_contracts", "software_version"} {
		w, err := valueAt(want, k)
		if err != nil {
			return fmt.Errorf("the submitted snapshot: %w", err)
		}
		if got := getOr(snap, k, nil); !JSONEqual(got, w) {
			errs = append(errs, fmt.Sprintf("%s: %s, submitted %s", k, pyRepr(got), pyRepr(w)))
		}
	}
	w, err := valueAt(want, "validators")
	if err != nil {
		return fmt.Errorf("the submitted snapshot: %w", err)
	}
	if got := getOr(snap, "validators", nil); !JSONEqual(got, w) {
		errs = append(errs, fmt.Sprintf("validators: %s", pyRepr(got)))
	}
	src, ok := getOr(r, "source", NewObject()).(*Object)
	if !ok || !JSONEqual(getOr(src, "org_id", nil), org) || !JSONEqual(getOr(src, "reporter", nil), reporter) {
		errs = append(errs, fmt.Sprintf("source: %s", pyRepr(getOr(r, "source", NewObject()))))
	}
	if seq := getOr(r, "sequence", nil); !JSONEqual(seq, "1") {
		errs = append(errs, fmt.Sprintf("sequence %s, want 1", pyRepr(seq)))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// NetworkPlan is localnet.sh's reading of `statusnet validate --json` of
// network/localnet.yaml: a tab-separated line for each chain ("chain\tID
// BINARY OFFSET [KIND FLAGS]"), subchain name and members, and org
// ("org\tID|NAME"), after checking that the file describes a network
// localnet.sh can run (one host, nodes step apart, one monitor per org, a
// status path for every subchain with a sidecar). On a problem it returns
// the lines so far and the problem.
func NetworkPlan(n any, step int64) ([]string, error) {
	top, ok := n.(*Object)
	if !ok {
		return nil, fmt.Errorf("the network is %s, not an object", PyPrintValue(n))
	}
	fail := func(lines []string, format string, a ...any) ([]string, error) {
		return lines, fmt.Errorf("network/localnet.yaml: "+format, a...)
	}
	paths, ok := getOr(top, "paths", NewObject()).(*Object)
	if !ok {
		return nil, fmt.Errorf("paths is not an object")
	}
	in := func(kind, id string) bool {
		l, _ := getOr(paths, kind, []any{}).([]any)
		for _, x := range l {
			if JSONEqual(x, id) {
				return true
			}
		}
		return false
	}
	main, err := objectAt(top, "main_chain")
	if err != nil {
		return nil, err
	}
	subList, err := listAt(top, "subchains")
	if err != nil {
		return nil, err
	}
	subs, err := objects(subList, "subchains")
	if err != nil {
		return nil, err
	}
	hostList, err := listAt(top, "hosts")
	if err != nil {
		return nil, err
	}
	hosts, err := objects(hostList, "hosts")
	if err != nil {
		return nil, err
	}
	// offset0 is the port offset of a chain's first validator.
	offset0 := map[*Object]int64{}
	for _, c := range append([]*Object{main}, subs...) {
		vl, err := listAt(c, "validators")
		if err != nil {
			return nil, err
		}
		vals, err := objects(vl, "validators")
		if err != nil {
			return nil, err
		}
		if len(vals) == 0 {
			return nil, fmt.Errorf("%s has no validators", PyStr(getOr(c, "chain_id", nil)))
		}
		off := make([]int64, len(vals))
		offRepr := make([]string, len(vals))
		for i, v := range vals {
			o := getOr(v, "port_offset", Int(0))
			num, ok := o.(Number)
			if !ok {
				return nil, fmt.Errorf("port_offset %s is not an integer", pyRepr(o))
			}
			if off[i], err = num.Int64(); err != nil {
				return nil, err
			}
			offRepr[i] = pyRepr(o)
		}
		offset0[c] = off[0]
		// localnet.sh puts node i at the chain offset + step * i.
		for i := range off {
			if off[i] != off[0]+step*int64(i) {
				return fail(nil, "%s: the validators port offsets [%s] are not %d apart, as localnet.sh numbers its nodes",
					PyStr(getOr(c, "chain_id", nil)), strings.Join(offRepr, ", "), step)
			}
		}
		if len(hosts) != 1 {
			return fail(nil, "the localnet runs on one host")
		}
		for _, v := range vals {
			if !JSONEqual(getOr(v, "host", nil), getOr(hosts[0], "name", nil)) {
				return fail(nil, "the localnet runs on one host")
			}
		}
	}
	str := func(o *Object, k string) string { return PyStr(getOr(o, k, nil)) }
	lines := []string{fmt.Sprintf("chain\t%s %s %d", str(main, "chain_id"), str(main, "binary"), offset0[main])}
	for _, s := range subs {
		id := str(s, "chain_id")
		plain := Truthy(getOr(s, "plain", nil))
		var flags []string
		if in("transfer", id) {
			flags = append(flags, "transfer")
		}
		if plain {
			flags = append(flags, "plain")
		}
		if !plain && !in("status", id) {
			return fail(lines, "%s runs the sidecar but has no status path: localnet.sh links one for every such subchain", id)
		}
		members, _ := getOr(s, "members", []any{}).([]any)
		ms := make([]string, len(members))
		for i, m := range members {
			ms[i] = PyStr(m)
		}
		lines = append(lines, fmt.Sprintf("chain\t%s %s %d %s %s", id, str(s, "binary"), offset0[s], str(s, "kind"), strings.Join(flags, " ")),
			fmt.Sprintf("name\t%s\t%s", id, str(s, "name")),
			fmt.Sprintf("members\t%s\t%s", id, strings.Join(ms, " ")))
	}
	orgList, err := listAt(top, "orgs")
	if err != nil {
		return lines, err
	}
	orgs, err := objects(orgList, "orgs")
	if err != nil {
		return lines, err
	}
	for _, o := range orgs {
		id := str(o, "id")
		if !JSONEqual(getOr(o, "monitors", nil), []any{id + "-monitor"}) {
			return fail(lines, "org %s: localnet.sh gives each org one monitoring account, %s-monitor", id, id)
		}
		lines = append(lines, fmt.Sprintf("org\t%s|%s", id, str(o, "name")))
	}
	return lines, nil
}

// SummaryParams is what localnet.sh hands BuildSummary besides its items.
type SummaryParams struct {
	RlyHome, RlyLog           string
	SrcPort, DstPort, Version string // the status channel's ends and version
	ServicesFile              string // services.jsonl: one JSON object a line
}

// BuildSummary is the localnet's summary (.localnet/localnet.json) from
// localnet.sh's items, a flat list of words:
//
//	chain ID BINARY HOME DENOM PREFIX RPC P2P GRPC API KEYDIR KEYNAMES LOG KIND PLAIN NODES
//	  then NODES times: MONIKER HOME NODE_ID VALIDATOR_KEY RPC P2P GRPC API LOG PID_FILE
//	path NAME SRC DST SRC_CHANNEL DST_CHANNEL
//	status NAME SUBCHAIN MAIN SUB_CLIENT SUB_CONN SUB_CHANNEL MAIN_CLIENT MAIN_CONN MAIN_CHANNEL
//
// KEYNAMES is comma-separated; each key's address is read from
// KEYDIR/NAME.address. KIND "-" is none; PLAIN 1 marks a plain chain.
func BuildSummary(p SummaryParams, a []string) (*Object, error) {
	obj := func(kv ...any) *Object {
		o := NewObject()
		for i := 0; i < len(kv); i += 2 {
			o.Set(kv[i].(string), kv[i+1])
		}
		return o
	}
	ports := func(rpc, p2p, grpc, api string) (*Object, error) {
		o := NewObject()
		for _, kv := range [][2]string{{"rpc", rpc}, {"p2p", p2p}, {"grpc", grpc}, {"api", api}} {
			n, err := pyInt(kv[1])
			if err != nil {
				return nil, fmt.Errorf("port %s: %w", kv[0], err)
			}
			o.Set(kv[0], n)
		}
		return o, nil
	}
	take := func(i, n int, what string) ([]string, error) {
		if i+n > len(a) {
			return nil, fmt.Errorf("summary items: %s at word %d wants %d words, %d left", what, i, n, len(a)-i)
		}
		return a[i : i+n], nil
	}
	chains, paths, status := []any{}, []any{}, []any{}
	for i := 0; i < len(a); {
		switch a[i] {
		case "chain":
			w, err := take(i+1, 15, "chain")
			if err != nil {
				return nil, err
			}
			cid, binary, home, denom, prefix, keydir, names, logf, kind, plain := w[0], w[1], w[2], w[3], w[4], w[9], w[10], w[11], w[12], w[13]
			ps, err := ports(w[5], w[6], w[7], w[8])
			if err != nil {
				return nil, fmt.Errorf("chain %s: %w", cid, err)
			}
			keys := NewObject()
			ns := strings.Split(names, ",")
			sort.Strings(ns)
			for _, n := range ns {
				b, err := os.ReadFile(filepath.Join(keydir, n+".address"))
				if err != nil {
					return nil, err
				}
				keys.Set(n, strings.TrimSpace(string(b)))
			}
			c := obj("chain_id", cid, "binary", binary, "home", home, "denom", denom, "prefix", prefix,
				"rpc", "tcp://127.0.0.1:"+w[5], "ports", ps, "keys", keys, "log", logf)
			if kind != "-" {
				c.Set("kind", kind)
			}
			if plain == "1" {
				c.Set("plain", true)
			}
			nn, err := pyInt(w[14])
			if err != nil {
				return nil, fmt.Errorf("chain %s: node count: %w", cid, err)
			}
			count, _ := nn.Int64()
			i += 16
			nodes := []any{}
			for k := int64(0); k < count; k++ {
				w, err := take(i, 10, fmt.Sprintf("node %d of %s", k, cid))
				if err != nil {
					return nil, err
				}
				ps, err := ports(w[4], w[5], w[6], w[7])
				if err != nil {
					return nil, fmt.Errorf("chain %s node %d: %w", cid, k, err)
				}
				nodes = append(nodes, obj("moniker", w[0], "home", w[1], "node_id", w[2], "validator_key", w[3],
					"rpc", "tcp://127.0.0.1:"+w[4], "ports", ps, "log", w[8], "pid_file", w[9]))
				i += 10
			}
			c.Set("nodes", nodes)
			chains = append(chains, c)
		case "path":
			w, err := take(i+1, 5, "path")
			if err != nil {
				return nil, err
			}
			paths = append(paths, obj("name", w[0],
				"src", obj("chain_id", w[1], "port", "transfer", "channel", w[3]),
				"dst", obj("chain_id", w[2], "port", "transfer", "channel", w[4])))
			i += 6
		case "status":
			w, err := take(i+1, 9, "status")
			if err != nil {
				return nil, err
			}
			status = append(status, obj("name", w[0], "subchain", w[1], "version", p.Version, "order", "unordered",
				"src", obj("chain_id", w[1], "port", p.SrcPort, "client_id", w[3], "connection_id", w[4], "channel", w[5]),
				"dst", obj("chain_id", w[2], "port", p.DstPort, "client_id", w[6], "connection_id", w[7], "channel", w[8])))
			i += 10
		default:
			return nil, fmt.Errorf("summary items: %q at %d is not chain, path or status", a[i], i)
		}
	}
	if len(chains) == 0 {
		return nil, fmt.Errorf("summary items: no chain")
	}
	services, err := readJSONLines(p.ServicesFile)
	if err != nil {
		return nil, err
	}
	mainID, _ := chains[0].(*Object).Get("chain_id")
	return obj("main_chain", mainID, "chains", chains, "paths", paths, "status_paths", status,
		"rly", obj("home", p.RlyHome, "log", p.RlyLog), "services", services), nil
}

// readJSONLines reads a file of one JSON value a line (blank lines skipped).
func readJSONLines(path string) ([]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := []any{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		v, err := Decode(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// PrometheusSummary is localnet-status.sh's view of Prometheus from its
// /api/v1/targets and /api/v1/alerts answers: targets up, down (job and
// URL), not scraped yet; alerts firing and pending, each with its labels.
func PrometheusSummary(targets, alerts any) ([]string, error) {
	data, err := objectAt(targets, "data")
	if err != nil {
		return nil, err
	}
	tl, err := listAt(data, "activeTargets")
	if err != nil {
		return nil, err
	}
	ts, err := objects(tl, "activeTargets")
	if err != nil {
		return nil, err
	}
	up := 0
	var down []string
	for _, t := range ts {
		switch PyStr(getOr(t, "health", nil)) {
		case "up":
			up++
		case "down":
			labels, err := objectAt(t, "labels")
			if err != nil {
				return nil, err
			}
			down = append(down, PyStr(getOr(labels, "job", "?"))+" "+PyStr(getOr(t, "scrapeUrl", nil)))
		}
	}
	lines := []string{fmt.Sprintf("  targets up: %d of %d (%d not scraped yet)", up, len(ts), len(ts)-up-len(down))}
	for _, d := range down {
		lines = append(lines, "    down: "+d)
	}
	adata, err := objectAt(alerts, "data")
	if err != nil {
		return nil, err
	}
	al, err := listAt(adata, "alerts")
	if err != nil {
		return nil, err
	}
	as, err := objects(al, "alerts")
	if err != nil {
		return nil, err
	}
	firing := 0
	for _, a := range as {
		if JSONEqual(getOr(a, "state", nil), "firing") {
			firing++
		}
	}
	lines = append(lines, fmt.Sprintf("  alerts firing: %d (pending %d)", firing, len(as)-firing))
	for _, a := range as {
		labels, err := objectAt(a, "labels")
		if err != nil {
			return nil, err
		}
		var kv []string
		for _, k := range sortedCopy(labels.Keys) {
			if k != "alertname" && k != "severity" {
				kv = append(kv, k+"="+PyStr(labels.Vals[k]))
			}
		}
		lines = append(lines, fmt.Sprintf("    %s %s %s", PyStr(getOr(a, "state", nil)), PyStr(getOr(labels, "alertname", nil)), strings.Join(kv, ", ")))
	}
	return lines, nil
}

// SwaggerInfo is protocgen.sh's last touch to the merged OpenAPI document:
// its info replaced by title, description and version, the whole written as
// json.dump(doc, indent=2, sort_keys=True) and a newline.
func SwaggerInfo(doc any, title, description, version string) (string, error) {
	d, ok := doc.(*Object)
	if !ok {
		return "", fmt.Errorf("the OpenAPI document is %s, not an object", PyPrintValue(doc))
	}
	info := NewObject()
	info.Set("title", title)
	info.Set("description", description)
	info.Set("version", version)
	d.Set("info", info)
	return DumpIndent(sortKeys(d), 2) + "\n", nil
}

// sortKeys is v with the keys of every object sorted (Python's sort_keys:
// by code point, which is the byte order of UTF-8).
func sortKeys(v any) any {
	switch t := v.(type) {
	case *Object:
		o := NewObject()
		for _, k := range sortedCopy(t.Keys) {
			o.Set(k, sortKeys(t.Vals[k]))
		}
		return o
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = sortKeys(x)
		}
		return l
	}
	return v
}
