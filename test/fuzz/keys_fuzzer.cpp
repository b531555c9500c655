// Key loading (crypto/keys.hpp) for every scheme and PEM kind. The first byte picks the scheme;
// for the DER schemes the rest is the DER itself (base64-encoded by the harness, so mutations
// hit the DER), otherwise the rest is the spec as given (PEM text, or a scheme with base64).
// file:// specs are skipped: the fuzzer must not read the machine's files.
#include <array>
#include <cstdint>
#include <cstring>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/crypto/keys.hpp"

using namespace wechatpay;

namespace {

// The passphrase of the encrypted seeds in corpus/keys.
constexpr std::string_view kPassphrase = "fuzz-passphrase";

void check_key_error(const CryptoError& e) {
  fuzz::check_error(e);
  fuzz::require(std::strstr(e.what(), kPassphrase.data()) == nullptr ||
                    fuzz::current_input().find(kPassphrase) != std::string_view::npos,
                "message has the passphrase");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size == 0) return 0;
  constexpr std::array<std::string_view, 4> kDerSchemes{"private.pkcs1://", "private.pkcs8://",
                                                        "public.pkcs1://", "public.spki://"};
  const auto rest = fuzz::as_text(data + 1, size - 1);
  const unsigned scheme = data[0] % 8;
  const std::string spec = scheme < kDerSchemes.size()
                               ? std::string(kDerSchemes[scheme]) + crypto::base64_encode(rest)
                               : std::string(rest);
  if (spec.find("file:") != std::string::npos) return 0;

  try {
    const auto key = crypto::PrivateKey::load(spec, kPassphrase);
    fuzz::require(static_cast<bool>(key) && key.bits() > 0, "loaded an empty private key");
    const auto pem = crypto::PublicKey::of(key).pem();
    fuzz::require(crypto::PublicKey::load(pem).bits() == key.bits(), "public half does not load");
  } catch (const CryptoError& e) {
    check_key_error(e);
  }
  try {
    const auto key = crypto::PublicKey::load(spec);
    fuzz::require(static_cast<bool>(key) && key.bits() > 0, "loaded an empty public key");
    fuzz::require(crypto::PublicKey::load(key.pem()).pem() == key.pem(), "pem() does not load");
  } catch (const CryptoError& e) {
    check_key_error(e);
  }
  const bool looks_like_certificate = crypto::is_certificate(spec);
  try {
    const auto certificate = crypto::Certificate::load(spec);
    fuzz::require(looks_like_certificate, "loaded a certificate is_certificate denies");
    fuzz::require(!certificate.serial.empty() && static_cast<bool>(certificate.key),
                  "certificate without serial or key");
    fuzz::require(crypto::Certificate::load(certificate.pem).serial == certificate.serial,
                  "certificate pem does not load back");
  } catch (const CryptoError& e) {
    check_key_error(e);
  }
  return 0;
}
