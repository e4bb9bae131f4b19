package collector

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

func pos(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// AutoCLIOptions describes the `tx statuscollect` and `query statuscollect`
// commands, generated from the proto services.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.QueryServiceName,
			// GetQueryCmd's commands come first; these are added to them.
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module params",
					Example: "mainchaind query statuscollect params"},
				{RpcMethod: "Subchain", Use: "subchain <chain-id>", Short: "Show a subchain, its liveness and how long until its next report is due",
					Example: "mainchaind query statuscollect subchain subchain-a", PositionalArgs: pos("chain_id")},
				{RpcMethod: "Subchains", Use: "subchains", Short: "List the registered subchains",
					Example: "mainchaind query statuscollect subchains --page-limit 20"},
				{RpcMethod: "Org", Use: "org <org-id>", Short: "Show an organization",
					Example: "mainchaind query statuscollect org org-a", PositionalArgs: pos("org_id")},
				{RpcMethod: "Orgs", Use: "orgs", Short: "List the organizations",
					Example: "mainchaind query statuscollect orgs"},
				{RpcMethod: "Members", Use: "members <chain-id>", Short: "List a subchain's member orgs and their monitoring accounts",
					Example: "mainchaind query statuscollect members subchain-a", PositionalArgs: pos("chain_id")},
				{RpcMethod: "LatestStatus", Use: "latest-status <chain-id>", Alias: []string{"status"}, Short: "Show a subchain's latest status report",
					Example: "mainchaind query statuscollect latest-status subchain-a", PositionalArgs: pos("chain_id")},
				{RpcMethod: "StatusHistory", Use: "status-history <chain-id>", Alias: []string{"history"}, Short: "Page through a subchain's status reports by sequence",
					Example: "mainchaind query statuscollect status-history subchain-a --page-limit 10 --page-reverse", PositionalArgs: pos("chain_id")},
				{RpcMethod: "StatusAtHeight", Use: "status-at-height <chain-id> <height>", Alias: []string{"status-at"}, Short: "Show the report in force at a subchain height",
					Example: "mainchaind query statuscollect status-at-height subchain-a 120", PositionalArgs: pos("chain_id", "height")},
				{RpcMethod: "ContractChanges", Use: "contract-changes <chain-id>", Short: "Page through the contracts a subchain's reports showed deployed or migrated",
					Example: "mainchaind query statuscollect contract-changes subchain-a --page-reverse", PositionalArgs: pos("chain_id")},
				{RpcMethod: "Dispute", Use: "dispute <id>", Short: "Show a dispute",
					Example: "mainchaind query statuscollect dispute 1", PositionalArgs: pos("dispute_id")},
				{RpcMethod: "Disputes", Use: "disputes <chain-id>", Short: "Page through a subchain's disputes (--status open|upheld|rejected|expired)",
					Example: "mainchaind query statuscollect disputes subchain-a --status open", PositionalArgs: pos("chain_id")},
				{RpcMethod: "Overview", Skip: true}, // client/cli: a table by default
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.MsgServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "UpdateParams", Skip: true}, // governance only: submit it in a proposal
				{RpcMethod: "RegisterSubchain", Use: "register-subchain <chain-id> <name> <kind> <report-interval>",
					Short:          "Register a subchain (authority or consortium admin); kind is file-storage, industry, cross-chain or other",
					Example:        "mainchaind tx statuscollect register-subchain subchain-a \"File storage\" file-storage 30s --from admin",
					PositionalArgs: pos("chain_id", "name", "kind", "report_interval")},
				{RpcMethod: "BindClient", Use: "bind-client <chain-id> <client-id>",
					Short:          "Bind the IBC client that tracks a subchain; only a channel over it may carry the subchain's reports",
					Example:        "mainchaind tx statuscollect bind-client subchain-a 07-tendermint-0 --from admin",
					PositionalArgs: pos("chain_id", "client_id")},
				{RpcMethod: "RetireSubchain", Use: "retire-subchain <chain-id>", Short: "Retire a subchain: its history stays, reports are refused (authority or consortium admin)",
					Example: "mainchaind tx statuscollect retire-subchain subchain-a --from admin", PositionalArgs: pos("chain_id")},
				{RpcMethod: "RegisterOrg", Use: "register-org <org-id> <name> <admin-address>", Short: "Register an organization (authority or consortium admin)",
					Example:        "mainchaind tx statuscollect register-org org-a \"Org A\" main1... --from admin",
					PositionalArgs: pos("org_id", "name", "admin")},
				{RpcMethod: "AddMember", Use: "add-member <chain-id> <org-id>", Short: "Make an org a participant of a subchain (authority or consortium admin)",
					Example: "mainchaind tx statuscollect add-member subchain-a org-a --from admin", PositionalArgs: pos("chain_id", "org_id")},
				{RpcMethod: "RemoveMember", Use: "remove-member <chain-id> <org-id>", Short: "Remove an org from a subchain, with its monitoring accounts (authority or consortium admin)",
					Example: "mainchaind tx statuscollect remove-member subchain-a org-a --from admin", PositionalArgs: pos("chain_id", "org_id")},
				{RpcMethod: "GrantReporter", Use: "grant-reporter <chain-id> <org-id> <account>", Short: "Let a monitoring account submit a subchain's status for your org (org admin)",
					Example:        "mainchaind tx statuscollect grant-reporter subchain-a org-a main1... --from org-a-admin",
					PositionalArgs: pos("chain_id", "org_id", "reporter")},
				{RpcMethod: "RevokeReporter", Use: "revoke-reporter <chain-id> <org-id> <account>", Short: "Take a monitoring account's rights away (org admin)",
					Example: "mainchaind tx statuscollect revoke-reporter subchain-a org-a main1... --from org-a-admin", PositionalArgs: pos("chain_id", "org_id", "reporter")},
				{RpcMethod: "SubmitStatus", Use: "submit-status <snapshot-json>", Short: "Submit a subchain status snapshot (monitoring account of a member org)",
					Long: "Submit a subchain status snapshot (monitoring account of a member org). When its orgs and validators are those of the " +
						"subchain's latest report, leave them out of the snapshot and pass --lists-hash with the lists_hash that latest-status " +
						"shows (hex or base64): the report is stored as if they had been sent, and refused if the latest report's lists changed meanwhile.",
					Example: `mainchaind tx statuscollect submit-status "$(cat snapshot.json)" --from monitor
mainchaind tx statuscollect submit-status "$(cat snapshot-without-lists.json)" --lists-hash "$(mainchaind q statuscollect latest-status subchain-a -o json | jq -r .lists_hash)" --from monitor`,
					PositionalArgs: pos("snapshot")},
				{RpcMethod: "FileDispute", Use: "file-dispute <chain-id> <org-id> <report-sequence> <field-json>...",
					Short:   "Dispute fields of a report, as the admin or a monitoring account of another member org (escrows the dispute deposit)",
					Example: `mainchaind tx statuscollect file-dispute subchain-a org-b 7 '{"field":"contract_count","reported":"9","observed":"3"}' --evidence "our node at height 1200" --from org-b-monitor`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "chain_id"}, {ProtoField: "org_id"},
						{ProtoField: "report_sequence"}, {ProtoField: "fields", Varargs: true}}},
				{RpcMethod: "ResolveDispute", Use: "resolve-dispute <id> <upheld> <reason>",
					Short:          "Uphold (true) or reject (false) an open dispute (authority, admin or arbiter)",
					Example:        `mainchaind tx statuscollect resolve-dispute 1 true "the subchain's state shows 3 contracts" --from admin`,
					PositionalArgs: pos("dispute_id", "upheld", "reason")},
				{RpcMethod: "RestoreReporting", Use: "restore-reporting <chain-id> <org-id>",
					Short:   "Lift an org's reporting suspension on a subchain (authority or admin)",
					Example: "mainchaind tx statuscollect restore-reporting subchain-a org-b --from admin", PositionalArgs: pos("chain_id", "org_id")},
			},
		},
	}
}
