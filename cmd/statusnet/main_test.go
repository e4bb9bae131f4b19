package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --local-roots puts the roots under -o after the file was checked: they
// are checked again, and the error says where they came from.
func TestLocalRootsAreChecked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out dir; $(id)")
	cmd := rootCmd()
	cmd.SetArgs([]string{"generate", "-f", filepath.Join("..", "..", "network", "localnet.yaml"), "-o", out,
		"--local-roots", "--bin-dir", t.TempDir()})
	err := cmd.Execute()
	want := "--local-roots puts the hosts' roots under " + filepath.Join(out, "hosts") + `: hosts[0] (local): root "` +
		filepath.Join(out, "hosts", "local") + `" has characters other than`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("generate wrote %s (%v)", out, err)
	}
}
