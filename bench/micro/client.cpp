// The client's own work around the cryptography: building a chain (the three styles), expanding
// the URI template and serialising the JSON body.
#include <benchmark/benchmark.h>

#include "pki/pki.hpp"
#include "uri_template.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

using namespace wechatpay;

// A client that never sends: chains are built, not called.
const Client& client() {
  static const Client instance({.mchid = "1900000001",
                                .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                                .private_key = pki::cached_rsa_key("merchant").private_pem,
                                .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                                           pki::cached_rsa_key("platform").public_pem}}});
  return instance;
}

// client->v3["pay"]["transactions"]["id"]["_transaction_id_"]
void BM_ChainProperty(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(client().v3["pay"]["transactions"]["id"]["_transaction_id_"]);
  }
}
BENCHMARK(BM_ChainProperty);

// client.chain("v3/pay/transactions/id/{transaction_id}")
void BM_ChainDeclarative(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(client().chain("v3/pay/transactions/id/{transaction_id}"));
  }
}
BENCHMARK(BM_ChainDeclarative);

// client["v3/pay/transactions/id/{transaction_id}"]
void BM_ChainPure(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(client()["v3/pay/transactions/id/{transaction_id}"]);
  }
}
BENCHMARK(BM_ChainPure);

void BM_UriTemplateExpand(benchmark::State& state) {
  const Params params{{"transaction_id", "4200000985202103031441826014"}, {"path", "a/b c"}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        detail::expand_uri_template("v3/pay/transactions/id/{transaction_id}/{+path}", params));
  }
}
BENCHMARK(BM_UriTemplateExpand);

void BM_JsonDump(benchmark::State& state) {
  const Json body = {{"appid", "wxd678efh567hg6787"},
                     {"mchid", "1230000109"},
                     {"description", "Image形象店-深圳腾大-QQ公仔"},
                     {"out_trade_no", "1217752501201407033233368018"},
                     {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
                     {"amount", {{"total", 100}, {"currency", "CNY"}}},
                     {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}}};
  for (auto _ : state) benchmark::DoNotOptimize(body.dump());
}
BENCHMARK(BM_JsonDump);

}  // namespace
