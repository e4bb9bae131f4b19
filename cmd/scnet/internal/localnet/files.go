package localnet

import (
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

var (
	tomlSectionRe = regexp.MustCompile(`^\s*\[([^\]]+)\]\s*$`)
	tomlKeyRe     = regexp.MustCompile(`^(\s*)([A-Za-z0-9_.-]+)(\s*=\s*)`)
)

// TomlSet is toml_set: in the TOML text, set each "SECTION.KEY=VALUE" edit
// (VALUE written as is; SECTION empty for top-level keys: ".moniker=..."),
// line by line: a line "KEY = ..." under [SECTION] becomes "KEY = VALUE"
// (indent kept; a comment after the old value goes). Every edit must match
// at least one line (all of them are changed); otherwise nothing is changed
// and the error lists the missing ones. The same key edited twice: the last
// value wins.
func TomlSet(text string, edits []string) (string, error) {
	type sk struct{ sect, key string }
	want := map[sk]string{}
	var order []sk
	for _, e := range edits {
		k, v, ok := strings.Cut(e, "=")
		if !ok {
			return "", fmt.Errorf("edit %q: write it as SECTION.KEY=VALUE", e)
		}
		sect, key, ok := cutLast(k, ".")
		if !ok {
			return "", fmt.Errorf("edit %q: no section (write .KEY=VALUE for a top-level key)", e)
		}
		id := sk{sect, key}
		if _, seen := want[id]; !seen {
			order = append(order, id)
		}
		want[id] = v
	}
	lines := strings.Split(text, "\n")
	sect, done := "", map[sk]bool{}
	for i, line := range lines {
		if m := tomlSectionRe.FindStringSubmatch(line); m != nil {
			sect = strings.TrimSpace(m[1])
			continue
		}
		m := tomlKeyRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id := sk{sect, m[2]}
		if v, ok := want[id]; ok {
			lines[i] = m[1] + m[2] + " = " + v
			done[id] = true
		}
	}
	var missing []string
	for _, id := range order {
		if !done[id] {
			missing = append(missing, fmt.Sprintf("[%s] %s", id.sect, id.key))
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("keys not found: %s", strings.Join(missing, ", "))
	}
	return strings.Join(lines, "\n"), nil
}

// TomlSetFile is TomlSet on a file, rewritten in place only when every key is there.
func TomlSetFile(path string, edits []string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := TomlSet(string(data), edits)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeKeepMode(path, []byte(out))
}

func writeKeepMode(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pyInt is Python's int() of a decimal argument (blanks, a sign and
// underscores between digits allowed).
func pyInt(s string) (Number, error) {
	t := strings.TrimSpace(s)
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" || strings.HasPrefix(body, "_") || strings.HasSuffix(body, "_") || strings.Contains(body, "__") {
		return Number{}, fmt.Errorf("%q is not an integer", s)
	}
	digits := strings.ReplaceAll(body, "_", "")
	if strings.Trim(digits, "0123456789") != "" {
		return Number{}, fmt.Errorf("%q is not an integer", s)
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return Number{Text: "0"}, nil
	}
	if strings.HasPrefix(t, "-") {
		digits = "-" + digits
	}
	return Number{Text: digits}, nil
}

// PresetReporterGenesis is preset_reporter_genesis: in the genesis at path,
// set app_state.statusreporter.params' admin, report_interval,
// heartbeat_every (integers) and packet_timeout, and its orgs (sorted,
// without duplicates); the file is written back as Python's json.dump(g,
// indent=1) wrote it (key order kept, one item a line, no final newline).
func PresetReporterGenesis(path, admin, interval, heartbeat, timeout string, orgs []string) error {
	iv, err := pyInt(interval)
	if err != nil {
		return fmt.Errorf("report interval: %w", err)
	}
	hb, err := pyInt(heartbeat)
	if err != nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	g, err := Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	srV, err := GetPath(g, "app_state.statusreporter", PathOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sr, ok := srV.(*Object)
	if !ok {
		return fmt.Errorf("%s: app_state.statusreporter is not an object", path)
	}
	pV, _ := sr.Get("params")
	params, ok := pV.(*Object)
	if !ok {
		return fmt.Errorf("%s: app_state.statusreporter.params is missing or not an object", path)
	}
	params.Set("admin", admin)
	params.Set("report_interval", iv)
	params.Set("heartbeat_every", hb)
	params.Set("packet_timeout", timeout)
	set := map[string]bool{}
	for _, o := range orgs {
		set[o] = true
	}
	uniq := make([]string, 0, len(set))
	for o := range set {
		uniq = append(uniq, o)
	}
	sort.Strings(uniq) // byte order of UTF-8 is code point order, as Python's sorted()
	l := make([]any, len(uniq))
	for i, o := range uniq {
		l[i] = o
	}
	sr.Set("orgs", l)
	return writeKeepMode(path, []byte(DumpIndent(g, 1)))
}

// Proxy is tcp_proxy: accept on 127.0.0.1:listen and forward each
// connection to 127.0.0.1:target. When either side ends (or the target
// refuses), both connections are closed. ready is called once it listens.
// It runs until the listener fails.
func Proxy(listen, target int, ready func()) error {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(listen))
	if err != nil {
		return err
	}
	defer ln.Close()
	ready()
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			s, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(target))
			if err != nil {
				c.Close()
				return
			}
			var once sync.Once
			closeBoth := func() { once.Do(func() { c.Close(); s.Close() }) }
			go func() { io.Copy(s, c); closeBoth() }()
			io.Copy(c, s)
			closeBoth()
		}()
	}
}
