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
if [ ! -f "$csv" ]; then
  # Zoom's import template plus a type column; names with accents and CJK; one row in
  # a thousand invalid, so the error path is exercised too.
  awk -v n="$rows" 'BEGIN {
    printf "\xef\xbb\xbfEmail,First Name,Last Name,Department,Manager,User Group,Job Title,Location,User Type\r\n";
    split("Ann,Bob,Zoë,José,Søren,王,김민준,Νίκος,Анна,Layla", first, ",");
    split("Lee,García,Müller,小明,Ó Briain,Papadopoulos,Смирнова,Nguyễn,Okafor,Kim", last, ",");
    for (i = 0; i < n; i++) {
      f = first[i % 10 + 1]; l = last[int(i / 10) % 10 + 1];
      email = "user" i "@example.com";
      if (i % 1000 == 999) email = "user" i "@example";
      printf "%s,%s,%s,\"Sales, EMEA\",Jane Roe,Staff,Account Executive,Berlin,%d\r\n", email, f, l, (i % 2) + 1;
    }
  }' > "$csv"
fi
size=$(stat -c %s "$csv")
echo "input: $csv ($rows rows, $((size / 1024 / 1024)) MiB)"

for run in 1 2 3; do
  /usr/bin/time -f '%e %M' -o "$out/time.txt" build/zprov validate "$csv" --json >"$out/validate.json" || true
  read -r secs rss_kb < <(tail -n 1 "$out/time.txt")
  awk -v r="$rows" -v s="$secs" -v m="$rss_kb" -v k="$run" 'BEGIN {
    printf "run %d: %.2f s, %.0f rows/s, max RSS %.1f MB\n", k, s, (s > 0 ? r / s : 0), m / 1024 }'
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("validate: rows %d valid %d invalid %d days_needed %d" % (d["rows"], d["valid"], d["invalid"], d["days_needed"]))' "$out/validate.json"
