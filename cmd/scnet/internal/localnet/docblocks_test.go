package localnet

import (
	"reflect"
	"strings"
	"testing"
)

func TestShBlocks(t *testing.T) {
	doc := "# Guide\n\n```sh\necho one\n```\n\n```go\nfmt.Println()\n```\n\nText.\n```sh\necho it's two\nls\n```\n"
	got, err := ShBlocks(doc)
	want := []ShBlock{{Line: 3, Body: "echo one\n"}, {Line: 12, Body: "echo it's two\nls\n"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ShBlocks = %+v, %v; want %+v", got, err, want)
	}
	script := GuideScript("docs/g.md", got)
	for _, line := range []string{"set -euo pipefail", "echo '=== block 1 (docs/g.md line 3)' >&2", "echo one",
		"echo '=== block 2 (docs/g.md line 12)' >&2", "echo it's two", "echo '=== all 2 blocks ran' >&2"} {
		if !strings.Contains(script, line+"\n") {
			t.Errorf("the script has no line %q:\n%s", line, script)
		}
	}
	if _, err := ShBlocks("x\n\n```sh\necho never closed\n"); err == nil || err.Error() != "the ```sh block of line 3 has no closing ```" {
		t.Errorf("an unclosed block: %v", err)
	}
	if b, err := ShBlocks("no blocks"); err != nil || len(b) != 0 {
		t.Errorf("no blocks: %v, %v", b, err)
	}
	if q := shQuote("it's"); q != `'it'"'"'s'` {
		t.Errorf("shQuote = %s", q)
	}
}
