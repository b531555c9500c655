// Parsing cost per field of received documents at 1k, 10k and 100k fields: it must stay flat
// (linear total cost), since an unsigned answer or notification may carry any number of fields.
// Read items_per_second across the three sizes; its inverse is the cost of one field.
#include <benchmark/benchmark.h>

#include "wechatpay/http.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

namespace {

using namespace wechatpay;

std::string xml_document(std::int64_t fields) {
  std::string text = "<xml>";
  for (std::int64_t i = 0; i < fields; ++i) {
    const auto n = std::to_string(i);
    text += "<field_" + n + ">" + n + "</field_" + n + ">";
  }
  return text + "<sign>0123456789ABCDEF0123456789ABCDEF</sign></xml>";
}

std::string json_document(std::int64_t members) {
  std::string text = "{";
  for (std::int64_t i = 0; i < members; ++i) {
    const auto n = std::to_string(i);
    text += (i ? ",\"field_" : "\"field_") + n + "\":\"" + n + "\"";
  }
  return text + "}";
}

void BM_ParseXmlFields(benchmark::State& state) {
  const std::string text = xml_document(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(v2::parse_xml(text));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseXmlFields)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// What an APIv2 answer or notification costs before it is refused: parse, then check the sign.
void BM_V2CheckXmlFields(benchmark::State& state) {
  const std::string text = xml_document(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(v2::verify(v2::parse_xml(text), "192006250b4c09247ec02edce69f6a2d"));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_V2CheckXmlFields)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);

void BM_ParseJsonMembers(benchmark::State& state) {
  Response response;
  response.body = json_document(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(response.json());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseJsonMembers)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
