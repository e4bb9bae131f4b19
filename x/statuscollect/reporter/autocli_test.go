package reporter_test

import (
	"testing"

	"github.com/statuscollect/statuscollect/x/statuscollect/internal/clitest"
	"github.com/statuscollect/statuscollect/x/statuscollect/reporter"
)

func TestCommandsDescribed(t *testing.T) {
	clitest.CheckCommands(t, reporter.AppModule{}.AutoCLIOptions(), "subchaind")
}
