#!/usr/bin/env bash
# Benchmark: zprov's request rate against each plan's per-second limit, measured the way Zoom
# counts it, by arrivals at the server, on two servers: zoomsim, and
# tests/servers/limit_server.py, a stand-in written apart from zoomsim and zprov (Python's
# standard library: one thread per connection, keep-alive, its own sliding window), so that
# a figure zprov reaches only on its own simulator does not count. Beside them, two peers on
# zoomsim: the seed's sequential curl loop (one request at a time, a new curl process each,
# no retry) and an unthrottled parallel curl (xargs -P 16, no retry).
# Both servers answer every create after each of LATENCIES_MS +- JITTER_MS (100 and 250, +- 20:
# near Zoom and as far as Sydney is), over TLS with a
# throw-away CA (TLS=0: plain HTTP), enforcing the plan's per-second limit, daily caps
# lifted; both run under the real-time scheduler when the user may (root), so that the
# machine's load cannot delay the reading of a request. Each client gets a fresh server, so
# every count, the busiest second too, is its own.
#
# zprov runs twice per plan and server: on the idle machine, and with one CPU-bound process
# (a shell busy loop the script starts and stops) beside it. REF_ZPROV=PATH runs a reference
# build of zprov (an earlier commit, say) the same ways, so that both are compared in one run.
#
# Prints per plan and server: zprov's requests/s at arrivals (after the first second, the
# least-squares slope of their count over time) and its ratio to the plan's limit, its
# requests/s over its own wall time, the most requests the server saw in one sliding
# second, the 429s, zprov's CPU time per created user and its peak RSS, the list calls it
# made (zoomsim's count of GET /users and GET /groups, and the page size asked for) and the
# machine's load average when it started; the peers' rates,
# 429s and rows left uncreated; and zprov's speed-up over the sequential loop in users
# created per second. Then the tables.
# A figure to read, not a timed test: exits non-zero only if something failed to run.
#
# Usage: bench/throughput.sh [PLAN...]      (default: free pro business)
# Environment: FREE_ROWS (40), PRO_ROWS (300), BUSINESS_ROWS (1000): rows zprov and the
#   parallel curl import; SEQ_ROWS (60): rows of the sequential loop; LATENCIES_MS
#   ("100 250"; LATENCY_MS sets one), JITTER_MS (20), PARALLEL (16), TLS (1), BUILD_DIR (build), REF_ZPROV (none),
#   SERVERS ("zoomsim limit"), PEERS (1; 0 leaves out the curl peers).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

read -r -a latencies <<<"${LATENCIES_MS:-${LATENCY_MS:-100 250}}"
latency=${latencies[0]}
jitter=${JITTER_MS:-20}
parallel=${PARALLEL:-16}
seq_rows=${SEQ_ROWS:-60}
plans=("$@")
[ ${#plans[@]} -gt 0 ] || plans=(free pro business)
read -r -a servers <<<"${SERVERS:-zoomsim limit}"

bench_build
w=$bench_work
CURL_CA=
[ "$TLS" = 1 ] && CURL_CA=$w/ca/ca.pem

limit_of() { case $1 in free) echo 4 ;; pro) echo 30 ;; business) echo 80 ;; *) echo "bench: unknown plan $1" >&2; exit 64 ;; esac; }
rows_of() { case $1 in free) echo "${FREE_ROWS:-40}" ;; pro) echo "${PRO_ROWS:-300}" ;; business) echo "${BUSINESS_ROWS:-1000}" ;; esac; }

sim_for() { # PLAN [ZOOMSIM OPTION...]: a fresh simulator for one client
  local plan=$1
  shift
  sim_start --plan "$plan" --latency-ms "$latency" --jitter-ms "$jitter" --daily-cap 1000000000 --seed 1 "$@"
}

# stat_line FILE: "requests created 429s busiest" from a /_sim/stats document.
stat_line() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["requests_total"], d["created"], d["rate_limited_qps"] + d["rate_limited_daily"], d["max_requests_in_one_second"])' "$1"
}

