// The sandbox process itself: plain HTTP mode, and a clean exit on SIGTERM.
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

TEST(SandboxProcess, PlainHttpServesApiV3AndRefusesClientCertificateEndpoints) {
  SandboxProcess sandbox(WECHATPAY_SANDBOX_BINARY, {"--http"}, WECHATPAY_SANDBOX_CREDENTIALS);
  EXPECT_TRUE(sandbox.base_uri().starts_with("http://127.0.0.1:"));
  Profile profile = sandbox.profile();
  EXPECT_TRUE(profile.config.ca_bundle.empty());
  Client client(profile.config);
  EXPECT_TRUE(
      client["v3/offlinefacemch/tokens"]->post({.json = example::offlineface_token()}).verified);
  try {
    client["v2/secapi/pay/refund"]->post({.xml = {{"appid", "wx1"},
                                                  {"mch_id", client.mchid()},
                                                  {"out_trade_no", "T1"},
                                                  {"out_refund_no", "R1"},
                                                  {"total_fee", 1},
                                                  {"refund_fee", 1}},
                                          .security = true});
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_NE(e.message().find("CERT_ERROR"), std::string::npos) << e.message();
  }
}

TEST(SandboxProcess, StopsCleanlyOnSigterm) {
  SandboxProcess sandbox(WECHATPAY_SANDBOX_BINARY, {}, WECHATPAY_SANDBOX_CREDENTIALS);
  EXPECT_NE(sandbox.admin("GET", "/sandbox/health").find("ok"), std::string::npos);
  EXPECT_EQ(sandbox.stop(), 0);
}

}  // namespace
}  // namespace wechatpay::test
