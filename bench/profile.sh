#!/usr/bin/env bash
# Profiles Steadysync's first upload of the `small` workload to the bench Apache with
# `perf record --call-graph dwarf` and prints the hottest symbols (self and inclusive) and
# the requests per method the server saw. Build and workloads as made by bench/run.sh.
#   bench/profile.sh [OUT_DIR]      (default BENCH_DATA/profile; perf.data stays there)
# BENCH_PROFILE_WORKLOAD=large profiles the 4 x 256 MiB upload instead (issue 21, item 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BENCH_BUILD_DIR:-$(dirname "$here")/build-bench}
data=${BENCH_DATA:-/work/bench-data}
out=${1:-$data/profile}
workload=${BENCH_PROFILE_WORKLOAD:-small}
[ -d "$data/workloads/$workload" ] ||
    python3 "$here/genworkload.py" "$workload" "$data/workloads/$workload"

rm -rf "$out" && mkdir -p "$out"
python3 "$here/benchserver.py" "$out/server" >"$out/server.txt" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$out/local" "$out/server/www/dav"' EXIT
for _ in $(seq 100); do grep -q '^WebDAV' "$out/server.txt" && break; sleep 0.2; done
url=$(awk '/^WebDAV/ {print $2}' "$out/server.txt")
[ -n "$url" ] || { cat "$out/server.txt"; exit 1; }

cp -a "$data/workloads/$workload" "$out/local"
mkdir -p "$out/home"
HOME="$out/home" STEADYSYNC_PASSWORD=bench-pw perf record -F 499 --call-graph dwarf,16384 \
    -o "$out/perf.data" -- "$build/app/steadysync-cli" sync "$out/local" "$url" --user bench \
    --json --quiet
set +o pipefail  # `head` closes the pipes early
report=(perf report -i "$out/perf.data" --stdio -g none)
echo "== threads"
"${report[@]}" --no-children --sort comm 2>/dev/null | grep -v '^#' | grep -v '^$' | head -5
echo "== self time (top 25)"
"${report[@]}" --no-children --sort dso,symbol 2>/dev/null | grep -v '^#' | grep -v '^$' |
    cut -c1-150 | head -25
echo "== inclusive time, Steadysync and Qt frames (top 40)"
"${report[@]}" --children --sort symbol 2>/dev/null | grep -v '^#' | grep -v '^$' |
    grep -E 'steadysync|Q[A-Z]' | cut -c1-170 | head -40
echo "== requests the server saw"
awk '{m=$4; gsub("\"","",m); n[m]++; t[m]+=$NF} END {for (k in n) printf "%-9s %6d  mean server time %.2f ms\n", k, n[k], t[k]/n[k]/1000}' \
    "$out/server/logs/access.log"
