#!/usr/bin/env bash
# Makes the .deb from the build in BUILD_DIR into SCRATCH, checks its control fields and
# file list, unpacks it into a scratch root (dpkg -x) and runs the unpacked zprov.
# Usage: check-deb.sh BUILD_DIR SCRATCH
set -euo pipefail
build_dir=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch"
fail() { echo "check-deb: $*" >&2; exit 1; }

cpack --config "$build_dir/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$scratch"/out/*.deb)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")

[ "$(dpkg-deb -f "$deb" Package)" = zprov ] || fail "Package is not zprov"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libssl3 libstdc++6; do
  [[ $depends == *"$lib "* || $depends == *"$lib," || $depends == *"$lib" ]] ||
    fail "Depends lacks $lib: $depends"
done
if dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -E 'preinst|postinst|prerm|postrm'; then
  fail "the package has maintainer scripts"
fi

dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$scratch/files"
for f in /usr/bin/zprov /usr/bin/zoomsim /usr/share/man/man1/zprov.1.gz \
  /usr/share/bash-completion/completions/zprov /usr/share/doc/zprov/zprov.example.json \
  /usr/share/doc/zprov/nightly/crontab /usr/share/doc/zprov/nightly/zprov-nightly.service \
  /usr/share/doc/zprov/nightly/zprov-nightly.timer /usr/share/doc/zprov/nightly/zprov.json; do
  grep -qx "$f" "$scratch/files" || fail "$f is not in the package"
done

# Debian policy 5.6.13: each continuation line of Description starts with a space; an empty
# line is " ."; nothing else (a CMake list separator, say) may lead a line.
dpkg-deb -f "$deb" Description | tail -n +2 >"$scratch/description"
[ -s "$scratch/description" ] || fail "Description has no long description"
while IFS= read -r line; do
  [[ $line == " "?* ]] || fail "Description continuation line does not start with a space: '$line'"
  [[ $line == " ;"* ]] && fail "Description continuation line starts with ';': '$line'"
  [[ $line =~ ^\ +$ ]] && fail "Description has a blank continuation line (use ' .')"
done <"$scratch/description"

dpkg -x "$deb" "$scratch/root"
# The nightly samples run the zprov this package installs (/usr/bin/zprov), or whichever
# zprov is on PATH: never a path the package does not install.
for sample in "$scratch"/root/usr/share/doc/zprov/nightly/*; do
  if grep -v '^#' "$sample" | grep -oE '/[a-z/]*/zprov( |$)' | grep -vx '/usr/bin/zprov '; then
    fail "$(basename "$sample") runs a zprov the package does not install"
  fi
done
grep -qE '^ExecStart=(/usr/bin/)?zprov ' "$scratch/root/usr/share/doc/zprov/nightly/zprov-nightly.service" ||
  fail "zprov-nightly.service does not run zprov"
grep -qE '(^|[;&|] *)(/usr/bin/)?zprov run ' "$scratch/root/usr/share/doc/zprov/nightly/crontab" ||
  fail "the crontab sample does not run zprov"
out=$("$scratch/root/usr/bin/zprov" --version)
[[ $out == "zprov $version (commit "*")" ]] || fail "unexpected --version: $out"
zcat "$scratch/root/usr/share/man/man1/zprov.1.gz" | grep -q '^\.TH ZPROV 1' || fail "no man page"
echo "check-deb: $(basename "$deb") ok: $out; Depends: $depends"
