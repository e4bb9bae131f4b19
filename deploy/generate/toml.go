package generate

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

var (
	sectionRe = regexp.MustCompile(`^\s*\[([^\]]+)\]\s*$`)
	keyRe     = regexp.MustCompile(`^(\s*)([A-Za-z0-9_.-]+)\s*=`)
)

// setTOML sets keys of a TOML file in place, keeping its comments and
// layout (the node's config files are documented by their comments). Each
// key is "section.key" ("" section: ".key") and each value is TOML as
// written (strings quoted). A key that is not in the file is an error: the
// files come from the binaries' init, and a missing key means their format
// changed under the generator.
func setTOML(path string, set map[string]string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	done := map[string]bool{}
	section := ""
	for i, line := range lines {
		if m := sectionRe.FindStringSubmatch(line); m != nil {
			section = strings.TrimSpace(m[1])
			continue
		}
		m := keyRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		k := section + "." + m[2]
		if v, ok := set[k]; ok {
			lines[i] = m[1] + m[2] + " = " + v
			done[k] = true
		}
	}
	var missing []string
	for k := range set {
		if !done[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%s: keys not found: %s", path, strings.Join(missing, ", "))
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

// q quotes a TOML string.
func q(s string) string { return fmt.Sprintf("%q", s) }
