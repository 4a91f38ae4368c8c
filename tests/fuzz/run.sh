#!/bin/sh
# Builds the libFuzzer target into build-fuzz/ (clang, ASan + UBSan) and runs it a bounded number of
# times from a seed corpus: the models in models/ and the hostile-input corpus.
#   tests/fuzz/run.sh [RUNS] [MAX_SECONDS]     (defaults: 20000 runs, at most 60 s)
# Exit 0: no crash; 1: a crash (the input is saved as build-fuzz/crash-*); 77: clang's libFuzzer is
# missing (the ctest skips then).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-20000}
max_seconds=${2:-60}
build=$root/build-fuzz
clang=${CLANGXX:-/usr/bin/clang++}

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe/probe.cpp"
if ! "$clang" -fsanitize=fuzzer "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
  echo "skipped: $clang cannot link -fsanitize=fuzzer (Debian: apt-get install clang-14 libclang-rt-14-dev)"
  exit 77
fi

launcher=""
command -v ccache >/dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clang" $launcher \
      -DARCHLAB_WITH_REAL=OFF -DARCHLAB_FUZZ=ON \
      -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
cmake --build "$build" -j2 --target fuzz_model >/dev/null

# The seed corpus: every model (the golden summaries are results, not models), the hostile cases and
# tests/fuzz/seeds/ (a top-level "fuzz_sets" list becomes --set assignments).
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
for model in "$root"/models/*.json "$root"/models/*/*.json "$root"/tests/hostile/*/*.json "$root"/tests/fuzz/seeds/*.json; do
  case "$model" in *.golden.json|*.expect.json) continue ;; esac
  cp "$model" "$seeds/$(echo "$model" | sed "s|$root/||; s|/|_|g")"
done
cd "$build"
# Found inputs go to corpus/ (kept between runs, for the next run to start from).
mkdir -p corpus
ASAN_OPTIONS=detect_leaks=0 ./fuzz_model -runs="$runs" -max_total_time="$max_seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 corpus "$seeds"
