package localnet

import (
	"fmt"
	"os"
	"strings"
)

// Summary is .localnet/localnet.json, the localnet's summary that
// scripts/localnet.sh writes.
type Summary struct {
	Path string
	Root any
}

// LoadSummary reads the summary at path.
func LoadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the localnet summary: %w (is a localnet started? make localnet)", err)
	}
	v, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Summary{Path: path, Root: v}, nil
}

// Get is the value at a dotted path from the top of the summary (main_chain, rly.home).
func (s *Summary) Get(path string) (any, error) {
	v, err := GetPath(s.Root, path, PathOptions{ListIndex: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Path, err)
	}
	return v, nil
}

// list returns the list under key (missing: nil when optional, else an error).
func (s *Summary) list(key string, optional bool) ([]any, error) {
	o, ok := s.Root.(*Object)
	if !ok {
		return nil, fmt.Errorf("%s: the summary is not a JSON object", s.Path)
	}
	v, ok := o.Get(key)
	if !ok {
		if optional {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: no %q list", s.Path, key)
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: %q is not a list", s.Path, key)
	}
	return l, nil
}

func (s *Summary) find(listKey, idKey, id string, optional bool) (*Object, error) {
	l, err := s.list(listKey, optional)
	if err != nil {
		return nil, err
	}
	for _, x := range l {
		o, ok := x.(*Object)
		if !ok {
			continue
		}
		if v, _ := o.Get(idKey); v == id {
			return o, nil
		}
	}
	return nil, nil
}

// Chain returns the entry of chains[] whose chain_id is id.
func (s *Summary) Chain(id string) (*Object, error) {
	c, err := s.find("chains", "chain_id", id, false)
	if err == nil && c == nil {
		err = fmt.Errorf("no chain %s in %s", id, s.Path)
	}
	return c, err
}

// ChainField is localnet_chain: FIELD (dotted, objects only) of chain id.
func (s *Summary) ChainField(id, field string) (string, error) {
	c, err := s.Chain(id)
	if err != nil {
		return "", err
	}
	v, err := GetPath(c, field, PathOptions{})
	if err != nil {
		return "", fmt.Errorf("chain %s in %s: %w", id, s.Path, err)
	}
	return PyPrintValue(v), nil
}

// StatusPathField is localnet_status: FIELD (dotted) of the status path of subchain.
func (s *Summary) StatusPathField(subchain, field string) (string, error) {
	p, err := s.find("status_paths", "subchain", subchain, true)
	if err != nil {
		return "", err
	}
	if p == nil {
		return "", fmt.Errorf("no status path for %s in %s", subchain, s.Path)
	}
	v, err := GetPath(p, field, PathOptions{})
	if err != nil {
		return "", fmt.Errorf("status path of %s in %s: %w", subchain, s.Path, err)
	}
	return PyPrintValue(v), nil
}

func (s *Summary) nodes(id string) ([]*Object, error) {
	c, err := s.Chain(id)
	if err != nil {
		return nil, err
	}
	var out []*Object
	v, ok := c.Get("nodes")
	if !ok {
		return nil, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("chain %s in %s: nodes is not a list", id, s.Path)
	}
	for i, x := range l {
		o, ok := x.(*Object)
		if !ok {
			return nil, fmt.Errorf("chain %s in %s: node %d is not an object", id, s.Path, i)
		}
		out = append(out, o)
	}
	return out, nil
}

func strField(o *Object, k, what string) (string, error) {
	v, ok := o.Get(k)
	if !ok {
		return "", fmt.Errorf("%s has no %q", what, k)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: %q is %s, not a string", what, k, PyPrintValue(v))
	}
	return s, nil
}

// Node is localnet_node: the binary, home, log, pid file and RPC address of
// node idx (a decimal index, 0 first) of chain id, one a line.
func (s *Summary) Node(id, idx string) ([]string, error) {
	ns, err := s.nodes(id)
	if err != nil {
		return nil, err
	}
	i := -1
	if idx != "" && strings.Trim(idx, "0123456789") == "" && len(idx) < 9 {
		fmt.Sscan(idx, &i)
	}
	if i < 0 || i >= len(ns) {
		return nil, fmt.Errorf("%s has no node %s in %s (it has %d)", id, idx, s.Path, len(ns))
	}
	c, _ := s.Chain(id)
	bin, err := strField(c, "binary", "chain "+id)
	if err != nil {
		return nil, err
	}
	out := []string{bin}
	for _, k := range []string{"home", "log", "pid_file", "rpc"} {
		v, err := strField(ns[i], k, fmt.Sprintf("node %d of %s", i, id))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Nodes is nodes_of: FIELD of every node of chain id, joined by sep: "rpc"
// as the summary has it (tcp://host:port), any other as 127.0.0.1:ports.FIELD.
func (s *Summary) Nodes(id, field, sep string) (string, error) {
	ns, err := s.nodes(id)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(ns))
	for i, n := range ns {
		what := fmt.Sprintf("node %d of %s", i, id)
		if field == "rpc" {
			v, err := strField(n, "rpc", what)
			if err != nil {
				return "", err
			}
			parts = append(parts, v)
			continue
		}
		port := field
		if field == "peer" {
			port = "p2p"
		}
		pv, ok := n.Get("ports")
		po, isObj := pv.(*Object)
		if !ok || !isObj {
			return "", fmt.Errorf("%s has no ports", what)
		}
		p, ok := po.Get(port)
		if !ok {
			return "", fmt.Errorf("%s has no port %q (ports: %s)", what, port, strings.Join(po.Keys, ", "))
		}
		num, ok := p.(Number)
		var number int64
		if ok {
			number, err = num.Int64()
		}
		if !ok || err != nil {
			return "", fmt.Errorf("%s: port %q is %s, not an integer", what, port, PyPrintValue(p))
		}
		addr := fmt.Sprintf("127.0.0.1:%d", number)
		if field == "peer" {
			id, err := strField(n, "node_id", what)
			if err != nil {
				return "", err
			}
			addr = id + "@" + addr
		}
		parts = append(parts, addr)
	}
	return strings.Join(parts, sep), nil
}
