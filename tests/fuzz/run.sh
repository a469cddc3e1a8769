#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage-instrumented core) in their
# own build directory and runs each for a bounded time, seeded from tests/fuzz/corpus/ (which
# also replays every regression input kept there). Exits non-zero on a crash; the input is
# written to tests/fuzz/crashes/ (add it to the corpus once the bug is fixed).
#   FUZZ_SECONDS=60 (per target)  FUZZ_BUILD_DIR=<repo>/build-fuzz
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" -DSTEADYSYNC_FUZZ=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
cmake --build "$build" --target fuzz_propfind fuzz_ignorerules

mkdir -p "$root/tests/fuzz/crashes"
status=0
for target in propfind ignorerules; do
    scratch=$(mktemp -d) # new inputs land here: the committed corpus stays as it is
    echo "fuzz_$target: ${seconds} s"
    if ! UBSAN_OPTIONS=print_stacktrace=1 "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$root/tests/fuzz/crashes/$target-" "$scratch" "$root/tests/fuzz/corpus/$target"; then
        echo "fuzz_$target FOUND A CRASH: see tests/fuzz/crashes/" >&2
        status=1
    fi
    rm -rf "$scratch"
done
exit $status
