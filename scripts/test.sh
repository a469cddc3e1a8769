#!/usr/bin/env bash
# Quick start 2: install, build, and run the whole test suite with ctest.
# SANITIZE=1 runs it under ASan/UBSan (in build-asan/). Tests labelled "unstable" (known
# flaky, each tracked in an open issue) run only with RUN_UNSTABLE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ "${SANITIZE:-0}" = 1 ]; then
    export BUILD_DIR=${BUILD_DIR:-build-asan} BUILD_TYPE=${BUILD_TYPE:-Debug}
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
fi
scripts/build.sh
build_dir=${BUILD_DIR:-build}
exclude=(-LE unstable)
[ "${RUN_UNSTABLE:-0}" = 1 ] && exclude=()
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 -j"$(nproc)" "${exclude[@]}" "$@"
