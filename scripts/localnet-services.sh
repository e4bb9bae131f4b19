# Sourced by scripts/localnet.sh: the services that make the localnet look
# like a network in use, started once the relayer runs.
#   - An org reporter for each member org of a plain chain (one without the
#     sidecar, so nothing else reports it): key <org>-monitor.
#   - A watcher per subchain. On a subchain with the sidecar its node-0
#     validator disputes a wrong report on the subchain itself; on a plain
#     chain the admin of its last member org files disputes on the main chain
#     (the admin, so that it never signs with the account its org's reporter
#     signs with).
#   - Prometheus (Debian's package, when installed) scraping every node's
#     CometBFT metrics and app telemetry and every daemon, with the alert
#     rules of monitoring/prometheus/alerts.yml.
# LOCALNET_DAEMONS=0 leaves the daemons out (the end-to-end tests and the
# fault scenarios start their own), LOCALNET_PROMETHEUS=0 leaves Prometheus
# out. Each service has a pid file in .localnet/pids (localnet-stop.sh stops
# it), a log in .localnet/logs and its state in .localnet/services/.

SERVICES_DIR="$LOCALNET_DIR/services"
PROM_DIR="$LOCALNET_DIR/prometheus"
# Above every port a node of the localnet can take (the highest chain offset
# plus three node steps ends at 27090).
PROM_PORT=28090
DAEMON_PORT_BASE=28100
WANT_DAEMONS="${LOCALNET_DAEMONS:-1}"
WANT_PROMETHEUS="${LOCALNET_PROMETHEUS:-1}"
[[ "$WANT_DAEMONS" =~ ^[01]$ ]] || die "LOCALNET_DAEMONS='$WANT_DAEMONS': want 0 or 1"
[[ "$WANT_PROMETHEUS" =~ ^[01]$ ]] || die "LOCALNET_PROMETHEUS='$WANT_PROMETHEUS': want 0 or 1"
if [[ "$WANT_PROMETHEUS" == 1 ]] && ! command -v prometheus >/dev/null 2>&1; then
	log "prometheus is not installed (make deps installs it): the localnet starts without it"
	WANT_PROMETHEUS=0
fi

