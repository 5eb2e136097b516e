#!/usr/bin/env bash
# Benchmark: zprov at scale. Prints, each measured RUNS times:
#  1. `zprov validate` and `zprov run --dry-run` over a ROWS-row CSV (bench/make-csv.sh):
#     rows/s and max RSS;
#  2. replay of a journal of 2 x JOURNAL_EMAILS intent/outcome records (what 50 nightly
#     Business+ runs leave; written by zprov_bench_journal with real checksums):
#     `zprov status JOURNAL --json` and `zprov report JOURNAL -o /dev/null`, seconds and max
#     RSS against the targets (under 2 s and 200 MB);
#  2b. replay of a journal of LONG_RECORDS records of 100 KB each (invalid rows keeping a long
#     comment cell, written by `zprov run` itself): `zprov run` (a one-row sheet against it),
#     `status --json` and `report --failed-only`, against the same targets;
#  3. CPU time per created user: user+sys CPU seconds of `zprov run` importing CPU_ROWS rows
#     on Business+ into zoomsim (100 ms +- 20 latency, TLS), as in bench/throughput.sh,
#     divided by the users created.
# Wall times and RSS come from /usr/bin/time -f '%e %U %S %M'. A figure to read, not a timed
# test: the targets are reported, and the exit status is non-zero only if something failed
# to run. Generated inputs are kept in bench/out/ for the next run.
# Usage: bench/scale.sh
# Environment: ROWS (1000000), JOURNAL_EMAILS (500000), LONG_RECORDS (1000), RUNS (3),
#   CPU_ROWS (1000), TLS (1),
#   BUILD_DIR (build).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

rows=${ROWS:-1000000}
emails=${JOURNAL_EMAILS:-500000}
runs=${RUNS:-3}
cpu_rows=${CPU_ROWS:-1000}
long_records=${LONG_RECORDS:-1000}
out=bench/out
w=$bench_work
mkdir -p "$out"

bench_build
[ -x "$BUILD_DIR/zprov_bench_journal" ] ||
  { echo "bench: $BUILD_DIR/zprov_bench_journal is missing (configure with -DZPROV_BUILD_BENCH=ON)" >&2; exit 1; }

echo "scale: $("$ZPROV" --version 2>/dev/null | head -n 1 || true)"
bench_machine

# timed LABEL COUNT UNIT COMMAND...: runs COMMAND (stdout to $w/out) RUNS times under
# /usr/bin/time; prints seconds, COUNT/s and max RSS per run. Sets best_secs and
# worst_rss_mb. Exit statuses other than 0 and 1 (done, some rows invalid) are failures.
timed() {
  local label=$1 count=$2 unit=$3 run rc secs user sys rss_kb
  shift 3
  best_secs=
  worst_rss_mb=0
  for run in $(seq "$runs"); do
    rc=0
    timeout 300 /usr/bin/time -f '%e %U %S %M' -o "$w/time.txt" "$@" >"$w/out" 2>"$w/err" || rc=$?
    if [ "$rc" -gt 1 ]; then
      echo "bench: $label exited $rc:" >&2; tail -n 5 "$w/err" >&2; return 1
    fi
    read -r secs user sys rss_kb < <(tail -n 1 "$w/time.txt")
    awk -v l="$label" -v k="$run" -v n="$count" -v u="$unit" -v s="$secs" -v c="$user" -v y="$sys" -v m="$rss_kb" 'BEGIN {
      printf "%-28s run %d: %6.2f s (CPU %.2f user + %.2f sys), %9.0f %s/s, max RSS %6.1f MB\n",
        l, k, s, c, y, (s > 0 ? n / s : 0), u, m / 1024 }'
    best_secs=$(awk -v a="${best_secs:-$secs}" -v b="$secs" 'BEGIN { print (b < a ? b : a) }')
    worst_rss_mb=$(awk -v a="$worst_rss_mb" -v b="$rss_kb" 'BEGIN { m = b / 1024; printf "%.1f", (m > a ? m : a) }')
  done
}

# target LABEL SECS MB: whether the replay meets "under 2 s and 200 MB".
target() {
  awk -v l="$1" -v s="$2" -v m="$3" 'BEGIN {
    ok = s < 2 && m < 200
    printf "%-28s best %.2f s, max RSS %.1f MB: %s the target (under 2 s and 200 MB)\n",
      l, s, m, (ok ? "meets" : "MISSES") }'
}

status=0

# 1. The CSV: validate and a dry run.
csv="$out/users-$rows.csv"
[ -f "$csv" ] || bench/make-csv.sh "$rows" "$csv"
echo
echo "== $rows-row CSV ($(($(stat -c %s "$csv") / 1024 / 1024)) MiB): $csv"
timed "validate --plan business" "$rows" rows "$ZPROV" validate "$csv" --plan business --json || status=1
[ "$status" -ne 0 ] || json_get "$w/out" '"validate: rows %d valid %d invalid %d days_needed %d" % (d["rows"], d["valid"], d["invalid"], d["days_needed"])'
timed "run --dry-run --plan business" "$rows" rows \
  "$ZPROV" run "$csv" --dry-run --plan business --journal "$w/no-such.journal" --progress never || status=1
