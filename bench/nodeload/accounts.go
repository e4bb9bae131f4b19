package main

import (
	"encoding/hex"
	"fmt"
	"os"

	"cosmossdk.io/log"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/statuscollect/statuscollect/app"
)

// encoding is what signing and decoding the load's txs need: the codecs of
// a throwaway main-chain app, as mainchaind's own CLI makes them.
type encoding struct {
	registry codectypes.InterfaceRegistry
	cdc      codec.Codec
	txConfig client.TxConfig
}

func newEncoding() (encoding, error) {
	dir, err := os.MkdirTemp("", "nodeload")
	if err != nil {
		return encoding{}, err
	}
	defer os.RemoveAll(dir)
	a := app.New(app.MainChain, log.NewNopLogger(), dbm.NewMemDB(), nil, false, simtestutil.NewAppOptionsWithFlagHome(dir))
	return encoding{registry: a.InterfaceRegistry(), cdc: a.AppCodec(), txConfig: a.TxConfig()}, nil
}

// loadKey is load account i's private key: derived from its index, so the
// genesis written by `nodeload genesis` and the signer of `nodeload run`
// agree without a key file.
func loadKey(i int) *secp256k1.PrivKey {
	return secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("statuscollect nodeload account %d", i)))
}

func loadAddr(i int) sdk.AccAddress { return sdk.AccAddress(loadKey(i).PubKey().Address()) }

// loadName is load account i's key name in the in-memory keyring.
func loadName(i int) string { return fmt.Sprintf("load-%03d", i) }

// loadChain is load subchain i. Figure 3's load account i reports on
// subchain i only, so its reports' heights only have to grow with its own
// sequence; figure 8's (scale) reports on i, i+n, i+2n... in turn.
func loadChain(i int) string { return fmt.Sprintf("load-%03d", i) }

// loadOrg is the org load account i is a monitoring account of.
func loadOrg(i int) string { return fmt.Sprintf("load-org-%d", i%4) }

// keyringOf imports n load accounts' keys into an in-memory keyring, for the
// tx factory.
func keyringOf(enc encoding, n int) (keyring.Keyring, error) {
	kr := keyring.NewInMemory(enc.cdc)
	for i := 0; i < n; i++ {
		if err := kr.ImportPrivKeyHex(loadName(i), hex.EncodeToString(loadKey(i).Bytes()), string(hd.Secp256k1Type)); err != nil {
			return nil, err
		}
	}
	return kr, nil
}
