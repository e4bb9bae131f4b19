// Package clitest checks a module's command-line description: every query
// and tx of its services has a command, and every command a short help and a
// copy-pasteable example, with nothing in them that only the developers know.
package clitest

import (
	"regexp"
	"testing"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// internalRef matches what a user cannot look up: requirement codes (S1-S12)
// and paths outside the repository.
var internalRef = regexp.MustCompile(`\bS[0-9]{1,2}\b|\.\./`)

// CheckCommands fails unless every method of opts' query and tx services has
// a command (or is skipped on purpose), and every command has a Use, a Short
// help and an Example that starts with binary.
func CheckCommands(t *testing.T, opts *autocliv1.ModuleOptions, binary string) {
	t.Helper()
	for _, svc := range []*autocliv1.ServiceCommandDescriptor{opts.Query, opts.Tx} {
		d, err := gogoproto.HybridResolver.FindDescriptorByName(protoreflect.FullName(svc.Service))
		require.NoError(t, err, svc.Service)
		methods := d.(protoreflect.ServiceDescriptor).Methods()
		described := map[string]*autocliv1.RpcCommandOptions{}
		for _, o := range svc.RpcCommandOptions {
			described[o.RpcMethod] = o
		}
		for i := range methods.Len() {
			name := string(methods.Get(i).Name())
			o, ok := described[name]
			require.True(t, ok, "%s.%s has no command", svc.Service, name)
			if o.Skip {
				continue
			}
			require.NotEmpty(t, o.Use, "%s: Use", name)
			require.NotEmpty(t, o.Short, "%s: Short", name)
			require.Regexp(t, "^"+regexp.QuoteMeta(binary)+" ", o.Example, "%s: an example that runs %s", name, binary)
			for _, text := range []string{o.Use, o.Short, o.Long, o.Example} {
				require.NotRegexp(t, internalRef, text, "%s: help refers to something users do not have", name)
			}
		}
		require.Len(t, described, methods.Len(), "%s: a command for a method the service does not have", svc.Service)
	}
}
