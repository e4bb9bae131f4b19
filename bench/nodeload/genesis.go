package main

import (
	"errors"
	"flag"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/statuscollect/statuscollect/deploy/genesisjson"
)

// orgFlags collects -org id:admin[:monitor] flags.
type orgFlags []string

func (o *orgFlags) String() string     { return strings.Join(*o, " ") }
func (o *orgFlags) Set(v string) error { *o = append(*o, v); return nil }

// genesisCmd adds to a main chain's genesis (written by init, gentx and
// collect-gentxs) what the load needs, as deploy/generate does: it edits the
// JSON tree and leaves every other field as it was.
//   - n load accounts, funded (auth accounts, bank balances, supply);
//   - -subchains subchains load-000... (as many as accounts unless more are
//     asked for: figure 8's point on a node), each with one member org
//     (load-org-0..3) whose monitoring account is load account i mod n, so
//     account i reports on subchains i, i+n, i+2n...; registered here rather
//     than by 1,000 transactions, as a network file's genesis registers them;
//   - the plain subchain the daemons follow, with the -org orgs as members
//     (each org's monitoring account, when given, granted on it).
func genesisCmd(args []string) error {
	fs := flag.NewFlagSet("genesis", flag.ExitOnError)
	path := fs.String("genesis", "", "the genesis file to edit in place")
	n := fs.Int("accounts", 100, "load accounts")
	subs := fs.Int("subchains", 0, "load subchains (0: as many as accounts; at least as many)")
	denom := fs.String("denom", "umain", "the fee and bond denom")
	admin := fs.String("admin", "", "the collector's admin (consortium admin) address")
	plain := fs.String("plain-chain", "", "chain id of the real subchain the daemons follow (none when empty)")
	plainInterval := fs.String("plain-interval", "15s", "the real subchain's report interval")
	var orgs orgFlags
	fs.Var(&orgs, "org", "id:admin-address[:monitor-address], a member org of -plain-chain (repeat)")
	_ = fs.Parse(args)
	if *path == "" || *admin == "" {
		return errors.New("-genesis and -admin are required")
	}
	if *subs == 0 {
		*subs = *n
	}
	if *subs < *n {
		return fmt.Errorf("-subchains %d: fewer than the %d accounts, some would report on none", *subs, *n)
	}
	g, err := genesisjson.Read(*path)
	if err != nil {
		return err
	}
	if err := addAccounts(g, *n, *denom); err != nil {
		return err
	}
	sc, err := genesisjson.Object(g, "app_state", "statuscollect")
	if err != nil {
		return err
	}
	params, err := genesisjson.Object(sc, "params")
	if err != nil {
		return err
	}
	params["admin"] = *admin

	var orgList, subchains, members []any
	for o := 0; o < 4 && o < *n; o++ {
		id := loadOrg(o)
		orgList = append(orgList, map[string]any{"id": id, "name": "Load " + id, "admin": *admin})
	}
	for i := 0; i < *subs; i++ {
		// An interval of an hour: no load subchain goes stale while the
		// benchmark runs (registered at genesis, each is due 3 intervals
		// later), so no block of any phase carries liveness work.
		subchains = append(subchains, map[string]any{"chain_id": loadChain(i), "name": "Load " + loadChain(i),
			"kind": "SUBCHAIN_KIND_OTHER", "report_interval": "1h"})
		members = append(members, map[string]any{"chain_id": loadChain(i), "org_id": loadOrg(i),
			"reporters": []any{loadAddr(i % *n).String()}})
	}
	if *plain != "" {
		subchains = append(subchains, map[string]any{"chain_id": *plain, "name": "Plain " + *plain,
			"kind": "SUBCHAIN_KIND_CROSS_CHAIN", "report_interval": *plainInterval})
		for _, o := range orgs {
			parts := strings.Split(o, ":")
			if len(parts) < 2 || len(parts) > 3 {
				return fmt.Errorf("-org %q: want id:admin[:monitor]", o)
			}
			orgList = append(orgList, map[string]any{"id": parts[0], "name": parts[0], "admin": parts[1]})
			reporters := []any{}
			if len(parts) == 3 {
				reporters = append(reporters, parts[2])
			}
			members = append(members, map[string]any{"chain_id": *plain, "org_id": parts[0], "reporters": reporters})
		}
	}
	// Memberships sorted by (chain, org), as the module exports them.
	sort.Slice(members, func(a, b int) bool {
		ma, mb := members[a].(map[string]any), members[b].(map[string]any)
		if ma["chain_id"] != mb["chain_id"] {
			return ma["chain_id"].(string) < mb["chain_id"].(string)
		}
		return ma["org_id"].(string) < mb["org_id"].(string)
	})
	sc["orgs"], sc["subchains"], sc["memberships"] = orgList, subchains, members
	return genesisjson.Write(*path, g)
}

// loadBalance is what each load account starts with: enough fee-less sends
// of 1 for any run.
const loadBalance = 1_000_000_000

// addAccounts appends n funded base accounts, numbered after the genesis's
// own, and adds their coins to the supply.
func addAccounts(g map[string]any, n int, denom string) error {
	auth, err := genesisjson.Object(g, "app_state", "auth")
	if err != nil {
		return err
	}
	bank, err := genesisjson.Object(g, "app_state", "bank")
	if err != nil {
		return err
	}
	accounts, _ := auth["accounts"].([]any)
	next := int64(0)
	for _, a := range accounts {
		// Numbers are strings in the SDK's JSON ("7").
		var num int64
		if _, err := fmt.Sscan(fmt.Sprint(a.(map[string]any)["account_number"]), &num); err == nil && num >= next {
			next = num + 1
		}
	}
	balances, _ := bank["balances"].([]any)
	for i := 0; i < n; i++ {
		addr := loadAddr(i).String()
		accounts = append(accounts, map[string]any{"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": addr,
			"pub_key": nil, "account_number": fmt.Sprint(next + int64(i)), "sequence": "0"})
		balances = append(balances, map[string]any{"address": addr,
			"coins": []any{map[string]any{"denom": denom, "amount": fmt.Sprint(loadBalance)}}})
	}
	auth["accounts"], bank["balances"] = accounts, balances
	supply, _ := bank["supply"].([]any)
	for _, c := range supply {
		coin := c.(map[string]any)
		if coin["denom"] != denom {
			continue
		}
		total, ok := new(big.Int).SetString(fmt.Sprint(coin["amount"]), 10)
		if !ok {
			return fmt.Errorf("supply of %s: %v", denom, coin["amount"])
		}
		coin["amount"] = total.Add(total, big.NewInt(int64(n)*loadBalance)).String()
		return nil
	}
	return fmt.Errorf("genesis has no supply of %s", denom)
}
