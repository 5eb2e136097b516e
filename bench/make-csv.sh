#!/usr/bin/env bash
# Writes the benchmarks' CSV: Zoom's import template plus a type column, ROWS rows, as Excel
# saves it (UTF-8 BOM, CRLF, a quoted comma); names with accents and CJK; one row in a
# thousand has an invalid email, so the error path is exercised too.
# Usage: bench/make-csv.sh ROWS FILE
set -euo pipefail
rows=${1:?usage: make-csv.sh ROWS FILE}
file=${2:?usage: make-csv.sh ROWS FILE}
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
}' >"$file.tmp"
mv "$file.tmp" "$file"
