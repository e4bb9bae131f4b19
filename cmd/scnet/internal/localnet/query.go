package localnet

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A query walks a JSON value along a path and yields zero or more values.
// The path is dotted, and each segment is one of:
//
//	key        the value of key in an object
//	N          item N of a list (-1 is the last)
//	[]         every item of a list
//	[COND,...] every item of a list for which every COND holds (of an
//	           object: the object, if every COND holds)
//	#          (last only) how many values the path yielded so far
//
// A COND is PATH (the value there is set: not missing, null, false, 0, "",
// [] or {}), !PATH (it is not), PATH=VALUE or PATH!=VALUE (the value there,
// printed as print() prints it, is or is not VALUE, or one of A|B|C; a
// missing value is never equal) or PATH>=N, PATH>N, PATH<=N, PATH<N (compared as integers; a missing,
// null or empty value counts as 0, as int(x or 0) did).
//
// A missing key yields nothing to a later [] (as .get(k) or [] did) but is
// an error at the end of the path; Query reports it as Missing.

// Missing stands for a key that is not there (or a null value walked into).
type Missing struct{ Path string }

// Query walks v along path.
func Query(v any, path string) ([]any, error) {
	segs, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	vals := []any{v}
	for i, s := range segs {
		at := strings.Join(segs[:i], ".")
		if at == "" {
			at = "the top"
		}
		if s == "#" {
			if i != len(segs)-1 {
				return nil, fmt.Errorf("path %q: # counts, so it must come last", path)
			}
			n := 0
			for _, x := range vals {
				if _, miss := x.(Missing); !miss {
					n++
				}
			}
			return []any{Int(int64(n))}, nil
		}
		var next []any
		for _, x := range vals {
			out, err := step(x, s, at)
			if err != nil {
				return nil, fmt.Errorf("path %q: %v", path, err)
			}
			next = append(next, out...)
		}
		vals = next
	}
	return vals, nil
}

func step(v any, s, at string) ([]any, error) {
	if strings.HasPrefix(s, "[") {
		conds, err := parseConds(s[1 : len(s)-1])
		if err != nil {
			return nil, err
		}
		var l []any
		switch t := v.(type) {
		case Missing, nil:
			return nil, nil
		case []any:
			l = t
		case *Object:
			if len(conds) == 0 {
				return nil, fmt.Errorf("%s is an object, not a list: [] cannot take its items", at)
			}
			l = []any{t} // an object: itself, if the conditions hold
		default:
			return nil, fmt.Errorf("%s is %s, not a list: cannot take %s of it", at, PyPrintValue(v), s)
		}
		var out []any
		for _, x := range l {
			ok, err := holds(x, conds)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, x)
			}
		}
		return out, nil
	}
	switch t := v.(type) {
	case Missing:
		return []any{Missing{t.Path + "." + s}}, nil
	case nil:
		return []any{Missing{at + "." + s}}, nil
	case *Object:
		x, ok := t.Get(s)
		if !ok {
			return []any{Missing{joinAt(at, s)}}, nil
		}
		return []any{x}, nil
	case []any:
		i, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("%s is a list; %q is not an index (use [] for every item)", at, s)
		}
		if i < 0 {
			i += len(t)
		}
		if i < 0 || i >= len(t) {
			return []any{Missing{joinAt(at, s)}}, nil
		}
		return []any{t[i]}, nil
	default:
		return nil, fmt.Errorf("%s is %s, not an object or a list: cannot look up %q", at, PyPrintValue(v), s)
	}
}

func joinAt(at, s string) string {
	if at == "the top" {
		return s
	}
	return at + "." + s
}

