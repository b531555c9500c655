#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts wechatpay-sandbox on a free port with a
# fresh state directory, runs the four seed examples against it, and stops the sandbox.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${WECHATPAY_BUILD_DIR:-$root/build}
"$root/scripts/deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$build" -j"$(nproc)" --target wechatpay-sandbox payroll_card_tokens \
  pre_order_with_auth offlineface_tokens v2_authcodetoopenid

work=$(mktemp -d)
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill -TERM "$sandbox_pid"
    wait "$sandbox_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$build/tools/sandbox/wechatpay-sandbox" --port 0 --state "$work/state" --time-limit 600 \
  >"$work/sandbox.out" &
sandbox_pid=$!
# The sandbox prints "listening on URL" and "profile PATH" once it accepts connections.
for _ in $(seq 1 200); do
  grep -q '^profile ' "$work/sandbox.out" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || { echo "the sandbox failed to start" >&2; exit 1; }
  sleep 0.05
done
grep -q '^profile ' "$work/sandbox.out" || { echo "the sandbox did not start in 10 s" >&2; exit 1; }
profile=$(sed -n 's/^profile //p' "$work/sandbox.out")
echo "== $(head -n1 "$work/sandbox.out"), profile $profile"

for example in payroll_card_tokens pre_order_with_auth offlineface_tokens v2_authcodetoopenid; do
  echo
  echo "== examples/$example"
  "$build/examples/$example" "$profile"
done
echo
echo "== all four seed examples passed against the sandbox"
