package dashboard

import (
	"strings"
	"time"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
)

// The page reads these views, not the protos: names a person reads, times
// in RFC 3339 or null for "never", liveness and kinds as words.

// Overview is the first page: every subchain's health.
type Overview struct {
	AsOf      time.Time     `json:"as_of"`
	Subchains []SubchainRow `json:"subchains"`
	// More is set when there are more subchains than one page shows.
	More bool `json:"more"`
}

// SubchainRow is one subchain's health.
type SubchainRow struct {
	ChainID         string     `json:"chain_id"`
	Name            string     `json:"name"`
	Kind            string     `json:"kind"`
	Liveness        string     `json:"liveness"`
	SecondsUntilDue int64      `json:"seconds_until_due"`
	Height          int64      `json:"height"`
	TPS             string     `json:"tps"`
	Orgs            uint64     `json:"orgs"`
	Nodes           uint64     `json:"nodes"`
	Contracts       uint64     `json:"contracts"`
	LastReport      *time.Time `json:"last_report"`
	LastSource      string     `json:"last_source"`
	Link            Link       `json:"link"`
	OpenDisputes    int        `json:"open_disputes"`
	// OpenDisputesCapped is set when there are more open disputes than counted.
	OpenDisputesCapped bool `json:"open_disputes_capped"`
}

// Link is a subchain's status channel as the main chain sees it.
type Link struct {
	ClientID  string `json:"client_id"`
	ChannelID string `json:"channel_id"`
	Status    string `json:"status"`
	// ExpiresIn is the seconds until the client's trusting period runs out
	// (null without a client).
	ExpiresIn *int64 `json:"expires_in"`
}

// Detail is one subchain's page: its row and its timeline.
type Detail struct {
	SubchainRow
	AsOf            time.Time       `json:"as_of"`
	Members         []Member        `json:"members"`
	Timeline        []TimelineEntry `json:"timeline"`
	ContractChanges []ContractEntry `json:"contract_changes"`
	Disputes        []DisputeEntry  `json:"disputes"`
}

// Member is a member org and how many monitoring accounts it has.
type Member struct {
	OrgID     string `json:"org_id"`
	Reporters int    `json:"reporters"`
	Suspended bool   `json:"suspended"`
}

// TimelineEntry is one report with what changed.
type TimelineEntry struct {
	Sequence     uint64    `json:"sequence"`
	Height       int64     `json:"height"`
	Time         time.Time `json:"time"`
	Source       string    `json:"source"`
	OrgsJoined   []string  `json:"orgs_joined"`
	OrgsLeft     []string  `json:"orgs_left"`
	NodesAdded   []string  `json:"nodes_added"`
	NodesRemoved []string  `json:"nodes_removed"`
	NewContracts []string  `json:"new_contracts"`
	Contracts    uint64    `json:"contracts"`
	ProvenWrong  uint64    `json:"proven_wrong_by"`
}

// ContractEntry is one contract change.
type ContractEntry struct {
	Sequence uint64    `json:"sequence"`
	Kind     string    `json:"kind"`
	Address  string    `json:"address"`
	CodeID   uint64    `json:"code_id"`
	Label    string    `json:"label"`
	Height   int64     `json:"height"`
	Time     time.Time `json:"time"`
	Source   string    `json:"source"`
}

// DisputeEntry is one dispute and its outcome.
type DisputeEntry struct {
	ID            uint64   `json:"id"`
	Report        uint64   `json:"report"`
	Status        string   `json:"status"`
	FilerOrg      string   `json:"filer_org"`
	ReportedByOrg string   `json:"reported_by_org"`
	Fields        []string `json:"fields"`
	Resolver      string   `json:"resolver"`
	Reason        string   `json:"reason"`
}

func source(s collectortypes.ReportSource) string {
	if s.ChannelId != "" {
		return "subchain over " + s.ChannelId
	}
	if s.OrgId != "" {
		return s.OrgId
	}
	return ""
}

func row(h collectortypes.SubchainHealth, latest *collectortypes.Report) SubchainRow {
	s := h.Subchain
	r := SubchainRow{
		ChainID: s.ChainId, Name: s.Name, Kind: s.Kind.Word(),
		Liveness: s.Liveness.Word(), SecondsUntilDue: h.SecondsUntilDue,
		Height: s.LastHeight, TPS: collectortypes.FormatMilli(h.TpsMilli), Orgs: h.OrgCount, Nodes: h.NodeCount, Contracts: h.ContractCount,
		Link: Link{ClientID: h.Link.ClientId, ChannelID: h.Link.ChannelId, Status: strings.ToLower(h.Link.ClientStatus)},
	}
	if s.LastSequence > 0 {
		t := s.LastReportTime
		r.LastReport = &t
	}
	if latest != nil {
		r.LastSource = source(latest.Source)
	}
	if h.Link.ClientId != "" && h.Link.ClientStatus != "" {
		exp := h.Link.TrustExpiresInSeconds
		r.Link.ExpiresIn = &exp
	}
	return r
}
