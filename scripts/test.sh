#!/usr/bin/env bash
# The whole test pipeline (the README's test command; .ci/run calls it). Stages, in order, each
# in its own build dir and each ending in a ctest run:
#   asan  ASan + UBSan (-O1), the full suite but docs, install and fuzz replays  build-asan/
#   tsan  TSan (-O1), the library + concurrency_tests (label threads)           build-tsan/
#   fuzz  libFuzzer targets (clang), each replayed and fuzzed ~10 s           build-fuzz/
#   main  RelWithDebInfo: library, tools, examples, benchmarks (compiled,   build/
#         not run); the docs and packaging checks (WECHATPAY_MAIN_TESTS=all: the full suite)
# WECHATPAY_STAGES="asan main" picks stages; WECHATPAY_FUZZ_SECONDS sets the fuzz smoke time;
# WECHATPAY_BUILD_DIR moves the main build; WECHATPAY_JOBS the parallelism (default nproc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stages=${WECHATPAY_STAGES:-asan tsan fuzz main}
jobs=${WECHATPAY_JOBS:-$(nproc)}
"$root/scripts/deps.sh"

werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
common=(-G Ninja -DWECHATPAY_WERROR=$werror)
if command -v ccache >/dev/null; then
  common+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
fi
# Sanitizer stages: -O1 and line tables only (-g1) keep stacks readable and the build short; no
# examples or benchmarks.
sanitized=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
  -DWECHATPAY_BUILD_EXAMPLES=OFF -DWECHATPAY_BUILD_BENCH=OFF)

# Run-time options: any finding fails the test; suppressions (each justified) when present.
supp=$root/test/sanitizers
with_supp() { [ -f "$supp/$1" ] && echo ":suppressions=$supp/$1" || true; }
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1$(with_supp asan.supp)"
export LSAN_OPTIONS="print_suppressions=0$(with_supp lsan.supp)"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1$(with_supp ubsan.supp)"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1$(with_supp tsan.supp)"

configure() {  # build dir, extra cmake arguments
  local build=$1
  shift
  cmake -S "$root" -B "$build" "${common[@]}" "$@" >/dev/null
}
run_ctest() {  # build dir, extra ctest arguments
  local build=$1
  shift
  (cd "$build" && ctest --output-on-failure -j"$jobs" --timeout 600 "$@")
}
stage() { echo "=== stage $1 ($(date -u +%T))"; }

for name in $stages; do
  case $name in
    asan)
      stage asan
      configure "$root/build-asan" "${sanitized[@]}" -DWECHATPAY_SANITIZE=address
      # The docs snippets and the install test check text and packaging, not behaviour: they run
      # in the main stage only; the fuzz corpora replay in the fuzz stage (clang, ASan + UBSan).
      cmake --build "$root/build-asan" -j"$jobs" --target behaviour_tests
      run_ctest "$root/build-asan" -E '^(docs[._]|packaging$|fuzz_)'
      ;;
    tsan)
      stage tsan
      configure "$root/build-tsan" "${sanitized[@]}" -DWECHATPAY_SANITIZE=thread
      cmake --build "$root/build-tsan" -j"$jobs" --target concurrency_tests
      run_ctest "$root/build-tsan" -L '^threads$' --no-tests=error
      ;;
    fuzz)
      stage fuzz
      CXX=clang++ configure "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DWECHATPAY_BUILD_FUZZERS=ON -DWECHATPAY_BUILD_EXAMPLES=OFF \
        -DWECHATPAY_FUZZ_SMOKE_SECONDS="${WECHATPAY_FUZZ_SECONDS:-10}"
      cmake --build "$root/build-fuzz" -j"$jobs" --target fuzzers
      run_ctest "$root/build-fuzz" -R '^fuzz_(replay|smoke)_' --no-tests=error
      ;;
    main)
      stage main
      build=${WECHATPAY_BUILD_DIR:-$root/build}
      # What users build, with -Werror: the library, tools, examples and benchmarks; then the docs
      # and packaging checks. The behaviour tests ran in the sanitizer stages above: their
      # binaries stay out of this build unless WECHATPAY_MAIN_TESTS=all asks for the full suite.
      in_all=OFF
      selection=(-L '^(docs|packaging)$' --no-tests=error)
      if [ "${WECHATPAY_MAIN_TESTS:-}" = all ]; then
        in_all=ON
        selection=()
      fi
      configure "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
        -DWECHATPAY_BUILD_BENCH=ON -DWECHATPAY_TESTS_IN_ALL=$in_all
      cmake --build "$build" -j"$jobs"
      run_ctest "$build" "${selection[@]}"
      ;;
    *)
      echo "unknown stage '$name' (stages: asan tsan fuzz main)" >&2
      exit 2
      ;;
  esac
done
