// Command statusnet turns a network file into each host's folder (node
// homes, shared genesis, relayer, daemons, systemd units) and links the
// running network's IBC paths. docs/deploy.md describes the file and the
// order: generate, copy to the hosts, start the nodes, link, start the
// relayer and the daemons.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/statuscollect/statuscollect/deploy/generate"
	"github.com/statuscollect/statuscollect/deploy/link"
	"github.com/statuscollect/statuscollect/deploy/network"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "statusnet:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "statusnet",
		Short: "Deploy a statuscollect network from one network file",
		Long: `statusnet reads a network file (YAML: hosts, orgs, the main chain and subchains with their
validators, IBC paths, daemons; see docs/deploy.md) and
  validate  checks it,
  generate  writes each host's folder, to copy to the host's root,
  link      opens the IBC paths of the running network (on the relayer's host).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(validateCmd(), generateCmd(), linkCmd())
	return root
}

func validateCmd() *cobra.Command {
	var (
		file                       string
		asJSON                     bool
		validators, mainValidators int
	)
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a network file and print what it describes",
		Example: `statusnet validate -f network/localnet.yaml
# the network as generate would make it, every default filled in, as JSON (scripts read it)
statusnet validate -f network/localnet.yaml --validators 1 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := network.Load(file)
			if err != nil {
				return err
			}
			if err := override(n, validators, mainValidators, "", ""); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return printJSON(w, n)
			}
			fmt.Fprintf(w, "%s: network %s, %d host(s), %d org(s)\n", file, n.Name, len(n.Hosts), len(n.Orgs))
			for _, c := range n.Chains() {
				kind := "main chain"
				if s := n.Subchain(c.ChainID); s != nil {
					kind = s.Kind
					if s.Plain {
						kind += ", plain"
					}
				}
				fmt.Fprintf(w, "  %-14s %-10s %-22s", c.ChainID, c.Binary, kind)
				for i, v := range c.Validators {
					fmt.Fprintf(w, " %s@%s:%d", v.Org, v.Host, c.Validators[i].EffectivePorts().RPC)
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "  paths: transfer %v, status %v; %d watcher(s), %d reporter(s)\n",
				n.Paths.Transfer, n.Paths.Status, len(n.Daemons.Watchers), len(n.Daemons.Reporters))
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the network file (required)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the network, every default filled in, as JSON (the file's field names)")
	cmd.Flags().IntVar(&validators, "validators", 0, "as generate's --validators")
	cmd.Flags().IntVar(&mainValidators, "main-validators", 0, "as generate's --main-validators")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// printJSON prints the network with the file's own field names: through
// YAML, whose tags name them, into a generic tree, then as JSON.
func printJSON(w io.Writer, n *network.Network) error {
	data, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	var tree any
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(tree)
}

func generateCmd() *cobra.Command {
	var (
		file, out, binDir, cosmovisor, packetTimeout, votingPeriod string
		force, localRoots                                          bool
		validators, mainValidators                                 int
	)
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write each host's folder: node homes, genesis, relayer, daemons, systemd units",
		Long: `Writes, under the output folder:
  hosts/<host>/   the host's root (copy it to the root the network file gives the host):
                  nodes/<node>/        node homes, each with its validator key only, the shared
                                       genesis, peers, addresses and ports, and the binary in
                                       cosmovisor/genesis/bin/
                  clients/<chain-id>/  client homes with the keys the host owns (admin, orgs)
                  rly/                 the relayer's home (on the relayer's host)
                  watchers/, reporters/ the daemons' homes with their keys
                  env/, systemd/       the daemons' env files and every systemd unit
                  bin/                 the binaries of the host's clients, daemons and relayer
                  network.yaml         the network file with every default filled in
  keys/           every key's mnemonic: the generator's secret, never copied to a host; kept,
                  so generating again gives the same addresses
  summary.json    nodes, addresses, ports, units and key addresses

It runs the chain binaries (init, genesis bulk-add-genesis-account, gentx, collect-gentxs,
validate) and rly (config, chains, keys, paths) from --bin-dir.`,
		Example: `statusnet generate -f network/localnet.yaml -o out/localnet
statusnet generate -f consortium.yaml -o out/consortium --cosmovisor /usr/local/bin/cosmovisor --force
# try a multi-host network on this machine: each host's root is out/net/hosts/<host>
statusnet generate -f network/deploy-test.yaml -o /tmp/net --local-roots
# the localnet with one validator per chain (scripts/localnet.sh does this)
statusnet generate -f network/localnet.yaml -o .localnet --local-roots --force --validators 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := network.Load(file)
			if err != nil {
				return err
			}
			if err := override(n, validators, mainValidators, packetTimeout, votingPeriod); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			absOut, err := filepath.Abs(out)
			if err != nil {
				return err
			}
			if localRoots {
				// The generated paths then point into the output folder,
				// so the network runs where it was generated.
				for i := range n.Hosts {
					n.Hosts[i].Root = filepath.Join(absOut, "hosts", n.Hosts[i].Name)
				}
				// The roots now come from -o, checked after the file's:
				// they go unquoted into every unit and env file.
				if err := n.Validate(); err != nil {
					return fmt.Errorf("--local-roots puts the hosts' roots under %s: %w", filepath.Join(absOut, "hosts"), err)
				}
			}
			absBin, err := filepath.Abs(binDir)
			if err != nil {
				return err
			}
			t0 := time.Now()
			sum, err := generate.Run(generate.Options{Network: n, Out: absOut, BinDir: absBin, Cosmovisor: cosmovisor, Force: force, Log: logf})
			if err != nil {
				return err
			}
			units := 0
			for _, h := range sum.Hosts {
				units += len(h.Units)
			}
			logf("generated %d host folder(s) with %d unit(s) in %s: %s", len(sum.Hosts), units,
				time.Since(t0).Round(100*time.Millisecond), filepath.Join(absOut, "hosts"))
			logf("next: copy hosts/<host>/ to each host's root, start the node units, run 'statusnet link' on the relayer's host, then start rly and the daemons")
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the network file (required)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "the output folder (required)")
	cmd.Flags().StringVar(&binDir, "bin-dir", "build", "where mainchaind, subchaind, rly and statusnet are")
	cmd.Flags().StringVar(&cosmovisor, "cosmovisor", generate.DefaultCosmovisor, "cosmovisor's path on the hosts (the node units run it; letters, digits, '.', '_', '-' and '/' only)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an earlier generation in the output folder (its keys/ are kept)")
	cmd.Flags().BoolVar(&localRoots, "local-roots", false, "set each host's root to <out>/hosts/<host>, to run the network on this machine")
	cmd.Flags().IntVar(&validators, "validators", 0, "give every chain this many validators (on one host: those past the file's go on the first one's host, 10 ports apart)")
	cmd.Flags().IntVar(&mainValidators, "main-validators", 0, "the same for the main chain only (after --validators)")
	cmd.Flags().StringVar(&packetTimeout, "packet-timeout", "", "every sidecar's status packet timeout, instead of the file's (1m to 168h)")
	cmd.Flags().StringVar(&votingPeriod, "voting-period", "", "every chain's governance voting period, instead of the file's (whole seconds, 2s or more)")
	_ = cmd.MarkFlagRequired("file")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func linkCmd() *cobra.Command {
	var (
		file                 string
		adminWait, startWait time.Duration
	)
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Open the running network's IBC paths (run it on the relayer's host)",
		Long: `Run on the relayer's host once the nodes run, with the network file generate put there. For
each transfer path rly creates the clients, the connection and an ICS-20 channel. For each status
path rly creates the clients, the collector's admin binds the main chain's client to the subchain
(tx statuscollect bind-client), the sidecar's admin pins its client of the main chain
(tx statusreporter bind-main-client), and rly opens the connection and the status channel. The
admin's transactions are signed here when the admin's keys are on this host; otherwise link prints
each command for the admin's host and waits (--admin-wait) until the chain shows it. A status path
whose channel is bound already is left as it is, so link can be run again after a failure.
It writes <root>/link.json (the client, connection and channel ids) and logs the rly steps in
<root>/logs/link-<path>.log. Start the relayer's unit afterwards.`,
		Example: `# on the relayer's host
/var/lib/statuscollect/bin/statusnet link -f /var/lib/statuscollect/network.yaml
systemctl start statuscollect-rly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := network.Load(file)
			if err != nil {
				return err
			}
			t0 := time.Now()
			res, err := link.Run(link.Options{Network: n, AdminWait: adminWait, StartWait: startWait, Log: logf, Out: cmd.OutOrStdout()})
			if err != nil {
				return err
			}
			logf("linked %d transfer and %d status path(s) in %s", len(res.Transfer), len(res.Status), time.Since(t0).Round(time.Second))
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the network file as generated (<root>/network.yaml on the host) (required)")
	cmd.Flags().DurationVar(&adminWait, "admin-wait", 10*time.Minute, "how long to wait for a binding the admin signs on another host")
	cmd.Flags().DurationVar(&startWait, "start-wait", 2*time.Minute, "how long to wait for the chains to reach height 3")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// override applies generate's flags that change the file's network, then
// validates it again (a port clash or a bad timeout is reported as usual).
func override(n *network.Network, validators, mainValidators int, packetTimeout, votingPeriod string) error {
	if validators != 0 {
		for _, c := range n.Chains() {
			if err := n.SetValidators(c.ChainID, validators); err != nil {
				return err
			}
		}
	}
	if mainValidators != 0 {
		if err := n.SetValidators(n.MainChain.ChainID, mainValidators); err != nil {
			return err
		}
	}
	if votingPeriod != "" {
		n.MainChain.VotingPeriod = votingPeriod
		for i := range n.Subchains {
			n.Subchains[i].VotingPeriod = votingPeriod
		}
	}
	if packetTimeout != "" {
		for i := range n.Subchains {
			if s := &n.Subchains[i]; s.Sidecar != nil {
				s.Sidecar.PacketTimeout = packetTimeout
			}
		}
	}
	return n.Validate()
}
