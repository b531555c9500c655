// What the fuzz targets share: a fixed WeChat Pay key and key store, the APIv3 key and APIv2
// secret, the input split into headers and body, and the "typed error, no secret" oracle.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pki/pki.hpp"
#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::fuzz {

inline constexpr std::int64_t kNow = 1'700'000'000;
inline constexpr std::string_view kSerial = "PUB_KEY_ID_0114232134912410000000000000";
inline constexpr std::string_view kApiV3Key = "0123456789abcdefghijABCDEFGHIJ01";  // 32 bytes
inline constexpr std::string_view kV2Secret = "fuzzV2SecretFuzzV2SecretFuzzV2Se";  // 32 bytes

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// WeChat Pay's side: one RSA key for the whole process, trusted under kSerial.
inline const pki::KeyPair& wechatpay_key() {
  return pki::cached_rsa_key("fuzz-wechatpay");
}

inline const crypto::KeyStore& key_store() {
  static const crypto::KeyStore store{crypto::KeyStore::Snapshot{
      {std::string(kSerial), {crypto::PublicKey::load(wechatpay_key().public_pem), 0}}}};
  return store;
}

// The Wechatpay-* headers WeChat Pay would send for `body` at kNow, so inputs reach what lies
// behind the signature check.
inline Headers signed_headers(std::string_view body, std::string_view nonce = "fuzz-nonce") {
  static const auto key = crypto::PrivateKey::load(wechatpay_key().private_pem);
  const std::string timestamp = std::to_string(kNow);
  return {{"Wechatpay-Timestamp", timestamp},
          {"Wechatpay-Nonce", std::string(nonce)},
          {"Wechatpay-Serial", std::string(kSerial)},
          {"Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048"},
          {"Wechatpay-Signature",
           crypto::rsa_sign_sha256(key, v3::response_signing_message(timestamp, nonce, body))}};
}

// The input as a message: "Name: value" lines up to the first empty line, then the body. The
// seeds stay readable this way; it is a fuzz input format, not HTTP.
struct Message {
  Headers headers;
  std::string body;
};

inline Message split_message(std::string_view input) {
  Message message;
  while (!input.empty()) {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      message.headers.add(std::string(line), "");
      continue;
    }
    auto value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    message.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }
  message.body = std::string(input);
  return message;
}

// The input being run: a secret in an error message is a leak only when the input did not
// carry it (libFuzzer learns the constants the code compares against and feeds them back, and
// messages may quote what was received). Each target starts with `fuzz::Input input(data, size)`.
inline std::string_view& current_input() {
  static std::string_view input;
  return input;
}

struct Input {
  Input(const std::uint8_t* data, std::size_t size) { current_input() = as_text(data, size); }
};

// The oracle for every rejected input: a wechatpay::Error with a message that names the
// problem, gives away none of the secrets, and is safe to log: printable (no control character,
// so no forged log line) and bounded (anything else escapes and is a finding).
inline constexpr std::size_t kMaxMessageBytes = 1024;

inline void check_error(const Error& error) {
  const std::string_view what = error.what();
  bool leaks = false;
  for (auto secret : {kApiV3Key, kV2Secret}) {
    leaks |= what.find(secret) != std::string_view::npos &&
             current_input().find(secret) == std::string_view::npos;
  }
  bool unprintable = false;
  for (const unsigned char c : what) unprintable |= c < 0x20 || c == 0x7F;
  const char* problem = what.empty()                     ? "empty"
                        : leaks                          ? "leaks a secret"
                        : unprintable                    ? "a control character"
                        : what.size() > kMaxMessageBytes ? "too long"
                                                         : nullptr;
  if (problem != nullptr) {
    std::fprintf(stderr, "bad error message (%s): %.2000s\n", problem, error.what());
    std::abort();
  }
}

// Aborts with `what` when an invariant the library promises does not hold.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace wechatpay::fuzz
