package types

import (
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the reporter's messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil), &MsgUpdateParams{}, &MsgAddOrg{}, &MsgRemoveOrg{}, &MsgDisputeReport{}, &MsgBindMainClient{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// Service names, for autocli.
var (
	MsgServiceName   = _Msg_serviceDesc.ServiceName
	QueryServiceName = _Query_serviceDesc.ServiceName
)
