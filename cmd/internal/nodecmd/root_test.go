package nodecmd_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/cmd/internal/nodecmd"
)

// The bech32 prefixes are process-wide, so each profile's command line is
// built in a child process running this test binary.
const profileEnv = "NODECMD_TEST_PROFILE"

func TestMain(m *testing.M) {
	switch os.Getenv(profileEnv) {
	case "":
		os.Exit(m.Run())
	case "main":
		runChild(app.MainChain)
	case "sub":
		runChild(app.SubChain)
	}
}

// runChild runs the binary's main with the arguments in the last argument.
func runChild(p app.Profile) {
	os.Args = append([]string{p.AppName}, strings.Fields(os.Args[len(os.Args)-1])...)
	nodecmd.Execute(p)
	os.Exit(0)
}

func run(t *testing.T, profile, args string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", args)
	cmd.Env = append(os.Environ(), profileEnv+"="+profile, "HOME="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), out.String())
	return out.String()
}

// TestCommandLines builds both binaries' command lines (autocli included,
// whose flag clashes only show at start-up) and checks what tells the two
// chain kinds apart.
func TestCommandLines(t *testing.T) {
	mainHelp := run(t, "main", "tx statuscollect --help")
	require.Contains(t, mainHelp, "submit-status")
	require.Contains(t, mainHelp, "bind-client")
	require.Contains(t, mainHelp, "file-dispute")
	require.Contains(t, run(t, "main", "query statuscollect --help"), "overview")

	subHelp := run(t, "sub", "tx --help")
	require.Contains(t, subHelp, "wasm")
	require.Contains(t, subHelp, "statusreporter")

	// Building a tx with a Duration argument exercises the descriptors autocli
	// resolves (gogoproto's own ones made this panic).
	home := t.TempDir()
	run(t, "main", "keys add admin --keyring-backend test --home "+home)
	tx := run(t, "main", "tx statuscollect register-subchain subchain-x X industry 30s --from admin --keyring-backend test --home "+home+
		" --generate-only --chain-id mainchain-1 --output json")
	require.Contains(t, tx, `"report_interval":"30s"`)
	require.Contains(t, tx, `"kind":"SUBCHAIN_KIND_INDUSTRY"`)

	for profile, want := range map[string]string{"main": "main1", "sub": "sub1"} {
		home := t.TempDir()
		out := run(t, profile, "keys add k --keyring-backend test --output json --home "+home)
		require.Contains(t, out, `"address":"`+want, profile)
	}
}

// runFails runs a command line that must fail and returns its output.
func runFails(t *testing.T, profile, args string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", args)
	cmd.Env = append(os.Environ(), profileEnv+"="+profile, "HOME="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.Error(t, cmd.Run(), out.String())
	return out.String()
}

// The daemons refuse what they cannot work with before reaching any node,
// with the error alone (no usage to bury it).
func TestDaemonsRefuseFlagsTheyCannotWorkWith(t *testing.T) {
	home := t.TempDir()
	run(t, "main", "keys add monitor --keyring-backend test --home "+home)
	base := " --from monitor --keyring-backend test --chain-id mainchain-1 --home " + home
	out := runFails(t, "main", "reporter start --generate-only"+base)
	require.Contains(t, out, "--generate-only: a daemon broadcasts its transactions; it cannot only print them")
	require.NotContains(t, out, "Usage:")
	require.Contains(t, runFails(t, "main", "reporter start --dry-run"+base),
		"--dry-run: a daemon broadcasts its transactions; it cannot only simulate them")
	require.Contains(t, runFails(t, "main", "watcher start --org-id org-a --subchain-id subchain-a --broadcast-mode async"+base),
		"--broadcast-mode async: a daemon checks the node's answer to each transaction; use sync")
	require.Contains(t, runFails(t, "main", "reporter start --sub-grpc 127.0.0.1:9190 --sub-grpc-ca "+home+"/ca.pem"+base),
		"--sub-grpc: CA file "+home+"/ca.pem given, but none of [127.0.0.1:9190] is an https:// endpoint")

	subHome := t.TempDir()
	run(t, "sub", "keys add validator --keyring-backend test --home "+subHome)
	require.Contains(t, runFails(t, "sub", "watcher start --main-grpc tcp://127.0.0.1:9090 --from validator --keyring-backend test "+
		"--chain-id subchain-a --home "+subHome),
		"scheme tcp: want host:port, http://host:port or https://host[:port]")
}
