package generate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cosmos/go-bip39"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/types/bech32"
)

// keyStore keeps the network's mnemonics in <out>/keys/<chain-id>/<name>.mnemonic
// (mode 0600), so generating again gives the same addresses. It is the
// generator's secret: it never goes to a host; each host gets a keyring
// with only the keys it owns.
type keyStore struct {
	dir string
	cdc codec.Codec
}

func newKeyStore(dir string) *keyStore {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	return &keyStore{dir: dir, cdc: codec.NewProtoCodec(reg)}
}

// mnemonic returns the mnemonic of key name on chain, made the first time.
func (k *keyStore) mnemonic(chainID, name string) (string, error) {
	path := filepath.Join(k.dir, chainID, name+".mnemonic")
	if b, err := os.ReadFile(path); err == nil {
		m := strings.TrimSpace(string(b))
		if !bip39.IsMnemonicValid(m) {
			return "", fmt.Errorf("%s does not hold a valid mnemonic", path)
		}
		return m, nil
	} else if !os.IsNotExist(err) {
		return "", err
	}
	entropy, err := bip39.NewEntropy(256)
	if err != nil {
		return "", err
	}
	m, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	return m, os.WriteFile(path, []byte(m+"\n"), 0o600)
}

// add puts key name of chain into the test keyring under home
// (<home>/keyring-test, where the chain binaries' --keyring-backend test
// looks) and returns its address with prefix; it also records the address
// next to the mnemonic.
func (k *keyStore) add(home, chainID, name, prefix string) (string, error) {
	m, err := k.mnemonic(chainID, name)
	if err != nil {
		return "", err
	}
	kr, err := keyring.New("statuscollect", keyring.BackendTest, home, nil, k.cdc)
	if err != nil {
		return "", err
	}
	rec, err := kr.Key(name)
	if err != nil {
		// The chains use the Cosmos coin type, 118, and the first account.
		rec, err = kr.NewAccount(name, m, "", hd.CreateHDPath(118, 0, 0).String(), hd.Secp256k1)
		if err != nil {
			return "", fmt.Errorf("key %s of %s: %w", name, chainID, err)
		}
	}
	bz, err := rec.GetAddress()
	if err != nil {
		return "", err
	}
	addr, err := bech32.ConvertAndEncode(prefix, bz)
	if err != nil {
		return "", err
	}
	return addr, os.WriteFile(filepath.Join(k.dir, chainID, name+".address"), []byte(addr+"\n"), 0o644)
}

// address returns key name's address without putting it in any keyring
// (a keyring in a scratch folder, removed again).
func (k *keyStore) address(chainID, name, prefix string) (string, error) {
	tmp, err := os.MkdirTemp("", "statusnet-key")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	return k.add(tmp, chainID, name, prefix)
}