[ ! -e "$w/no-such.journal" ] || { echo "bench: the dry run wrote a journal" >&2; status=1; }
grep -m1 '^Dry run' "$w/err" || true

# 2. Journal replay.
journal="$out/journal-$emails.journal"
if [ ! -f "$journal" ]; then
  "$BUILD_DIR/zprov_bench_journal" "$journal.tmp" "$emails" >/dev/null
  mv "$journal.tmp" "$journal"
fi
records=$(wc -l <"$journal")
echo
echo "== journal replay: $records records for $emails emails ($(($(stat -c %s "$journal") / 1024 / 1024)) MiB): $journal"
if timed "status --json" "$records" records "$ZPROV" status "$journal" --json; then
  json_get "$w/out" '"status: created %d exists %d rejected %d failed %d in_doubt %d" % (d["created"], d["exists"], d["rejected"], d["failed"], d["in_doubt"])'
  target "status --json" "$best_secs" "$worst_rss_mb"
else
  status=1
fi
if timed "report -o /dev/null" "$records" records "$ZPROV" report "$journal" -o /dev/null; then
  target "report -o /dev/null" "$best_secs" "$worst_rss_mb"
else
  status=1
fi

# 2b. Long records: each line over the decoder's 16 KiB buffer. Nothing is sent (every row
# is invalid); the base URL is a closed port.
long_csv="$out/long-$long_records.csv"
[ -f "$long_csv" ] || awk -v n="$long_records" 'BEGIN {
  print "Email,First Name,Last Name,Comment"
  cell = "c"; while (length(cell) < 100000) cell = cell cell
  cell = substr(cell, 1, 100000)
  for (i = 0; i < n; i++) print "bad" i "-at-example.com,A,B," cell }' >"$long_csv"
long_journal="$w/long.journal"
rm -f "$long_journal"
printf 'Email,First Name,Last Name,Comment\nbad0-at-example.com,A,B,c\n' >"$w/one.csv"
no_zoom=(--base-url http://127.0.0.1:9/v2 --progress never)
rc=0
ZOOM_ACCESS_TOKEN=bench "$ZPROV" run "$long_csv" --journal "$long_journal" "${no_zoom[@]}" \
  >/dev/null 2>"$w/err" || rc=$?
echo
if [ "$rc" -ne 1 ]; then
  echo "bench: zprov run over $long_csv exited $rc:" >&2; tail -n 5 "$w/err" >&2; status=1
else
  echo "== journal replay, long records: $(wc -l <"$long_journal") records ($(($(stat -c %s "$long_journal") / 1024 / 1024)) MiB): $long_journal"
  if ZOOM_ACCESS_TOKEN=bench timed "run (replay)" "$long_records" records \
    "$ZPROV" run "$w/one.csv" --journal "$long_journal" "${no_zoom[@]}"; then
    target "run (replay)" "$best_secs" "$worst_rss_mb"
  else
    status=1
  fi
  if timed "status --json (long)" "$long_records" records "$ZPROV" status "$long_journal" --json; then
    target "status --json (long)" "$best_secs" "$worst_rss_mb"
  else
    status=1
  fi
  if timed "report --failed-only (long)" "$long_records" records \
    "$ZPROV" report "$long_journal" --failed-only -o /dev/null; then
    target "report --failed-only (long)" "$best_secs" "$worst_rss_mb"
  else
    status=1
  fi
fi

# 3. CPU per created user during an import, as in bench/throughput.sh's Business+ run.
echo
echo "== CPU per created user: $cpu_rows rows on Business+, zoomsim 100 ms +- 20, $([ "$TLS" = 1 ] && echo TLS || echo plain HTTP)"
sim_start --plan business --latency-ms 100 --jitter-ms 20 --daily-cap 1000000000 --seed 1
zprov_sim_args
make_users_csv "$w/cpu.csv" "$cpu_rows" cpu
rc=0
ZOOM_ACCESS_TOKEN=$SIM_TOKEN timeout $((cpu_rows / 20 + 60)) \
  /usr/bin/time -f '%e %U %S %M' -o "$w/time.txt" \
  "$ZPROV" run "$w/cpu.csv" --plan business --daily-cap 10000000 --journal "$w/cpu.journal" \
  --progress never "${ZPROV_SIM_ARGS[@]}" 2>"$w/err" || rc=$?
sim_stats "$w/cpu-stats.json"
sim_stop
if [ "$rc" -ne 0 ]; then
  echo "bench: zprov run exited $rc:" >&2; tail -n 5 "$w/err" >&2; status=1
else
  read -r secs user sys rss_kb < <(tail -n 1 "$w/time.txt")
  created=$(json_get "$w/cpu-stats.json" 'd["created"]')
  awk -v s="$secs" -v u="$user" -v y="$sys" -v n="$created" -v m="$rss_kb" 'BEGIN {
    printf "run: %d created in %.2f s (%.1f/s); CPU %.2f s user + %.2f s sys = %.2f ms per created user (%.2f%% of one core); max RSS %.1f MB\n",
      n, s, n / s, u, y, (u + y) * 1000 / n, (u + y) * 100 / s, m / 1024 }'
fi
exit "$status"
