package localnet

import (
	"fmt"
	"strings"
)

// ShBlock is a ```sh block of a Markdown document: its text, and the line
// its opening fence is on.
type ShBlock struct {
	Line int
	Body string
}

// ShBlocks finds the ```sh blocks of a Markdown text, in order: each runs
// from a "```sh" fence ending its line to the next "```".
func ShBlocks(text string) ([]ShBlock, error) {
	const open, fence = "```sh\n", "```"
	var out []ShBlock
	for at := 0; ; {
		i := strings.Index(text[at:], open)
		if i < 0 {
			return out, nil
		}
		start := at + i
		body := start + len(open)
		j := strings.Index(text[body:], fence)
		if j < 0 {
			return nil, fmt.Errorf("the ```sh block of line %d has no closing ```", strings.Count(text[:start], "\n")+1)
		}
		out = append(out, ShBlock{Line: strings.Count(text[:start], "\n") + 1, Body: text[body : body+j]})
		at = body + j + len(fence)
	}
}

// GuideScript is one bash script running the blocks in order in one shell,
// each announced on stderr with where it is in doc.
func GuideScript(doc string, blocks []ShBlock) string {
	var b strings.Builder
	b.WriteString("set -euo pipefail\n")
	for i, bl := range blocks {
		fmt.Fprintf(&b, "echo %s >&2\n%s\n", shQuote(fmt.Sprintf("=== block %d (%s line %d)", i+1, doc, bl.Line)), bl.Body)
	}
	fmt.Fprintf(&b, "echo %s >&2\n", shQuote(fmt.Sprintf("=== all %d blocks ran", len(blocks))))
	return b.String()
}

// shQuote quotes s for a POSIX shell.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
