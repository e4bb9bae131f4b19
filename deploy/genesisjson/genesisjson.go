// Package genesisjson edits a genesis file as a JSON tree, so a tool sets
// only the fields it means to and leaves every other module's state exactly
// as the binaries' init, gentx and collect-gentxs wrote it (numbers
// included: they are read as json.Number, never as floats). The deployment
// generator and the node benchmark's genesis presets both use it.
package genesisjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Read reads the JSON object in path, numbers as json.Number.
func Read(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var g map[string]any
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// Write writes v to path as indented JSON.
func Write(path string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Object returns g[k1][k2]... as an object, or an error naming the path.
func Object(g map[string]any, keys ...string) (map[string]any, error) {
	cur := g
	for i, k := range keys {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("genesis has no object %s", strings.Join(keys[:i+1], "."))
		}
		cur = next
	}
	return cur, nil
}
