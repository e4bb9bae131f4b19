// Package link opens a generated network's IBC paths once its nodes run:
// what cannot be written ahead of time because it needs live chains. For
// every transfer path rly creates clients, a connection and an ICS-20
// channel; for every status path rly creates the two clients, the
// collector's admin binds the main chain's client to the subchain, the
// sidecar's admin pins its client of the main chain, and rly opens the
// connection and the status channel over them (docs/ibc.md).
package link

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/deploy/generate"
	"github.com/statuscollect/statuscollect/deploy/network"
)

// Options of a link run, on the relayer's host.
type Options struct {
	Network *network.Network
	// AdminWait is how long to wait for a binding signed elsewhere, when
	// the admin's keys are not on this host.
	AdminWait time.Duration
	// StartWait is how long to wait for the chains to make blocks.
	StartWait time.Duration
	Log       func(format string, args ...any)
	// Out receives the commands for an admin on another host.
	Out io.Writer
}

// Result is link.json: the ids of what was opened.
type Result struct {
	Transfer []TransferLink `json:"transfer_paths"`
	Status   []StatusLink   `json:"status_paths"`
}

// TransferLink is an open ICS-20 channel.
type TransferLink struct {
	Path        string `json:"path"`
	Subchain    string `json:"subchain"`
	MainChannel string `json:"main_channel"`
	SubChannel  string `json:"sub_channel"`
}

// StatusLink is an open status channel and the clients it runs over.
type StatusLink struct {
	Path        string `json:"path"`
	Subchain    string `json:"subchain"`
	SubClient   string `json:"sub_client"`
	SubConn     string `json:"sub_connection"`
	SubChannel  string `json:"sub_channel"`
	MainClient  string `json:"main_client"`
	MainConn    string `json:"main_connection"`
	MainChannel string `json:"main_channel"`
}

type linker struct {
	Options
	n    *network.Network
	host *network.Host
	logs string
}

