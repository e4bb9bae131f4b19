package types

import (
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the collector's messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgUpdateParams{},
		&MsgRegisterSubchain{},
		&MsgBindClient{},
		&MsgRetireSubchain{},
		&MsgRegisterOrg{},
		&MsgAddMember{},
		&MsgRemoveMember{},
		&MsgGrantReporter{},
		&MsgRevokeReporter{},
		&MsgSubmitStatus{},
		&MsgFileDispute{},
		&MsgResolveDispute{},
		&MsgRestoreReporting{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// Service names, for autocli.
var (
	MsgServiceName   = _Msg_serviceDesc.ServiceName
	QueryServiceName = _Query_serviceDesc.ServiceName
)
