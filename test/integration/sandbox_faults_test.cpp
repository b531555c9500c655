// Fault modes: each misbehaviour reaches the caller as the right typed error.
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

class SandboxFaults : public SandboxTest {
 protected:
  Client client_ = client();

  Response call(const std::string& fault, Options options = {}) {
    if (!fault.empty()) options.headers.set("Sandbox-Fault", fault);
    options.json = example::offlineface_token();
    return client_["v3/offlinefacemch/tokens"]->post(std::move(options));
  }
};

TEST_F(SandboxFaults, TamperedSignatureSkewUnknownSerialMissingHeadersFailVerification) {
  for (const char* fault :
       {"bad_signature", "skewed_timestamp", "unknown_serial", "missing_headers"}) {
    SCOPED_TRACE(fault);
    EXPECT_THROW(call(fault), VerificationError);
  }
  EXPECT_TRUE(call("").verified);
}

TEST_F(SandboxFaults, ServerErrorAndRateLimitAreVerifiedApiErrors) {
  ApiError server_error = api_error([&] { call("server_error=503"); });
  EXPECT_EQ(server_error.status(), 503);
  EXPECT_EQ(server_error.code(), "SYSTEM_ERROR");
  EXPECT_TRUE(server_error.response().verified);
  ApiError rate_limit = api_error([&] { call("too_many_requests"); });
  EXPECT_EQ(rate_limit.status(), 429);
  EXPECT_EQ(rate_limit.code(), "FREQUENCY_LIMITED");
}

TEST_F(SandboxFaults, TruncatedAndResetBodiesAreTransportErrors) {
  EXPECT_THROW(call("truncate"), TransportError);
  EXPECT_THROW(call("reset"), TransportError);
  EXPECT_TRUE(call("").verified) << "the client recovers on a new connection";
}

TEST_F(SandboxFaults, DelayBeyondTheTimeoutIsTimeoutError) {
  EXPECT_THROW(call("delay=3000", {.timeout = std::chrono::milliseconds(300)}), TimeoutError);
  EXPECT_TRUE(call("delay=50").verified);
}

TEST_F(SandboxFaults, WrongContentTypeIsVisible) {
  Response response = call("wrong_content_type");
  EXPECT_EQ(response.headers.value("Content-Type").rfind("text/html", 0), 0u);
}

TEST_F(SandboxFaults, AdminQueueAppliesToTheNextMatchingRequestsOnly) {
  sandbox().admin("POST", "/sandbox/faults",
                  R"({"mode":"bad_signature","path":"/v3/offlinefacemch/","count":2})");
  EXPECT_THROW(call(""), VerificationError);
  EXPECT_THROW(call(""), VerificationError);
  EXPECT_TRUE(call("").verified);
  EXPECT_NE(sandbox().admin("GET", "/sandbox/faults").find(R"("faults":[])"), std::string::npos);
}

TEST_F(SandboxFaults, BenchModeReusesOneValidSignature) {
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":true})");
  Response first = call(""), second = call("");
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":false})");
  EXPECT_TRUE(first.verified);
  EXPECT_TRUE(second.verified);
  EXPECT_EQ(first.headers.value("Wechatpay-Signature"),
            second.headers.value("Wechatpay-Signature"));
  EXPECT_NE(call("").headers.value("Wechatpay-Signature"),
            first.headers.value("Wechatpay-Signature"));
}

}  // namespace
}  // namespace wechatpay::test
