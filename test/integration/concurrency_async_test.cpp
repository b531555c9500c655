// Asynchronous calls for server code, against the sandbox: completions on the caller's executor
// (checked by thread identity), coroutine awaitables (10,000 at once, each resumed once),
// cancellation through Options::stop_token (before sending, queued, in flight, after completion)
// and destroying the client while awaitables wait. The suites start with "Concurrency" so the
// TSan stage runs them.
#include <atomic>
#include <coroutine>
#include <future>
#include <optional>
#include <stop_token>
#include <thread>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/detached_coroutine.hpp"
#include "support/thread_executor.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kBound = 60s;  // liveness bound, never a performance target

// What one awaited request produced, and on which thread the coroutine went on.
struct Awaited {
  std::exception_ptr error;
  Response response;
  std::thread::id resumed_on;
  int resumptions = 0;
};

Detached await_into(ResponseAwaitable& call, Awaited& into, std::promise<void>& done) {
  try {
    into.response = co_await call;
  } catch (...) {
    into.error = std::current_exception();
  }
  into.resumed_on = std::this_thread::get_id();
  ++into.resumptions;
  done.set_value();
}

// Awaits `chain->post_co(options)` in a Detached coroutine; bounded wait.
Awaited await_post(const Chain& chain, Options options) {
  Awaited awaited;
  std::promise<void> done;
  auto call = chain->post_co(std::move(options));
  await_into(call, awaited, done);
  if (done.get_future().wait_for(kBound) != std::future_status::ready) {
    throw std::runtime_error("the coroutine was not resumed");
  }
  return awaited;
}

// The outcome of one callback request, the thread it ran on and how often the callback ran
// (read it again later: a second call would show there).
struct CalledBack {
  std::exception_ptr error;
  Response response;
  std::thread::id ran_on;
  std::shared_ptr<std::atomic<int>> calls;
};

CalledBack call_back(const Chain& chain, Options options) {
  auto delivered = std::make_shared<std::promise<CalledBack>>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto future = delivered->get_future();
  chain->post_async(
      std::move(options), [delivered, calls](std::exception_ptr error, Response response) {
        if (++*calls > 1) return;
        delivered->set_value(
            {std::move(error), std::move(response), std::this_thread::get_id(), calls});
      });
  if (future.wait_for(kBound) != std::future_status::ready) {
    throw std::runtime_error("the callback did not run");
  }
  return future.get();
}

Options token_request() {
  return {.json = example::offlineface_token()};
}

class ConcurrencyExecutor : public SandboxTest {};

TEST_F(ConcurrencyExecutor, CallbacksAndCoroutinesRunOnTheClientExecutor) {
  ThreadExecutor pool;
  ClientConfig config = sandbox().config();
  config.executor = pool.executor();
  Client client(config);
  auto chain = client["v3/offlinefacemch/tokens"];

  auto called = call_back(chain, token_request());
  EXPECT_FALSE(called.error) << message_of(called.error);
  EXPECT_TRUE(called.response.verified);
  EXPECT_EQ(called.ran_on, pool.id());

  auto awaited = await_post(chain, token_request());
  EXPECT_FALSE(awaited.error) << message_of(awaited.error);
  EXPECT_TRUE(awaited.response.verified);
  EXPECT_EQ(awaited.resumed_on, pool.id());
  EXPECT_EQ(awaited.resumptions, 1);

  // Errors travel the same way.
  Options bad = token_request();
  bad.headers.set("Sandbox-Fault", "server_error=503");
  auto failed = await_post(chain, std::move(bad));
  EXPECT_EQ(kind_of(failed.error), Kind::api) << message_of(failed.error);
  EXPECT_EQ(failed.resumed_on, pool.id());
}

