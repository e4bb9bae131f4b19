package types

import errorsmod "cosmossdk.io/errors"

// Codespace of the collector's errors. Codes are frozen once released: an
// error acknowledgement carries the code into the counterparty's state.
const Codespace = "collector"

var (
	ErrUnauthorized     = errorsmod.Register(Codespace, 2, "not the authority")
	ErrUnknownSubchain  = errorsmod.Register(Codespace, 3, "unknown subchain")
	ErrSubchainExists   = errorsmod.Register(Codespace, 4, "subchain already registered")
	ErrSubchainRetired  = errorsmod.Register(Codespace, 5, "subchain is retired")
	ErrUnknownOrg       = errorsmod.Register(Codespace, 6, "unknown organization")
	ErrOrgExists        = errorsmod.Register(Codespace, 7, "organization already registered")
	ErrNotMember        = errorsmod.Register(Codespace, 8, "organization is not a member of the subchain")
	ErrAlreadyMember    = errorsmod.Register(Codespace, 9, "organization is already a member of the subchain")
	ErrNotOrgAdmin      = errorsmod.Register(Codespace, 10, "not the organization's admin")
	ErrNotReporter      = errorsmod.Register(Codespace, 11, "not a monitoring account of a member organization of the subchain")
	ErrReporterExists   = errorsmod.Register(Codespace, 12, "account already reports for this subchain")
	ErrTooManyReporters = errorsmod.Register(Codespace, 13, "too many monitoring accounts")
	ErrOutdatedReport   = errorsmod.Register(Codespace, 14, "report height not above the latest report")
	ErrInvalidRequest   = errorsmod.Register(Codespace, 15, "invalid request")
	ErrInvalidParams    = errorsmod.Register(Codespace, 16, "invalid params")
	ErrInvalidGenesis   = errorsmod.Register(Codespace, 17, "invalid genesis")
	ErrNoReport         = errorsmod.Register(Codespace, 18, "no report")
	ErrClientBound      = errorsmod.Register(Codespace, 19, "client already bound")
	ErrChannelBound     = errorsmod.Register(Codespace, 20, "subchain already has a status channel")
	ErrUnboundClient    = errorsmod.Register(Codespace, 21, "client is not bound to a registered subchain")
	ErrWrongChain       = errorsmod.Register(Codespace, 22, "packet speaks for another chain")
	ErrUnknownDispute   = errorsmod.Register(Codespace, 23, "unknown dispute")
	ErrOwnReport        = errorsmod.Register(Codespace, 24, "an org cannot dispute its own report")
	ErrWindowClosed     = errorsmod.Register(Codespace, 25, "dispute window closed")
	ErrTooManyDisputes  = errorsmod.Register(Codespace, 26, "too many open disputes")
	ErrDisputeClosed    = errorsmod.Register(Codespace, 27, "dispute is not open")
	ErrNotFiler         = errorsmod.Register(Codespace, 28, "not the admin or a monitoring account of the filing org")
	ErrSuspended        = errorsmod.Register(Codespace, 29, "organization's reporting is suspended on this subchain")
	ErrNotSuspended     = errorsmod.Register(Codespace, 30, "organization's reporting is not suspended")
	ErrImplausible      = errorsmod.Register(Codespace, 31, "implausible status")
	ErrUncheckable      = errorsmod.Register(Codespace, 32, "height the subchain keeps no snapshot of")
)
