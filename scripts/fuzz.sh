#!/usr/bin/env bash
# Fuzzes the library: scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds the libFuzzer targets of test/fuzz with clang (ASan + UBSan, own build dir, ccache when
# present) and runs each TARGET (default: all) for SECONDS (default 60), starting from its corpus
# (test/fuzz/corpus/TARGET) and regressions. New inputs go to a scratch dir in the build tree.
# Exits non-zero when any target crashes, after saying how to keep the reproducer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WECHATPAY_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in "$root"/test/fuzz/*_fuzzer.cpp; do
    name=$(basename "$source" _fuzzer.cpp)
    targets+=("$name")
  done
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWECHATPAY_BUILD_FUZZERS=ON -DWECHATPAY_BUILD_EXAMPLES=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j"${WECHATPAY_JOBS:-2}" --target "${targets[@]/%/_fuzzer}"

failed=()
for name in "${targets[@]}"; do
  corpus=$root/test/fuzz/corpus/$name
  regressions=$root/test/fuzz/regressions/$name
  scratch=$build/fuzz-scratch/$name
  artifacts=$build/fuzz-artifacts/$name
  mkdir -p "$scratch" "$artifacts"
  inputs=("$scratch" "$corpus")
  [ -d "$regressions" ] && inputs+=("$regressions")
  echo "== $name: ${seconds}s"
  if ! "$build/test/fuzz/${name}_fuzzer" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${inputs[@]}"; then
    failed+=("$name")
    echo "!! $name failed; reproducer(s):" >&2
    ls -1 "$artifacts" >&2
    cat >&2 <<MSG
   Replay: $build/test/fuzz/${name}_fuzzer $artifacts/<file>
   Keep it as a regression test once fixed (ctest fuzz_replay_$name runs it in every build):
     mkdir -p test/fuzz/regressions/$name && cp $artifacts/<file> test/fuzz/regressions/$name/<what-it-was>
MSG
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: no crash in ${targets[*]} (${seconds}s each)"
