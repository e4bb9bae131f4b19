package broadcast

import (
	"fmt"
	"slices"

	"github.com/spf13/pflag"

	signingv1beta1 "cosmossdk.io/api/cosmos/tx/signing/v1beta1"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
)

// signModes maps --sign-mode's values to the modes they select.
var signModes = map[string]signingv1beta1.SignMode{
	flags.SignModeDirect:          signingv1beta1.SignMode_SIGN_MODE_DIRECT,
	flags.SignModeLegacyAminoJSON: signingv1beta1.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
	flags.SignModeDirectAux:       signingv1beta1.SignMode_SIGN_MODE_DIRECT_AUX,
	flags.SignModeTextual:         signingv1beta1.SignMode_SIGN_MODE_TEXTUAL,
	flags.SignModeEIP191:          signingv1beta1.SignMode_SIGN_MODE_EIP_191,
}

// CheckTxFlags refuses the transaction flags that cannot work in a daemon,
// which signs and broadcasts unattended, transaction after transaction, and
// waits for each one's result: rather than start and fail (or hang) at the
// first transaction, it says which flag is wrong and why. It reads the flags
// themselves, so call it before client.GetClientTxContext, which trips over
// some of them (--dry-run takes --from as an address) with a vaguer error;
// clientCtx gives what client.toml sets (the broadcast mode) and the chain's
// sign modes.
func CheckTxFlags(clientCtx client.Context, flagSet *pflag.FlagSet) error {
	for _, f := range []struct{ name, why string }{
		{flags.FlagGenerateOnly, "a daemon broadcasts its transactions; it cannot only print them"},
		{flags.FlagOffline, "a daemon reads and broadcasts to its node; it cannot run offline"},
		{flags.FlagDryRun, "a daemon broadcasts its transactions; it cannot only simulate them"},
		{flags.FlagAux, "a daemon broadcasts its own transactions; aux signer data cannot be broadcast"},
	} {
		if on, _ := flagSet.GetBool(f.name); on {
			return fmt.Errorf("--%s: %s", f.name, f.why)
		}
	}
	// A fixed sequence, account number or timeout height would hold for the
	// first transaction at most: a daemon reads the account afresh each time.
	for _, name := range []string{flags.FlagSequence, flags.FlagAccountNumber, flags.FlagTimeoutHeight} {
		if f := flagSet.Lookup(name); f != nil && f.Changed {
			return fmt.Errorf("--%s: a daemon sends many transactions and fills it in for each; leave it out", name)
		}
	}
	broadcastMode := clientCtx.BroadcastMode
	if f := flagSet.Lookup(flags.FlagBroadcastMode); f != nil && (f.Changed || broadcastMode == "") {
		broadcastMode = f.Value.String()
	}
	if broadcastMode != flags.BroadcastSync {
		return fmt.Errorf("--%s %s: a daemon checks the node's answer to each transaction; use %s",
			flags.FlagBroadcastMode, broadcastMode, flags.BroadcastSync)
	}
	if s, _ := flagSet.GetString(flags.FlagSignMode); s != "" {
		mode, ok := signModes[s]
		switch {
		case !ok:
			return fmt.Errorf("--%s %s: no such sign mode (direct, amino-json, textual, eip-191)", flags.FlagSignMode, s)
		case mode == signingv1beta1.SignMode_SIGN_MODE_DIRECT_AUX:
			return fmt.Errorf("--%s %s: an aux signature cannot pay the fee, so the transaction cannot be broadcast alone; use direct",
				flags.FlagSignMode, s)
		case !slices.Contains(clientCtx.TxConfig.SignModeHandler().SupportedModes(), mode):
			return fmt.Errorf("--%s %s: this chain's transactions cannot be signed in that mode", flags.FlagSignMode, s)
		}
	}
	return nil
}

// checkKey refuses a --from key the daemon cannot sign with alone.
func checkKey(clientCtx client.Context) error {
	if clientCtx.Keyring == nil || clientCtx.FromName == "" {
		return fmt.Errorf("--%s: a daemon needs a key to sign with", flags.FlagFrom)
	}
	key, err := clientCtx.Keyring.Key(clientCtx.FromName)
	if err != nil {
		return fmt.Errorf("--%s %s: %w", flags.FlagFrom, clientCtx.FromName, err)
	}
	switch key.GetType() {
	case keyring.TypeLocal:
		return nil
	case keyring.TypeLedger:
		return fmt.Errorf("--%s %s: the key is on a Ledger, which asks a person to confirm every transaction; a daemon needs a key it can sign with alone",
			flags.FlagFrom, clientCtx.FromName)
	default:
		return fmt.Errorf("--%s %s: the keyring holds no private key for it (it is a key of type %s); a daemon needs one to sign",
			flags.FlagFrom, clientCtx.FromName, key.GetType())
	}
}