# server_line SERVER STATS CALLS: "requests created 429s busiest steady-rate" of one import,
# as the server counted it: zoomsim's /_sim/stats and /_sim/calls (its Light arrivals), or
# limit_server.py's /_limit/stats. The steady rate leaves out the first second (a client
# may open with a burst up to the limit): the slope of the arrivals after it over time.
server_line() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[2]))
if sys.argv[1] == "zoomsim":
    at = json.load(open(sys.argv[3]))["arrivals_ms"]["Light"]
    figures = [d["requests_total"], d["created"], d["rate_limited_qps"] + d["rate_limited_daily"], d["max_requests_in_one_second"]]
else:
    at = d["arrivals_ms"]
    figures = [d["requests"], d["created"], d["rate_limited"], d["busiest"]]
later = [t / 1000 for t in at if t >= at[0] + 1000]
n = len(later)
# Least squares of the arrival count over time: arrivals that come in bunches (several in
# one instant, then a gap) do not move it as a count over a span would.
mean_t = sum(later) / n if n else 0
mean_i = (n - 1) / 2
var = sum((t - mean_t) ** 2 for t in later)
steady = sum((t - mean_t) * (i - mean_i) for i, t in enumerate(later)) / var if n > 2 and var > 0 else 0
print(*figures, "%.2f" % steady)' "$@"
}

# post_user EMAIL: the seed's request, one curl process; prints the HTTP status.
# Exported for xargs' shells: uses SIM_URL, SIM_TOKEN and CURL_CA only.
post_user() {
  curl -sS --noproxy '*' --max-time 30 ${CURL_CA:+--cacert "$CURL_CA"} -o /dev/null -w '%{http_code}\n' -X POST \
    -H "Authorization: Bearer $SIM_TOKEN" -H "Content-Type: application/json" \
    -d "{\"action\":\"create\",\"user_info\":{\"email\":\"$1\",\"type\":1,\"first_name\":\"Ann\",\"last_name\":\"Lee\"}}" \
    "$SIM_URL/v2/users" || true
}
export -f post_user

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }

# load_start / load_stop: one CPU-bound process (a shell busy loop, at most 10 min) beside
# the measured import, as other work on a shared machine would be.
load_start() {
  timeout 600 sh -c 'while :; do :; done' &
  LOAD_PID=$!
  bench_pids+=("$LOAD_PID")
}
load_stop() {
  kill -TERM "$LOAD_PID" 2>/dev/null || true
  wait "$LOAD_PID" 2>/dev/null || true
}

