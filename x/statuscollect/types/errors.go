package types

import errorsmod "cosmossdk.io/errors"

// Codespace of the shared protocol errors. The collector and the reporter
// register their own codespaces; these codes are frozen once released, since
// error acknowledgements carry them into state.
const Codespace = "statuscollect-shared"

var (
	ErrInvalidSnapshot = errorsmod.Register(Codespace, 2, "invalid status snapshot")
	ErrTooLarge        = errorsmod.Register(Codespace, 3, "data over its size limit")
	ErrInvalidID       = errorsmod.Register(Codespace, 4, "invalid identifier")
	ErrInvalidPacket   = errorsmod.Register(Codespace, 5, "invalid status channel packet")
	ErrInvalidChannel  = errorsmod.Register(Codespace, 6, "invalid status channel")
)
