package genesisjson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTripKeepsNumbersAndNamesMissingObjects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "genesis.json")
	// 2^63+1 is not a float64: a float round trip would change it.
	if err := os.WriteFile(path, []byte(`{"app_state":{"bank":{"supply":[{"amount":"9223372036854775809"}],"n":9223372036854775809}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	g, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	bank, err := Object(g, "app_state", "bank")
	if err != nil {
		t.Fatal(err)
	}
	if n := bank["n"].(json.Number).String(); n != "9223372036854775809" {
		t.Fatalf("number read as %s", n)
	}
	if _, err := Object(g, "app_state", "staking", "params"); err == nil || err.Error() != "genesis has no object app_state.staking" {
		t.Fatalf("want the missing object named, got %v", err)
	}
	bank["n"] = json.Number("7")
	if err := Write(path, g); err != nil {
		t.Fatal(err)
	}
	again, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := again["app_state"].(map[string]any)["bank"].(map[string]any)["n"].(json.Number).String(); n != "7" {
		t.Fatalf("written and read back as %s", n)
	}
}
