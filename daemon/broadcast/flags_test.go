package broadcast

import (
	"context"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
)

// daemonCtx reads a daemon command's tx flags from args as the commands do,
// with a keyring holding a local key "signer" and an offline key "watch-only".
func daemonCtx(t *testing.T, args ...string) (client.Context, *cobra.Command) {
	t.Helper()
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	kr := keyring.NewInMemory(cdc)
	_, _, err := kr.NewMnemonic("signer", keyring.English, "", "", hd.Secp256k1)
	require.NoError(t, err)
	_, err = kr.SaveOfflineKey("watch-only", secp256k1.GenPrivKey().PubKey())
	require.NoError(t, err)

	cmd := &cobra.Command{Use: "start", RunE: func(*cobra.Command, []string) error { return nil }}
	cmd.SetContext(context.Background())
	flags.AddTxFlagsToCmd(cmd)
	require.NoError(t, cmd.ParseFlags(args))
	clientCtx := client.Context{}.WithCodec(cdc).WithInterfaceRegistry(reg).WithKeyring(kr).
		WithTxConfig(authtx.NewTxConfig(cdc, authtx.DefaultSignModes)).WithBroadcastMode(flags.BroadcastSync)
	require.NoError(t, client.SetCmdClientContext(cmd, clientCtx))
	return clientCtx, cmd
}

// check is what a daemon command does with its flags: CheckTxFlags, then
// the client context from them, then New.
func check(clientCtx client.Context, cmd *cobra.Command) error {
	if err := CheckTxFlags(clientCtx, cmd.Flags()); err != nil {
		return err
	}
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	_, err = New(clientCtx, cmd.Flags())
	return err
}

func TestCheckTxFlagsRefusesWhatADaemonCannotDo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" when the flags are fine
	}{
		{[]string{"--from", "signer"}, ""},
		{[]string{"--from", "signer", "--gas", "auto", "--gas-adjustment", "1.5", "--fees", "10stake", "--note", "reporter"}, ""},
		{[]string{"--from", "signer", "--sign-mode", "amino-json"}, ""},
		{[]string{"--from", "signer", "--broadcast-mode", "sync"}, ""},
		{[]string{"--from", "signer", "--generate-only"}, "--generate-only: a daemon broadcasts"},
		{[]string{"--from", "signer", "--offline", "--sequence", "3", "--account-number", "1"}, "--offline: "},
		{[]string{"--from", "signer", "--dry-run"}, "--dry-run: a daemon broadcasts its transactions; it cannot only simulate"},
		{[]string{"--from", "signer", "--aux"}, "--aux: "},
		{[]string{"--from", "signer", "--broadcast-mode", "async"}, "--broadcast-mode async: a daemon checks"},
		{[]string{"--from", "signer", "--sequence", "4"}, "--sequence: a daemon sends many transactions"},
		{[]string{"--from", "signer", "--account-number", "9"}, "--account-number: "},
		{[]string{"--from", "signer", "--timeout-height", "100"}, "--timeout-height: "},
		{[]string{"--from", "signer", "--sign-mode", "direct-aux"}, "--sign-mode direct-aux: an aux signature cannot pay the fee"},
		{[]string{"--from", "signer", "--sign-mode", "textual"}, "--sign-mode textual: this chain's transactions cannot be signed in that mode"},
		{[]string{"--from", "signer", "--sign-mode", "drect"}, "--sign-mode drect: no such sign mode"},
		{[]string{"--from", "watch-only"}, "--from watch-only: the keyring holds no private key for it (it is a key of type offline)"},
		{[]string{}, "--from: a daemon needs a key to sign with"},
	} {
		err := check(daemonCtx(t, tc.args...))
		if tc.want == "" {
			require.NoError(t, err, tc.args)
			continue
		}
		require.ErrorContains(t, err, tc.want, tc.args)
	}

	// client.toml's broadcast mode counts too, unless the flag overrides it.
	clientCtx, cmd := daemonCtx(t, "--from", "signer")
	require.ErrorContains(t, check(clientCtx.WithBroadcastMode(flags.BroadcastAsync), cmd), "--broadcast-mode async")
	clientCtx, cmd = daemonCtx(t, "--from", "signer", "--broadcast-mode", "sync")
	require.NoError(t, check(clientCtx.WithBroadcastMode(flags.BroadcastAsync), cmd))
}
