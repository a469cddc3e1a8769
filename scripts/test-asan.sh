#!/usr/bin/env bash
# The unit tests (ctest label "unit") under AddressSanitizer and UBSan, in their own Debug build
# (build-asan/, or $ASAN_BUILD_DIR): only the targets those tests need are built. Debug keeps
# Q_ASSERT, so a call into the Engine, CycleRunner or Propagator from a thread other than theirs
# stops the test (assertOwnThread). Any sanitizer report fails the test that made it.
# .ci/run calls it; CI's main build (UNIT_TESTS=0) leaves these tests to this run.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${ASAN_BUILD_DIR:-build-asan}
start=$(date +%s)
# -O1: the sanitizers' own advice (a plain -O0 ASan binary runs about twice as slow); -g1: line
# tables for the stack traces, without the full debug info that makes compiling and linking slow.
# No NDEBUG, so Q_ASSERT stays on.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
    -DSTEADYSYNC_SANITIZE=ON -DSTEADYSYNC_WERROR=OFF -DSTEADYSYNC_UNIT_TESTS=ON >/dev/null
mapfile -t targets < <(ctest --test-dir "$build_dir" -N -L unit -LE unstable |
    sed -n 's/^ *Test *#[0-9]*: *//p')
[ ${#targets[@]} -gt 0 ] || { echo "test-asan: no unit tests found" >&2; exit 1; }
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"
built=$(date +%s)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
ctest --test-dir "$build_dir" -L unit -LE unstable --output-on-failure --timeout 900 \
    -j"$(nproc)" || status=$?
echo "test-asan: ${#targets[@]} unit tests; build $((built - start)) s, tests $(($(date +%s) - built)) s"
exit $status
