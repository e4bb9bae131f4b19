package types

import (
	"strconv"
	"strings"
)

// How people read the enums and fixed-point figures: the CLI's tables and
// the dashboard write them the same way.

// Word is the liveness as people read it: "awaiting first report", "active",
// "stale", "halted for upgrade", "retired".
func (l Liveness) Word() string { return word(l.String(), "LIVENESS_") }

// Word is the kind as people read it: "file storage", "industry", ...
func (k SubchainKind) Word() string { return word(k.String(), "SUBCHAIN_KIND_") }

// Word is the dispute status as people read it: "open", "upheld", ...
func (s DisputeStatus) Word() string { return word(s.String(), "DISPUTE_STATUS_") }

// Word is the change kind as people read it: "deployed", "migrated".
func (k ContractChangeKind) Word() string { return word(k.String(), "CONTRACT_CHANGE_KIND_") }

func word(name, prefix string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", " ")
}

// FormatMilli writes a fixed-point figure in thousandths (tps_milli) as a
// decimal: 1500 is "1.5". No floats.
func FormatMilli(milli uint64) string {
	whole, frac := strconv.FormatUint(milli/1000, 10), milli%1000
	if frac == 0 {
		return whole
	}
	return whole + "." + strings.TrimRight(strconv.FormatUint(1000+frac, 10)[1:], "0")
}
