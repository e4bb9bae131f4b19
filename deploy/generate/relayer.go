package generate

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/statuscollect/statuscollect/deploy/genesisjson"
	"github.com/statuscollect/statuscollect/deploy/network"
)

// relayer makes the rly home of the relayer's host: every chain with a
// path (its first node's RPC), the relayer key of each, and the paths.
// Opening the paths needs the chains running: that is statusnet link.
func (g *generator) relayer() error {
	n := g.n
	if n.Daemons.Relayer == nil {
		return nil
	}
	host := n.Daemons.Relayer.Host
	h := n.Host(host)
	rlyBin := filepath.Join(g.BinDir, "rly")
	home := g.local(host, h.RlyHome())
	rly := func(args ...string) (string, error) {
		out, err := exec.Command(rlyBin, append(args, "--home", home)...).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("rly %s: %w\n%s", strings.Join(args, " "), err, tail(out, 20))
		}
		return strings.TrimSpace(string(out)), nil
	}
	g.Log("relayer on %s: rly home %s", host, h.RlyHome())
	if _, err := rly("config", "init"); err != nil {
		return err
	}
	for _, c := range n.Chains() {
		if !n.InRelayer(c.ChainID) {
			continue
		}
		cfg := map[string]any{"type": "cosmos", "value": map[string]any{
			"key":             "relayer",
			"chain-id":        c.ChainID,
			"rpc-addr":        "http://" + strings.TrimPrefix(n.RPC(c, 0), "tcp://"),
			"account-prefix":  network.Prefix(c.Binary),
			"keyring-backend": "test",
			"gas-adjustment":  1.5,
			"gas-prices":      "0" + network.Denom(c.Binary),
			"min-gas-amount":  0,
			"debug":           false,
			"timeout":         "20s",
			"output-format":   "json",
			"sign-mode":       "direct",
		}}
		f := filepath.Join(g.work, "rly-"+c.ChainID+".json")
		if err := genesisjson.Write(f, cfg); err != nil {
			return err
		}
		if _, err := rly("chains", "add", "--file", f, c.ChainID); err != nil {
			return err
		}
		m, err := g.keys.mnemonic(c.ChainID, "relayer")
		if err != nil {
			return err
		}
		if _, err := rly("keys", "restore", c.ChainID, "relayer", m); err != nil {
			return err
		}
		got, err := rly("keys", "show", c.ChainID, "relayer")
		if err != nil {
			return err
		}
		if want := g.addrs[c.ChainID]["relayer"]; got != want {
			return fmt.Errorf("rly derived the relayer address %s on %s, the genesis funds %s", got, c.ChainID, want)
		}
		g.needBin(host, c.Binary)
	}
	for _, id := range n.Paths.Transfer {
		if _, err := rly("paths", "new", n.MainChain.ChainID, id, TransferPath(id), "--src-port", "transfer",
			"--dst-port", "transfer", "--order", "unordered", "--version", "ics20-1"); err != nil {
			return err
		}
	}
	for _, id := range n.Paths.Status {
		if _, err := rly("paths", "new", id, n.MainChain.ChainID, StatusPath(id), "--src-port", StatusSrcPort,
			"--dst-port", StatusDstPort, "--order", "unordered", "--version", StatusVersion); err != nil {
			return err
		}
	}
	g.needBin(host, "rly")
	g.needBin(host, "statusnet")
	exec := filepath.Join(h.BinDir(), "rly") + " start --home " + h.RlyHome() + " --log-format logfmt"
	if tp := n.Paths.StatusClientTrustingPeriod; tp != "" {
		// Short-lived status clients: have rly refresh them well before they expire.
		exec += fmt.Sprintf(" --time-threshold %s", network.Duration(tp)/3)
	}
	unit := fmt.Sprintf(`[Unit]
Description=statuscollect %s: the rly relayer of every path (start it after statusnet link)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=%s
ExecStart=%s
%s`, n.Name, h.User, exec, unitFooter)
	if err := os.MkdirAll(filepath.Join(g.hostDir(h), "systemd"), 0o755); err != nil {
		return err
	}
	return g.writeUnit(host, network.UnitName(network.RelayerName), unit)
}
