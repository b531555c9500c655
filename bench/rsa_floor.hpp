// The floor an APIv3 request's CPU is compared with: one RSA-2048 signature (the request) and
// one verification (the answer), as `openssl speed rsa2048` measures them, and as the library's
// own rsa_sign_sha256 / rsa_verify_sha256 cost in this process.
#pragma once

#include "wechatpay/crypto/keys.hpp"

namespace wechatpay::bench {

struct RsaFloor {
  double openssl_sign = 0, openssl_verify = 0;  // seconds, from `openssl speed`
  double evp_sign = 0, evp_verify = 0;          // seconds, timed here through the library
  double openssl_total() const { return openssl_sign + openssl_verify; }
  double evp_total() const { return evp_sign + evp_verify; }
};

// Runs `openssl speed -seconds <seconds> rsa2048` (a child, inheriting this process's CPU pin),
// then times the library's sign and verify with `key` for about `seconds` of CPU each.
RsaFloor measure_rsa_floor(const crypto::PrivateKey& key, int seconds = 2);

}  // namespace wechatpay::bench
