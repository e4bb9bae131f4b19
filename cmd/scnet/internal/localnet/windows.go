package localnet

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// protoInt reads a protobuf JSON integer: a string ("12"), a number, or
// absent (the zero value, which protobuf JSON leaves out).
type protoInt int64

func (p *protoInt) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s is not an integer", b)
		}
		*p = protoInt(n)
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*p = protoInt(n)
	return nil
}

// WindowReport is what the window check reads of a report in the main
// chain's history.
type WindowReport struct {
	Sequence protoInt `json:"sequence"`
	Source   struct {
		OrgID string `json:"org_id"`
	} `json:"source"`
	Snapshot struct {
		Height       protoInt `json:"height"`
		TotalTxs     protoInt `json:"total_txs"`
		WindowTxs    protoInt `json:"window_txs"`
		WindowBlocks protoInt `json:"window_blocks"`
	} `json:"snapshot"`
}

// CheckTxWindows checks an org reporter's history of a chain against the
// chain's own blocks: every report from org, one per height with heights
// rising, each total_txs equal to the transactions in blocks 1..height
// (txsTo), and each window exactly the blocks and transactions since the
// report before it: none counted twice, none lost. It returns the number of
// reports and the last one's height and total.
func CheckTxWindows(reports []WindowReport, org string, txsTo func(height int64) (int64, error)) (n int, height, total int64, err error) {
	for i, r := range reports {
		s := r.Snapshot
		if r.Source.OrgID != org {
			return 0, 0, 0, fmt.Errorf("report %d came from org %q, not %s", r.Sequence, r.Source.OrgID, org)
		}
		blocks, err := txsTo(int64(s.Height))
		if err != nil {
			return 0, 0, 0, err
		}
		if int64(s.TotalTxs) != blocks {
			return 0, 0, 0, fmt.Errorf("report %d at %d: total_txs %d, the blocks hold %d", r.Sequence, s.Height, s.TotalTxs, blocks)
		}
		if i > 0 {
			p := reports[i-1].Snapshot
			if s.Height <= p.Height {
				return 0, 0, 0, fmt.Errorf("report %d at height %d after one at %d", r.Sequence, s.Height, p.Height)
			}
			if s.WindowTxs != s.TotalTxs-p.TotalTxs || s.WindowBlocks != s.Height-p.Height {
				return 0, 0, 0, fmt.Errorf("report %d at %d: window of %d txs in %d blocks; since report at %d: %d txs in %d blocks (overlap or gap)",
					r.Sequence, s.Height, s.WindowTxs, s.WindowBlocks, p.Height, s.TotalTxs-p.TotalTxs, s.Height-p.Height)
			}
		}
	}
	if len(reports) == 0 {
		return 0, 0, 0, nil
	}
	last := reports[len(reports)-1].Snapshot
	return len(reports), int64(last.Height), int64(last.TotalTxs), nil
}

// blocksPerRequest is what CometBFT's /blockchain returns at most.
const blocksPerRequest = 20

// BlockTxCounter counts a chain's transactions in blocks 1..h from its RPC's
// block metas, 20 blocks a request, remembering each range it read.
type BlockTxCounter struct {
	Base    string // http://host:port
	Timeout time.Duration
	seen    map[[2]int64]int64
}

// TxsTo is the number of transactions in blocks 1..h.
func (c *BlockTxCounter) TxsTo(ctx context.Context, h int64) (int64, error) {
	if c.seen == nil {
		c.seen = map[[2]int64]int64{}
	}
	var total int64
	for lo := int64(1); lo <= h; lo += blocksPerRequest {
		hi := min(h, lo+blocksPerRequest-1)
		n, ok := c.seen[[2]int64{lo, hi}]
		if !ok {
			r, err := RPCGet(ctx, c.Base, fmt.Sprintf("/blockchain?minHeight=%d&maxHeight=%d", lo, hi), c.Timeout)
			if err != nil {
				return 0, err
			}
			metas, err := Query(r, "block_metas[].num_txs")
			if err != nil {
				return 0, err
			}
			if int64(len(metas)) != hi-lo+1 {
				return 0, fmt.Errorf("blocks %d..%d: %s returned %d block metas", lo, hi, c.Base, len(metas))
			}
			for _, m := range metas {
				k, err := strconv.ParseInt(PyStr(m), 10, 64)
				if err != nil {
					return 0, fmt.Errorf("blocks %d..%d: num_txs %s", lo, hi, PyStr(m))
				}
				n += k
			}
			c.seen[[2]int64{lo, hi}] = n
		}
		total += n
	}
	return total, nil
}
