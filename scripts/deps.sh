#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, when any is missing (as root).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config openssl libssl-dev libcurl4-openssl-dev
  rapidjson-dev libtinyxml2-dev zlib1g-dev libcpp-httplib-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang libclang-rt-dev ccache
  # Tests and bench_e2e only (HTTP/2 front); the HTTP/2 tests skip without it.
  nghttp2-proxy
  # The nlohmann-json adapter's tests.
  nlohmann-json3-dev ${WECHATPAY_EXTRA_PACKAGES:-})
# Optional: what the Asio adapter's tests (standalone Asio, Boost.Asio) and the Asio example
# server (Boost.Asio + Beast) need; the build skips those when they are absent.
optional=(libasio-dev libboost1.81-dev)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}" "${optional[@]}"; do
  installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
required=()
for p in "${missing[@]}"; do
  [[ " ${optional[*]} " == *" $p "* ]] || required+=("$p")
done
if [ "$(id -u)" -ne 0 ]; then
  if [ ${#required[@]} -eq 0 ]; then
    echo "optional packages missing: ${missing[*]}; their tests and example are skipped" >&2
    exit 0
  fi
  echo "missing packages: ${required[*]} (run as root, or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ ${#required[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${required[@]}" >/dev/null
for p in "${optional[@]}"; do
  installed "$p" || apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
    echo "optional package $p not installed; its tests and example are skipped" >&2
done