// splitPath splits at the dots outside brackets; "a[]" and "a[x=1]" split as
// "a", "[]" and "a", "[x=1]"; a condition may hold brackets of its own.
func splitPath(path string) ([]string, error) {
	var segs []string
	cur, depth := "", 0
	flush := func() {
		if cur != "" {
			segs = append(segs, cur)
		}
		cur = ""
	}
	for _, r := range path {
		switch {
		case r == '[' && depth == 0:
			flush()
			cur, depth = "[", 1
		case r == '[':
			cur += "["
			depth++
		case r == ']' && depth == 1:
			segs = append(segs, cur+"]")
			cur, depth = "", 0
		case r == ']' && depth == 0:
			return nil, fmt.Errorf("path %q: a ] with no [", path)
		case r == ']':
			cur += "]"
			depth--
		case r == '.' && depth == 0:
			flush()
		case r == '#' && depth == 0:
			flush()
			segs = append(segs, "#")
		default:
			cur += string(r)
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("path %q: a [ with no ]", path)
	}
	flush()
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return segs, nil
}

// splitTop splits s at sep outside brackets.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// cutOp finds the first comparison outside brackets: PATH, OP, VALUE.
func cutOp(c string) (string, string, string, bool) {
	depth := 0
	for i := 0; i < len(c); i++ {
		switch c[i] {
		case '[':
			depth++
			continue
		case ']':
			depth--
			continue
		}
		if depth != 0 {
			continue
		}
		for _, op := range []string{"!=", ">=", "<=", "=", ">", "<"} {
			if strings.HasPrefix(c[i:], op) {
				return c[:i], op, c[i+len(op):], true
			}
		}
	}
	return "", "", "", false
}

type cond struct {
	path, op, value string
	n               int64
}

func parseConds(s string) ([]cond, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var cs []cond
	for _, c := range splitTop(s, ',') {
		var x cond
		if p, op, v, ok := cutOp(c); ok {
			x = cond{path: p, op: op, value: v}
		} else {
			x.path, x.op = c, "set"
			if strings.HasPrefix(c, "!") {
				x.path, x.op = c[1:], "unset"
			}
			if x.path == "" {
				return nil, fmt.Errorf("condition %q names no field", c)
			}
		}
		if strings.ContainsAny(x.op, "<>") {
			n, err := strconv.ParseInt(x.value, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("condition %q: %q is not an integer", c, x.value)
			}
			x.n = n
		}
		cs = append(cs, x)
	}
	return cs, nil
}

func holds(v any, conds []cond) (bool, error) {
	for _, c := range conds {
		got := []any{v} // an empty PATH is the item itself: [=x] in a list of strings
		if c.path != "" {
			var err error
			if got, err = Query(v, c.path); err != nil {
				return false, err
			}
		}
		var x any = Missing{c.path}
		if len(got) > 0 {
			x = got[0]
		}
		_, missing := x.(Missing)
		var ok bool
		switch c.op {
		case "set":
			ok = Truthy(x)
		case "unset":
			ok = !Truthy(x)
		case "=":
			ok = !missing && oneOf(PyPrintValue(x), c.value)
		case "!=":
			ok = missing || !oneOf(PyPrintValue(x), c.value)
		default:
			n := int64(0)
			if Truthy(x) {
				var err error
				if n, err = strconv.ParseInt(PyPrintValue(x), 10, 64); err != nil {
					return false, fmt.Errorf("%s is %s, not an integer to compare with %d", c.path, PyPrintValue(x), c.n)
				}
			}
			switch c.op {
			case ">=":
				ok = n >= c.n
			case ">":
				ok = n > c.n
			case "<=":
				ok = n <= c.n
			case "<":
				ok = n < c.n
			}
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// Truthy is Python's bool() of a JSON value; a missing value is false.
func Truthy(v any) bool {
	switch t := v.(type) {
	case Missing, nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case Number:
		f := t.float()
		return f != 0
	case []any:
		return len(t) > 0
	case *Object:
		return len(t.Keys) > 0
	}
	return true
}

// QueryOptions says how QueryText prints.
type QueryOptions struct {
	Or    string // printed for a missing, null or "" value, if OrSet
	OrSet bool
	First bool   // only the first value of each path
	Last  bool   // only the last
	Join  string // between the values of a single path
	Each  string // if set: one line for each value at this path, the paths queried on it
	Keys  bool   // print the keys of each object a path yields, in the document's order, instead
}

// QueryText runs each path on v and prints the answer: with one path its
// values joined by opt.Join, with several one value of each, space-separated;
// with opt.Each, that answer for each value at opt.Each, a line each.
func QueryText(v any, paths []string, opt QueryOptions) (string, error) {
	if opt.Each != "" {
		items, err := Query(v, opt.Each)
		if err != nil {
			return "", err
		}
		each := opt
		each.Each = ""
		var lines []string
		for _, it := range items {
			if _, miss := it.(Missing); miss {
				continue // nothing there: no line, as a loop over .get(k) or [] did
			}
			line, err := QueryText(it, paths, each)
			if err != nil {
				return "", fmt.Errorf("%s, item %d: %v", opt.Each, len(lines), err)
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n"), nil
	}
	var parts []string
	for _, p := range paths {
		vals, err := Query(v, p)
		if err != nil {
			return "", err
		}
		if opt.Keys {
			if vals, err = keysOf(p, vals); err != nil {
				return "", err
			}
		}
		if opt.First && len(vals) > 1 {
			vals = vals[:1]
		}
		if opt.Last && len(vals) > 1 {
			vals = vals[len(vals)-1:]
		}
		if len(vals) == 0 && (opt.First || opt.Last) {
			if !opt.OrSet {
				return "", fmt.Errorf("path %q matched nothing", p)
			}
			vals = []any{Missing{p}}
		}
		if len(paths) > 1 && len(vals) != 1 {
			return "", fmt.Errorf("path %q gave %d values; with several paths each must give one (add --first?)", p, len(vals))
		}
		texts := make([]string, len(vals))
		for i, x := range vals {
			m, missing := x.(Missing)
			switch {
			case (missing || x == nil || x == "") && opt.OrSet:
				texts[i] = opt.Or
			case missing:
				return "", fmt.Errorf("path %q: no value at %s", p, m.Path)
			default:
				texts[i] = PyPrintValue(x)
			}
		}
		parts = append(parts, strings.Join(texts, opt.Join))
	}
	return strings.Join(parts, " "), nil
}

// keysOf replaces each object among vals, the values of path, by its keys.
func keysOf(path string, vals []any) ([]any, error) {
	var keys []any
	for _, x := range vals {
		o, ok := x.(*Object)
		if !ok {
			return nil, fmt.Errorf("path %q: %s has no keys: it is not an object", path, PyPrintValue(x))
		}
		for _, k := range o.Keys {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// DecodeLines reads one JSON value a line (blank lines skipped) as a list.
func DecodeLines(r io.Reader) (any, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	l := []any{}
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		v, err := Decode(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		l = append(l, v)
	}
	return l, sc.Err()
}

// oneOf: s is one of the |-separated alternatives.
func oneOf(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if s == a {
			return true
		}
	}
	return false
}
