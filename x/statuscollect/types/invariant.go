package types

import "context"

// Invariant is a named property of a module's whole state. Invariants read
// every entry of what they check, so they are for tests: the in-process IBC
// tests and the simulation run them after every step, never a block.
type Invariant struct {
	Name  string
	Check func(ctx context.Context) error
}
