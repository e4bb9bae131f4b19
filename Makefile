# statuscollect: one main chain and its subchains. `make help` lists the targets.

SHELL := /usr/bin/env bash
BUILD_DIR ?= build
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X github.com/cosmos/cosmos-sdk/version.Name=statuscollect \
	-X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION) \
	-X github.com/cosmos/cosmos-sdk/version.Commit=$(COMMIT)
GO_TEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: help build build-upgrade tools test test-unit wasm-smoke e2e collector-cli bench bench-node bench-gas bench-latency localnet localnet-status localnet-stop deploy-test grow grow-docs lint proto-gen proto-check ts-client getting-started deps clean sim sim-long sim-sdk fuzz \
	faults build-faults fault-reporter-incident fault-relayer-down fault-subchain-halt fault-main-node-restart fault-main-validator-down fault-client-expiry fault-watcher-incident fault-upgrade fault-main-upgrade fault-prune

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build mainchaind, subchaind, statusnet (the deployment generator) and scnet (the scripts' localnet helper) into build/
	go build -ldflags '$(LDFLAGS)' -o $(BUILD_DIR)/ ./cmd/mainchaind ./cmd/subchaind ./cmd/statusnet ./cmd/scnet

UPGRADE_NAME ?= v3-rehearsal
build-upgrade: ## a second build of both binaries into build/upgrade/ that also applies the plan UPGRADE_NAME (default v3-rehearsal), to rehearse an upgrade (make fault-upgrade)
	go build -ldflags '$(subst Version=$(VERSION),Version=$(VERSION)+$(UPGRADE_NAME),$(LDFLAGS)) -X github.com/statuscollect/statuscollect/app.RehearsalUpgrade=$(UPGRADE_NAME)' -o $(BUILD_DIR)/upgrade/ ./cmd/mainchaind ./cmd/subchaind

build-faults: ## a rehearsal build of both binaries into build/faults/ whose daemons can be held at a fault point (after signing, after broadcasting) to be killed there (make fault-reporter-incident); a release build has no fault points
	go build -ldflags '$(LDFLAGS) -X github.com/statuscollect/statuscollect/daemon/faultpoint.Enabled=yes' -o $(BUILD_DIR)/faults/ ./cmd/mainchaind ./cmd/subchaind

tools: ## build the rly relayer (v2.6.0) and grpcurl (v1.8.9) into build/ (versions pinned in tools/go.mod)
	bash scripts/build-tools.sh

test: test-unit wasm-smoke ## unit and in-process IBC tests, then a CosmWasm store/instantiate/query on a real subchain node

test-unit: ## go test ./... (keepers, in-process chains over ibctesting)
	go test $(GO_TEST_FLAGS) ./...

wasm-smoke: build ## single-node subchain: store, instantiate and query a CosmWasm contract
	bash scripts/wasm-smoke.sh

e2e: build tools ## localnet + rly: ICS-20 transfer, status reports over IBC, contract event on the main chain, daemons (reporter, watcher, disputes, failover, halt), collector CLI/gRPC/REST, the status page in Chromium; then the default localnet: all ACTIVE, Prometheus, the getting-started guide
	bash scripts/e2e.sh
	bash scripts/operator-e2e.sh

sim: ## seeded simulations with every invariant after each step: the collector (5 seeds x 500 steps, each twice, export/import) and the whole network's apps (300 steps) (SIM_SEEDS, SIM_STEPS, SIM_APP_STEPS)
	set -o pipefail; SIM_SEEDS=$${SIM_SEEDS:-5} SIM_STEPS=$${SIM_STEPS:-500} go test -count=1 ./x/statuscollect/collector/keeper/ -run '^TestSimulation$$' -v | grep -E '^(=== RUN|--- |\s+sim_test.go:[0-9]+: seed|ok|FAIL|PASS)'
	set -o pipefail; SIM_APP_STEPS=$${SIM_APP_STEPS:-300} go test -count=1 ./app/ -run '^TestNetworkSimulation$$' -v | grep -E '^(--- |\s+sim_test.go:[0-9]+: seed|ok|FAIL|PASS)'

sim-long: ## the simulations at length: 20 seeds x 5,000 steps, and 3,000 network steps
	$(MAKE) sim SIM_SEEDS=20 SIM_STEPS=5000 SIM_APP_STEPS=3000

SIM_SDK_BLOCKS ?= 50
SIM_SDK_BLOCK_SIZE ?= 50
SIM_SDK_SEED ?= 11
SIM_SDK_PROFILE ?= all
# SIM_SDK_PARAMS: a simulator params file, e.g. app/testdata/sim_gov_params.json (governance proposals
# of new params 25 times as often, and a quorum and threshold they pass).
SIM_SDK_PARAMS ?=
sim-sdk: ## the Cosmos SDK's simulator over the whole app, both profiles: full run with invariants, export/import store comparison, app-hash determinism (3 runs) (SIM_SDK_BLOCKS x SIM_SDK_BLOCK_SIZE ops, default 50 x 50, SIM_SDK_SEED 11, SIM_SDK_PROFILE all|mainchaind|subchaind, SIM_SDK_PARAMS a params file); full log in build/sim-sdk.log
	@mkdir -p $(BUILD_DIR)
	go test -count=1 -timeout 60m ./app/ -run '^(TestFullAppSimulation|TestAppImportExport|TestAppStateDeterminism)$$' -v \
		-Enabled=true -Commit=true -NumBlocks=$(SIM_SDK_BLOCKS) -BlockSize=$(SIM_SDK_BLOCK_SIZE) -Seed=$(SIM_SDK_SEED) -GenesisTime=1700000000 -SimProfile=$(SIM_SDK_PROFILE) \
		$(if $(SIM_SDK_PARAMS),-Params=$(abspath $(SIM_SDK_PARAMS))) > $(BUILD_DIR)/sim-sdk.log 2>&1; rc=$$?; \
	grep -E '^(=== RUN|--- |\s+--- |ok|FAIL|PASS|\+\+\+ operations|  [a-z]|\s+sim_sdk_test.go:[0-9]+: (seed|export|collector|sidecar))' $(BUILD_DIR)/sim-sdk.log; \
	if [ $$rc -ne 0 ]; then echo "sim-sdk failed; the end of $(BUILD_DIR)/sim-sdk.log:"; tail -n 60 $(BUILD_DIR)/sim-sdk.log | cut -c1-2000; fi; exit $$rc

fuzz: ## every keeper fuzz target for FUZZTIME each (default 15s), with its executions
	bash scripts/fuzz.sh

bench: build tools ## every figure of docs/benchmarks.md, each beside its goal and its peer from the same run: the Go benchmarks (figure 7's localnet of make bench-latency beside those that count gas and bytes), then make bench-node on a real node, and where the time went (under 20 minutes here; BENCH_NODES=0: the Go benchmarks only; raw output in build/bench)
	bash scripts/bench.sh

bench-node: build ## figures 3 and 9 on real nodes: reports/s vs bank sends/s a one-validator main chain includes through its RPC, the watcher's and reporter's CPU and memory; and figure 8's point on the same node: block execution with 1,000 subchains reporting every 10 s by tx vs its idle blocks (own network namespace, root; about 7 minutes; raw output in build/bench/node)
	bash scripts/bench-node.sh

bench-latency: build tools ## figure 7 of docs/benchmarks.md on a fresh localnet with rly: main-chain blocks from a contract's instantiation on subchain-a to the collector's event (median, p95 of 20), beside an ICS-20 transfer (raw samples in build/bench/latency-raw.txt)
	bash scripts/bench-latency.sh

bench-gas: ## gas figures: MsgSubmitStatus vs bank MsgSend; status-report receive vs ICS-20 receive
	go test ./app/ -run '^$$' -bench 'Gas$$' -benchtime 20x

localnet: build tools ## start the main chain, subchain-a, subchain-b, the plain chain gateway-c (LOCALNET_VALIDATORS each, default 2), rly, the org reporters and watchers (LOCALNET_DAEMONS=0: none) and Prometheus on 127.0.0.1:28090 (LOCALNET_PROMETHEUS=0: not) on loopback ports (state in .localnet/)
	bash scripts/localnet.sh

faults: build build-upgrade build-faults tools ## fault scenarios, each on a fresh localnet with real nodes and rly, with figures and wall times (FAULTS="a b" to pick; docs/operations.md)
	bash scripts/faults/all.sh

fault-relayer-down: build tools ## rly down past the status packet timeout while subchain-a changes: every change arrives once, in order
	bash scripts/faults/relayer-down.sh

fault-subchain-halt: build tools ## subchain-b halted, then all its nodes down: watcher "halted"/"unreachable", stale event on time, recovery
	bash scripts/faults/subchain-halt.sh

fault-main-node-restart: build tools ## main-chain node 0 restarted under the daemons: reports, disputes, memberships equal before and after
	bash scripts/faults/main-node-restart.sh

fault-main-validator-down: build tools ## 1 of 4 main-chain validators killed: blocks and reports go on; restarted, it catches up
	bash scripts/faults/main-validator-down.sh

fault-upgrade: build build-upgrade tools ## subchain-b's validators vote an upgrade: it halts at the height, the main chain shows HALTED_FOR_UPGRADE (not stale), the nodes restart on the new build, reports resume
	bash scripts/faults/upgrade.sh

fault-prune: build tools ## history_retention set to 60 s by governance: the oldest reports go through a prune checkpoint older than the retention, the latest stays, the history stays whole and bounded
	bash scripts/faults/prune.sh

fault-main-upgrade: build tools ## the main chain upgrades from the previous release (RELEASE_REV, default 9e12a52) with v7-compact-changes: its store is migrated on real nodes, every history reads as before, reports go on
	bash scripts/faults/main-upgrade.sh

fault-client-expiry: build tools ## status clients expire with rly down; the admins relink subchain-a over new clients; changes arrive once
	bash scripts/faults/client-expiry.sh

fault-reporter-incident: build build-faults tools ## org-a's reporter of gateway-c killed after signing (nothing lands) and after broadcasting (its report lands): restarted, no transaction counted twice, no report doubled
	bash scripts/faults/reporter-incident.sh

fault-watcher-incident: build build-faults tools ## the watcher's websocket cut (it reconnects) and the watcher killed once its dispute is in a block, before it saw it (no second one)
	bash scripts/faults/watcher-incident.sh

grow: build tools ## grow a running localnet: a new org, a new validator, a new subchain joins (scripts/grow/, docs/growth.md), with figures and wall times (GROW="a b" to pick)
	bash scripts/grow/all.sh

grow-docs: build tools ## on a fresh running localnet: run every command block of docs/growth.md, in one shell
	bash scripts/grow/docs.sh

collector-cli: ## on a running localnet: the collector's txs and queries from the CLI, grpcurl and REST
	bash scripts/collector-cli.sh

getting-started: build ## on a running localnet: run every command block of docs/getting-started.md
	bash scripts/getting-started.sh

localnet-status: ## on a running localnet: the subchains' health table, the localnet's daemons and Prometheus (targets up, alerts firing)
	bash scripts/localnet-status.sh

deploy-test: build tools ## as root: network/deploy-test.yaml generated by statusnet and run across 6 network namespaces on a bridge (nodes, rly, watcher from their systemd units): reports over IBC, a contract seen on the main chain, a forgery caught; removes everything it made
	bash scripts/deploy-test.sh

localnet-stop: ## stop every process the localnet started
	bash scripts/localnet-stop.sh

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...

proto-gen: ## regenerate Go code from proto/ (needs protoc: make deps)
	bash scripts/protocgen.sh

proto-check: proto-gen ## regenerate (Go, OpenAPI, TypeScript) and fail if the committed code differs
	@git diff --exit-code -- '*.pb.go' '*.pb.gw.go' '*.pulsar.go' openapi/ || { echo "generated code is stale: run make proto-gen and commit"; exit 1; }
	bash scripts/ts-client.sh --check

ts-client: ## regenerate the TypeScript client (clients/ts/src/gen) from proto/ with ts-proto from npm
	bash scripts/ts-client.sh

deps: ## install the Debian packages the build and scripts need (as root)
	bash scripts/deps.sh

clean: localnet-stop ## stop the localnet, remove build output and localnet state
	rm -rf $(BUILD_DIR) .localnet
