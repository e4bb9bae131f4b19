// Command mainchaind runs a statuscollect main-chain node and its CLI.
package main

import (
	"github.com/statuscollect/statuscollect/app"
	"github.com/statuscollect/statuscollect/cmd/internal/nodecmd"
)

func main() {
	nodecmd.Execute(app.MainChain)
}
