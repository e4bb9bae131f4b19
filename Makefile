# statuscollect: one main chain and its subchains. `make help` lists the targets.

SHELL := /usr/bin/env bash
BUILD_DIR ?= build
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X github.com/cosmos/cosmos-sdk/version.Name=statuscollect \
	-X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION) \
	-X github.com/cosmos/cosmos-sdk/version.Commit=$(COMMIT)
GO_TEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: help build tools test test-unit wasm-smoke e2e collector-cli bench bench-gas localnet localnet-stop lint proto-gen proto-check ts-client deps clean sim sim-long fuzz

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build mainchaind and subchaind into build/
	go build -ldflags '$(LDFLAGS)' -o $(BUILD_DIR)/ ./cmd/mainchaind ./cmd/subchaind

tools: ## build the rly relayer (v2.6.0) and grpcurl (v1.8.9) into build/ (versions pinned in tools/go.mod)
	bash scripts/build-tools.sh

test: test-unit wasm-smoke ## unit and in-process IBC tests, then a CosmWasm store/instantiate/query on a real subchain node

test-unit: ## go test ./... (keepers, in-process chains over ibctesting)
	go test $(GO_TEST_FLAGS) ./...

wasm-smoke: build ## single-node subchain: store, instantiate and query a CosmWasm contract
	bash scripts/wasm-smoke.sh

e2e: build tools ## localnet + rly: ICS-20 transfer, status reports over IBC, contract event on the main chain, daemons (reporter, watcher, disputes, failover, halt), collector CLI/gRPC/REST
	bash scripts/e2e.sh

sim: ## seeded simulations with every invariant after each step: the collector (5 seeds x 500 steps, each twice, export/import) and the whole network's apps (300 steps) (SIM_SEEDS, SIM_STEPS, SIM_APP_STEPS)
	set -o pipefail; SIM_SEEDS=$${SIM_SEEDS:-5} SIM_STEPS=$${SIM_STEPS:-500} go test -count=1 ./x/statuscollect/collector/keeper/ -run '^TestSimulation$$' -v | grep -E '^(=== RUN|--- |\s+sim_test.go:[0-9]+: seed|ok|FAIL|PASS)'
	set -o pipefail; SIM_APP_STEPS=$${SIM_APP_STEPS:-300} go test -count=1 ./app/ -run '^TestNetworkSimulation$$' -v | grep -E '^(--- |\s+sim_test.go:[0-9]+: seed|ok|FAIL|PASS)'

sim-long: ## the simulations at length: 20 seeds x 5,000 steps, and 3,000 network steps
	$(MAKE) sim SIM_SEEDS=20 SIM_STEPS=5000 SIM_APP_STEPS=3000

fuzz: ## every keeper fuzz target for FUZZTIME each (default 15s), with its executions
	bash scripts/fuzz.sh

bench: ## every figure of docs/benchmarks.md, each beside its goal and its peer from the same run (about 10 minutes; raw output in build/bench)
	bash scripts/bench.sh

bench-gas: ## gas figures: MsgSubmitStatus vs bank MsgSend; status-report receive vs ICS-20 receive
	go test ./app/ -run '^$$' -bench 'Gas$$' -benchtime 20x

localnet: build tools ## start the main chain, subchain-a, subchain-b, the plain chain gateway-c (LOCALNET_VALIDATORS each, default 2) and rly on loopback ports (state in .localnet/)
	bash scripts/localnet.sh

collector-cli: ## on a running localnet: the collector's txs and queries from the CLI, grpcurl and REST
	bash scripts/collector-cli.sh

localnet-stop: ## stop every process the localnet started
	bash scripts/localnet-stop.sh

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...

proto-gen: ## regenerate Go code from proto/ (needs protoc: make deps)
	bash scripts/protocgen.sh

proto-check: proto-gen ## regenerate (Go, OpenAPI, TypeScript) and fail if the committed code differs
	@git diff --exit-code -- '*.pb.go' '*.pb.gw.go' openapi/ || { echo "generated code is stale: run make proto-gen and commit"; exit 1; }
	bash scripts/ts-client.sh --check

ts-client: ## regenerate the TypeScript client (clients/ts/src/gen) from proto/ with ts-proto from npm
	bash scripts/ts-client.sh

deps: ## install the Debian packages the build and scripts need (as root)
	bash scripts/deps.sh

clean: localnet-stop ## stop the localnet, remove build output and localnet state
	rm -rf $(BUILD_DIR) .localnet
