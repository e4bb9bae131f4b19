// Package statefile keeps a daemon's progress on disk, tied to the chains it
// was made on: a state file written for other chains (a localnet or testnet
// re-created from a new genesis under the same chain ids) is set aside
// rather than trusted, since its heights and report sequences mean nothing
// there.
package statefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

type envelope[T any] struct {
	// Identity names the chains the state belongs to (chainview.Identity).
	Identity string `json:"identity"`
	State    T      `json:"state"`
}

// Load reads the state at path into st. A missing file is a first start. A
// file written for another identity is renamed to path + ".stale" and st is
// left empty; old names that identity.
func Load[T any](path, identity string, st *T) (old string, err error) {
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var e envelope[T]
	if err := json.Unmarshal(bz, &e); err != nil {
		return "", fmt.Errorf("state file %s: %w", path, err)
	}
	if e.Identity != identity {
		if err := os.Rename(path, path+".stale"); err != nil {
			return "", err
		}
		return e.Identity, nil
	}
	*st = e.State
	return "", nil
}

// Save writes st atomically: a crash leaves the old state or the new one.
func Save[T any](path, identity string, st T) error {
	bz, err := json.MarshalIndent(envelope[T]{Identity: identity, State: st}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, bz, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
