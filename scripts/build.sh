#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR). SANITIZE=1 builds with ASan/UBSan.
# Warnings are errors here (STEADYSYNC_WERROR); WERROR=0 lets a newer compiler's new warning
# through (plain cmake leaves the option OFF).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
sanitize=OFF
[ "${SANITIZE:-0}" = 1 ] && sanitize=ON
werror=ON
[ "${WERROR:-1}" = 0 ] && werror=OFF
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DSTEADYSYNC_SANITIZE="$sanitize" -DSTEADYSYNC_WERROR="$werror" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
