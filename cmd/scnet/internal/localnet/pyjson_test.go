package localnet

import (
	"strings"
	"testing"
)

// The expected strings below are what Python 3 printed for the same input
// (json.loads, then print / json.dumps / json.dump(indent=1)).
const pyInput = `{"b": 1, "a": [1.5, 1e-05, 1e2, 1e16, 123456789012345678901234567890, -0, true, null, "\u00e9\u2028x\ud83d\ude00\u007f<>&/"], "c": {}, "d": [], "e": 0.1, "f": -2.5e-7, "g": 12345678.9}`

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := Decode([]byte(s))
	if err != nil {
		t.Fatalf("Decode(%q): %v", s, err)
	}
	return v
}

func TestDumpsLikePython(t *testing.T) {
	v := mustDecode(t, pyInput)
	if got, want := Dumps(v), `{"b": 1, "a": [1.5, 1e-05, 100.0, 1e+16, 123456789012345678901234567890, 0, true, null, "\u00e9\u2028x\ud83d\ude00\u007f<>&/"], "c": {}, "d": [], "e": 0.1, "f": -2.5e-07, "g": 12345678.9}`; got != want {
		t.Errorf("Dumps:\n got %s\nwant %s", got, want)
	}
	if got, want := DumpsCompact(v), `{"b":1,"a":[1.5,1e-05,100.0,1e+16,123456789012345678901234567890,0,true,null,"\u00e9\u2028x\ud83d\ude00\u007f<>&/"],"c":{},"d":[],"e":0.1,"f":-2.5e-07,"g":12345678.9}`; got != want {
		t.Errorf("DumpsCompact:\n got %s\nwant %s", got, want)
	}
	want := "{\n \"b\": 1,\n \"a\": [\n  1.5,\n  1e-05,\n  100.0,\n  1e+16,\n  123456789012345678901234567890,\n  0,\n  true,\n  null,\n  \"\\u00e9\\u2028x\\ud83d\\ude00\\u007f<>&/\"\n ],\n \"c\": {},\n \"d\": [],\n \"e\": 0.1,\n \"f\": -2.5e-07,\n \"g\": 12345678.9\n}"
	if got := DumpIndent(v, 1); got != want {
		t.Errorf("DumpIndent:\n got %q\nwant %q", got, want)
	}
}

func TestPrintLikePython(t *testing.T) {
	l, _ := GetPath(mustDecode(t, pyInput), "a", PathOptions{})
	want := []string{"1.5", "1e-05", "100.0", "1e+16", "123456789012345678901234567890", "0", "True", "None", "é\u2028x😀\x7f<>&/"}
	for i, x := range l.([]any) {
		if got := PyPrintValue(x); got != want[i] {
			t.Errorf("item %d: got %q, want %q", i, got, want[i])
		}
	}
	// print() of a dict that is not dumped first (tx_event_attr's value): Python's repr.
	if got, want := PyStr(mustDecode(t, `{"k": [true, null, "it's", 1.0]}`)), `{'k': [True, None, "it's", 1.0]}`; got != want {
		t.Errorf("PyStr dict: got %s, want %s", got, want)
	}
}

func TestPyFloatRepr(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", -1.25: "-1.25", 0.0001: "0.0001", 0.00001: "1e-05", 1e15: "1000000000000000.0",
		1e16: "1e+16", 123.456: "123.456", 1.5e300: "1.5e+300", 2.5e-7: "2.5e-07",
	} {
		if got := PyFloatRepr(f); got != want {
			t.Errorf("PyFloatRepr(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, s := range []string{"", "{", `{"a": 1} x`, `{"a": 1}{}`, "[1,]"} {
		if _, err := Decode([]byte(s)); err == nil {
			t.Errorf("Decode(%q): no error", s)
		}
	}
	// Whitespace around the value is fine, as for json.load.
	if v, err := Decode([]byte(" \n 7 \n")); err != nil || PyStr(v) != "7" {
		t.Errorf("Decode with blanks: %v %v", v, err)
	}
}

func TestGetPath(t *testing.T) {
	v := mustDecode(t, `{"balances": [{"denom": "umain", "amount": "5"}, {"denom": "ux", "amount": "7"}], "n": null, "sync_info": {"latest_block_height": "42"}}`)
	for path, want := range map[string]string{
		"sync_info.latest_block_height": "42",
		"balances.0.denom":              "umain",
		"balances.-1.amount":            "7",
		"balances.1":                    `{"denom": "ux", "amount": "7"}`,
		"n":                             "None",
	} {
		got, err := GetPath(v, path, PathOptions{ListIndex: true})
		if err != nil || PyPrintValue(got) != want {
			t.Errorf("GetPath(%s) = %v, %v; want %s", path, PyPrintValue(got), err, want)
		}
	}
	for path, msg := range map[string]string{
		"sync_info.nope":                  `no key "nope" at sync_info (keys: latest_block_height)`,
		"balances.2":                      "balances is a list of 2; no item 2",
		"balances.x":                      `balances is a list; "x" is not an index`,
		"n.x":                             `n is None, not an object or a list: cannot look up "x"`,
		"sync_info.latest_block_height.x": `sync_info.latest_block_height is 42, not an object or a list`,
	} {
		_, err := GetPath(v, path, PathOptions{ListIndex: true})
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("GetPath(%s): error %v, want one containing %q", path, err, msg)
		}
	}
	// Without ListIndex (localnet_chain, localnet_status) a list is not indexed.
	if _, err := GetPath(v, "balances.0", PathOptions{}); err == nil {
		t.Error("GetPath without ListIndex indexed a list")
	}
}
