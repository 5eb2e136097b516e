#!/usr/bin/env bash
# Measures zoomsim's throughput with wrk over plain HTTP on 127.0.0.1 (no latency, limits
# lifted, one zoomsim thread): GET of an existing user, then POST of unique new users.
# Prints requests/s for each and exits 1 if either is below the target (20,000/s): the
# simulator must never be the bottleneck of a test or benchmark.
# Bounded in time: each wrk run lasts DURATION seconds (default 5).
# Environment: DURATION, CONNECTIONS (default 32), WRK_THREADS (default 1), BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-5}
connections=${CONNECTIONS:-32}
wrk_threads=${WRK_THREADS:-1}
target=20000
zoomsim="${BUILD_DIR:-build}/zoomsim"

if [ ! -x "$zoomsim" ]; then
  scripts/build
fi
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
    { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

work=$(mktemp -d)
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$zoomsim" --listen 127.0.0.1 --port 0 --port-file "$work/port" --access-token bench \
  --qps 1000000000 --daily-cap 1000000000 --seed 1 >"$work/zoomsim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "bench: zoomsim did not start" >&2; cat "$work/zoomsim.log" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"

curl -sS --noproxy '*' --max-time 10 -o /dev/null -X POST -H "Authorization: Bearer bench" \
  -H "Content-Type: application/json" \
  --data-binary '{"action":"create","user_info":{"email":"bench@example.com","type":1}}' \
  "$base/v2/users"

cat >"$work/post.lua" <<'LUA'
-- POST /v2/users with a new email every time (per wrk thread prefix, then a counter).
local next_thread = 0
function setup(thread)
  thread:set("prefix", "t" .. next_thread .. "-")
  next_thread = next_thread + 1
end
local counter = 0
local headers = { ["Authorization"] = "Bearer bench", ["Content-Type"] = "application/json" }
request = function()
  counter = counter + 1
  local body = '{"action":"create","user_info":{"email":"' .. prefix .. counter ..
               '@example.com","type":1,"first_name":"Bench","last_name":"User"}}'
  return wrk.format("POST", "/v2/users", headers, body)
end
LUA

status=0
measure() { # name, wrk arguments...
  local name=$1; shift
  local out
  out=$(timeout $((duration + 30)) wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" "$@")
  local rate errors
  rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print}' <<<"$out")
  printf '%-36s %10.0f requests/s' "$name" "$rate"
  if [ -n "$errors" ]; then printf '  (errors: %s)' "$errors"; status=1; fi
  if awk -v r="$rate" -v t="$target" 'BEGIN { exit !(r < t) }'; then
    printf '  BELOW the %d/s target' "$target"; status=1
  fi
  printf '\n'
}

echo "zoomsim throughput: wrk -t$wrk_threads -c$connections -d${duration}s, plain HTTP on 127.0.0.1, $(nproc) cores"
measure "GET /v2/users/{existing email}" -H "Authorization: Bearer bench" "$base/v2/users/bench@example.com"
measure "POST /v2/users (new users)" -s "$work/post.lua" "$base"
cat >"$work/summary.py" <<'PY'
import json, sys
s = json.load(sys.stdin)
print(f"zoomsim saw: {s['requests_total']} API requests, {s['created']} users created, "
      f"busiest second {s['max_requests_in_one_second']}, "
      f"most concurrent {s['max_concurrent_requests']}, statuses {s['status_counts']}")
PY
curl -sS --noproxy '*' --max-time 30 "$base/_sim/stats" | python3 "$work/summary.py"
exit "$status"