// Run links every path of the network; it must run on the relayer's host
// (it uses that host's rly home and binaries). A status path already linked
// (the collector has a channel bound for the subchain) is left as it is, so
// a run that stopped half-way can be run again.
func Run(o Options) (*Result, error) {
	n := o.Network
	if n.Daemons.Relayer == nil {
		return nil, fmt.Errorf("the network has no relayer: nothing to link")
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	l := &linker{Options: o, n: n, host: n.Host(n.Daemons.Relayer.Host)}
	l.logs = filepath.Join(l.host.Root, "logs")
	if err := os.MkdirAll(l.logs, 0o755); err != nil {
		return nil, err
	}
	for _, c := range n.Chains() {
		if !n.InRelayer(c.ChainID) {
			continue
		}
		if err := l.waitHeight(c, 3, o.StartWait); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	for _, id := range n.Paths.Transfer {
		t, err := l.transfer(id)
		if err != nil {
			return nil, fmt.Errorf("transfer path of %s: %w", id, err)
		}
		res.Transfer = append(res.Transfer, *t)
	}
	for _, id := range n.Paths.Status {
		s, err := l.status(id)
		if err != nil {
			return nil, fmt.Errorf("status path of %s: %w", id, err)
		}
		res.Status = append(res.Status, *s)
	}
	data, _ := json.MarshalIndent(res, "", "  ")
	return res, os.WriteFile(filepath.Join(l.host.Root, "link.json"), append(data, '\n'), 0o644)
}

func (l *linker) bin(c *network.Chain) string { return filepath.Join(l.host.BinDir(), c.Binary) }

// rly runs an rly step with its output appended to the path's link log.
func (l *linker) rly(path string, args ...string) (string, error) {
	logf := filepath.Join(l.logs, "link-"+path+".log")
	f, err := os.OpenFile(logf, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fmt.Fprintf(f, "===== rly %s =====\n", strings.Join(args, " "))
	var out bytes.Buffer
	cmd := exec.Command(filepath.Join(l.host.BinDir(), "rly"), append(args, "--home", l.host.RlyHome())...)
	cmd.Stdout = io.MultiWriter(f, &out)
	cmd.Stderr = f
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("rly %s: %w (log: %s)", strings.Join(args, " "), err, logf)
	}
	return out.String(), nil
}

// pathEnds reads client and connection ids of both ends of an rly path.
func (l *linker) pathEnds(path string) (src, dst map[string]string, err error) {
	out, err := l.rly(path, "paths", "show", path, "--json")
	if err != nil {
		return nil, nil, err
	}
	var p struct {
		Chains struct {
			Src map[string]string `json:"src"`
			Dst map[string]string `json:"dst"`
		} `json:"chains"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		return nil, nil, fmt.Errorf("rly paths show %s: %w", path, err)
	}
	return p.Chains.Src, p.Chains.Dst, nil
}

func (l *linker) transfer(id string) (*TransferLink, error) {
	path := generate.TransferPath(id)
	main := &l.n.MainChain
	t0 := time.Now()
	l.Log("linking %s <-> %s (path %s): clients, connection, transfer channel", main.ChainID, id, path)
	if _, err := l.rly(path, "transact", "link", path, "--src-port", "transfer", "--dst-port", "transfer",
		"--order", "unordered", "--version", "ics20-1", "--max-retries", "5", "--log-format", "logfmt"); err != nil {
		return nil, err
	}
	src, _, err := l.pathEnds(path)
	if err != nil {
		return nil, err
	}
	out, err := l.query(main, "ibc", "channel", "connections", src["connection-id"])
	if err != nil {
		return nil, err
	}
	var chans struct {
		Channels []struct {
			PortID       string `json:"port_id"`
			ChannelID    string `json:"channel_id"`
			State        any    `json:"state"`
			Counterparty struct {
				PortID    string `json:"port_id"`
				ChannelID string `json:"channel_id"`
			} `json:"counterparty"`
		} `json:"channels"`
	}
	if err := json.Unmarshal(out, &chans); err != nil {
		return nil, err
	}
	for _, ch := range chans.Channels {
		if ch.PortID == "transfer" && ch.Counterparty.PortID == "transfer" && fmt.Sprint(ch.State) == "STATE_OPEN" {
			l.Log("linked %s in %s: %s transfer/%s <-> %s transfer/%s", path, time.Since(t0).Round(time.Second),
				main.ChainID, ch.ChannelID, id, ch.Counterparty.ChannelID)
			return &TransferLink{Path: path, Subchain: id, MainChannel: ch.ChannelID, SubChannel: ch.Counterparty.ChannelID}, nil
		}
	}
	return nil, fmt.Errorf("no open transfer channel on %s's connection %s", main.ChainID, src["connection-id"])
}

func (l *linker) status(id string) (*StatusLink, error) {
	n := l.n
	main, sub := &n.MainChain, n.Chain(id)
	path := generate.StatusPath(id)
	t0 := time.Now()
	if client, ch := l.collectorLink(id); ch != "" {
		l.Log("%s is linked already: %s has channel %s over client %s bound to it; left as it is", path, main.ChainID, ch, client)
		return l.statusResult(path, id)
	}
	l.Log("linking %s -> %s (path %s): clients, bind-client, bind-main-client, connection, status channel", id, main.ChainID, path)
	args := []string{"transact", "clients", path, "--override"}
	if tp := n.Paths.StatusClientTrustingPeriod; tp != "" {
		args = append(args, "--client-tp", tp)
	}
	if _, err := l.rly(path, append(args, "--log-format", "logfmt")...); err != nil {
		return nil, err
	}
	hSub, err := l.height(sub)
	if err != nil {
		return nil, err
	}
	hMain, err := l.height(main)
	if err != nil {
		return nil, err
	}
	src, dst, err := l.pathEnds(path)
	if err != nil {
		return nil, err
	}
	subClient, mainClient := src["client-id"], dst["client-id"]
	if subClient == "" || mainClient == "" {
		return nil, fmt.Errorf("rly created no clients for path %s", path)
	}
	// The main chain accepts a status channel only over the client bound to the subchain.
	l.Log("binding %s's client %s to %s (collector admin)", main.ChainID, mainClient, id)
	if err := l.adminTx(main, func() (bool, error) {
		c, _ := l.collectorLink(id)
		return c == mainClient, nil
	}, "statuscollect", "bind-client", id, mainClient); err != nil {
		return nil, fmt.Errorf("bind-client %s %s: %w", id, mainClient, err)
	}
	// And the sidecar opens it only over the client of the main chain pinned there.
	l.Log("pinning %s's client %s of %s in its sidecar (reporter admin)", id, subClient, main.ChainID)
	if err := l.adminTx(sub, func() (bool, error) {
		got, err := l.reporterLink(sub, "main_client_id")
		return got == subClient, err
	}, "statusreporter", "bind-main-client", subClient); err != nil {
		return nil, fmt.Errorf("bind-main-client %s on %s: %w", subClient, id, err)
	}
	// rly reads the clients back below the latest height when it opens the
	// connection: both chains must be two blocks past their creation.
	if err := l.waitHeight(sub, hSub+2, time.Minute); err != nil {
		return nil, err
	}
	if err := l.waitHeight(main, hMain+2, time.Minute); err != nil {
		return nil, err
	}
	if _, err := l.rly(path, "transact", "connection", path, "--max-retries", "5", "--log-format", "logfmt"); err != nil {
		return nil, err
	}
	if _, err := l.rly(path, "transact", "channel", path, "--src-port", generate.StatusSrcPort, "--dst-port", generate.StatusDstPort,
		"--order", "unordered", "--version", generate.StatusVersion, "--max-retries", "5", "--log-format", "logfmt"); err != nil {
		return nil, err
	}
	res, err := l.statusResult(path, id)
	if err != nil {
		return nil, err
	}
	l.Log("linked %s in %s: %s %s/%s (%s) -> %s %s/%s (%s)", path, time.Since(t0).Round(time.Second),
		id, generate.StatusSrcPort, res.SubChannel, res.SubClient, main.ChainID, generate.StatusDstPort, res.MainChannel, res.MainClient)
	return res, nil
}

// statusResult waits until both ends have the status channel bound (the
// subchain at OpenAck, the main chain at OpenConfirm) and reads the ids.
func (l *linker) statusResult(path, id string) (*StatusLink, error) {
	sub := l.n.Chain(id)
	src, dst, err := l.pathEnds(path)
	if err != nil {
		return nil, err
	}
	var mainClient, mainCh, subCh string
	for i := 0; i < 40; i++ {
		mainClient, mainCh = l.collectorLink(id)
		subCh, _ = l.reporterLink(sub, "channel_id")
		if mainCh != "" && subCh != "" {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if mainCh == "" || subCh == "" {
		return nil, fmt.Errorf("after the handshake the status channel is not bound on both ends (main chain %q, %s %q)", mainCh, id, subCh)
	}
	subClient, _ := l.reporterLink(sub, "main_client_id")
	return &StatusLink{Path: path, Subchain: id, SubClient: subClient, SubConn: src["connection-id"], SubChannel: subCh,
		MainClient: mainClient, MainConn: dst["connection-id"], MainChannel: mainCh}, nil
}

// collectorLink is the client and channel the collector has bound for a
// subchain ("" when not set).
func (l *linker) collectorLink(id string) (client, channel string) {
	out, err := l.query(&l.n.MainChain, "statuscollect", "subchain", id)
	if err != nil {
		return "", ""
	}
	var r struct {
		Health struct {
			Link struct {
				ClientID  string `json:"client_id"`
				ChannelID string `json:"channel_id"`
			} `json:"link"`
		} `json:"health"`
	}
	if json.Unmarshal(out, &r) != nil {
		return "", ""
	}
	return r.Health.Link.ClientID, r.Health.Link.ChannelID
}

// reporterLink reads a field of the sidecar's link over REST (the CLI
// prints the link as {}).
func (l *linker) reporterLink(c *network.Chain, field string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.n.API(c, 0)+"/statuscollect/reporter/v1/link", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct {
		Link map[string]any `json:"link"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return "", err
	}
	v, _ := r.Link[field].(string)
	return v, nil
}

func (l *linker) query(c *network.Chain, args ...string) ([]byte, error) {
	cmd := exec.Command(l.bin(c), append(append([]string{"query"}, args...), "--node", l.n.RPC(c, 0), "--output", "json")...)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s query %s: %w", c.Binary, strings.Join(args, " "), err)
	}
	return out, nil
}

// adminTx signs a transaction with the admin key when this host holds it;
// otherwise it prints the command for the admin's host and waits until
// done() says the chain shows its effect.
func (l *linker) adminTx(c *network.Chain, done func() (bool, error), args ...string) error {
	home := l.host.ClientHome(c.ChainID)
	if _, err := os.Stat(filepath.Join(home, "keyring-test", "admin.info")); err == nil {
		if err := l.tx(c, home, append(args, "--from", "admin")...); err != nil {
			return err
		}
		if ok, err := done(); !ok {
			return fmt.Errorf("the transaction went through but the chain does not show its effect (%v)", err)
		}
		return nil
	}
	admin := l.n.Host(l.n.Admin.Host)
	cmd := append(append([]string{filepath.Join(admin.BinDir(), c.Binary), "tx"}, args...), "--from", "admin",
		"--home", admin.ClientHome(c.ChainID), "--keyring-backend", "test", "--gas", "auto", "--gas-adjustment", "1.5", "-y")
	fmt.Fprintf(l.Out, "\nOn host %s, the admin runs:\n  %s\nwaiting up to %s for it to land...\n", admin.Name, shellJoin(cmd), l.AdminWait)
	deadline := time.Now().Add(l.AdminWait)
	for time.Now().Before(deadline) {
		if ok, _ := done(); ok {
			return nil
		}
		time.Sleep(2 * time.Second)
	}
	return fmt.Errorf("not done within %s", l.AdminWait)
}

// tx signs and broadcasts a transaction (zero fees, simulated gas) and
// waits until it is in a block and succeeded.
func (l *linker) tx(c *network.Chain, home string, args ...string) error {
	full := append(append([]string{"tx"}, args...), "--home", home, "--node", l.n.RPC(c, 0), "--chain-id", c.ChainID,
		"--keyring-backend", "test", "--gas", "auto", "--gas-adjustment", "1.5", "--broadcast-mode", "sync", "--output", "json", "-y")
	out, err := exec.Command(l.bin(c), full...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, out)
	}
	// The CLI may print a gas estimate line before the JSON.
	var res struct {
		Code   int    `json:"code"`
		TxHash string `json:"txhash"`
		RawLog string `json:"raw_log"`
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "{") {
			_ = json.Unmarshal(sc.Bytes(), &res)
		}
	}
	if res.TxHash == "" || res.Code != 0 {
		return fmt.Errorf("%s was refused: %s", strings.Join(args, " "), out)
	}
	for i := 0; i < 120; i++ {
		out, err := exec.Command(l.bin(c), "query", "tx", res.TxHash, "--node", l.n.RPC(c, 0), "--output", "json").Output()
		if err == nil {
			var r struct {
				Code   int    `json:"code"`
				RawLog string `json:"raw_log"`
			}
			_ = json.Unmarshal(out, &r)
			if r.Code != 0 {
				return fmt.Errorf("tx %s failed in its block (code %d): %s", res.TxHash, r.Code, r.RawLog)
			}
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return fmt.Errorf("tx %s was not in a block within 60s", res.TxHash)
}

// height is a chain's latest block height, from its first node's RPC.
func (l *linker) height(c *network.Chain) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "http://" + strings.TrimPrefix(l.n.RPC(c, 0), "tcp://") + "/status"
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var s struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return 0, fmt.Errorf("%s: %w", url, err)
	}
	return strconv.ParseInt(s.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

func (l *linker) waitHeight(c *network.Chain, want int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var h int64
	var err error
	for {
		h, err = l.height(c)
		if err == nil && h >= want {
			return nil
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("%s at %s did not answer within %s: %w", c.ChainID, l.n.RPC(c, 0), timeout, err)
	}
	return fmt.Errorf("%s is at height %d, not %d, after %s", c.ChainID, h, want, timeout)
}

// shellSafe are the words a shell reads as they are.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9@%+=:,./_-]+$`)

// shellJoin joins a command's words for a person to paste into a shell,
// single-quoting any word that is not plainly safe: the words come from the
// network file and the chain, and what is printed must run as one command.
func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		if shellSafe.MatchString(w) {
			quoted[i] = w
		} else {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
