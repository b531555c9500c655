// The Asio adapter's tests, written once for both flavours: the including file defines
// `namespace net` (standalone ::asio or ::boost::asio), `deferred` and `as_tuple`, `ErrorCode`
// and the suite name ASIO_SUITE, then includes this file. Suites start with "Concurrency" so
// the TSan stage runs them. Each runs over both transports: the SDK's own I/O thread and the
// io_context's (wechatpay/asio_transport.hpp).
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"
#include "wechatpay/asio.hpp"
#include "wechatpay/asio_transport.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

// An io_context run by one thread for the test's lifetime.
class IoThread {
 public:
  IoThread() : work_(net::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  net::io_context& io() { return io_; }
  std::thread::id id() const { return thread_.get_id(); }

  // Runs `coroutine` on the io_context and waits (bounded) for it; rethrows what it threw.
  template <typename Make>
  void spawn_and_wait(Make make) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    net::co_spawn(io_, make(), [done](std::exception_ptr error) {
      if (error) {
        done->set_exception(error);
      } else {
        done->set_value();
      }
    });
    ASSERT_EQ(future.wait_for(60s), std::future_status::ready) << "the coroutine did not finish";
    future.get();
  }

 private:
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::thread thread_;
};

Options token_request(std::string fault = {}) {
  Options options{.json = example::offlineface_token()};
  if (!fault.empty()) options.headers.set("Sandbox-Fault", std::move(fault));
  return options;
}

class ASIO_SUITE : public SandboxTest, public ::testing::WithParamInterface<bool> {
 protected:
  static bool on_io_context() { return GetParam(); }
  // The sandbox's profile over the transport under test: the SDK's I/O thread, or `io`.
  static ClientConfig config_on(net::io_context& io) {
    ClientConfig config = sandbox().config();
    if (on_io_context()) config.transport = make_asio_transport(io);
    return config;
  }
};

INSTANTIATE_TEST_SUITE_P(Transports, ASIO_SUITE, ::testing::Bool(), [](const auto& info) {
  return std::string(info.param ? "IoContextTransport" : "SdkThreadTransport");
});

TEST_P(ASIO_SUITE, UseAwaitableResumesOnTheCoroutinesExecutorAndThrowsTypedErrors) {
  IoThread io;
  Client client(config_on(io.io()));
  auto chain = client["v3/offlinefacemch/tokens"];
  std::thread::id resumed_on;
  std::optional<ApiError> failed;
  Response ok;
  io.spawn_and_wait([&]() -> net::awaitable<void> {
    // Named first: GCC 12 rejects braced options inside a co_await expression.
    Options options = token_request();
    ok = co_await async_post(chain, std::move(options), net::use_awaitable);
    resumed_on = std::this_thread::get_id();
    try {
      co_await async_post(chain, token_request("server_error=503"), net::use_awaitable);
    } catch (const ApiError& e) {
      failed.emplace(e);
    }
  });
  EXPECT_TRUE(ok.verified);
  EXPECT_EQ(resumed_on, io.id());
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->status(), 503);
}

TEST_P(ASIO_SUITE, ErrorCodeSignatureMapsErrorsAndKeepsTheErrorResponse) {
  IoThread io;
  Client client(config_on(io.io()));
  auto chain = client["v3/offlinefacemch/tokens"];
  ErrorCode ok_code = make_error_code(AsioErrc::other), api_code;
  Response api_response;
  io.spawn_and_wait([&]() -> net::awaitable<void> {
    auto token = as_tuple(net::use_awaitable);
    auto [code, response] = co_await async_post<ErrorCodeSignature>(chain, token_request(), token);
    ok_code = code;
    std::tie(api_code, api_response) =
        co_await async_post<ErrorCodeSignature>(chain, token_request("server_error=503"), token);
  });
  EXPECT_FALSE(ok_code) << ok_code.message();
  EXPECT_EQ(api_code, AsioErrc::api) << api_code.message();
  EXPECT_EQ(api_code.category().name(), std::string("wechatpay"));
  EXPECT_EQ(api_response.status, 503);
}

TEST_P(ASIO_SUITE, UseFutureDeferredAndAPlainHandler) {
  IoThread io;
  Client client(config_on(io.io()));
  auto chain = client["v3/offlinefacemch/tokens"];

  std::future<Response> future = async_post(chain, token_request(), net::use_future);
  ASSERT_EQ(future.wait_for(60s), std::future_status::ready);
  EXPECT_TRUE(future.get().verified);
  auto failing = async_post(chain, token_request("server_error=503"), net::use_future);
  ASSERT_EQ(failing.wait_for(60s), std::future_status::ready);
  EXPECT_THROW(failing.get(), ApiError);

  // Deferred: nothing is sent until the operation is launched.
  auto operation = async_post(chain, token_request(), deferred);
  std::promise<std::pair<std::exception_ptr, Response>> deferred_done;
  std::move(operation)([&](std::exception_ptr error, Response response) {
    deferred_done.set_value({error, std::move(response)});
  });
  auto deferred_future = deferred_done.get_future();
  ASSERT_EQ(deferred_future.wait_for(60s), std::future_status::ready);
  EXPECT_FALSE(deferred_future.get().first);

  // A plain handler bound to the io_context runs there.
  std::promise<std::thread::id> ran;
  async_post(chain, token_request(),
             net::bind_executor(io.io(), [&](std::exception_ptr error, Response response) {
               EXPECT_FALSE(error) << message_of(error);
               EXPECT_TRUE(response.verified);
               ran.set_value(std::this_thread::get_id());
             }));
  auto ran_on = ran.get_future();
  ASSERT_EQ(ran_on.wait_for(60s), std::future_status::ready);
  EXPECT_EQ(ran_on.get(), io.id());
}