# The daemons, one line each: "name kind chain org metrics-port", kind
# reporter, watcher (sidecar subchain) or main-watcher (plain chain).
SERVICES=()
services_plan() {
	local id org members port="$DAEMON_PORT_BASE"
	[[ "$WANT_DAEMONS" == 1 ]] || return 0
	for id in "${SUB_IDS[@]}"; do
		read -ra members <<<"${MEMBERS[$id]:-}"
		if [[ "${PLAIN_OF[$id]}" == 1 ]]; then
			((${#members[@]} > 0)) || continue
			for org in "${members[@]}"; do
				SERVICES+=("reporter-$org-$id reporter $id $org $port")
				port=$((port + 1))
			done
			SERVICES+=("watcher-$id main-watcher $id ${members[-1]} $port")
		else
			SERVICES+=("watcher-$id watcher $id - $port")
		fi
		port=$((port + 1))
	done
}

# services_ports: every port the services listen on (checked free before the
# localnet starts).
services_ports() {
	local s
	for s in "${SERVICES[@]}"; do echo "${s##* }"; done
	[[ "$WANT_PROMETHEUS" == 1 ]] && echo "$PROM_PORT"
	return 0
}

# list_of KIND ID: the comma-separated KIND endpoints (grpc or rpc) of every
# node of chain ID.
list_of() {
	local kind="$1" id="$2" n out=()
	for ((n = 0; n < NVALS[$id]; n++)); do
		case "$kind" in
		grpc) out+=("127.0.0.1:$(chain_port grpc "$(node_off "$id" "$n")")") ;;
		rpc) out+=("$(node_rpc "$(node_off "$id" "$n")")") ;;
		esac
	done
	local IFS=,
	echo "${out[*]}"
}

services_start() {
	local s name kind id org port cmd main_home="$LOCALNET_DIR/$MAIN_ID" main_rpc
	rm -rf "$SERVICES_DIR"
	mkdir -p "$SERVICES_DIR"
	main_rpc="$(node_rpc "${OFFSET_OF[$MAIN_ID]}")"
	for s in "${SERVICES[@]}"; do
		read -r name kind id org port <<<"$s"
		case "$kind" in
		reporter)
			cmd=("$MAIN_BIN_P" reporter start --sub-grpc "$(list_of grpc "$id")"
				--sub-bech32-prefix "$(chain_prefix "${BIN_OF[$id]}")" --orgs "$(tr ' ' , <<<"${MEMBERS[$id]}")"
				--from "$org-monitor" --keyring-backend test --home "$main_home" --node "$main_rpc" --chain-id "$MAIN_ID"
				--state "$SERVICES_DIR/$name.json" --metrics-addr "127.0.0.1:$port")
			;;
		watcher)
			cmd=("${BIN_OF[$id]}" watcher start --main-grpc "$(list_of grpc "$MAIN_ID")" --main-rpc "$(list_of rpc "$MAIN_ID")"
				--sub-grpc "$(list_of grpc "$id")" --node "$(node_rpc "${OFFSET_OF[$id]}")" --chain-id "$id"
				--from validator --keyring-backend test --home "$LOCALNET_DIR/$id"
				--state "$SERVICES_DIR/$name.json" --metrics-addr "127.0.0.1:$port")
			;;
		main-watcher)
			cmd=("$MAIN_BIN_P" watcher start --org-id "$org" --subchain-id "$id" --main-grpc "$(list_of grpc "$MAIN_ID")"
				--main-rpc "$(list_of rpc "$MAIN_ID")" --sub-grpc "$(list_of grpc "$id")"
				--sub-bech32-prefix "$(chain_prefix "${BIN_OF[$id]}")"
				--from "$org-admin" --keyring-backend test --home "$main_home" --node "$main_rpc" --chain-id "$MAIN_ID"
				--state "$SERVICES_DIR/$name.json" --metrics-addr "127.0.0.1:$port")
			;;
		esac
		start_bg "$PID_DIR/$name.pid" "$LOG_DIR/$name.log" "${cmd[@]}"
	done
	sleep 2
	for s in "${SERVICES[@]}"; do
		read -r name kind id org port <<<"$s"
		pid_alive "$PID_DIR/$name.pid" || {
			tail -n 20 "$LOG_DIR/$name.log" >&2 || true
			die "$name exited at once (log: $LOG_DIR/$name.log)"
		}
		local who=""
		[[ "$org" == - ]] || who=", for $org"
		log "started $name ($kind of $id$who), metrics on 127.0.0.1:$port, log $LOG_DIR/$name.log"
	done
	[[ "$WANT_PROMETHEUS" == 1 ]] && prometheus_start
	return 0
}