TEST_F(ConcurrencyExecutor, TheRequestExecutorWinsAndWithoutOneTheIoThreadRuns) {
  ThreadExecutor client_pool, request_pool;
  ClientConfig config = sandbox().config();
  config.executor = client_pool.executor();
  Client client(config);
  auto chain = client["v3/offlinefacemch/tokens"];

  Options options = token_request();
  options.executor = request_pool.executor();
  auto called = call_back(chain, std::move(options));
  EXPECT_FALSE(called.error) << message_of(called.error);
  EXPECT_EQ(called.ran_on, request_pool.id());

  Client plain(sandbox().config());
  auto direct = call_back(plain["v3/offlinefacemch/tokens"], token_request());
  EXPECT_NE(direct.ran_on, std::this_thread::get_id());
  EXPECT_NE(direct.ran_on, client_pool.id());
  EXPECT_NE(direct.ran_on, request_pool.id());
}

TEST_F(ConcurrencyExecutor, AnExecutorThatThrowsStillDeliversTheOutcomeOnce) {
  ClientConfig config = sandbox().config();
  config.executor = [](std::function<void()>) { throw std::runtime_error("queue closed"); };
  Client client(config);
  std::atomic<int> calls{0};
  std::promise<std::exception_ptr> delivered;
  client["v3/offlinefacemch/tokens"]->post_async(token_request(),
                                                 [&](std::exception_ptr error, Response) {
                                                   ++calls;
                                                   delivered.set_value(error);
                                                 });
  auto future = delivered.get_future();
  ASSERT_EQ(future.wait_for(kBound), std::future_status::ready);
  EXPECT_FALSE(future.get());
  std::this_thread::sleep_for(100ms);  // a second call would land here
  EXPECT_EQ(calls.load(), 1);
}

class ConcurrencyCoroutines : public SandboxTest {};

// Counts resumptions per coroutine; the last one to finish signals.
struct Tally {
  explicit Tally(std::size_t n) : resumptions(n), outcomes(n) {}
  std::vector<std::atomic<int>> resumptions;
  std::vector<std::exception_ptr> outcomes;  // each written by its own coroutine only
  std::atomic<std::size_t> finished{0};
  std::promise<void> all;
};

Detached echo(const Client& client, std::size_t index, Tally& tally) {
  try {
    // Named first: GCC 12 rejects braced initializer lists inside a co_await expression.
    auto call = client.chain("v3/concurrency/{id}")
                    .get_co({.params = {{"id", "echo-" + std::to_string(index)}}});
    co_await call;
    tally.outcomes[index] = std::make_exception_ptr(std::logic_error("succeeded"));
  } catch (...) {
    tally.outcomes[index] = std::current_exception();
  }
  ++tally.resumptions[index];
  if (tally.finished.fetch_add(1) + 1 == tally.resumptions.size()) tally.all.set_value();
}

TEST_F(ConcurrencyCoroutines, TenThousandConcurrentAwaitsEachResumeOnceWithTheirAnswer) {
  constexpr std::size_t kCoroutines = 10'000;
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":true})");
  ThreadExecutor pool;
  ClientConfig config = sandbox().config();
  config.executor = pool.executor();
  config.timeout = 120s;  // they queue for a free connection behind thousands of others
  Tally tally(kCoroutines);
  {
    Client client(config);
    for (std::size_t i = 0; i < kCoroutines; ++i) echo(client, i, tally);
    ASSERT_EQ(tally.all.get_future().wait_for(180s), std::future_status::ready)
        << tally.finished.load() << " of " << kCoroutines << " resumed";
  }
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":false})");
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < kCoroutines; ++i) {
    ASSERT_EQ(tally.resumptions[i].load(), 1) << "coroutine " << i;
    try {
      std::rethrow_exception(tally.outcomes[i]);
    } catch (const ApiError& e) {
      // The sandbox answers an unknown path with a signed 404 naming it: this request's own.
      bool right = e.status() == 404 && e.response().verified &&
                   e.message() == "no such endpoint: GET /v3/concurrency/echo-" + std::to_string(i);
      if (!right && ++wrong <= 5) ADD_FAILURE() << "coroutine " << i << " got " << e.what();
    } catch (const std::exception& e) {
      if (++wrong <= 5) ADD_FAILURE() << "coroutine " << i << ": " << e.what();
    }
  }
  EXPECT_EQ(wrong, 0u);
}

