package keeper

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	collcodec "cosmossdk.io/collections/codec"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// changeCodec is how ContractChanges holds a change: as its proto encoding,
// but with a canonical bech32 contract address as its human-readable part
// and its bytes (address_prefix, address_data) instead of its characters.
// A new contract's change is written with every report that shows it, at 30
// gas a byte: a 65-character address costs 25 bytes more than its parts.
// An address that does not read back exactly (upper case, not bech32) is
// kept as it came. Decode puts the address back, so every reader of the
// collection sees the contract as it was reported.
type changeCodec struct {
	collcodec.ValueCodec[types.StoredContractChange]
}

func newChangeCodec(cdc codec.BinaryCodec) changeCodec {
	return changeCodec{codec.CollValue[types.StoredContractChange](cdc)}
}

func (c changeCodec) Encode(v types.StoredContractChange) ([]byte, error) {
	if prefix, data, err := bech32.DecodeAndConvert(v.Contract.Address); err == nil {
		if again, err := bech32.ConvertAndEncode(prefix, data); err == nil && again == v.Contract.Address {
			v.AddressPrefix, v.AddressData, v.Contract.Address = prefix, data, ""
		}
	}
	return c.ValueCodec.Encode(v)
}

func (c changeCodec) Decode(b []byte) (types.StoredContractChange, error) {
	v, err := c.ValueCodec.Decode(b)
	// The prefix marks a compacted address, not the bytes: bech32 with no
	// data ("a12uel5l") is canonical too, and keyed off its bytes it would
	// read back empty, so the same contract shown again would be a new change.
	if err != nil || v.AddressPrefix == "" {
		return v, err
	}
	if v.Contract.Address, err = bech32.ConvertAndEncode(v.AddressPrefix, v.AddressData); err != nil {
		return v, err
	}
	v.AddressPrefix, v.AddressData = "", nil
	return v, nil
}
