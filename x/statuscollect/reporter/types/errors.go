package types

import (
	"google.golang.org/grpc/codes"

	errorsmod "cosmossdk.io/errors"
)

// Codespace of the reporter's errors; codes are frozen once released.
const Codespace = ModuleName

var (
	ErrUnauthorized    = errorsmod.RegisterWithGRPCCode(Codespace, 2, codes.PermissionDenied, "not the authority")
	ErrInvalidParams   = errorsmod.Register(Codespace, 3, "invalid params")
	ErrOrgExists       = errorsmod.Register(Codespace, 4, "organization already registered")
	ErrUnknownOrg      = errorsmod.Register(Codespace, 5, "unknown organization")
	ErrTooManyOrgs     = errorsmod.Register(Codespace, 6, "too many organizations")
	ErrChannelBound    = errorsmod.Register(Codespace, 7, "a status channel is already open")
	ErrNoSnapshot      = errorsmod.RegisterWithGRPCCode(Codespace, 8, codes.NotFound, "no snapshot at that height")
	ErrInvalidAck      = errorsmod.Register(Codespace, 9, "invalid acknowledgement")
	ErrNotValidator    = errorsmod.Register(Codespace, 10, "not a bonded validator's operator or the admin")
	ErrReportMatches   = errorsmod.Register(Codespace, 11, "the report agrees with this subchain's own snapshot")
	ErrAlreadyDisputed = errorsmod.Register(Codespace, 12, "evidence for this report was already sent")
	ErrNoChannel       = errorsmod.Register(Codespace, 13, "no status channel is open")
	ErrWrongChain      = errorsmod.Register(Codespace, 14, "the report is about another chain")
	ErrNoMainClient    = errorsmod.Register(Codespace, 15, "no client of the main chain is pinned")
	ErrWrongClient     = errorsmod.Register(Codespace, 16, "the channel's connection is not over the pinned client of the main chain")
	ErrInvalidClient   = errorsmod.Register(Codespace, 17, "invalid client of the main chain")
	ErrInvalidGenesis  = errorsmod.Register(Codespace, 18, "invalid genesis")
)
