package statefile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/daemon/statefile"
)

type progress struct {
	Cursor uint64   `json:"cursor"`
	Filed  []uint64 `json:"filed"`
}

func TestStateRoundTripsAndIsSetAsideForOtherChains(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	var st progress
	old, err := statefile.Load(path, "main@aa/sub@bb", &st)
	require.NoError(t, err)
	require.Empty(t, old, "a missing file is a first start")

	require.NoError(t, statefile.Save(path, "main@aa/sub@bb", progress{Cursor: 7, Filed: []uint64{3}}))
	old, err = statefile.Load(path, "main@aa/sub@bb", &st)
	require.NoError(t, err)
	require.Empty(t, old)
	require.Equal(t, progress{Cursor: 7, Filed: []uint64{3}}, st)

	// The same chain ids from a new genesis: the state is set aside, not used.
	var fresh progress
	old, err = statefile.Load(path, "main@cc/sub@bb", &fresh)
	require.NoError(t, err)
	require.Equal(t, "main@aa/sub@bb", old)
	require.Zero(t, fresh)
	_, err = os.Stat(path + ".stale")
	require.NoError(t, err)
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	_, err = statefile.Load(path, "x", &fresh)
	require.ErrorContains(t, err, "state file")
}