TEST_P(ASIO_SUITE, EmittingTheCancellationSlotAbortsTheTransferOnce) {
  IoThread io;
  Client client(config_on(io.io()));
  auto chain = client["v3/offlinefacemch/tokens"];
  net::cancellation_signal signal;
  std::atomic<int> calls{0};
  std::promise<ErrorCode> delivered;
  // Started, and later cancelled, on the io_context's thread: a slot is not thread-safe.
  net::post(io.io(), [&] {
    async_post<ErrorCodeSignature>(
        chain, token_request("delay=20000"),
        net::bind_cancellation_slot(signal.slot(),
                                    net::bind_executor(io.io(), [&](ErrorCode code, Response) {
                                      if (++calls == 1) delivered.set_value(code);
                                    })));
  });
  std::this_thread::sleep_for(300ms);
  net::post(io.io(), [&] { signal.emit(net::cancellation_type::terminal); });
  auto future = delivered.get_future();
  // Long before the server's 20 s.
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(future.get(), net::error::operation_aborted);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(ASIO_SUITE, ATimerRacingTheRequestCancelsItThroughTheSlot) {
  IoThread io;
  Client client(config_on(io.io()));
  auto chain = client["v3/offlinefacemch/tokens"];
  std::optional<CancelledError> cancelled;
  io.spawn_and_wait([&]() -> net::awaitable<void> {
    net::steady_timer timer(co_await net::this_coro::executor, 300ms);
    // The first to finish cancels the other: here the timer, through the request's slot.
    auto [order, request_error, response, timer_error] =
        co_await net::experimental::make_parallel_group(
            async_post(chain, token_request("delay=20000"), deferred), timer.async_wait(deferred))
            .async_wait(net::experimental::wait_for_one(), net::use_awaitable);
    (void)response;
    (void)timer_error;
    EXPECT_EQ(order[0], 1u);  // the timer first
    try {
      if (request_error) std::rethrow_exception(request_error);
    } catch (const CancelledError& e) {
      cancelled.emplace(e);
    }
  });
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_TRUE(cancelled->sent());
}

// The io_context's own transport: what only it does.
class ASIO_TRANSPORT_SUITE : public SandboxTest {
 protected:
  static Options slow_request() { return token_request("delay=20000"); }

  // A client whose transfers run on `io`. It holds the transport's only reference: dropping the
  // client shuts the transport down.
  static std::unique_ptr<Client> client_on(net::io_context& io, CurlTransportOptions options = {}) {
    ClientConfig config = sandbox().config();
    config.transport = make_asio_transport(io, options);
    return std::make_unique<Client>(std::move(config));
  }

  // Runs `io` on this thread until it has no work left (at most 60 s); how long that took.
  static std::chrono::steady_clock::duration run_until_idle(net::io_context& io) {
    const auto started = std::chrono::steady_clock::now();
    io.run_for(60s);
    EXPECT_TRUE(io.stopped()) << "work left after 60 s";
    return std::chrono::steady_clock::now() - started;
  }

  // Requests the sandbox holds for 20 s: how many completed, and how many of those with the
  // transport's shutdown error; each must complete on `loop_thread`.
  struct Held {
    int completions = 0, shut_down = 0;
  };
  static void hold(Client& client, int count, Held& held, std::thread::id loop_thread) {
    for (int i = 0; i < count; ++i) {
      async_post(client["v3/offlinefacemch/tokens"], slow_request(),
                 [&held, loop_thread](std::exception_ptr error, Response) {
                   ++held.completions;
                   EXPECT_EQ(std::this_thread::get_id(), loop_thread);  // not an SDK thread
                   try {
                     if (error) std::rethrow_exception(error);
                   } catch (const TransportError& e) {
                     if (std::string(e.what()).find("shut down") != std::string::npos) {
                       ++held.shut_down;
                     }
                   } catch (...) {
                     // counted as a completion only
                   }
                 });
    }
  }
};

TEST_F(ASIO_TRANSPORT_SUITE, ConcurrentCoroutinesOnAThreadPoolCompleteOnceAndRunReturns) {
  net::io_context io;
  auto client = client_on(io);
  auto chain = (*client)["v3/offlinefacemch/tokens"];
  constexpr int kRequests = 200;
  std::atomic<int> completed{0}, verified{0};
  std::vector<std::atomic<int>> calls(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    net::co_spawn(
        io,
        [&, i]() -> net::awaitable<void> {
          Response response = co_await async_post(chain, token_request(), net::use_awaitable);
          if (response.verified) ++verified;
          ++calls[static_cast<std::size_t>(i)];
          ++completed;
        },
        [](std::exception_ptr error) { EXPECT_FALSE(error) << message_of(error); });
  }
  // Two threads run the io_context: the transport's strand keeps libcurl on one at a time.
  std::thread second([&] { io.run_for(60s); });
  io.run_for(60s);
  second.join();
  // run_for returned because no work was left: nothing of the transport's lingers.
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(completed.load(), kRequests);
  EXPECT_EQ(verified.load(), kRequests);
  for (const auto& count : calls) EXPECT_EQ(count.load(), 1);
}

TEST_F(ASIO_TRANSPORT_SUITE, RequestsBeyondTheConnectionLimitWaitTheirTurnAndAllComplete) {
  net::io_context io;
  auto client = client_on(io, {.max_host_connections = 2});
  auto chain = (*client)["v3/offlinefacemch/tokens"];
  constexpr int kRequests = 60;
  int completed = 0;
  long connections = 0;
  for (int i = 0; i < kRequests; ++i) {
    async_post(chain, token_request(), [&](std::exception_ptr error, Response response) {
      EXPECT_FALSE(error) << message_of(error);
      connections += response.connections_opened;
      ++completed;
    });
  }
  run_until_idle(io);
  EXPECT_EQ(completed, kRequests);
  EXPECT_LE(connections, 2);  // the rest reused them
}

TEST_F(ASIO_TRANSPORT_SUITE, SynchronousCallsRunElsewhereAndAreRefusedOnTheLoop) {
  IoThread io;
  auto client = client_on(io.io());
  auto chain = (*client)["v3/offlinefacemch/tokens"];
  EXPECT_TRUE(chain->post(token_request()).verified);  // on this thread, not the loop's

  std::promise<std::string> refused;
  net::post(io.io(), [&] {
    try {
      chain->post(token_request());
      refused.set_value("no error");
    } catch (const TransportError& e) {
      refused.set_value(e.what());
    }
  });
  auto message = refused.get_future();
  ASSERT_EQ(message.wait_for(60s), std::future_status::ready);
  EXPECT_NE(message.get().find("deadlock"), std::string::npos);
}

TEST_F(ASIO_TRANSPORT_SUITE, DestroyingTheClientOnTheLoopFailsWhatIsInFlightAtOnce) {
  net::io_context io;
  auto client = client_on(io);
  constexpr int kRequests = 3;
  Held held;
  hold(*client, kRequests, held, std::this_thread::get_id());  // io.run_for, below
  net::steady_timer timer(io, 300ms);
  timer.async_wait([&](const ErrorCode&) { client.reset(); });
  EXPECT_LT(run_until_idle(io), 10s);  // not the server's 20 s
  EXPECT_EQ(held.completions, kRequests);
  EXPECT_EQ(held.shut_down, kRequests);
}

TEST_F(ASIO_TRANSPORT_SUITE, DroppingTheClientInsideACompletionFailsTheRestOnce) {
  net::io_context io;
  auto client = client_on(io);
  constexpr int kSlow = 3;
  Held held;
  hold(*client, kSlow, held, std::this_thread::get_id());  // io.run_for, below
  bool fast_ok = false;
  // Its completion runs inside the transport's own handling of the answer, and drops it there.
  async_post(
      (*client)["v3/offlinefacemch/tokens"], token_request(),
      [&, loop_thread = std::this_thread::get_id()](std::exception_ptr error, Response response) {
        fast_ok = !error && response.verified;
        EXPECT_EQ(std::this_thread::get_id(), loop_thread);  // io.run_for, below
        client.reset();
      });
  EXPECT_LT(run_until_idle(io), 10s);  // not the server's 20 s
  EXPECT_TRUE(fast_ok);
  EXPECT_EQ(held.completions, kSlow);
  EXPECT_EQ(held.shut_down, kSlow);
}

TEST_F(ASIO_TRANSPORT_SUITE, DestroyingTheClientOffTheLoopFailsWhatIsInFlightWhenTheLoopRuns) {
  IoThread io;
  auto client = client_on(io.io());
  std::future<Response> pending =
      async_post((*client)["v3/offlinefacemch/tokens"], slow_request(), net::use_future);
  std::this_thread::sleep_for(300ms);
  client.reset();  // on this thread while the io_context runs on its own
  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  EXPECT_THROW(pending.get(), TransportError);
}

TEST_F(ASIO_TRANSPORT_SUITE, AnEventLoopTransportNeedsALoop) {
  EXPECT_THROW(make_event_loop_transport(nullptr), ConfigError);
}

}  // namespace
}  // namespace wechatpay::test
