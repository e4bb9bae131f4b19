package types

import (
	"time"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	host "github.com/cosmos/ibc-go/v10/modules/core/24-host"

	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// Field limits of the registry.
const (
	MaxNameLen        = 128
	MinReportInterval = time.Second
	MaxReportInterval = 30 * 24 * time.Hour
)

// Bounds of every paged query: a page holds at most MaxPageLimit entries and
// may skip at most MaxPageOffset (past that, page with the next key).
const (
	MaxPageLimit  = 100
	MaxPageOffset = 10_000
)

// ValidateBasic implementations check what needs no state. The keeper checks
// permissions and existence.

func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

func (m *MsgRegisterSubchain) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	if m.ClientId != "" {
		if err := host.ClientIdentifierValidator(m.ClientId); err != nil {
			return errorsmod.Wrapf(ErrInvalidRequest, "client id: %s", err)
		}
	}
	return validateSubchainFields(m.ChainId, m.Name, m.Kind, m.ReportInterval)
}

func (m *MsgBindClient) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	if err := shared.ValidateID("chain id", m.ChainId, shared.MaxChainIDLen); err != nil {
		return err
	}
	if err := host.ClientIdentifierValidator(m.ClientId); err != nil {
		return errorsmod.Wrapf(ErrInvalidRequest, "client id: %s", err)
	}
	return nil
}

func validateSubchainFields(chainID, name string, kind SubchainKind, interval time.Duration) error {
	if err := shared.ValidateID("chain id", chainID, shared.MaxChainIDLen); err != nil {
		return err
	}
	if err := validName(name); err != nil {
		return err
	}
	if _, ok := SubchainKind_name[int32(kind)]; !ok || kind == SUBCHAIN_KIND_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidRequest, "kind %d is not one of file-storage, industry, cross-chain, other", kind)
	}
	if interval < MinReportInterval || interval > MaxReportInterval {
		return errorsmod.Wrapf(ErrInvalidRequest, "report interval %s must be between %s and %s", interval, MinReportInterval, MaxReportInterval)
	}
	return nil
}

func (m *MsgRetireSubchain) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	return shared.ValidateID("chain id", m.ChainId, shared.MaxChainIDLen)
}

func (m *MsgRegisterOrg) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	return validateOrgFields(m.OrgId, m.Name, m.Admin)
}

func validateOrgFields(id, name, admin string) error {
	if err := shared.ValidateID("org id", id, shared.MaxIDLen); err != nil {
		return err
	}
	if err := validName(name); err != nil {
		return err
	}
	return validAddress("admin", admin)
}

func (m *MsgAddMember) ValidateBasic() error {
	return validMembership(m.Authority, m.ChainId, m.OrgId)
}

func (m *MsgRemoveMember) ValidateBasic() error {
	return validMembership(m.Authority, m.ChainId, m.OrgId)
}

func (m *MsgGrantReporter) ValidateBasic() error {
	if err := validMembership(m.Admin, m.ChainId, m.OrgId); err != nil {
		return err
	}
	return validAddress("reporter", m.Reporter)
}

func (m *MsgRevokeReporter) ValidateBasic() error {
	if err := validMembership(m.Admin, m.ChainId, m.OrgId); err != nil {
		return err
	}
	return validAddress("reporter", m.Reporter)
}

// NameListsByHash leaves the snapshot's orgs and validators out and names
// them by their hash: for a report whose lists are those of the subchain's
// latest report (the main chain refuses it otherwise, ErrListsChanged).
func (m *MsgSubmitStatus) NameListsByHash() {
	m.ListsHash = m.Snapshot.NameListsByHash()
}

func (m *MsgSubmitStatus) ValidateBasic() error {
	if err := validAddress("reporter", m.Reporter); err != nil {
		return err
	}
	if err := shared.CheckNamedLists(m.ListsHash, m.Snapshot); err != nil {
		return errorsmod.Wrap(ErrInvalidRequest, err.Error())
	}
	return m.Snapshot.Validate()
}

// Dispute limits.
const (
	MaxDisputedFields = 16
	MaxFieldValueLen  = 1024
	MaxEvidenceLen    = 4096
	MaxReasonLen      = 1024
)

func (m *MsgFileDispute) ValidateBasic() error {
	if err := validMembership(m.Filer, m.ChainId, m.OrgId); err != nil {
		return err
	}
	if m.ReportSequence == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "report sequence must be positive")
	}
	if len(m.Fields) == 0 || len(m.Fields) > MaxDisputedFields {
		return errorsmod.Wrapf(ErrInvalidRequest, "name 1 to %d disputed fields, got %d", MaxDisputedFields, len(m.Fields))
	}
	for _, f := range m.Fields {
		if err := shared.ValidateID("disputed field", f.Field, shared.MaxIDLen); err != nil {
			return err
		}
		if len(f.Reported) > MaxFieldValueLen || len(f.Observed) > MaxFieldValueLen {
			return errorsmod.Wrapf(shared.ErrTooLarge, "field %s: values over %d bytes", f.Field, MaxFieldValueLen)
		}
	}
	if len(m.Evidence) > MaxEvidenceLen {
		return errorsmod.Wrapf(shared.ErrTooLarge, "evidence is %d bytes, at most %d", len(m.Evidence), MaxEvidenceLen)
	}
	return nil
}

func (m *MsgResolveDispute) ValidateBasic() error {
	if err := validAddress("resolver", m.Resolver); err != nil {
		return err
	}
	if m.DisputeId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "dispute id must be positive")
	}
	if m.Reason == "" || len(m.Reason) > MaxReasonLen {
		return errorsmod.Wrapf(ErrInvalidRequest, "give a reason of 1 to %d bytes", MaxReasonLen)
	}
	return nil
}

func (m *MsgRestoreReporting) ValidateBasic() error {
	return validMembership(m.Authority, m.ChainId, m.OrgId)
}

func validMembership(signer, chainID, orgID string) error {
	if err := validAddress("signer", signer); err != nil {
		return err
	}
	if err := shared.ValidateID("chain id", chainID, shared.MaxChainIDLen); err != nil {
		return err
	}
	return shared.ValidateID("org id", orgID, shared.MaxIDLen)
}

// validAddress requires an account address in its canonical form: bech32
// decoding ignores case, so "MAIN1ABC..." signs as "main1abc...", and an
// upper-case spelling would be a second key in every index keyed by address
// (one account speaking for two orgs).
func validAddress(what, addr string) error {
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidRequest, "%s address %q: %s", what, addr, err)
	}
	if canonical := acc.String(); canonical != addr {
		return errorsmod.Wrapf(ErrInvalidRequest, "%s address %q is not in its canonical form %q", what, addr, canonical)
	}
	return nil
}

func validName(name string) error {
	if name == "" || len(name) > MaxNameLen || !utf8.ValidString(name) {
		return errorsmod.Wrapf(ErrInvalidRequest, "name must be 1 to %d bytes of UTF-8", MaxNameLen)
	}
	return nil
}
