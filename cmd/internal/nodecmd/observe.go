package nodecmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/statuscollect/statuscollect/daemon/chainview"
)

// observeCmd prints what an organization's own node says of its chain, as a
// status snapshot: the facts a report about that chain must agree with.
func observeCmd() *cobra.Command {
	var (
		endpoint, caFile, prefix string
		height                   int64
		orgs                     []string
	)
	cmd := &cobra.Command{
		Use:   "observe",
		Short: "Print a chain's status snapshot as read from one of its nodes over gRPC",
		Long: `Reads a Cosmos chain's state at one height through a node's gRPC endpoint and prints it as a
statuscollect status snapshot (JSON): chain id, block time, member orgs (from the statusreporter
sidecar, or --orgs on a chain without one), bonded validators, CosmWasm contract count and the node's
software version. Transaction counts and new contracts need a history and are left zero.`,
		Example: `subchaind observe --grpc 127.0.0.1:9190 --bech32-prefix sub
mainchaind observe --grpc 127.0.0.1:9190 --bech32-prefix sub --height 120`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			obs, err := chainview.Dial([]string{endpoint}, caFile, prefix)
			if err != nil {
				return fmt.Errorf("--grpc: %w", err)
			}
			defer obs.Close()
			if height == 0 {
				if height, err = obs.LatestHeight(cmd.Context()); err != nil {
					return err
				}
			}
			snap, err := obs.Observe(cmd.Context(), height, orgs)
			if err != nil {
				return err
			}
			bz, err := client.GetClientContextFromCmd(cmd).Codec.MarshalJSON(&snap)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), string(bz))
			return err
		},
	}
	cmd.Flags().StringVar(&endpoint, "grpc", "127.0.0.1:9090", "the observed node's gRPC endpoint: host:port (plaintext) or https://host[:port] (TLS)")
	cmd.Flags().StringVar(&caFile, "grpc-ca", "", "PEM file of the CAs that an https:// --grpc endpoint is verified against (default: the system's)")
	cmd.Flags().StringVar(&prefix, "bech32-prefix", "sub", "the observed chain's account address prefix")
	cmd.Flags().Int64Var(&height, "height", 0, "the height to read (default: the latest)")
	cmd.Flags().StringSliceVar(&orgs, "orgs", nil, "member orgs, for a chain that runs no statusreporter sidecar")
	return cmd
}
