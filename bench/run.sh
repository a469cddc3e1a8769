#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: installs, builds (RelWithDebInfo), generates the
# workloads, runs every scenario against a local Apache and reports (bench/README.md).
#   bench/run.sh [--quick] [--runs N] [--only SCENARIO,...]
# BENCH_DATA (default /work/bench-data) holds workloads and scratch trees; BENCH_BUILD_DIR the build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${BENCH_BUILD_DIR:-$repo/build-bench}
data=${BENCH_DATA:-/work/bench-data}

"$here/setup.sh"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTEADYSYNC_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target steadysync-cli steadysync-hashbench steadysync-benchchart \
    -j"$(nproc)"

mkdir -p "$data" "$here/results"
python3 "$here/bench.py" --build "$build" --data "$data" --results "$here/results" "$@"
QT_QPA_PLATFORM=offscreen "$build/bench/steadysync-benchchart" "$here/results/results.json" \
    "$here/results/ratios.png"
echo "results: $here/results/results.md, results.json, ratios.png"
