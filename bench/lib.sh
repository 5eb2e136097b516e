# shellcheck shell=bash disable=SC2034
# Shared by the benchmark scripts (sourced, not run): a work directory, zoomsim servers on
# 127.0.0.1 (over TLS with a throw-away CA unless TLS=0) and their /_sim/stats, and clean-up
# of everything started, on any exit. Expects `set -euo pipefail` and the repository root as
# the current directory.

BUILD_DIR=${BUILD_DIR:-build}
ZPROV="$BUILD_DIR/zprov"
ZOOMSIM="$BUILD_DIR/zoomsim"
TLS=${TLS:-1}
SIM_TOKEN=bench-token-7c1d

bench_work=$(mktemp -d)
bench_pids=()

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$bench_work"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds (incrementally, 2 jobs; BENCH_BUILD=0 takes BUILD_DIR's binaries as they are) and
# makes sure /usr/bin/time is there.
bench_build() {
  if [ "${BENCH_BUILD:-1}" = 1 ]; then JOBS=2 scripts/build >/dev/null; fi
  command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
  if [ "$TLS" = 1 ] && [ ! -f "$bench_work/ca/ca.pem" ]; then
    scripts/make-test-ca "$bench_work/ca"
  fi
}

# The machine the figures come from.
bench_machine() {
  local cpu mem
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
  echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $mem GiB RAM, load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# sim_start ARGS...: starts a zoomsim with ARGS; sets SIM_PID and SIM_URL (scheme://host:port).
sim_start() {
  local port_file="$bench_work/sim-$RANDOM$RANDOM.port"
  local tls_args=()
  [ "$TLS" = 1 ] && tls_args=(--tls-cert "$bench_work/ca/server.pem" --tls-key "$bench_work/ca/server.key")
  # --groups: the group bench/make-csv.sh's User Group column names.
  # --realtime: arrivals are timed as they happen, however busy the machine is.
  "$ZOOMSIM" --listen 127.0.0.1 --port 0 --port-file "$port_file" --access-token "$SIM_TOKEN" \
    --groups Staff --realtime "${tls_args[@]}" "$@" >>"$bench_work/zoomsim.log" 2>&1 &
  SIM_PID=$!
  bench_pids+=("$SIM_PID")
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || { echo "bench: zoomsim did not start" >&2; cat "$bench_work/zoomsim.log" >&2; exit 1; }
  if [ "$TLS" = 1 ]; then SIM_URL="https://127.0.0.1:$(cat "$port_file")"; else SIM_URL="http://127.0.0.1:$(cat "$port_file")"; fi
}

# limit_start LIMIT LATENCY_MS JITTER_MS: starts tests/servers/limit_server.py (the stand-in
# that shares no code with zoomsim or zprov) like sim_start; sets SIM_PID and SIM_URL.
limit_start() {
  local port_file="$bench_work/limit-$RANDOM$RANDOM.port"
  local tls_args=()
  [ "$TLS" = 1 ] && tls_args=(--cert "$bench_work/ca/server.pem" --key "$bench_work/ca/server.key")
  realtime python3 tests/servers/limit_server.py --port-file "$port_file" --token "$SIM_TOKEN" \
    --limit "$1" --latency-ms "$2" --jitter-ms "$3" "${tls_args[@]}" >>"$bench_work/limit.log" 2>&1 &
  SIM_PID=$!
  bench_pids+=("$SIM_PID")
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || { echo "bench: limit_server.py did not start" >&2; cat "$bench_work/limit.log" >&2; exit 1; }
  if [ "$TLS" = 1 ]; then SIM_URL="https://127.0.0.1:$(cat "$port_file")"; else SIM_URL="http://127.0.0.1:$(cat "$port_file")"; fi
}

# realtime COMMAND...: runs COMMAND under the real-time scheduler when this user may (root),
# so that a server times arrivals as they happen however busy the machine is; else as is.
realtime() {
  if chrt -f 1 true 2>/dev/null; then chrt -f 1 "$@"; else "$@"; fi
}

sim_stop() {
  kill -TERM "$SIM_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SIM_PID" 2>/dev/null || true
  wait "$SIM_PID" 2>/dev/null || true
}

# curl's options for every request to the simulator.
curl_base() {
  CURL_BASE=(curl -sS --noproxy '*' --max-time 30)
  [ "$TLS" = 1 ] && CURL_BASE+=(--cacert "$bench_work/ca/ca.pem")
  return 0
}

# sim_stats FILE: GET /_sim/stats into FILE.
sim_stats() {
  curl_base
  "${CURL_BASE[@]}" -o "$1" "$SIM_URL/_sim/stats"
}

# zprov's TLS options for the current simulator.
zprov_sim_args() {
  ZPROV_SIM_ARGS=(--base-url "$SIM_URL/v2")
  [ "$TLS" = 1 ] && ZPROV_SIM_ARGS+=(--ca-file "$bench_work/ca/ca.pem")
  return 0
}

# make_users_csv FILE ROWS TAG: "Email,First Name,Last Name,Department", ROWS users.
make_users_csv() {
  awk -v n="$2" -v tag="$3" 'BEGIN {
    print "Email,First Name,Last Name,Department";
    for (i = 0; i < n; i++) printf "user%d@%s.example.com,Ann,Lee %d,Sales\n", i, tag, i }' >"$1"
}

# json_get FILE EXPR: a Python expression over `d` (the JSON object in FILE), printed.
json_get() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
