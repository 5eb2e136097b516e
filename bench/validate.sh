#!/usr/bin/env bash
# Benchmark: `zprov validate` over a generated 1,000,000-row CSV. Prints rows/s and the
# peak resident memory. A figure to read, not a timed test. Usage: bench/validate.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
scripts/build >/dev/null
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

out=bench/out
mkdir -p "$out"
csv="$out/users-$rows.csv"
[ -f "$csv" ] || bench/make-csv.sh "$rows" "$csv"
size=$(stat -c %s "$csv")
echo "input: $csv ($rows rows, $((size / 1024 / 1024)) MiB)"

for run in 1 2 3; do
  /usr/bin/time -f '%e %M' -o "$out/time.txt" build/zprov validate "$csv" --json >"$out/validate.json" || true
  read -r secs rss_kb < <(tail -n 1 "$out/time.txt")
  awk -v r="$rows" -v s="$secs" -v m="$rss_kb" -v k="$run" 'BEGIN {
    printf "run %d: %.2f s, %.0f rows/s, max RSS %.1f MB\n", k, s, (s > 0 ? r / s : 0), m / 1024 }'
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("validate: rows %d valid %d invalid %d days_needed %d" % (d["rows"], d["valid"], d["invalid"], d["days_needed"]))' "$out/validate.json"
