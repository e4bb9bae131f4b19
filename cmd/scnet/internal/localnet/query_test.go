package localnet

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func queryText(t *testing.T, v any, opt QueryOptions, paths ...string) (string, error) {
	t.Helper()
	if opt.Join == "" {
		opt.Join = "\n"
	}
	return QueryText(v, paths, opt)
}

// The queries the scripts make, on recorded answers.
func TestQueryRecorded(t *testing.T) {
	summary := mustDecode(t, string(readTestdata(t, "localnet.json")))
	hist := mustDecode(t, string(readTestdata(t, "history_reverse.json")))
	for _, c := range []struct {
		v     any
		opt   QueryOptions
		paths []string
		want  string
	}{
		{summary, QueryOptions{}, []string{"main_chain"}, "mainchain"},
		{summary, QueryOptions{}, []string{"chains[].chain_id"}, "mainchain\nsubchain-a\ngateway-c"},
		{summary, QueryOptions{}, []string{"chains[].nodes[]#"}, "3"},
		{summary, QueryOptions{}, []string{"status_paths[].subchain"}, "subchain-a"},
		{summary, QueryOptions{}, []string{"services[kind!=prometheus]#"}, "0"},
		{summary, QueryOptions{Or: "", OrSet: true, First: true}, []string{"services[kind=prometheus].url"}, ""},
		{summary, QueryOptions{}, []string{"chains[chain_id=subchain-a].ports.api", "paths.0.src.chain_id"}, "2317 mainchain"},
		// Several conditions; >, and a condition holding a list of its own.
		{hist, QueryOptions{First: true}, []string{"reports[sequence>7,source.channel_id].sequence"}, "8"},
		{hist, QueryOptions{Last: true}, []string{"reports[main_height>=70].main_height"}, "70"},
		{hist, QueryOptions{}, []string{"[reports[source.channel_id=channel-2]]#"}, "1"},
		{hist, QueryOptions{Join: ","}, []string{"reports[source.channel_id=|channel-9].sequence"}, "9"},
		{hist, QueryOptions{Or: "-", OrSet: true}, []string{"reports.0.source.channel_id", "reports.5.sequence"}, "- -"},
		// A line for each item, its fields from several paths.
		{hist, QueryOptions{Each: "reports[sequence>7]", Or: "-", OrSet: true}, []string{"sequence", "source.channel_id"}, "9 -\n8 channel-2"},
		{hist, QueryOptions{Each: "reports[sequence>99]"}, []string{"sequence"}, ""},
		{summary, QueryOptions{Keys: true, Join: " "}, []string{"chains.0.ports"}, "rpc p2p grpc api"},
	} {
		got, err := queryText(t, c.v, c.opt, c.paths...)
		if err != nil || got != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.paths, got, err, c.want)
		}
	}
}

func TestQueryConditions(t *testing.T) {
	v := mustDecode(t, `{"members": [{"org_id": "org-a", "suspended": true}, {"org_id": "org-b"}],
		"msgs": ["/a", "/ibc.core.channel.v1.MsgRecvPacket"], "report": {"sequence": "5", "snapshot": {"total_txs": null}},
		"state": {"alerts": null}, "n": 0}`)
	for path, want := range map[string]string{
		"members[suspended].org_id":                    "org-a",
		"members[!suspended].org_id":                   "org-b",
		"msgs[=/ibc.core.channel.v1.MsgRecvPacket]#":   "1",
		"report[sequence>4].sequence":                  "5",
		"report[sequence>5]#":                          "0", // an object: kept only if its conditions hold
		"report[snapshot.total_txs<1]#":                "1", // null counts as 0
		"state.alerts[].key":                           "",  // null: no items
		"nothing[].key":                                "",  // missing: no items
		"[members[org_id=org-a,suspended],msgs[=/a]]#": "1",
		"[members[org_id=org-b,suspended]]#":           "0",
		"members[org_id=org-a|org-b]#":                 "2",
		"members[org_id!=org-a].org_id":                "org-b",
	} {
		got, err := queryText(t, v, QueryOptions{}, path)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", path, got, err, want)
		}
	}
}

