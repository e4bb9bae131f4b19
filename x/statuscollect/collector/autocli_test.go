package collector_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/clitest"
)

func TestCommandsDescribed(t *testing.T) {
	clitest.CheckCommands(t, collector.AppModule{}.AutoCLIOptions(), "mainchaind")
	for _, c := range (collector.AppModule{}).GetQueryCmd().Commands() {
		require.Regexp(t, "^mainchaind ", c.Example, c.Name())
	}
}
