package collector_test

import (
	"testing"

	"github.com/statuscollect/statuscollect/x/statuscollect/collector"
	"github.com/statuscollect/statuscollect/x/statuscollect/internal/clitest"
)

func TestCommandsDescribed(t *testing.T) {
	clitest.CheckCommands(t, collector.AppModule{}.AutoCLIOptions(), "mainchaind")
}
