package localnet

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// HTTPGet GETs url within timeout and returns the body of a 2xx answer.
// Otherwise the error names the URL and the status (with the start of the body).
func HTTPGet(ctx context.Context, rawURL string, timeout time.Duration) ([]byte, error) {
	body, status, err := httpGetAny(ctx, rawURL, timeout)
	if err != nil {
		return nil, err
	}
	if status/100 != 2 {
		return nil, fmt.Errorf("GET %s: HTTP %d: %s", rawURL, status, clip(body, 300))
	}
	return body, nil
}

// httpGetAny GETs url and returns the body whatever the status.
func httpGetAny(ctx context.Context, rawURL string, timeout time.Duration) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: reading the body: %w", rawURL, err)
	}
	return body, resp.StatusCode, nil
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// rpcResult decodes a CometBFT JSON-RPC answer and returns its "result"; an
// "error" member is an error naming where it came from.
func rpcResult(body []byte, from string) (any, error) {
	d, err := Decode(body)
	if err != nil {
		return nil, fmt.Errorf("RPC answer from %s: %w", from, err)
	}
	o, ok := d.(*Object)
	if !ok {
		return nil, fmt.Errorf("RPC answer from %s is not a JSON object", from)
	}
	if e, ok := o.Get("error"); ok {
		return nil, fmt.Errorf("RPC error from %s: %s", from, PyStr(e))
	}
	r, ok := o.Get("result")
	if !ok {
		return nil, fmt.Errorf("RPC answer from %s has no result", from)
	}
	return r, nil
}

// RPCGet is rpc_get: GET base+path (a CometBFT RPC endpoint) and return its
// "result". A non-2xx answer is an error (the Python helper raised on it too).
func RPCGet(ctx context.Context, base, path string, timeout time.Duration) (any, error) {
	u := base + path
	body, err := HTTPGet(ctx, u, timeout)
	if err != nil {
		return nil, err
	}
	return rpcResult(body, u)
}

// decodeAttrs turns [{key, value}...] into one object, each value decoded
// from JSON when it is JSON (typed events), else kept as it is; skip names
// keys to leave out.
func decodeAttrs(attrs any, skip ...string) *Object {
	a := NewObject()
	l, _ := attrs.([]any)
	for _, x := range l {
		o, ok := x.(*Object)
		if !ok {
			continue
		}
		kv, _ := o.Get("key")
		k, ok := kv.(string)
		if !ok || slices.Contains(skip, k) {
			continue
		}
		v, _ := o.Get("value")
		if s, ok := v.(string); ok {
			if d, err := Decode([]byte(s)); err == nil {
				v = d
			}
		}
		a.Set(k, v)
	}
	return a
}

// BlockEvents is block_events: the finalize-block events of typ in the
// block_results answer r, each as one object of its (decoded) attributes.
func BlockEvents(r any, typ string) ([]string, error) {
	ro, ok := r.(*Object)
	if !ok {
		return nil, fmt.Errorf("block_results: the result is not an object")
	}
	evs, _ := ro.Get("finalize_block_events")
	l, _ := evs.([]any)
	var out []string
	for i, e := range l {
		eo, ok := e.(*Object)
		if !ok {
			return nil, fmt.Errorf("block_results: finalize_block_events[%d] is not an object", i)
		}
		t, ok := eo.Get("type")
		if !ok {
			return nil, fmt.Errorf("block_results: finalize_block_events[%d] has no type", i)
		}
		if t != typ {
			continue
		}
		attrs, _ := eo.Get("attributes")
		out = append(out, Dumps(decodeAttrs(attrs)))
	}
	return out, nil
}

// BlockSearchURL is the block_search URL the Python helper built: the query
// as a JSON string, percent-encoded as urllib.parse.quote does; the first
// 100 blocks, ascending.
func BlockSearchURL(base, query string) string {
	return base + "/block_search?query=" + pyQuote(DumpsString(query)) + "&per_page=100&order_by=%22asc%22"
}

// DumpsString is json.dumps of one string.
func DumpsString(s string) string { return Dumps(s) }

// pyQuote is urllib.parse.quote(s): everything but letters, digits, "_.-~"
// and "/" percent-encoded (upper-case hex).
func pyQuote(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '~' || c == '/' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

// BlockSearch is block_search: the heights of the blocks matching query,
// ascending; only the first page of 100, as before. An RPC error answer
// (CometBFT sends those with HTTP 500) is an error with its text.
func BlockSearch(ctx context.Context, base, query string, timeout time.Duration) ([]string, error) {
	u := BlockSearchURL(base, query)
	body, _, err := httpGetAny(ctx, u, timeout)
	if err != nil {
		return nil, err
	}
	r, err := rpcResult(body, u)
	if err != nil {
		return nil, err
	}
	blocks, err := GetPath(r, "blocks", PathOptions{})
	if err != nil {
		return nil, fmt.Errorf("block_search: %w", err)
	}
	l, ok := blocks.([]any)
	if !ok {
		return nil, fmt.Errorf("block_search: blocks is not a list")
	}
	out := make([]string, 0, len(l))
	for i, b := range l {
		h, err := GetPath(b, "block.header.height", PathOptions{})
		if err != nil {
			return nil, fmt.Errorf("block_search: block %d: %w", i, err)
		}
		out = append(out, PyStr(h))
	}
	return out, nil
}

var rfc3339Re = regexp.MustCompile(`^(.*?)(?:\.(\d+))?Z$`)

// RFC3339Ns is rfc3339_ns: a UTC RFC 3339 time ("Z", any number of fraction
// digits, truncated past nanoseconds) in unix nanoseconds. Like the Python
// helper it takes only a "Z" zone.
func RFC3339Ns(s string) (string, error) {
	m := rfc3339Re.FindStringSubmatch(s)
	if m == nil {
		return "", fmt.Errorf("time %q: want an RFC 3339 UTC time such as 2024-05-01T12:00:00.123456789Z", s)
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", m[1], time.UTC)
	if err != nil {
		return "", fmt.Errorf("time %q: want an RFC 3339 UTC time such as 2024-05-01T12:00:00.123456789Z", s)
	}
	frac := (m[2] + "000000000")[:9]
	ns, _ := strconv.ParseInt(frac, 10, 64)
	return strconv.FormatInt(t.Unix()*1_000_000_000+ns, 10), nil
}

// BlockTime is block_time: the time of a /block result in unix nanoseconds.
func BlockTime(r any) (string, error) {
	t, err := GetPath(r, "block.header.time", PathOptions{})
	if err != nil {
		return "", fmt.Errorf("block: %w", err)
	}
	s, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("block: header.time is %s, not a string", PyPrintValue(t))
	}
	return RFC3339Ns(s)
}
