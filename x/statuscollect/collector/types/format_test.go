package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func TestFormat(t *testing.T) {
	for milli, want := range map[uint64]string{0: "0", 5: "0.005", 1500: "1.5", 3000: "3", 12345: "12.345", 1010: "1.01"} {
		require.Equal(t, want, types.FormatMilli(milli), milli)
	}
	require.Equal(t, "awaiting first report", types.LIVENESS_AWAITING_FIRST_REPORT.Word())
	require.Equal(t, "halted for upgrade", types.LIVENESS_HALTED_FOR_UPGRADE.Word())
	require.Equal(t, "file storage", types.SUBCHAIN_KIND_FILE_STORAGE.Word())
	require.Equal(t, "upheld", types.DISPUTE_STATUS_UPHELD.Word())
	require.Equal(t, "migrated", types.CONTRACT_CHANGE_KIND_MIGRATED.Word())
}
