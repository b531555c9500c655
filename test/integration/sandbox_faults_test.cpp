// Fault modes: each misbehaviour reaches the caller as the right typed error (APIv3, and APIv2
// for the faults it shares), in every calling style, within the configured timeout, exactly once.

#include <atomic>
#include <ostream>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/closed_port.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

struct FaultCase {
  std::string name;
  std::string fault{};  // Sandbox-Fault header; empty for none
  Kind kind;
  std::vector<std::string> mentions;  // lower-case words the message must contain
  int status = 0;                     // ApiError: status and code
  std::string code{};
  bool v2 = false;  // APIv2 tools/authcodetoopenid instead of APIv3 offlinefacemch/tokens
  // Adjusts the client and the request (closed port, small cap, short timeout).
  std::function<void(ClientConfig&, Options&)> setup = [](ClientConfig&, Options&) {};
};

std::ostream& operator<<(std::ostream& out, const FaultCase& c) {
  return out << c.name;
}

enum class Style { sync, future, callback };

constexpr auto kClientTimeout = 5s;
// The liveness bound on top of the configured timeout: generous, never a performance target.
constexpr auto kMargin = 5s;

std::vector<FaultCase> fault_cases() {
  return {
      {.name = "ConnectionRefused",
       .kind = Kind::transport,
       .mentions = {"connect", "127.0.0.1"},
       .setup =
           [](ClientConfig&, Options& options) {
             options.base_uri = "https://127.0.0.1:" + std::to_string(closed_port()) + "/";
           }},
      {.name = "ResetMidBody",
       .fault = "reset",
       .kind = Kind::transport,
       .mentions = {"truncated after", "reset"}},
      {.name = "SlowServerTimesOut",
       .fault = "delay=4000",
       .kind = Kind::timeout,
       .mentions = {"timed out"},
       .setup = [](ClientConfig&, Options& options) { options.timeout = 500ms; }},
      {.name = "TruncatedBody",
       .fault = "truncate",
       .kind = Kind::transport,
       .mentions = {"truncated after"}},
      {.name = "ServerError",
       .fault = "server_error=503",
       .kind = Kind::api,
       .mentions = {"503", "system_error", "request-id"},
       .status = 503,
       .code = "SYSTEM_ERROR"},
      {.name = "TooManyRequests",
       .fault = "too_many_requests",
       .kind = Kind::api,
       .mentions = {"429", "frequency_limited"},
       .status = 429,
       .code = "FREQUENCY_LIMITED"},
      {.name = "BadSignature",
       .fault = "bad_signature",
       .kind = Kind::verification,
       .mentions = {"signature does not verify"}},
      {.name = "SkewedTimestamp",
       .fault = "skewed_timestamp",
       .kind = Kind::verification,
       .mentions = {"wechatpay-timestamp", "away from local time"}},
      {.name = "UnknownSerial",
       .fault = "unknown_serial",
       .kind = Kind::verification,
       .mentions = {"wechatpay-serial", "not a known"}},
      {.name = "MissingHeaders",
       .fault = "missing_headers",
       .kind = Kind::verification,
       .mentions = {"lacks the wechatpay-"}},
      {.name = "WrongContentType",
       .fault = "wrong_content_type",
       .kind = Kind::response,
       .mentions = {"text/html", "not json", "request-id"}},
      {.name = "BodyOverTheSizeCap",
       .kind = Kind::transport,
       .mentions = {"16-byte cap"},
       .setup = [](ClientConfig& config, Options&) { config.max_response_bytes = 16; }},
      {.name = "V2ResetMidBody",
       .fault = "reset",
       .kind = Kind::transport,
       .mentions = {"truncated after", "reset"},
       .v2 = true},
      {.name = "V2SlowServerTimesOut",
       .fault = "delay=4000",
       .kind = Kind::timeout,
       .mentions = {"timed out"},
       .v2 = true,
       .setup = [](ClientConfig&, Options& options) { options.timeout = 500ms; }},
      {.name = "V2ServerError",
       .fault = "server_error=503",
       .kind = Kind::api,
       .mentions = {"503", "systemerror"},
       .status = 503,
       .code = "Service Unavailable",
       .v2 = true},
      {.name = "V2BadSign",
       .fault = "bad_signature",
       .kind = Kind::verification,
       .mentions = {"sign does not verify"},
       .v2 = true},
      {.name = "V2MissingSign",
       .fault = "missing_headers",
       .kind = Kind::verification,
       .mentions = {"sign does not verify"},
       .v2 = true},
  };
}

