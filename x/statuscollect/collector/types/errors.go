package types

import (
	"google.golang.org/grpc/codes"

	errorsmod "cosmossdk.io/errors"
)

// Codespace of the collector's errors. Codes are frozen once released: an
// error acknowledgement carries the code into the counterparty's state. Errors
// a query can return carry their gRPC code (NotFound, InvalidArgument, ...),
// which the REST gateway turns into the HTTP status (404, 400, ...).
const Codespace = ModuleName

var (
	ErrUnauthorized     = errorsmod.RegisterWithGRPCCode(Codespace, 2, codes.PermissionDenied, "not the authority")
	ErrUnknownSubchain  = errorsmod.RegisterWithGRPCCode(Codespace, 3, codes.NotFound, "unknown subchain")
	ErrSubchainExists   = errorsmod.RegisterWithGRPCCode(Codespace, 4, codes.AlreadyExists, "subchain already registered")
	ErrSubchainRetired  = errorsmod.Register(Codespace, 5, "subchain is retired")
	ErrUnknownOrg       = errorsmod.RegisterWithGRPCCode(Codespace, 6, codes.NotFound, "unknown organization")
	ErrOrgExists        = errorsmod.RegisterWithGRPCCode(Codespace, 7, codes.AlreadyExists, "organization already registered")
	ErrNotMember        = errorsmod.RegisterWithGRPCCode(Codespace, 8, codes.NotFound, "organization is not a member of the subchain")
	ErrAlreadyMember    = errorsmod.RegisterWithGRPCCode(Codespace, 9, codes.AlreadyExists, "organization is already a member of the subchain")
	ErrNotOrgAdmin      = errorsmod.RegisterWithGRPCCode(Codespace, 10, codes.PermissionDenied, "not the organization's admin")
	ErrNotReporter      = errorsmod.RegisterWithGRPCCode(Codespace, 11, codes.PermissionDenied, "not a monitoring account of a member organization of the subchain")
	ErrReporterExists   = errorsmod.RegisterWithGRPCCode(Codespace, 12, codes.AlreadyExists, "account already reports for this subchain")
	ErrTooManyReporters = errorsmod.Register(Codespace, 13, "too many monitoring accounts")
	ErrOutdatedReport   = errorsmod.Register(Codespace, 14, "report height not above the latest report")
	ErrInvalidRequest   = errorsmod.RegisterWithGRPCCode(Codespace, 15, codes.InvalidArgument, "invalid request")
	ErrInvalidParams    = errorsmod.RegisterWithGRPCCode(Codespace, 16, codes.InvalidArgument, "invalid params")
	ErrInvalidGenesis   = errorsmod.RegisterWithGRPCCode(Codespace, 17, codes.InvalidArgument, "invalid genesis")
	ErrNoReport         = errorsmod.RegisterWithGRPCCode(Codespace, 18, codes.NotFound, "no report")
	ErrClientBound      = errorsmod.Register(Codespace, 19, "client already bound")
	ErrChannelBound     = errorsmod.Register(Codespace, 20, "subchain already has a status channel")
	ErrUnboundClient    = errorsmod.Register(Codespace, 21, "client is not bound to a registered subchain")
	ErrWrongChain       = errorsmod.Register(Codespace, 22, "packet speaks for another chain")
	ErrUnknownDispute   = errorsmod.RegisterWithGRPCCode(Codespace, 23, codes.NotFound, "unknown dispute")
	ErrOwnReport        = errorsmod.Register(Codespace, 24, "an org cannot dispute its own report")
	ErrWindowClosed     = errorsmod.Register(Codespace, 25, "dispute window closed")
	ErrTooManyDisputes  = errorsmod.Register(Codespace, 26, "too many open disputes")
	ErrDisputeClosed    = errorsmod.Register(Codespace, 27, "dispute is not open")
	ErrNotFiler         = errorsmod.RegisterWithGRPCCode(Codespace, 28, codes.PermissionDenied, "not the admin or a monitoring account of the filing org")
	ErrSuspended        = errorsmod.RegisterWithGRPCCode(Codespace, 29, codes.PermissionDenied, "organization's reporting is suspended on this subchain")
	ErrNotSuspended     = errorsmod.Register(Codespace, 30, "organization's reporting is not suspended")
	ErrImplausible      = errorsmod.Register(Codespace, 31, "implausible status")
	ErrUncheckable      = errorsmod.Register(Codespace, 32, "height the subchain keeps no snapshot of")
	ErrAlreadyProven    = errorsmod.Register(Codespace, 33, "report already proven wrong by an upheld dispute")
	ErrListsChanged     = errorsmod.RegisterWithGRPCCode(Codespace, 34, codes.FailedPrecondition, "lists hash is not that of the latest report's orgs and validators")
)