// Wrong input is an error that names what was wrong.
func TestQueryErrors(t *testing.T) {
	v := mustDecode(t, `{"a": {"b": 1}, "l": [1, 2], "s": "x"}`)
	for _, c := range []struct {
		paths []string
		opt   QueryOptions
		want  string
	}{
		{[]string{"a.c"}, QueryOptions{}, `no value at a.c`},
		{[]string{"l.x"}, QueryOptions{}, `"x" is not an index`},
		{[]string{"s.k"}, QueryOptions{}, `s is x, not an object or a list`},
		{[]string{"a[]"}, QueryOptions{}, `a is an object, not a list`},
		{[]string{"l[b=1"}, QueryOptions{}, `a [ with no ]`},
		{[]string{"l]"}, QueryOptions{}, `a ] with no [`},
		{[]string{"l#.x"}, QueryOptions{}, `# counts, so it must come last`},
		{[]string{"l[b>x]"}, QueryOptions{}, `"x" is not an integer`},
		{[]string{"l[]", "a.b"}, QueryOptions{}, `gave 2 values; with several paths each must give one`},
		{[]string{"l[=3]"}, QueryOptions{First: true}, `matched nothing`},
		{[]string{""}, QueryOptions{}, `empty path`},
		{[]string{"l"}, QueryOptions{Keys: true}, `path "l": [1, 2] has no keys: it is not an object`},
		{[]string{"c"}, QueryOptions{Each: "l"}, `l, item 0: path "c": the top is a list`},
		{[]string{"b"}, QueryOptions{Each: "l[]"}, `l[], item 0: path "b": the top is 1, not an object`},
	} {
		_, err := queryText(t, v, c.opt, c.paths...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got error %v, want one containing %q", c.paths, err, c.want)
		}
	}
}

func TestDecodeLines(t *testing.T) {
	l, err := DecodeLines(strings.NewReader("{\"a\": 1}\n\n{\"a\": 2}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := queryText(t, l, QueryOptions{Join: ","}, "[].a"); got != "1,2" {
		t.Errorf("DecodeLines then [].a: %q", got)
	}
	if _, err := DecodeLines(strings.NewReader("{\"a\": 1}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("DecodeLines of a bad line: %v", err)
	}
}

func TestUnmetAtLeastPresent(t *testing.T) {
	samples, err := ParseMetrics("c_total 3\ng 0\n")
	if err != nil {
		t.Fatal(err)
	}
	w := func(s string, atLeast, present bool) Want {
		x, err := ParseWant(s)
		if err != nil {
			t.Fatal(err)
		}
		x.AtLeast, x.Present = atLeast, present
		return x
	}
	got := Unmet(samples, []Want{
		w("c_total 2", true, false),  // 3 >= 2: holds
		w("c_total 2", false, false), // 3 != 2
		w("c_total 4", true, false),  // 3 < 4
		w("absent 0", false, false),  // absent counts as 0: holds
		w("absent 0", false, true),   // not with Present
		w("g 0", false, true),        // exported as 0: holds
	})
	want := []string{"c_total 2", "c_total >= 4", "absent (not exported)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Unmet: got %q, want %q", got, want)
	}
}

func TestWaitMetricsAtLeast(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n++
		fmt.Fprintf(w, "# HELP x\nstatuscollect_reporter_submissions_total{error=\"\",outcome=\"recorded\"} %d\n", n)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	want, _ := ParseWant(`statuscollect_reporter_submissions_total{error="",outcome="recorded"} 3`)
	want.AtLeast = true
	if err := WaitMetrics(context.Background(), addr, 5*time.Second, 10*time.Millisecond, time.Second, []Want{want}); err != nil {
		t.Errorf("WaitMetrics --at-least 3 of a growing counter: %v", err)
	}
	want, _ = ParseWant(`statuscollect_reporter_submissions_total{error="",outcome="failed"} 1`)
	want.AtLeast = true
	err := WaitMetrics(context.Background(), addr, 50*time.Millisecond, 10*time.Millisecond, time.Second, []Want{want})
	if err == nil || !strings.Contains(err.Error(), `outcome="failed"} >= 1`) {
		t.Errorf("WaitMetrics of a sample never exported: %v", err)
	}
}
