// Package faultpoint lets a fault rehearsal stop a daemon at a chosen point
// of its work, so that a scenario can kill it exactly there: after it signed
// a transaction but before broadcasting it, or after broadcasting but before
// it saw the transaction in a block. Timing a kill from outside cannot hit
// windows that short on purpose.
//
// A release build has no fault points: Hold does nothing unless the binary
// was linked with Enabled set (make build-faults: -X .../faultpoint.Enabled=yes),
// so no environment can make a production daemon wait.
package faultpoint

import (
	"context"
	"fmt"
	"os"
)

// Enabled is set at link time by the rehearsal build only.
var Enabled string

const (
	// EnvHold names the point to hold at.
	EnvHold = "STATUSCOLLECT_FAULT_HOLD"
	// EnvFile is the file Hold writes when it holds, for the scenario to wait on.
	EnvFile = "STATUSCOLLECT_FAULT_HOLD_FILE"
)

// Points a daemon passes through.
const (
	// Signed: a transaction is signed and encoded, not broadcast.
	Signed = "signed"
	// Broadcast: the node took the transaction; no block is known to include it.
	Broadcast = "broadcast"
)

// Hold blocks until ctx ends when this is a rehearsal build and EnvHold
// names point, and then returns ctx's error, so the caller goes no further.
// Before blocking it writes "point detail" to EnvFile, so the scenario knows
// the daemon is there and what it holds (a tx hash). Otherwise it returns
// nil at once.
func Hold(ctx context.Context, point, detail string) error {
	if Enabled == "" || os.Getenv(EnvHold) != point {
		return nil
	}
	if path := os.Getenv(EnvFile); path != "" {
		// A failed write only leaves the scenario waiting; nothing to recover here.
		_ = os.WriteFile(path, []byte(point+" "+detail+"\n"), 0o600)
	}
	fmt.Fprintf(os.Stderr, "fault point %s reached (%s): holding until stopped\n", point, detail)
	<-ctx.Done()
	return ctx.Err()
}
