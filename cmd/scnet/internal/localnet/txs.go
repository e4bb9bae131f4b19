package localnet

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// attrsOfType is the attribute lists of the events of typ in the committed
// tx (JSON) o, in order.
func attrsOfType(o *Object, typ string) []any {
	evs, _ := o.Get("events")
	l, _ := evs.([]any)
	var out []any
	for _, e := range l {
		eo, ok := e.(*Object)
		if !ok {
			continue
		}
		if t, _ := eo.Get("type"); t != typ {
			continue
		}
		attrs, _ := eo.Get("attributes")
		out = append(out, attrs)
	}
	return out
}

// TxEventsOf is every event of typ in the committed tx (JSON), each as one
// object of its attributes (values decoded, msg_index and mode left out); an
// error names the tx if there is none.
func TxEventsOf(tx any, typ string) ([]string, error) {
	o, ok := tx.(*Object)
	if !ok {
		return nil, fmt.Errorf("the tx is not a JSON object")
	}
	var out []string
	for _, attrs := range attrsOfType(o, typ) {
		out = append(out, Dumps(decodeAttrs(attrs, "msg_index", "mode")))
	}
	if len(out) == 0 {
		h, _ := o.Get("txhash")
		return nil, fmt.Errorf("no %s event in tx %s", typ, PyStr(h))
	}
	return out, nil
}

// TxEventAttr is tx_event_attr: the value of attribute key of the first
// event of type typ in a committed tx (as `q tx --output json` prints it).
// Like the Python helper, an event of that type without the key does not
// stop the search: the next event of the type is tried.
func TxEventAttr(tx any, typ, key string) (string, error) {
	o, ok := tx.(*Object)
	if !ok {
		return "", fmt.Errorf("the tx is not a JSON object")
	}
	for _, attrs := range attrsOfType(o, typ) {
		al, _ := attrs.([]any)
		for _, a := range al {
			ao, ok := a.(*Object)
			if !ok {
				continue
			}
			if k, _ := ao.Get("key"); k == key {
				v, _ := ao.Get("value")
				return PyStr(v), nil
			}
		}
	}
	h, ok := o.Get("txhash")
	if !ok {
		h = nil
	}
	return "", fmt.Errorf("no %s.%s event attribute in tx %s", typ, key, PyStr(h))
}

// Balance is balance_of's reading of `q bank balances --output json`: the
// amount of denom, "0" if the account has none.
func Balance(balances any, denom string) (string, error) {
	o, ok := balances.(*Object)
	if !ok {
		return "", fmt.Errorf("the balances answer is not a JSON object")
	}
	bs, _ := o.Get("balances")
	l, _ := bs.([]any)
	for i, c := range l {
		co, ok := c.(*Object)
		if !ok {
			return "", fmt.Errorf("balances[%d] is not an object", i)
		}
		if d, _ := co.Get("denom"); d == denom {
			a, ok := co.Get("amount")
			if !ok {
				return "", fmt.Errorf("balances[%d] (%s) has no amount", i, denom)
			}
			return PyStr(a), nil
		}
	}
	return "0", nil
}

// TxEventLines is one page of tx_events: for every tx of a `q txs` page (in
// its order) and every event of type typ in it, one JSON line
// {"height", "txhash", "code", "msgs" (the messages' @type), "attrs" (decoded; no msg_index)}.
func TxEventLines(page any, typ string) ([]string, error) {
	o, ok := page.(*Object)
	if !ok {
		return nil, fmt.Errorf("the q txs answer is not a JSON object")
	}
	txs, _ := o.Get("txs")
	l, _ := txs.([]any)
	var out []string
	for i, t := range l {
		to, ok := t.(*Object)
		if !ok {
			return nil, fmt.Errorf("txs[%d] is not an object", i)
		}
		msgsV, err := GetPath(to, "tx.body.messages", PathOptions{})
		if err != nil {
			return nil, fmt.Errorf("txs[%d]: %w", i, err)
		}
		msgs := []any{}
		ml, _ := msgsV.([]any)
		for _, m := range ml {
			var typeURL any
			if mo, ok := m.(*Object); ok {
				typeURL, _ = mo.Get("@type")
			}
			msgs = append(msgs, typeURL)
		}
		hv, _ := to.Get("height")
		height, err := strconv.ParseInt(strings.TrimSpace(PyStr(hv)), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("txs[%d]: height %s is not an integer", i, PyStr(hv))
		}
		hash, ok := to.Get("txhash")
		if !ok {
			return nil, fmt.Errorf("txs[%d] has no txhash", i)
		}
		code, ok := to.Get("code")
		if !ok {
			code = Int(0)
		}
		evs, _ := to.Get("events")
		el, _ := evs.([]any)
		for j, e := range el {
			eo, ok := e.(*Object)
			if !ok {
				return nil, fmt.Errorf("txs[%d].events[%d] is not an object", i, j)
			}
			if et, _ := eo.Get("type"); et != typ {
				continue
			}
			attrs, _ := eo.Get("attributes")
			line := NewObject()
			line.Set("height", Int(height))
			line.Set("txhash", hash)
			line.Set("code", code)
			line.Set("msgs", msgs)
			line.Set("attrs", decodeAttrs(attrs, "msg_index"))
			out = append(out, Dumps(line))
		}
	}
	return out, nil
}

