#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR). SANITIZE=1 builds with ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
sanitize=OFF
[ "${SANITIZE:-0}" = 1 ] && sanitize=ON
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DSTEADYSYNC_SANITIZE="$sanitize" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