# prometheus_start: the kit's alert rules and a scrape configuration for
# this localnet's nodes and daemons, then Prometheus on 127.0.0.1:PROM_PORT.
prometheus_start() {
	local id n off s name kind port
	rm -rf "$PROM_DIR"
	mkdir -p "$PROM_DIR/data"
	cp "$REPO_ROOT/monitoring/prometheus/alerts.yml" "$PROM_DIR/alerts.yml"
	{
		echo "# Written by scripts/localnet.sh for this localnet (monitoring/prometheus/prometheus.yml is the template)."
		echo "global: {scrape_interval: 5s, evaluation_interval: 5s}"
		echo "rule_files: [alerts.yml]"
		echo "scrape_configs:"
		echo "  - job_name: cometbft"
		echo "    static_configs:"
		for id in "${CHAIN_IDS[@]}"; do
			for ((n = 0; n < NVALS[$id]; n++)); do
				off="$(node_off "$id" "$n")"
				echo "      - {targets: [\"127.0.0.1:$(chain_port prometheus "$off")\"], labels: {chain: $id, node: $(node_name "$id" "$n")}}"
			done
		done
		echo "  - job_name: app"
		echo "    params: {format: [prometheus]}"
		echo "    static_configs:"
		for id in "${CHAIN_IDS[@]}"; do
			for ((n = 0; n < NVALS[$id]; n++)); do
				off="$(node_off "$id" "$n")"
				echo "      - {targets: [\"127.0.0.1:$(chain_port api "$off")\"], labels: {chain: $id, node: $(node_name "$id" "$n")}}"
			done
		done
		for kind in watcher reporter; do
			echo "  - job_name: statuscollect-$kind"
			echo "    static_configs:"
			local any=0
			for s in "${SERVICES[@]}"; do
				read -r name _ id _ port <<<"$s"
				[[ "$name" == "$kind"-* ]] || continue
				echo "      - {targets: [\"127.0.0.1:$port\"], labels: {subchain: $id, daemon: $name}}"
				any=1
			done
			((any == 1)) || echo "      - {targets: []}"
		done
	} >"$PROM_DIR/prometheus.yml"
	if command -v promtool >/dev/null 2>&1; then
		promtool check config "$PROM_DIR/prometheus.yml" >/dev/null 2>&1 ||
			die "the generated $PROM_DIR/prometheus.yml does not check: $(promtool check config "$PROM_DIR/prometheus.yml" 2>&1 | tail -n 3)"
	fi
	start_bg "$PID_DIR/prometheus.pid" "$LOG_DIR/prometheus.log" prometheus --config.file "$PROM_DIR/prometheus.yml" \
		--storage.tsdb.path "$PROM_DIR/data" --web.listen-address "127.0.0.1:$PROM_PORT"
	sleep 1
	pid_alive "$PID_DIR/prometheus.pid" || {
		tail -n 20 "$LOG_DIR/prometheus.log" >&2 || true
		die "prometheus exited at once (log: $LOG_DIR/prometheus.log)"
	}
	log "started Prometheus on http://127.0.0.1:$PROM_PORT (config $PROM_DIR/prometheus.yml, log $LOG_DIR/prometheus.log)"
}

# services_json: the services for localnet.json, one JSON object per line.
services_json() {
	local s name kind id org port
	for s in "${SERVICES[@]}"; do
		read -r name kind id org port <<<"$s"
		printf '{"name":"%s","kind":"%s","subchain":"%s","org":"%s","metrics":"127.0.0.1:%s","pid_file":"%s","log":"%s","state":"%s"}\n' \
			"$name" "$kind" "$id" "${org#-}" "$port" "$PID_DIR/$name.pid" "$LOG_DIR/$name.log" "$SERVICES_DIR/$name.json"
	done
	[[ "$WANT_PROMETHEUS" == 1 ]] &&
		printf '{"name":"prometheus","kind":"prometheus","url":"http://127.0.0.1:%s","pid_file":"%s","log":"%s"}\n' \
			"$PROM_PORT" "$PID_DIR/prometheus.pid" "$LOG_DIR/prometheus.log"
	return 0
}

# services_summary: the health table once every subchain reports (waiting up
# to LOCALNET_ACTIVE_WAIT seconds, default 90, when the daemons run), then
# what to try next.
services_summary() {
	local wait=()
	[[ "$WANT_DAEMONS" == 1 ]] && wait=(--wait-active "${LOCALNET_ACTIVE_WAIT:-90}")
	bash "$REPO_ROOT/scripts/localnet-status.sh" "${wait[@]}" ||
		log "WARNING: not every subchain is ACTIVE yet; see make localnet-status and the logs in $LOG_DIR"
	cat <<NEXT

Next:
  make localnet-status                       this table again, with the services and Prometheus
  build/mainchaind q statuscollect latest-status subchain-a --node $MAIN_NODE
  build/mainchaind dashboard --main-grpc 127.0.0.1:$(chain_port grpc "${OFFSET_OF[$MAIN_ID]}") --main-rpc $MAIN_NODE --listen 127.0.0.1:8088
                                             the status page on http://127.0.0.1:8088/
  docs/getting-started.md                    a walk through queries, events and the clients
  make localnet-stop                         stop everything
NEXT
}
