#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, when any is missing (as root).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config openssl libssl-dev libcurl4-openssl-dev
  rapidjson-dev libtinyxml2-dev zlib1g-dev libcpp-httplib-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang libclang-rt-dev ccache
  # Tests and bench_e2e only (HTTP/2 front); the HTTP/2 tests skip without it.
  nghttp2-proxy ${WECHATPAY_EXTRA_PACKAGES:-})
# Optional adapters: the core builds without them; their headers are tested when present.
packages+=(nlohmann-json3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