// CancelledError::sent() of `error`; nullopt (and a test failure) for any other outcome.
std::optional<bool> cancelled_sent(const std::exception_ptr& error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const CancelledError& e) {
    return e.sent();
  } catch (...) {
  }
  ADD_FAILURE() << "expected CancelledError, got " << message_of(error);
  return std::nullopt;
}

// Options for a JSAPI order `out_trade_no`; whether it was created tells whether it was sent.
Options order_request(const Client& client, const std::string& out_trade_no) {
  return {.json = {{"appid", "wxd678efh567hg6787"},
                   {"mchid", client.mchid()},
                   {"description", "cancellation test"},
                   {"out_trade_no", out_trade_no},
                   {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
                   {"amount", {{"total", 1}, {"currency", "CNY"}}},
                   {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}}}};
}

bool order_exists(const Client& client, const std::string& out_trade_no) {
  try {
    client["v3/pay/transactions/out-trade-no/{no}"]->get(
        {.query = {{"mchid", client.mchid()}}, .params = {{"no", out_trade_no}}});
    return true;
  } catch (const ApiError& e) {
    if (e.status() == 404) return false;
    throw;
  }
}

class ConcurrencyCancel : public SandboxTest {};

TEST_F(ConcurrencyCancel, CancelledBeforeTheCallIsNeverSent) {
  Client client(sandbox().config());
  std::stop_source stop;
  stop.request_stop();
  const std::string out_trade_no = "CANCEL" + crypto::nonce(16);
  Options options = order_request(client, out_trade_no);
  options.stop_token = stop.get_token();
  auto called = call_back(client["v3/pay/transactions/jsapi"], std::move(options));
  EXPECT_EQ(cancelled_sent(called.error), false);
  EXPECT_NE(message_of(called.error).find("was not sent"), std::string::npos);
  EXPECT_FALSE(order_exists(client, out_trade_no));

  // A coroutine sees the same error thrown.
  Options again = order_request(client, out_trade_no);
  again.stop_token = stop.get_token();
  auto awaited = await_post(client["v3/pay/transactions/jsapi"], std::move(again));
  EXPECT_EQ(cancelled_sent(awaited.error), false);
  EXPECT_FALSE(order_exists(client, out_trade_no));
}

TEST_F(ConcurrencyCancel, CancelledWhileQueuedForAConnectionIsNeverSent) {
  ClientConfig config = sandbox().config();
  config.transport = make_curl_transport({.max_host_connections = 1});
  Client client(config);
  // The one connection is busy for 3 s; the order waits behind it.
  Options slow = token_request();
  slow.headers.set("Sandbox-Fault", "delay=3000");
  auto blocker = client["v3/offlinefacemch/tokens"]->post_async(std::move(slow));
  std::this_thread::sleep_for(200ms);
  std::stop_source stop;
  const std::string out_trade_no = "CANCEL" + crypto::nonce(16);
  Options options = order_request(client, out_trade_no);
  options.stop_token = stop.get_token();
  auto future = std::async(std::launch::async, [&] {
    return call_back(client["v3/pay/transactions/jsapi"], std::move(options));
  });
  std::this_thread::sleep_for(200ms);
  stop.request_stop();
  auto called = future.get();
  EXPECT_EQ(cancelled_sent(called.error), false);
  EXPECT_NE(message_of(called.error).find("was not sent"), std::string::npos);
  EXPECT_NO_THROW(blocker.get());
  EXPECT_FALSE(order_exists(client, out_trade_no));
}

