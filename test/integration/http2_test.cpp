// HTTP/2 for real: nghttpx fronts the sandbox, and 32 requests in flight share one connection
// (libcurl reports the protocol and the connections each request opened); with HTTP/2 turned
// off the same requests need several. Skipped when nghttpx (nghttp2-proxy) is not installed.
#include <future>
#include <numeric>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/h2_front.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

class ResilienceHttp2 : public SandboxTest {
 protected:
  void SetUp() override {
    if (H2Front::binary().empty()) GTEST_SKIP() << "nghttpx not installed (nghttp2-proxy)";
    front_ = std::make_unique<H2Front>(sandbox().base_uri(), sandbox().state().path().string());
  }

  // `count` GETs in flight at once after one warm-up request; their responses.
  std::vector<Response> burst(bool http2, int count, Response& warm_up) {
    ClientConfig config = sandbox().config();
    config.base_uri = front_->base_uri();
    config.http2 = http2;
    Client client(config);
    warm_up = client["v3/certificates"]->get();
    std::vector<std::future<Response>> futures;
    for (int i = 0; i < count; ++i) futures.push_back(client["v3/certificates"]->get_async());
    std::vector<Response> responses;
    for (auto& future : futures) {
      EXPECT_EQ(future.wait_for(30s), std::future_status::ready);
      responses.push_back(future.get());
    }
    return responses;
  }

  static long connections(const std::vector<Response>& responses) {
    return std::accumulate(responses.begin(), responses.end(), 0L,
                           [](long sum, const Response& r) { return sum + r.connections_opened; });
  }

  std::unique_ptr<H2Front> front_;
};

TEST_F(ResilienceHttp2, ThirtyTwoRequestsInFlightShareOneConnection) {
  Response warm_up;
  auto responses = burst(true, 32, warm_up);
  EXPECT_EQ(warm_up.http_version, "2");
  EXPECT_EQ(warm_up.connections_opened, 1);
  for (const auto& response : responses) {
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.verified);  // signed by the sandbox, carried by nghttpx unchanged
    EXPECT_EQ(response.http_version, "2");
  }
  EXPECT_EQ(connections(responses), 0) << "the burst should reuse the warm-up's connection";
}

TEST_F(ResilienceHttp2, WithHttp2OffTheSameBurstOpensSeveralConnections) {
  Response warm_up;
  auto responses = burst(false, 32, warm_up);
  EXPECT_EQ(warm_up.http_version, "1.1");
  for (const auto& response : responses) EXPECT_EQ(response.http_version, "1.1");
  EXPECT_GT(connections(responses), 1);
}

}  // namespace
}  // namespace wechatpay::test
