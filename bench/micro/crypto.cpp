// The cryptography one request uses: SHA256withRSA sign/verify (APIv3 requests and responses),
// RSA-OAEP (sensitive fields), AEAD_AES_256_GCM (notifications, certificates).
#include <benchmark/benchmark.h>

#include "pki/pki.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/crypto/rsa.hpp"

namespace {

using namespace wechatpay::crypto;
namespace pki = wechatpay::pki;

const std::string kMessage =
    "POST\n/v3/payroll-card/tokens\n1700000000\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
    "{\"openid\":\"onqOjjmo8wmTOOtSKwXtGjg9Gb58\",\"appid\":\"wxa1111111\"}\n";
const std::string kApiV3Key = "0123456789abcdef0123456789abcdef";
const std::string kGcmNonce = "fdasflkjhsdf";

const PrivateKey& private_key() {
  static const PrivateKey key = PrivateKey::load(pki::cached_rsa_key("merchant").private_pem);
  return key;
}
const PublicKey& public_key() {
  static const PublicKey key = PublicKey::of(private_key());
  return key;
}

void BM_RsaSignSha256(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(rsa_sign_sha256(private_key(), kMessage));
}
BENCHMARK(BM_RsaSignSha256);

void BM_RsaVerifySha256(benchmark::State& state) {
  const std::string signature = rsa_sign_sha256(private_key(), kMessage);
  for (auto _ : state) {
    if (!rsa_verify_sha256(public_key(), kMessage, signature)) state.SkipWithError("no verify");
  }
}
BENCHMARK(BM_RsaVerifySha256);

void BM_RsaOaepEncrypt(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(rsa_oaep_encrypt(public_key(), "110101199003077777"));
}
BENCHMARK(BM_RsaOaepEncrypt);

void BM_RsaOaepDecrypt(benchmark::State& state) {
  const std::string ciphertext = rsa_oaep_encrypt(public_key(), "110101199003077777");
  for (auto _ : state) benchmark::DoNotOptimize(rsa_oaep_decrypt(private_key(), ciphertext));
}
BENCHMARK(BM_RsaOaepDecrypt);

// A notification resource of `state.range(0)` bytes.
void BM_AesGcmSeal(benchmark::State& state) {
  const std::string plaintext(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    benchmark::DoNotOptimize(aes_256_gcm_encrypt(kApiV3Key, kGcmNonce, "transaction", plaintext));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_AesGcmSeal)->Arg(1024)->Arg(64 << 10);

void BM_AesGcmOpen(benchmark::State& state) {
  const std::string sealed =
      aes_256_gcm_encrypt(kApiV3Key, kGcmNonce, "transaction",
                          std::string(static_cast<std::size_t>(state.range(0)), 'x'));
  for (auto _ : state) {
    benchmark::DoNotOptimize(aes_256_gcm_decrypt(kApiV3Key, kGcmNonce, "transaction", sealed));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_AesGcmOpen)->Arg(1024)->Arg(64 << 10);

}  // namespace
