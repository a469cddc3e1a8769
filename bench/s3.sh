#!/usr/bin/env bash
# The S3 first-upload scenario (bench/README.md "S3"): builds steadysync-cli into build-bench/
# and runs bench/s3bench.py on a Ceph RGW of its own, beside rclone copy and s3cmd put.
#   bench/s3.sh [--small-count N] [--large-mib M] [--parallel P] [--tools steadysync,rclone,s3cmd]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${BENCH_BUILD_DIR:-$repo/build-bench}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTEADYSYNC_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target steadysync-cli -j"$(nproc)"
python3 "$here/s3bench.py" --cli "$build/app/steadysync-cli" "$@"
