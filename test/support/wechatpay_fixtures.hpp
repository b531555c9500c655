// What the WeChat Pay side signs and seals, for tests that play that side: response and
// notification headers, /v3/certificates bodies, sealed notification resources.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/pki.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::test {

inline const std::string kApiV3Key = "0123456789abcdefghijABCDEFGHIJ01";  // 32 bytes

// The four Wechatpay-* headers (and the signature type) for `body`, signed with `key`.
inline Headers wechatpay_headers(const crypto::PrivateKey& key, const std::string& serial,
                                 std::string_view body, std::int64_t timestamp) {
  auto ts = std::to_string(timestamp);
  auto nonce = crypto::nonce();
  return {{"Wechatpay-Timestamp", ts},
          {"Wechatpay-Nonce", nonce},
          {"Wechatpay-Serial", serial},
          {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"},
          {"Wechatpay-Signature",
           crypto::rsa_sign_sha256(key, ts + "\n" + nonce + "\n" + std::string(body) + "\n")}};
}

// {"algorithm":"AEAD_AES_256_GCM","nonce":…,"associated_data":…,"ciphertext":…}
inline Json sealed(std::string_view plaintext, std::string_view associated_data,
                   const std::string& key = kApiV3Key) {
  auto nonce = crypto::nonce(12);
  return {{"algorithm", "AEAD_AES_256_GCM"},
          {"nonce", nonce},
          {"associated_data", associated_data},
          {"ciphertext", crypto::aes_256_gcm_encrypt(key, nonce, associated_data, plaintext)}};
}

// The body of GET /v3/certificates listing `certificates`, sealed under `key`.
inline std::string certificates_body(const std::vector<pki::Certificate>& certificates,
                                     const std::string& key = kApiV3Key) {
  Json::Array data;
  for (const auto& certificate : certificates) {
    data.push_back(Json{{"serial_no", certificate.serial_hex},
                        {"effective_time", "2024-01-01T00:00:00+08:00"},
                        {"expire_time", "2029-01-01T00:00:00+08:00"},
                        {"encrypt_certificate", sealed(certificate.pem, "certificate", key)}});
  }
  return Json{{"data", Json(std::move(data))}}.dump();
}

}  // namespace wechatpay::test
