// Package cli holds the collector's hand-written commands; the others are
// generated from the proto services (autocli.go).
package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// QueryCmd is `query statuscollect`: the overview here, every other query
// added from the proto service.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Query the main chain's record of its subchains: health, reports, history, disputes",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(OverviewCmd())
	return cmd
}

// OverviewCmd prints every subchain's health as a table (or JSON).
func OverviewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "overview",
		Short: "Every subchain's health: liveness, countdown to its deadline, headline figures (a table; -o json for JSON)",
		Example: `mainchaind query statuscollect overview
mainchaind query statuscollect overview -o json --page-limit 20`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			page, err := client.ReadPageRequest(cmd.Flags())
			if err != nil {
				return err
			}
			res, err := types.NewQueryClient(clientCtx).Overview(cmd.Context(), &types.QueryOverviewRequest{Pagination: page})
			if err != nil {
				return err
			}
			switch clientCtx.OutputFormat {
			case flags.OutputFormatJSON:
				return clientCtx.PrintProto(res)
			case flags.OutputFormatText, "table", "":
				return WriteOverview(cmd.OutOrStdout(), res)
			default:
				return fmt.Errorf("unknown output format %q: use text (a table) or json", clientCtx.OutputFormat)
			}
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	flags.AddPaginationFlagsToCmd(cmd, "overview")
	return cmd
}

// WriteOverview writes the overview as a table a person reads: times as ages
// on the main chain's clock, "never" for a subchain that never reported.
func WriteOverview(w io.Writer, res *types.QueryOverviewResponse) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHAIN ID\tLIVENESS\tDUE IN\tHEIGHT\tTPS\tORGS\tNODES\tCONTRACTS\tLAST REPORT\tLINK")
	for _, h := range res.Subchains {
		s := h.Subchain
		last, due := "never", Age(time.Duration(h.SecondsUntilDue)*time.Second)
		if s.LastSequence > 0 {
			last = Age(h.AsOf.Sub(s.LastReportTime)) + " ago"
		}
		if h.SecondsUntilDue < 0 {
			due = "overdue " + Age(-time.Duration(h.SecondsUntilDue)*time.Second)
		}
		if s.Liveness == types.LIVENESS_RETIRED {
			due = "-"
		}
		link := "no client"
		if h.Link.ClientId != "" {
			link = h.Link.ClientId + " " + h.Link.ClientStatus
			if h.Link.ChannelId != "" {
				link += " " + h.Link.ChannelId
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\t%s\t%s\n", s.ChainId, s.Liveness.Word(), due, s.LastHeight,
			types.FormatMilli(h.TpsMilli), h.OrgCount, h.NodeCount, h.ContractCount, last, link)
	}
	if res.Pagination != nil && len(res.Pagination.NextKey) > 0 {
		fmt.Fprintln(tw, "(more subchains: --page-key with the next key, or -o json)")
	}
	return tw.Flush()
}

// Age writes a duration as a person reads an age: "45s", "3m 20s", "2h 5m",
// "4d 3h".
func Age(d time.Duration) string {
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 3600:
		return fmt.Sprintf("%dm %ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh %dm", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%dd %dh", s/86400, s%86400/3600)
	}
}