# zprov_measure BIN LABEL idle|loaded PLAN LIMIT ROWS SERVER: one import against a fresh
# server (zoomsim, or limit_server.py: "limit"); prints its figures and adds a row to the
# zprov table. Fails if the import failed.
zprov_measure() {
  local bin=$1 label=$2 load=$3 plan=$4 limit=$5 rows=$6 server=$7 tag rc=0 loadavg
  tag="$plan-$label-$load-$server-$latency"
  loadavg=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$server" = zoomsim ]; then sim_for "$plan" --record "$w/$tag-record.jsonl"; else limit_start "$limit" "$latency" "$jitter"; fi
  make_users_csv "$w/$tag.csv" "$rows" "$tag"
  zprov_sim_args
  [ "$load" = loaded ] && load_start
  ZOOM_ACCESS_TOKEN=$SIM_TOKEN timeout $((rows * 3 / limit + 60)) \
    /usr/bin/time -f '%e %U %S %M' -o "$w/time.txt" \
    "$bin" run "$w/$tag.csv" --plan "$plan" --daily-cap 10000000 --journal "$w/$tag.journal" \
    --progress never --summary-json "$w/$tag-summary.json" "${ZPROV_SIM_ARGS[@]}" \
    2>"$w/zprov-$tag.log" || rc=$?
  [ "$load" = loaded ] && load_stop
  curl_base
  if [ "$server" = zoomsim ]; then
    sim_stats "$w/$tag.json"
    "${CURL_BASE[@]}" -o "$w/$tag-calls.json" "$SIM_URL/_sim/calls"
  else
    "${CURL_BASE[@]}" -o "$w/$tag.json" "$SIM_URL/_limit/stats"
  fi
  sim_stop
  if [ "$rc" -ne 0 ]; then
    echo "bench: $label ($load, $server) exited $rc:" >&2; tail -n 5 "$w/zprov-$tag.log" >&2; return 1
  fi
  read -r z_secs z_user z_sys z_rss < <(tail -n 1 "$w/time.txt")
  read -r z_req z_created z_429 z_busiest z_arrival_rate < <(server_line "$server" "$w/$tag.json" "$w/$tag-calls.json")
  # The list calls (Medium): zoomsim counts them, and its record of the exchanges has the
  # page size zprov asked for ("-" when the run made no list call).
  z_lists=n/a z_page=n/a
  if [ "$server" = zoomsim ]; then
    z_lists=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d.get("user_lists", 0) + d.get("group_lists", 0))' "$w/$tag.json")
    z_page=$( (grep -o 'page_size=[0-9]*' "$w/$tag-record.jsonl" || true) | sort -u | cut -d= -f2 | paste -sd/ -)
    [ -n "$z_page" ] || z_page=-
  fi
  z_rate=$(rate "$z_req" "$z_secs")
  z_ratio=$(awk -v r="$z_arrival_rate" -v l="$limit" 'BEGIN { printf "%.3f", r / l }')
  z_cpu_ms=$(awk -v u="$z_user" -v s="$z_sys" -v n="$z_created" 'BEGIN { printf "%.2f", (n > 0 ? (u + s) * 1000 / n : 0) }')
  z_rss_mb=$(awk -v k="$z_rss" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%-9s %-6s %-7s %4s ms %5d requests, %6.2f/s at arrivals = %.3f of the limit (%6.2f/s over %.2f s wall); busiest second %d; 429s %d; %d created; load %s\n' \
    "$label" "$load" "$server" "$latency" "$z_req" "$z_arrival_rate" "$z_ratio" "$z_rate" "$z_secs" "$z_busiest" "$z_429" "$z_created" "$loadavg"
  printf '                         CPU %.2f s user + %.2f s sys = %s ms per created user; max RSS %s MB; list calls %s (page size %s)\n' \
    "$z_user" "$z_sys" "$z_cpu_ms" "$z_rss_mb" "$z_lists" "$z_page"
  zprov_table+=("| $plan | $label | $load | $server | $latency | $limit | $rows | $z_arrival_rate | $z_ratio | $z_rate | $z_busiest | $z_429 | $z_cpu_ms | $z_rss_mb | $z_lists | $z_page | $loadavg |")
  if [ "$label" = zprov ] && [ "$load" = idle ] && [ "$server" = zoomsim ] && [ "$latency" = "${latencies[0]}" ]; then
    z_idle_secs=$z_secs z_idle_created=$z_created z_idle_rate=$z_rate z_idle_ratio=$z_ratio
    z_idle_busiest=$z_busiest z_idle_429=$z_429 z_idle_cpu=$z_cpu_ms
  fi
}

