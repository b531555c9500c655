// Synchronous calls carry their transfer on the calling thread (no hand-off to the I/O thread)
// through the same handler stack: checked by where the body consumer runs, and with the limits
// the I/O thread keeps (connections, timeout, cancellation). "Concurrency" suites run under TSan.
#include <atomic>
#include <stop_token>
#include <thread>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

// Responses the probe middleware saw on this thread: it sits innermost, so it runs wherever the
// transport completed the request.
thread_local int responses_seen_here = 0;

Middleware probe() {
  return map_response([](Response response, const Request&) {
    ++responses_seen_here;
    return response;
  });
}

Options token_request() {
  return {.json = example::offlineface_token()};
}

class ConcurrencySync : public SandboxTest {};

TEST_F(ConcurrencySync, TheTransferRunsOnTheCallersThreadAndAsyncOnTheIoThread) {
  Client client(sandbox().config());
  client.stack().push(probe(), "probe");
  auto chain = client["v3/offlinefacemch/tokens"];
  const int before = responses_seen_here;
  auto response = chain->post(token_request());
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.verified);  // the same stack: signed, verified
  EXPECT_EQ(responses_seen_here, before + 1);

  // Ten sync calls from each of eight threads, each completed on its own thread.
  std::atomic<int> elsewhere{0}, failed{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        try {
          chain->post(token_request());
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          ++failed;
        }
      }
      if (responses_seen_here != 10) ++elsewhere;
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(elsewhere.load(), 0);

  auto future = chain->post_async(token_request());
  ASSERT_EQ(future.wait_for(30s), std::future_status::ready);
  EXPECT_EQ(future.get().status, 200);
  EXPECT_EQ(responses_seen_here, before + 1);  // the I/O thread saw that one
}

TEST_F(ConcurrencySync, ErrorsAndTimeoutsAreTheSameTypedErrors) {
  Client client(sandbox().config());
  auto chain = client["v3/offlinefacemch/tokens"];
  EXPECT_THROW(chain->post({.json = example::offlineface_token(),
                            .headers = {{"Sandbox-Fault", "server_error=503"}}}),
               ApiError);
  EXPECT_THROW(chain->post({.json = example::offlineface_token(),
                            .headers = {{"Sandbox-Fault", "bad_signature"}}}),
               VerificationError);
  EXPECT_THROW(chain->post({.json = example::offlineface_token(),
                            .headers = {{"Sandbox-Fault", "delay=3000"}},
                            .timeout = 300ms}),
               TimeoutError);
}

TEST_F(ConcurrencySync, CancelledInFlightOrWhileWaitingForAConnection) {
  ClientConfig config = sandbox().config();
  config.transport = make_curl_transport({.max_host_connections = 1});
  Client client(config);
  auto chain = client["v3/offlinefacemch/tokens"];
  std::stop_source in_flight, waiting;
  std::exception_ptr first, second;
  std::thread holder([&] {
    try {
      chain->post({.json = example::offlineface_token(),
                   .headers = {{"Sandbox-Fault", "delay=20000"}},
                   .stop_token = in_flight.get_token()});
    } catch (...) {
      first = std::current_exception();
    }
  });
  std::this_thread::sleep_for(300ms);  // the holder has the one connection
  std::thread waiter([&] {
    try {
      chain->post({.json = example::offlineface_token(), .stop_token = waiting.get_token()});
    } catch (...) {
      second = std::current_exception();
    }
  });
  std::this_thread::sleep_for(300ms);
  waiting.request_stop();
  waiter.join();
  in_flight.request_stop();
  holder.join();  // long before the server's 20 s (ctest's timeout would catch a hang)
  try {
    std::rethrow_exception(second);
  } catch (const CancelledError& e) {
    EXPECT_FALSE(e.sent()) << e.what();
  } catch (...) {
    ADD_FAILURE() << "waiting call: " << message_of(second);
  }
  try {
    std::rethrow_exception(first);
  } catch (const CancelledError& e) {
    EXPECT_TRUE(e.sent()) << e.what();
  } catch (...) {
    ADD_FAILURE() << "call in flight: " << message_of(first);
  }
  // The one connection is free again.
  EXPECT_EQ(chain->post(token_request()).status, 200);
}

TEST_F(ConcurrencySync, ACallWaitingForAConnectionTimesOut) {
  ClientConfig config = sandbox().config();
  config.transport = make_curl_transport({.max_host_connections = 1});
  Client client(config);
  auto chain = client["v3/offlinefacemch/tokens"];
  // First-use costs (contract data, keys) paid now: under TSan they outlast the wait below.
  EXPECT_EQ(chain->post({.json = example::offlineface_token()}).status, 200);
  std::thread holder([&] {
    chain->post(
        {.json = example::offlineface_token(), .headers = {{"Sandbox-Fault", "delay=3000"}}});
  });
  std::this_thread::sleep_for(1s);
  try {
    chain->post({.json = example::offlineface_token(), .timeout = 300ms});
    ADD_FAILURE() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_NE(std::string(e.what()).find("free connection"), std::string::npos) << e.what();
  }
  holder.join();
}

}  // namespace
}  // namespace wechatpay::test
