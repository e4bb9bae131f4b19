package types

import (
	"slices"
	"strconv"
	"strings"

	errorsmod "cosmossdk.io/errors"
)

// Field names that a dispute can name. Transaction counts, TPS and the
// software version are left out on purpose: an off-chain reporter may count
// from another start than the chain's own counter, and reads the version from
// its node rather than from x/upgrade's record, so they are not facts two
// honest observers share.
const (
	FieldChainID       = "chain_id"
	FieldOrgs          = "orgs"
	FieldValidators    = "validators"
	FieldContractCount = "contract_count"
)

// DisputedFields names the fields in which two snapshots of one height
// disagree, in a fixed order.
func DisputedFields(reported, observed StatusSnapshot) []string {
	var out []string
	if reported.ChainId != observed.ChainId {
		out = append(out, FieldChainID)
	}
	if !slices.Equal(reported.Orgs, observed.Orgs) {
		out = append(out, FieldOrgs)
	}
	if !slices.EqualFunc(reported.Validators, observed.Validators, func(a, b Validator) bool {
		return a.Address == b.Address && a.Power == b.Power
	}) {
		out = append(out, FieldValidators)
	}
	if reported.ContractCount != observed.ContractCount {
		out = append(out, FieldContractCount)
	}
	return out
}

// FieldValue renders a snapshot field for a dispute record, cut to max bytes.
func FieldValue(s StatusSnapshot, field string, max int) string {
	var v string
	switch field {
	case FieldChainID:
		v = s.ChainId
	case FieldOrgs:
		v = strings.Join(s.Orgs, ",")
	case FieldValidators:
		parts := make([]string, len(s.Validators))
		for i, val := range s.Validators {
			parts[i] = val.Address + ":" + strconv.FormatInt(val.Power, 10)
		}
		v = strings.Join(parts, ",")
	case FieldContractCount:
		v = strconv.FormatUint(s.ContractCount, 10)
	}
	if len(v) > max {
		v = v[:max]
	}
	return v
}

// Validate checks dispute evidence without state.
func (e DisputeEvidence) Validate() error {
	if e.MainSequence == 0 {
		return errorsmod.Wrap(ErrInvalidPacket, "evidence names no report")
	}
	if e.Snapshot == nil {
		return errorsmod.Wrap(ErrInvalidPacket, "evidence without a snapshot")
	}
	if err := ValidateID("filer", e.Filer, MaxIDLen); err != nil {
		return err
	}
	return e.Snapshot.Validate()
}

// NewEvidencePacket wraps evidence as packet bytes.
func NewEvidencePacket(e DisputeEvidence) ([]byte, error) {
	pd := StatusPacketData{Packet: &StatusPacketData_Evidence{Evidence: &e}}
	return pd.Marshal()
}