class SandboxFaultMatrix : public SandboxTest,
                           public ::testing::WithParamInterface<std::tuple<FaultCase, Style>> {
 protected:
  // The outcome of one call in the chosen style; the completion count is checked once the
  // client (and with it the transport's I/O thread) is gone, so a late second call would show.
  static std::exception_ptr call(const FaultCase& c, Style style,
                                 std::chrono::milliseconds& timeout) {
    ClientConfig config = sandbox().config();
    config.timeout = kClientTimeout;
    Options options;
    if (c.v2) {
      options.xml = example::authcode_to_openid(config.mchid);
    } else {
      options.json = example::offlineface_token();
    }
    if (!c.fault.empty()) options.headers.set("Sandbox-Fault", c.fault);
    c.setup(config, options);
    timeout = options.timeout.value_or(config.timeout);
    auto completions = std::make_shared<std::atomic<int>>(0);
    std::exception_ptr error;
    {
      Client client(config);
      auto chain = client[c.v2 ? "v2/tools/authcodetoopenid" : "v3/offlinefacemch/tokens"];
      error = outcome(chain, std::move(options), style, timeout + kMargin, completions);
    }
    if (style == Style::callback) {
      EXPECT_EQ(completions->load(), 1) << "callback runs";
    }
    return error;
  }

 private:
  static std::exception_ptr outcome(const Chain& chain, Options options, Style style,
                                    std::chrono::milliseconds bound,
                                    const std::shared_ptr<std::atomic<int>>& completions) {
    try {
      if (style == Style::sync) {
        chain->post(std::move(options));
        return nullptr;
      }
      std::future<Response> future;
      if (style == Style::future) {
        future = chain.post_async(std::move(options));
      } else {
        auto delivered = std::make_shared<std::promise<Response>>();
        future = delivered->get_future();
        chain->post_async(std::move(options),
                          [delivered, completions](std::exception_ptr error, Response response) {
                            if (completions->fetch_add(1) != 0) return;
                            if (error) return delivered->set_exception(error);
                            delivered->set_value(std::move(response));
                          });
      }
      if (future.wait_for(bound) != std::future_status::ready) {
        ADD_FAILURE() << "the outcome did not arrive within " << bound.count() << " ms";
        return nullptr;
      }
      future.get();
      return nullptr;
    } catch (...) {
      return std::current_exception();
    }
  }
};

TEST_P(SandboxFaultMatrix, TypedErrorNamingTheCauseWithinTheTimeout) {
  const auto& [c, style] = GetParam();
  std::chrono::milliseconds timeout{};
  auto started = std::chrono::steady_clock::now();
  std::exception_ptr error = call(c, style, timeout);
  auto elapsed = std::chrono::steady_clock::now() - started;

  ASSERT_TRUE(error) << "the call succeeded";
  EXPECT_EQ(kind_of(error), c.kind) << message_of(error);
  std::string message = lower(message_of(error));
  for (const auto& word : c.mentions) EXPECT_NE(message.find(word), std::string::npos) << message;
  EXPECT_LT(elapsed, timeout + kMargin) << "liveness bound";
  if (c.kind == Kind::api) {
    try {
      std::rethrow_exception(error);
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), c.status);
      EXPECT_EQ(e.code(), c.code);
      // APIv3 signs its errors; APIv2 leaves a failed answer unsigned.
      EXPECT_EQ(e.response().verified, !c.v2);
    }
  }
  if (c.kind == Kind::response || c.kind == Kind::verification) {
    try {
      std::rethrow_exception(error);
    } catch (const ResponseError& e) {
      EXPECT_EQ(e.status(), 200);
      EXPECT_FALSE(e.request_id().empty());
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<FaultCase, Style>>& info) {
  static const char* const kStyles[] = {"Sync", "Future", "Callback"};
  return std::get<0>(info.param).name + kStyles[static_cast<int>(std::get<1>(info.param))];
}

INSTANTIATE_TEST_SUITE_P(EveryStyle, SandboxFaultMatrix,
                         ::testing::Combine(::testing::ValuesIn(fault_cases()),
                                            ::testing::Values(Style::sync, Style::future,
                                                              Style::callback)),
                         case_name);

class SandboxFaults : public SandboxTest {
 protected:
  Client client_ = client();

  Response call(const std::string& fault, Options options = {}) {
    if (!fault.empty()) options.headers.set("Sandbox-Fault", fault);
    options.json = example::offlineface_token();
    return client_["v3/offlinefacemch/tokens"]->post(std::move(options));
  }
};

TEST_F(SandboxFaults, TheClientRecoversOnANewConnectionAfterResetAndTruncation) {
  EXPECT_THROW(call("truncate"), TransportError);
  EXPECT_TRUE(call("").verified);
  EXPECT_THROW(call("reset"), TransportError);
  EXPECT_TRUE(call("").verified);
  EXPECT_TRUE(call("delay=50").verified);
}

TEST_F(SandboxFaults, AJsonContentTypeWithParametersIsAccepted) {
  Response response = call("");
  EXPECT_EQ(response.headers.value("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_TRUE(response.verified);
}

TEST_F(SandboxFaults, WrongContentTypeIsRejectedOnlyAfterTheSignatureVerified) {
  try {
    call("wrong_content_type");
    ADD_FAILURE() << "accepted a text/html answer";
  } catch (const VerificationError& e) {
    ADD_FAILURE() << "the signature covers the body, not the label: " << e.what();
  } catch (const ResponseError& e) {
    EXPECT_EQ(e.response().headers.value("Content-Type").rfind("text/html", 0), 0u);
    EXPECT_TRUE(e.response().verified);
  }
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
