// The contract layer: the built-in data's first parse, a lookup, and the validate +
// encrypt_fields middleware on the payroll-card seed body, with and without RSA-OAEP work.
#include <benchmark/benchmark.h>

#include "../../examples/seed_requests.hpp"
#include "contracts/embedded_data.hpp"
#include "pki/pki.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

using namespace wechatpay;

const std::string kKeyId = "PUB_KEY_ID_0114232134912410000000000000";

const crypto::PublicKey& platform_key() {
  static const auto key = crypto::PublicKey::load(pki::cached_rsa_key("platform").public_pem);
  return key;
}

// What the first lookup of the built-in registry does: inflate the embedded data, index every
// row by its leading keys and parse the one row looked up (builtin() does it once per process).
void BM_ContractsFirstLookup(benchmark::State& state) {
  for (auto _ : state) {
    auto registry = contracts::detail::load_embedded_registry();
    benchmark::DoNotOptimize(registry->find("POST", "v3/payroll-card/tokens"));
    state.PauseTiming();  // freeing it is not part of the first lookup
    registry.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ContractsFirstLookup)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_ContractLookup(benchmark::State& state) {
  auto registry = contracts::ContractRegistry::builtin();
  for (auto _ : state) {
    benchmark::DoNotOptimize(registry->find("POST", "v3/payroll-card/tokens"));
  }
}
BENCHMARK(BM_ContractLookup);

// validate > encrypt_fields > a terminal that keeps the request, as in the client's stack.
// `with_contracts` false: the terminal alone, to subtract what building the request costs.
struct ContractStack {
  explicit ContractStack(bool with_contracts = true) {
    auto settings = std::make_shared<contracts::MiddlewareSettings>();
    settings->keys = std::make_shared<crypto::KeyStore>(
        crypto::KeyStore::Snapshot{{kKeyId, crypto::TrustedKey{platform_key(), 0}}});
    Handler terminal = [this](Request request, Completion) { sent = std::move(request); };
    handler = with_contracts
                  ? contracts::validate(settings)(contracts::encrypt_fields(settings)(terminal))
                  : terminal;
  }
  void send(const Json& body) {
    Request request;
    request.method = "POST";
    request.uri_template = "v3/payroll-card/tokens";
    request.url = "https://api.mch.weixin.qq.com/v3/payroll-card/tokens";
    request.headers.set("Content-Type", "application/json");
    request.headers.set("Wechatpay-Serial", kKeyId);
    request.body = body.dump();
    handler(std::move(request), [](std::exception_ptr, Response) {});
  }
  Handler handler;
  Request sent;
};

// The seed body as the examples write it: two plaintext sensitive fields, encrypted here.
void BM_ContractsSeedPlaintext(benchmark::State& state) {
  ContractStack stack;
  const Json body = example::payroll_card_token();
  for (auto _ : state) stack.send(body);
}
BENCHMARK(BM_ContractsSeedPlaintext)->Unit(benchmark::kMicrosecond);

// Building and handing over the same request without the contract middleware: what the rows
// above and below include besides the contract work.
void BM_ContractsSeedRequestOnly(benchmark::State& state) {
  ContractStack stack(/*with_contracts=*/false);
  const Json body = example::payroll_card_token();
  for (auto _ : state) stack.send(body);
}
BENCHMARK(BM_ContractsSeedRequestOnly)->Unit(benchmark::kMicrosecond);

// The RSA-OAEP work of the case above on its own: two encryptions.
void BM_ContractsSeedRsaOnly(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::rsa_oaep_encrypt(platform_key(), "张三"));
    benchmark::DoNotOptimize(crypto::rsa_oaep_encrypt(platform_key(), "110101199003077777"));
  }
}
BENCHMARK(BM_ContractsSeedRsaOnly)->Unit(benchmark::kMicrosecond);

// The same body with both fields already ciphertext: lookup, validation, the ciphertext check;
// no RSA work at all.
void BM_ContractsSeedAlreadyEncrypted(benchmark::State& state) {
  ContractStack stack;
  Json body = example::payroll_card_token();
  for (const char* field : {"user_name", "id_card_number"}) {
    body.set(field, crypto::rsa_oaep_encrypt(platform_key(), body.find(field)->str()));
  }
  for (auto _ : state) stack.send(body);
}
BENCHMARK(BM_ContractsSeedAlreadyEncrypted)->Unit(benchmark::kMicrosecond);

}  // namespace