TEST_F(ConcurrencyCancel, CancelledInFlightAbortsTheTransferOnce) {
  Client client(sandbox().config());
  std::stop_source stop;
  Options options = token_request();
  options.headers.set("Sandbox-Fault", "delay=20000");
  options.stop_token = stop.get_token();
  std::atomic<int> calls{0};
  std::promise<std::exception_ptr> delivered;
  client["v3/offlinefacemch/tokens"]->post_async(std::move(options),
                                                 [&](std::exception_ptr error, Response) {
                                                   if (++calls == 1) delivered.set_value(error);
                                                 });
  std::this_thread::sleep_for(300ms);  // on the wire by now; the server holds the answer
  stop.request_stop();
  auto future = delivered.get_future();
  // Well before the server's 20 s: the transfer was aborted, not waited out.
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  auto error = future.get();
  EXPECT_EQ(cancelled_sent(error), true);
  EXPECT_NE(message_of(error).find("in flight"), std::string::npos) << message_of(error);
  stop.request_stop();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(calls.load(), 1);
  // The client goes on working after an abort.
  EXPECT_TRUE(client["v3/offlinefacemch/tokens"]->post(token_request()).verified);
}

TEST_F(ConcurrencyCancel, CoroutineCancelledInFlightThrowsCancelledError) {
  ThreadExecutor pool;
  ClientConfig config = sandbox().config();
  config.executor = pool.executor();
  Client client(config);
  std::stop_source stop;
  Options options = token_request();
  options.headers.set("Sandbox-Fault", "delay=20000");
  options.stop_token = stop.get_token();
  Awaited awaited;
  std::promise<void> done;
  auto call = client["v3/offlinefacemch/tokens"]->post_co(std::move(options));
  await_into(call, awaited, done);
  std::this_thread::sleep_for(300ms);
  stop.request_stop();
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(cancelled_sent(awaited.error), true);
  EXPECT_EQ(awaited.resumed_on, pool.id());
  EXPECT_EQ(awaited.resumptions, 1);
}

TEST_F(ConcurrencyCancel, CancellingAfterCompletionChangesNothing) {
  Client client(sandbox().config());
  std::stop_source stop;
  Options options = token_request();
  options.stop_token = stop.get_token();
  auto called = call_back(client["v3/offlinefacemch/tokens"], std::move(options));
  stop.request_stop();
  std::this_thread::sleep_for(100ms);  // a second completion would land here
  EXPECT_FALSE(called.error) << message_of(called.error);
  EXPECT_TRUE(called.response.verified);
  EXPECT_EQ(called.calls->load(), 1);
}

class ConcurrencyAwaitShutdown : public SandboxTest {};

// Counts coroutine frames alive: each holds one Frame.
struct Frames {
  std::atomic<int> alive{0};
  std::atomic<int> transport_errors{0};
  std::atomic<int> other{0};
};

struct FrameGuard {
  Frames& frames;
  explicit FrameGuard(Frames& f) : frames(f) { ++frames.alive; }
  ~FrameGuard() { --frames.alive; }
};

// `chain` is read before the first suspension only: the frame must not keep the client alive.
Detached held_request(const Chain& chain, Frames& frames) {
  FrameGuard guard(frames);
  Options options = token_request();
  options.headers.set("Sandbox-Fault", "delay=20000");
  auto call = chain->post_co(std::move(options));
  try {
    co_await call;
    ++frames.other;
  } catch (const TransportError& e) {
    std::string what = e.what();
    ++(what.find("shut down") != std::string::npos ? frames.transport_errors : frames.other);
  } catch (...) {
    ++frames.other;
  }
}

TEST_F(ConcurrencyAwaitShutdown, DestroyingTheClientResumesEveryAwaitWithAnError) {
  constexpr int kPending = 300;
  Frames frames;
  {
    ThreadExecutor pool;
    {
      ClientConfig config = sandbox().config();
      config.executor = pool.executor();
      Client client(config);
      auto chain = client["v3/offlinefacemch/tokens"];
      for (int i = 0; i < kPending; ++i) held_request(chain, frames);
      std::this_thread::sleep_for(300ms);
      EXPECT_EQ(frames.alive.load(), kPending);
    }  // the last handle: the transport fails what it holds and joins its thread
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (frames.alive.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
  }
  EXPECT_EQ(frames.alive.load(), 0) << "coroutine frames left suspended";
  EXPECT_EQ(frames.transport_errors.load(), kPending);
  EXPECT_EQ(frames.other.load(), 0);
}

}  // namespace
}  // namespace wechatpay::test
