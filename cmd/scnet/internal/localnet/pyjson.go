// Package localnet is the logic of scnet, the localnet's helper: reading
// .localnet/localnet.json, the JSON the chain CLIs print, CometBFT RPC and
// Prometheus endpoints. It replaces the Python snippets the shell helpers of
// scripts/lib.sh and scripts/faults/lib.sh used to carry, and prints exactly
// what they printed: values are decoded keeping the order of object keys and
// the integer/float distinction of numbers, and printed the way Python's
// print() and json.dumps() print them (True/False/None, "a, b" separators,
// non-ASCII escaped as \uXXXX).
package localnet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Object is a JSON object with its keys in document order.
type Object struct {
	Keys []string
	Vals map[string]any
}

// NewObject is an empty object.
func NewObject() *Object { return &Object{Vals: map[string]any{}} }

// Get returns the value of key k.
func (o *Object) Get(k string) (any, bool) {
	v, ok := o.Vals[k]
	return v, ok
}

// Set sets key k, keeping its place if it is already there (as a Python dict does).
func (o *Object) Set(k string, v any) {
	if _, ok := o.Vals[k]; !ok {
		o.Keys = append(o.Keys, k)
	}
	o.Vals[k] = v
}

// Number is a JSON number as written; Float tells whether Python reads it
// as a float (it has a fraction or an exponent) rather than an int.
type Number struct {
	Text  string
	Float bool
}

// Int is an integer Number.
func Int(i int64) Number { return Number{Text: strconv.FormatInt(i, 10)} }

// Decode reads one JSON value (the whole input: trailing data is an error,
// as with Python's json.load). Values are nil, bool, string, Number, []any or *Object.
func Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("invalid JSON: extra data after the value")
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return v, nil
}

// DecodeReader is Decode of everything r holds.
func DecodeReader(r io.Reader) (any, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Decode(data)
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("no JSON value (empty input)")
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		s := string(t)
		return Number{Text: s, Float: strings.ContainsAny(s, ".eE")}, nil
	default:
		return t, nil // nil, bool, string
	}
}

// Int64 returns an integer Number's value.
func (n Number) Int64() (int64, error) {
	if n.Float {
		return 0, fmt.Errorf("%s is not an integer", n.Text)
	}
	return strconv.ParseInt(n.Text, 10, 64)
}

func (n Number) intText() string {
	s := strings.TrimPrefix(n.Text, "-")
	if strings.Trim(s, "0") == "" {
		return "0" // Python's int("-0") is 0
	}
	return n.Text
}

func (n Number) float() float64 {
	f, _ := strconv.ParseFloat(n.Text, 64) // out of range gives ±Inf, as Python's float()
	return f
}

// PyFloatRepr formats f as Python's repr(float) does: the shortest digits
// that round-trip, fixed notation for exponents -4..15 (always with a
// fraction: 100.0), else 1e+16 / 1.5e-05.
func PyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // -1.2345e+06
	mant, expS, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es = "-"
			exp = -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	var s string
	if exp < 0 {
		s = "0." + strings.Repeat("0", -exp-1) + digits
	} else if len(digits) <= exp+1 {
		s = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	} else {
		s = digits[:exp+1] + "." + digits[exp+1:]
	}
	return sign + s
}

