// APIv2's per-request work: the MD5 / HMAC-SHA256 sign and the XML body both ways.
#include <benchmark/benchmark.h>

#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

namespace {

using namespace wechatpay::v2;

const std::string kSecret = "192006250b4c09247ec02edce69f6a2d";

// An authcodetoopenid answer's fields.
XmlFields answer() {
  return {{"return_code", "SUCCESS"},
          {"return_msg", "OK"},
          {"appid", "wxd930ea5d5a258f4f"},
          {"mch_id", "1900000001"},
          {"nonce_str", "fH0Wr2IBAlxGtBFk"},
          {"result_code", "SUCCESS"},
          {"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
}

void BM_V2SignMd5(benchmark::State& state) {
  const XmlFields fields = answer();
  for (auto _ : state) benchmark::DoNotOptimize(sign(fields, kSecret, SignType::kMd5));
}
BENCHMARK(BM_V2SignMd5);

void BM_V2SignHmacSha256(benchmark::State& state) {
  const XmlFields fields = answer();
  for (auto _ : state) benchmark::DoNotOptimize(sign(fields, kSecret, SignType::kHmacSha256));
}
BENCHMARK(BM_V2SignHmacSha256);

void BM_V2XmlBuild(benchmark::State& state) {
  XmlFields fields = answer();
  fields.set("sign", sign(fields, kSecret, SignType::kMd5));
  for (auto _ : state) benchmark::DoNotOptimize(to_xml(fields));
}
BENCHMARK(BM_V2XmlBuild);

void BM_V2XmlParse(benchmark::State& state) {
  XmlFields fields = answer();
  fields.set("sign", sign(fields, kSecret, SignType::kMd5));
  const std::string text = to_xml(fields, true);
  for (auto _ : state) benchmark::DoNotOptimize(parse_xml(text));
}
BENCHMARK(BM_V2XmlParse);

}  // namespace
