#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR). SANITIZE=1 builds with ASan/UBSan.
# Warnings are errors here (STEADYSYNC_WERROR); WERROR=0 lets a newer compiler's new warning
# through (plain cmake leaves the option OFF). UNIT_TESTS=0 leaves out the tests labelled unit
# (CI runs those under ASan/UBSan instead, scripts/test-asan.sh); the choice stays in the build
# directory's cache until UNIT_TESTS says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
sanitize=OFF
[ "${SANITIZE:-0}" = 1 ] && sanitize=ON
werror=ON
[ "${WERROR:-1}" = 0 ] && werror=OFF
unit_tests=()
case "${UNIT_TESTS:-}" in
0) unit_tests=(-DSTEADYSYNC_UNIT_TESTS=OFF) ;;
1) unit_tests=(-DSTEADYSYNC_UNIT_TESTS=ON) ;;
esac
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DSTEADYSYNC_SANITIZE="$sanitize" -DSTEADYSYNC_WERROR="$werror" "${unit_tests[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
