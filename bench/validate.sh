#!/usr/bin/env bash
# Benchmark: `zprov validate` over a generated 1,000,000-row CSV. Prints rows/s and the
# peak resident memory. A figure to read, not a timed test.
# Usage: bench/validate.sh [ROWS]
#   RUNS=N         runs per input (default 3)
#   REF_ZPROV=PATH a reference build, timed in the same run, runs interleaved
# Inputs: the CSV as Excel saves "CSV UTF-8" (with a byte-order mark), the same without the
# mark (so that --encoding auto checks all of it is UTF-8 before reading it), and the same
# in Windows-1252 (decoded as it streams).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${RUNS:-3}
scripts/build >/dev/null
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

out=bench/out
mkdir -p "$out"
csv="$out/users-$rows.csv"
[ -f "$csv" ] || bench/make-csv.sh "$rows" "$csv"
nobom="$out/users-$rows-nobom.csv"
[ -f "$nobom" ] || tail -c +4 "$csv" >"$nobom"
# Windows-1252 cannot hold the CJK, Greek, Cyrillic and Vietnamese names: '?' for them, as
# Excel writes it (those rows are then invalid, and the path that reports them is timed).
cp1252="$out/users-$rows-cp1252.csv"
[ -f "$cp1252" ] || tail -c +4 "$csv" | iconv -f UTF-8 -t CP1252//TRANSLIT >"$cp1252" 2>/dev/null ||
  tail -c +4 "$csv" | iconv -c -f UTF-8 -t CP1252 >"$cp1252"

builds=("zprov=build/zprov")
[ -n "${REF_ZPROV:-}" ] && builds+=("reference=$REF_ZPROV")

for input in "$csv" "$nobom" "$cp1252"; do
  size=$(stat -c %s "$input")
  echo "input: $input ($rows rows, $((size / 1024 / 1024)) MiB)"
  for run in $(seq 1 "$runs"); do
    for b in "${builds[@]}"; do
      name=${b%%=*}
      bin=${b#*=}
      /usr/bin/time -f '%e %U %M' -o "$out/time.txt" "$bin" validate "$input" --json >"$out/validate.json" 2>/dev/null || true
      read -r secs user rss_kb < <(tail -n 1 "$out/time.txt")
      awk -v r="$rows" -v s="$secs" -v u="$user" -v m="$rss_kb" -v k="$run" -v n="$name" 'BEGIN {
        printf "  %-9s run %d: %.2f s (user %.2f s), %.0f rows/s, max RSS %.1f MB\n", n, k, s, u, (s > 0 ? r / s : 0), m / 1024 }'
    done
  done
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("  validate: rows %d valid %d invalid %d days_needed %d" % (d["rows"], d["valid"], d["invalid"], d["days_needed"]))' "$out/validate.json"
done
