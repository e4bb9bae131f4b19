package reporter

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

// AutoCLIOptions describes `tx statusreporter` and `query statusreporter`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.QueryServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the reporter params",
					Example: "subchaind query statusreporter params"},
				{RpcMethod: "Orgs", Use: "orgs", Short: "List this subchain's participant organizations",
					Example: "subchaind query statusreporter orgs"},
				{RpcMethod: "Link", Use: "link", Short: "Show the status channel: the pinned client of the main chain, reports sent, acknowledged, in flight, pending contracts",
					Example: "subchaind query statusreporter link -o json"},
				{RpcMethod: "Snapshot", Use: "snapshot [height]", Short: "Show the snapshot taken at a height (default: the latest)",
					Example:        "subchaind query statusreporter snapshot 120",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "height", Optional: true}}},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.MsgServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
				{RpcMethod: "AddOrg", Use: "add-org <org-id>", Short: "Record a participant organization of this subchain (authority or admin)",
					Example:        "subchaind tx statusreporter add-org org-a --from admin",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "org_id"}}},
				{RpcMethod: "DisputeReport", Use: "dispute-report <main-sequence> <reported-snapshot-json>",
					Short:          "Check a main-chain report about this subchain against its own snapshot and send the evidence if they differ (validator operator or admin)",
					Example:        `subchaind tx statusreporter dispute-report 7 "$(mainchaind q statuscollect history subchain-a -o json | jq '.reports[6].snapshot')" --from validator`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "main_sequence"}, {ProtoField: "reported"}}},
				{RpcMethod: "BindMainClient", Use: "bind-main-client <client-id>",
					Short: "Pin this subchain's IBC client of the main chain; the status channel opens only over it (authority or admin)",
					Long: "Pin this subchain's IBC client of the main chain. The status channel opens only over a connection on the " +
						"pinned client: bind it after the relayer created the clients and before the channel opens. Binding another " +
						"client later re-points the sidecar (a new client, or recovery after the old one expired): a status channel " +
						"over the old client is unbound, and this end of it closed when the old client is still active, so the " +
						"relayer can close the main chain's end and a channel over the new client can open.",
					Example:        "subchaind tx statusreporter bind-main-client 07-tendermint-0 --from admin",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "client_id"}}},
				{RpcMethod: "RemoveOrg", Use: "remove-org <org-id>", Short: "Remove a participant organization (authority or admin)",
					Example:        "subchaind tx statusreporter remove-org org-a --from admin",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "org_id"}}},
			},
		},
	}
}