// PyStr is what Python's print(v) prints for a decoded JSON value: strings as
// they are, True/False/None, ints as written, floats as repr(), and lists and
// dicts as Python's repr (['a', 1], {'k': True}).
func PyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case string:
		return pyStrRepr(t)
	case Number:
		if t.Float {
			return PyFloatRepr(t.float())
		}
		return t.intText()
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Object:
		parts := make([]string, len(t.Keys))
		for i, k := range t.Keys {
			parts[i] = pyStrRepr(k) + ": " + pyRepr(t.Vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyStrRepr is Python's repr(str): single quotes unless the text has a single
// quote and no double one.
func pyStrRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f || unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// PyPrintValue is print(v if not isinstance(v, (dict, list)) else json.dumps(v)),
// the idiom of the old helpers (json_get, localnet_chain...).
func PyPrintValue(v any) string {
	switch v.(type) {
	case []any, *Object:
		return Dumps(v)
	}
	return PyStr(v)
}

// Dumps is Python's json.dumps(v): ", " and ": " separators, ensure_ascii.
func Dumps(v any) string { return dumps(v, ", ", ": ") }

// DumpsCompact is json.dumps(v, separators=(",", ":")).
func DumpsCompact(v any) string { return dumps(v, ",", ":") }

func dumps(v any, item, key string) string {
	var b strings.Builder
	writeJSON(&b, v, item, key, "", -1)
	return b.String()
}

// DumpIndent is json.dump(v, f, indent=n): one item a line, "," and ": "
// separators, no newline at the end.
func DumpIndent(v any, n int) string {
	var b strings.Builder
	writeJSON(&b, v, ",", ": ", strings.Repeat(" ", n), 0)
	return b.String()
}

// writeJSON writes v; level < 0 means no indentation.
func writeJSON(b *strings.Builder, v any, item, key, indent string, level int) {
	nl := func(l int) {
		if level >= 0 {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(indent, l))
		}
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeJSONString(b, t)
	case Number:
		if !t.Float {
			b.WriteString(t.intText())
			return
		}
		f := t.float()
		switch {
		case math.IsInf(f, 1):
			b.WriteString("Infinity")
		case math.IsInf(f, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(PyFloatRepr(f))
		}
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteString(item)
			}
			nl(level + 1)
			writeJSON(b, x, item, key, indent, next(level))
		}
		nl(level)
		b.WriteByte(']')
	case *Object:
		if len(t.Keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range t.Keys {
			if i > 0 {
				b.WriteString(item)
			}
			nl(level + 1)
			writeJSONString(b, k)
			b.WriteString(key)
			writeJSON(b, t.Vals[k], item, key, indent, next(level))
		}
		nl(level)
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("localnet: cannot write %T as JSON", v))
	}
}

func next(level int) int {
	if level < 0 {
		return level
	}
	return level + 1
}

// writeJSONString writes s as Python's json.dumps with ensure_ascii: only
// the printable ASCII characters stay, the rest is escaped (\n, \u00e9,
// surrogate pairs above U+FFFF).
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= 0x20 && r <= 0x7e:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// PathOptions says how a dotted path walks a value.
type PathOptions struct {
	// ListIndex lets a path segment index a list (json_get does; the summary
	// lookups, localnet_chain and localnet_status, never did).
	ListIndex bool
}

// GetPath walks v along a dotted path (a.b.0.c).
func GetPath(v any, path string, opt PathOptions) (any, error) {
	walked := ""
	for _, k := range strings.Split(path, ".") {
		at := walked
		if at == "" {
			at = "the top"
		}
		switch t := v.(type) {
		case *Object:
			x, ok := t.Get(k)
			if !ok {
				return nil, fmt.Errorf("no key %q at %s (keys: %s)", k, at, strings.Join(sortedCopy(t.Keys), ", "))
			}
			v = x
		case []any:
			if !opt.ListIndex {
				return nil, fmt.Errorf("%s is a list; %q cannot index it", at, k)
			}
			i, err := strconv.Atoi(strings.TrimSpace(k))
			if err != nil {
				return nil, fmt.Errorf("%s is a list; %q is not an index", at, k)
			}
			if i < 0 { // Python: -1 is the last item
				i += len(t)
			}
			if i < 0 || i >= len(t) {
				return nil, fmt.Errorf("%s is a list of %d; no item %s", at, len(t), k)
			}
			v = t[i]
		default:
			return nil, fmt.Errorf("%s is %s, not an object or a list: cannot look up %q", at, PyPrintValue(v), k)
		}
		if walked == "" {
			walked = k
		} else {
			walked += "." + k
		}
	}
	return v, nil
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}
