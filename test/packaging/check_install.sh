#!/usr/bin/env bash
# Installs a build tree into a scratch prefix and uses it the three ways an application would:
# find_package, pkg-config with a plain compiler, and FetchContent from the source tree. Also
# checks the SONAME and that libwechatpay.so exports the public API only.
#   check_install.sh BUILD_DIR SOURCE_DIR WORK_DIR LIBDIR CXX
set -euo pipefail
build_dir=$1 source_dir=$2 work=$3 libdir=$4 cxx=$5
prefix=$work/prefix
consumer=$source_dir/test/packaging/consumer

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($SECONDS s)"; }
# Whether the dynamic loader resolves `binary`'s libwechatpay.so.0 to the installed file.
loads_installed_library() {
  local loaded
  loaded=$(ldd "$1" | awk '$1 == "libwechatpay.so.0" { print $3 }')
  [ -n "$loaded" ] && [ "$(realpath "$loaded")" = "$(realpath "$prefix/$libdir/libwechatpay.so.0")" ]
}

rm -rf "$prefix" "$work/find" "$work/pkg-config" "$work/keys"
mkdir -p "$work/keys" "$work/pkg-config"

step "install"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in include/wechatpay/wechatpay.hpp include/wechatpay/export.hpp include/wechatpay/v3/signer.hpp \
  "$libdir/libwechatpay.so.0.1.0" "$libdir/cmake/wechatpay/wechatpayConfig.cmake" \
  "$libdir/cmake/wechatpay/wechatpayConfigVersion.cmake" \
  "$libdir/cmake/wechatpay/wechatpayTargets.cmake" "$libdir/pkgconfig/wechatpay.pc"; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ "$(readlink "$prefix/$libdir/libwechatpay.so")" = libwechatpay.so.0 ] || fail "libwechatpay.so link"
[ "$(readlink "$prefix/$libdir/libwechatpay.so.0")" = libwechatpay.so.0.1.0 ] || fail "libwechatpay.so.0 link"
if [ -x "$build_dir/tools/sandbox/wechatpay-sandbox" ]; then
  [ -x "$prefix/bin/wechatpay-sandbox" ] || fail "wechatpay-sandbox not installed in bin/"
  # Its RPATH ($ORIGIN/../lib) must reach the installed library, wherever the prefix is.
  loads_installed_library "$prefix/bin/wechatpay-sandbox" ||
    fail "the installed sandbox does not load the installed libwechatpay.so.0"
fi

step "SONAME and exported symbols"
library=$prefix/$libdir/libwechatpay.so.0.1.0
readelf -d "$library" | grep -q 'Library soname: \[libwechatpay.so.0\]' || fail "SONAME is not libwechatpay.so.0"
symbols=$(nm -D --defined-only -C "$library")
internals=$(grep -E '(^|[^_])detail::' <<<"$symbols" || true)
[ -z "$internals" ] || fail "internals exported:"$'\n'"$internals"
# Strong definitions must be ours; the weak ones left are standard-library template instances.
foreign=$(grep -E ' [TDBR] ' <<<"$symbols" | grep -v 'wechatpay::' || true)
[ -z "$foreign" ] || fail "non-wechatpay symbols exported:"$'\n'"$foreign"
bundled=$(grep -E 'tinyxml2| [A-Za-z] (rapidjson::|curl_|Curl_|SSL_|EVP_|OSSL_|ossl_|inflate|deflate)' \
  <<<"$symbols" || true)
[ -z "$bundled" ] || fail "dependency symbols exported:"$'\n'"$bundled"
for expected in 'wechatpay::Client::Client(wechatpay::ClientConfig)' 'typeinfo for wechatpay::ConfigError' \
  'typeinfo for wechatpay::ApiError' 'wechatpay::crypto::rsa_sign_sha256' \
  'wechatpay::operator==(wechatpay::Json const&, wechatpay::Json const&)'; do
  grep -qF "$expected" <<<"$symbols" || fail "not exported: $expected"
done

# The merchant's key pair, and WeChat Pay's public key (the client refuses the merchant's own).
for name in merchant wechatpay; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/keys/$name.pem" 2>/dev/null
  openssl pkey -in "$work/keys/$name.pem" -pubout -out "$work/keys/${name}_pub.pem"
done
# The message the consumer signs, as the APIv3 documentation spells it.
printf 'GET\n/v3/certificates\n1700000000\nPACKAGING\n\n' >"$work/keys/message"

# Runs one consumer binary and checks its output: an openssl-verified signature, then OK.
run_consumer() {
  local binary=$1 output
  output=$("$binary" "$work/keys/merchant.pem" "$work/keys/wechatpay_pub.pem") || fail "$binary exited with $?"
  [ "$(sed -n 2p <<<"$output")" = OK ] || fail "$binary printed: $output"
  sed -n 1p <<<"$output" | openssl base64 -d -A >"$work/keys/signature"
  openssl dgst -sha256 -verify "$work/keys/merchant_pub.pem" -signature "$work/keys/signature" \
    "$work/keys/message" >/dev/null || fail "$binary: the signature does not verify with openssl"
  # A static consumer must not load the shared library.
  if [[ $binary == *_static ]] && ldd "$binary" | grep -q libwechatpay; then
    fail "$binary loads libwechatpay.so"
  fi
  echo "$binary: OK"
}

step "find_package"
cmake -S "$consumer" -B "$work/find" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/find" -j2 >/dev/null
loads_installed_library "$work/find/consumer" ||
  fail "the find_package consumer does not load the installed library"
run_consumer "$work/find/consumer"
[ ! -x "$work/find/consumer_static" ] || run_consumer "$work/find/consumer_static"

step "pkg-config"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
[ "$(pkg-config --modversion wechatpay)" = 0.1.0 ] || fail "pkg-config version"
# shellcheck disable=SC2046  # the flags are meant to split
"$cxx" -std=c++20 "$consumer/main.cpp" -o "$work/pkg-config/consumer" \
  $(pkg-config --cflags --libs wechatpay) -Wl,-rpath,"$prefix/$libdir"
run_consumer "$work/pkg-config/consumer"
if [ -f "$prefix/$libdir/libwechatpay.a" ]; then
  # libwechatpay.a with its Requires.private linked dynamically: `pkg-config --static` would also
  # ask for libcurl's own private libraries (nghttp2, ssh2, ...), which Debian ships as shared
  # objects only.
  private=$(pkg-config --print-requires-private wechatpay | awk '{ print $1 }')
  [ -n "$private" ] || fail "wechatpay.pc has no Requires.private"
  # shellcheck disable=SC2046,SC2086
  "$cxx" -std=c++20 "$consumer/main.cpp" -o "$work/pkg-config/consumer_static" \
    $(pkg-config --cflags wechatpay) -pthread \
    $(pkg-config --libs wechatpay $private | sed "s|-lwechatpay|$prefix/$libdir/libwechatpay.a|")
  run_consumer "$work/pkg-config/consumer_static"
fi

step "FetchContent"
# No build type: -O0 without debug information, the quickest build of the whole library. The
# directory is kept between runs so that ccache hits.
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$consumer" -B "$work/fetch" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
  -DWECHATPAY_SOURCE_DIR="$source_dir" -DFETCHCONTENT_FULLY_DISCONNECTED=ON >/dev/null
cmake --build "$work/fetch" -j2 >/dev/null
run_consumer "$work/fetch/consumer"

step "done"
