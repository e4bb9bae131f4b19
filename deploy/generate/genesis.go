package generate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/statuscollect/statuscollect/deploy/genesisjson"
	"github.com/statuscollect/statuscollect/deploy/network"
)

// The generator edits a genesis as a JSON tree (genesisjson): it sets only
// the fields of the presets.

// mainPreset is what the main chain's genesis starts with.
type mainPreset struct {
	Admin string
	// OrgAdmins: org id -> its admin's address.
	OrgAdmins map[string]string
	// Monitors: org id -> its monitoring accounts' addresses.
	Monitors map[string][]string
}

// presetMain sets the collector's admin, orgs, subchains (registered, with
// their report interval) and memberships (each member org's monitoring
// accounts granted).
func presetMain(g map[string]any, n *network.Network, p mainPreset) error {
	sc, err := genesisjson.Object(g, "app_state", "statuscollect")
	if err != nil {
		return err
	}
	params, err := genesisjson.Object(sc, "params")
	if err != nil {
		return err
	}
	params["admin"] = p.Admin
	orgs := []any{}
	for _, o := range n.Orgs {
		orgs = append(orgs, map[string]any{"id": o.ID, "name": o.Name, "admin": p.OrgAdmins[o.ID]})
	}
	subchains, memberships := []any{}, []any{}
	for _, s := range n.Subchains {
		// No liveness: the module registers a pre-registered subchain at genesis.
		subchains = append(subchains, map[string]any{
			"chain_id":        s.ChainID,
			"name":            s.Name,
			"kind":            "SUBCHAIN_KIND_" + strings.ToUpper(strings.ReplaceAll(s.Kind, "-", "_")),
			"report_interval": s.ReportInterval,
		})
	}
	// Memberships sorted by (chain, org), as the module exports them.
	type mk struct{ chain, org string }
	var keys []mk
	for _, s := range n.Subchains {
		for _, org := range s.Members {
			keys = append(keys, mk{s.ChainID, org})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].chain != keys[j].chain {
			return keys[i].chain < keys[j].chain
		}
		return keys[i].org < keys[j].org
	})
	for _, k := range keys {
		reporters := append([]string(nil), p.Monitors[k.org]...)
		sort.Strings(reporters)
		memberships = append(memberships, map[string]any{"chain_id": k.chain, "org_id": k.org, "reporters": toAny(reporters)})
	}
	sc["orgs"] = orgs
	sc["subchains"] = subchains
	sc["memberships"] = memberships
	return nil
}

// presetSub sets a subchain's sidecar: its admin, its orgs and its pace.
func presetSub(g map[string]any, s *network.Subchain, admin string) error {
	sr, err := genesisjson.Object(g, "app_state", "statusreporter")
	if err != nil {
		return err
	}
	params, err := genesisjson.Object(sr, "params")
	if err != nil {
		return err
	}
	params["admin"] = admin
	params["report_interval"] = s.Sidecar.SnapshotEvery
	params["heartbeat_every"] = s.Sidecar.HeartbeatEvery
	params["packet_timeout"] = s.Sidecar.PacketTimeout
	orgs := append([]string(nil), s.Members...)
	sort.Strings(orgs)
	sr["orgs"] = toAny(orgs)
	return nil
}

// presetGov sets the chain's governance voting period, and the expedited
// one to half of it (the SDK wants it shorter), when the file names one.
func presetGov(g map[string]any, c *network.Chain) error {
	if c.VotingPeriod == "" {
		return nil
	}
	d, err := time.ParseDuration(c.VotingPeriod)
	if err != nil {
		return err
	}
	params, err := genesisjson.Object(g, "app_state", "gov", "params")
	if err != nil {
		return err
	}
	secs := int64(d / time.Second)
	params["voting_period"] = fmt.Sprintf("%ds", secs)
	params["expedited_voting_period"] = fmt.Sprintf("%ds", secs/2)
	return nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