table=()
zprov_table=()
echo "throughput: latencies ${latencies[*]} ms +- ${jitter}, $([ "$TLS" = 1 ] && echo TLS || echo plain HTTP) on 127.0.0.1, daily caps lifted"
bench_machine
status=0
for plan in "${plans[@]}"; do
  limit=$(limit_of "$plan")
  rows=$(rows_of "$plan")
  echo
  echo "== $plan: limit $limit requests/s; zprov and parallel curl $rows rows, sequential curl $seq_rows rows"

  # zprov, with its defaults for the plan (16 connections, the plan's rate): idle, then with
  # a CPU-bound process beside it; and the reference build, if given, the same two ways.
  z_fail=0
  for latency in "${latencies[@]}"; do
    for server in "${servers[@]}"; do
      for load in idle loaded; do
        zprov_measure "$ZPROV" zprov "$load" "$plan" "$limit" "$rows" "$server" || z_fail=1
        if [ -n "${REF_ZPROV:-}" ]; then
          zprov_measure "$REF_ZPROV" reference "$load" "$plan" "$limit" "$rows" "$server" || z_fail=1
        fi
      done
    done
  done
  latency=${latencies[0]}
  if [ "$z_fail" -ne 0 ]; then status=1; continue; fi
  [ "${PEERS:-1}" = 1 ] || continue

  # The seed's way: one curl after another, each a new process and connection.
  sim_for "$plan"
  : >"$w/seq-codes.txt"
  deadline=$((SECONDS + 120))
  start=$(now)
  sent=0
  while [ "$sent" -lt "$seq_rows" ] && [ "$SECONDS" -lt "$deadline" ]; do
    post_user "user$sent@$plan-seq.example.com" >>"$w/seq-codes.txt"
    sent=$((sent + 1))
  done
  s_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  sim_stats "$w/$plan-seq.json"
  sim_stop
  read -r s_req s_created s_429 s_busiest < <(stat_line "$w/$plan-seq.json")
  s_rate=$(rate "$s_req" "$s_secs")
  s_created_rate=$(rate "$s_created" "$s_secs")
  printf 'curl sequential: %5d requests in %6.2f s = %6.2f/s, %.3f of the limit; busiest second %d; 429s %d; %d created, %d rows not created\n' \
    "$s_req" "$s_secs" "$s_rate" "$(awk -v r="$s_rate" -v l="$limit" 'BEGIN { print r / l }')" \
    "$s_busiest" "$s_429" "$s_created" $((sent - s_created))

  # Unthrottled: xargs -P 16 curl processes, as fast as they go.
  sim_for "$plan"
  start=$(now)
  export SIM_URL SIM_TOKEN CURL_CA
  seq 0 $((rows - 1)) | sed "s/.*/user&@$plan-par.example.com/" |
    timeout 300 xargs -P "$parallel" -I{} bash -c 'post_user "$1"' _ {} >"$w/par-codes.txt" || true
  p_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
  sim_stats "$w/$plan-par.json"
  sim_stop
  read -r p_req p_created p_429 p_busiest < <(stat_line "$w/$plan-par.json")
  p_rate=$(rate "$p_req" "$p_secs")
  p_created_rate=$(rate "$p_created" "$p_secs")
  printf 'curl -P %-2d:     %5d requests in %6.2f s = %6.2f/s, %.3f of the limit; busiest second %d; 429s %d; %d created (%.1f/s), %d rows not created\n' \
    "$parallel" "$p_req" "$p_secs" "$p_rate" "$(awk -v r="$p_rate" -v l="$limit" 'BEGIN { print r / l }')" \
    "$p_busiest" "$p_429" "$p_created" "$p_created_rate" $((rows - p_created))

  speedup=$(awk -v z="$z_idle_created" -v zs="$z_idle_secs" -v s="$s_created" -v ss="$s_secs" 'BEGIN { printf "%.1f", (s > 0 ? (z / zs) / (s / ss) : 0) }')
  printf 'speed-up of zprov over the sequential loop: %sx (users created per second: %s vs %s)\n' \
    "$speedup" "$(rate "$z_idle_created" "$z_idle_secs")" "$s_created_rate"
  table+=("| $plan | $limit | $rows | $z_idle_rate | $z_idle_ratio | $z_idle_busiest | $z_idle_429 | $z_idle_cpu | $s_rate | $s_429 | $p_rate | $p_created_rate | $p_429 | ${speedup}x |")
done

echo
echo "| plan | build | machine | server | latency ms | limit/s | rows | req/s at arrivals | ratio to limit | req/s over wall time | max in 1 s | 429s | CPU ms/user | max RSS MB | list calls | page size | load avg |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${zprov_table[@]}"
echo
echo "| plan | limit/s | rows | zprov req/s | ratio to limit | max in 1 s | 429s | CPU ms/user | curl-seq req/s | curl-seq 429s | curl -P$parallel req/s | curl -P$parallel created/s | curl -P$parallel 429s | speed-up over curl-seq |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${table[@]}"
exit "$status"