// IBCReportAfter is wait_ibc_report's test of a `q statuscollect history
// --page-reverse` page: "sequence main_height" of the first report with a
// sequence above after that came over IBC (source.channel_id set); ok false if none.
func IBCReportAfter(page any, after int64) (string, bool, error) {
	reports, err := pageReports(page)
	if err != nil {
		return "", false, err
	}
	for i, r := range reports {
		ro, ok := r.(*Object)
		if !ok {
			return "", false, fmt.Errorf("reports[%d] is not an object", i)
		}
		sv, _ := ro.Get("sequence")
		seq, err := strconv.ParseInt(strings.TrimSpace(PyStr(sv)), 10, 64)
		if err != nil {
			return "", false, fmt.Errorf("reports[%d]: sequence %s is not an integer", i, PyStr(sv))
		}
		if seq <= after {
			continue
		}
		src, _ := ro.Get("source")
		so, _ := src.(*Object)
		if so == nil {
			continue
		}
		ch, _ := so.Get("channel_id")
		if !truthy(ch) {
			continue
		}
		mh, ok := ro.Get("main_height")
		if !ok {
			return "", false, fmt.Errorf("reports[%d] has no main_height", i)
		}
		return PyStr(sv) + " " + PyStr(mh), true, nil
	}
	return "", false, nil
}

// truthy is Python's truth of a JSON value.
func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case Number:
		f, _ := strconv.ParseFloat(t.Text, 64)
		return f != 0
	case []any:
		return len(t) > 0
	case *Object:
		return len(t.Keys) > 0
	}
	return true
}

func pageReports(page any) ([]any, error) {
	o, ok := page.(*Object)
	if !ok {
		return nil, fmt.Errorf("the history answer is not a JSON object")
	}
	r, _ := o.Get("reports")
	l, _ := r.([]any)
	return l, nil
}

// LatestSeq is latest_seq's reading of a one-report reversed history page:
// the first report's sequence, "0" if there is none.
func LatestSeq(page any) (string, error) {
	reports, err := pageReports(page)
	if err != nil {
		return "", err
	}
	if len(reports) == 0 {
		return "0", nil
	}
	s, err := GetPath(reports[0], "sequence", PathOptions{})
	if err != nil {
		return "", fmt.Errorf("reports[0]: %w", err)
	}
	return PyStr(s), nil
}

// Runner runs a command and returns its stdout and stderr.
type Runner func(ctx context.Context, name string, args ...string) (stdout, stderr []byte, err error)

// ExecRunner runs the command for real.
func ExecRunner(ctx context.Context, name string, args ...string) ([]byte, []byte, error) {
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// CLIError is a failed CLI run, with what it printed (stdout and stderr, as
// the shell's 2>&1 showed it).
type CLIError struct {
	What   string
	Output string
	Err    error
}

func (e *CLIError) Error() string { return fmt.Sprintf("%s failed: %s", e.What, e.Output) }

func runCLI(ctx context.Context, run Runner, what, name string, args ...string) (any, error) {
	o, e, err := run(ctx, name, args...)
	if err != nil {
		return nil, &CLIError{What: what, Output: strings.TrimRight(string(o)+string(e), "\n"), Err: err}
	}
	v, err := Decode(o)
	if err != nil {
		return nil, &CLIError{What: what, Output: fmt.Sprintf("%v in %q (stderr: %s)", err, clip(o, 300), clip(e, 300)), Err: err}
	}
	return v, nil
}

// History is history_json: every report of chain on the main chain, read
// page by page (100 a page) with `BIN q statuscollect history` through node
// (at height, if set), as one compact JSON list. At most maxPages pages.
func History(ctx context.Context, run Runner, bin, chain, node, height string, maxPages int) (string, error) {
	all := []any{}
	key := ""
	for page := 1; ; page++ {
		if page > maxPages {
			return "", fmt.Errorf("q statuscollect history %s: more than %d pages (of 100); raise --max-pages", chain, maxPages)
		}
		args := []string{"q", "statuscollect", "history", chain, "--page-limit", "100"}
		if key != "" {
			args = append(args, "--page-key", key)
		}
		args = append(args, "--node", node)
		if height != "" {
			args = append(args, "--height", height)
		}
		args = append(args, "--output", "json")
		v, err := runCLI(ctx, run, "q statuscollect history "+chain, bin, args...)
		if err != nil {
			return "", err
		}
		reports, err := pageReports(v)
		if err != nil {
			return "", err
		}
		all = append(all, reports...)
		key = ""
		if p, err := GetPath(v, "pagination.next_key", PathOptions{}); err == nil && truthy(p) {
			key = PyStr(p)
		}
		if key == "" {
			return DumpsCompact(all), nil
		}
	}
}

// TxEvents is tx_events: TxEventLines of every page of `BIN q txs --query
// query` (100 a page) through node, while page_total says there are more;
// at most maxPages pages.
func TxEvents(ctx context.Context, run Runner, bin, node, query, typ string, maxPages int) ([]string, error) {
	var out []string
	for page := 1; ; page++ {
		if page > maxPages {
			return out, fmt.Errorf("q txs --query %q: more than %d pages (of 100); raise --max-pages", query, maxPages)
		}
		v, err := runCLI(ctx, run, fmt.Sprintf("q txs --query \"%s\"", query), bin, "q", "txs", "--query", query,
			"--node", node, "--output", "json", "--limit", "100", "--page", strconv.Itoa(page))
		if err != nil {
			return out, err
		}
		lines, err := TxEventLines(v, typ)
		if err != nil {
			return out, fmt.Errorf("q txs --query %q page %d: %w", query, page, err)
		}
		out = append(out, lines...)
		total := int64(1)
		if t, err := GetPath(v, "page_total", PathOptions{}); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(PyStr(t)), 10, 64); err == nil {
				total = n
			}
		}
		if total <= int64(page) {
			return out, nil
		}
	}
}
