// Many callers on one transport: every completion exactly once, each answer to its own caller,
// and a clean shutdown with thousands of requests in flight. Runs under TSan and ASan in CI.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "integration/outcomes.hpp"
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

// Liveness bounds, far above what the work takes; never performance targets.
constexpr auto kBound = 180s;

// Collects the outcomes of `expected` asynchronous requests by index, counting completions.
class Outcomes {
 public:
  explicit Outcomes(std::size_t expected) : slots_(expected) {}

  void record(std::size_t index, std::exception_ptr error, Response response) {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_.at(index);
    if (++slot.completions == 1) {
      slot.error = std::move(error);
      slot.response = std::move(response);
      ++finished_;
    }
    changed_.notify_all();
  }

  // Completion callback for request `index`.
  Completion completion(std::size_t index) {
    return [this, index](std::exception_ptr error, Response response) {
      record(index, std::move(error), std::move(response));
    };
  }

  bool wait_all(std::chrono::seconds bound) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, bound, [&] { return finished_ == slots_.size(); });
  }

  struct Slot {
    int completions = 0;
    std::exception_ptr error;
    Response response;
  };
  // Read once every completion is in and the transport is gone.
  const std::vector<Slot>& slots() const { return slots_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;
  std::size_t finished_ = 0;
};

// Sends request `index` as a future (even) or a callback (odd); futures are collected by a
// waiter so both styles land in `outcomes`.
class MixedSender {
 public:
  explicit MixedSender(Outcomes& outcomes) : outcomes_(outcomes) {}

  void send(const Chain& chain, std::string method, Options options, std::size_t index) {
    if (index % 2 == 1) {
      chain.send_async(std::move(method), std::move(options), outcomes_.completion(index));
      return;
    }
    futures_.emplace_back(index, chain.send_async(std::move(method), std::move(options)));
  }

  // Every future must become ready within the bound; their outcomes go to `outcomes`.
  void collect(std::chrono::seconds bound) {
    auto deadline = std::chrono::steady_clock::now() + bound;
    for (auto& [index, future] : futures_) {
      ASSERT_EQ(future.wait_until(deadline), std::future_status::ready) << "request " << index;
      try {
        outcomes_.record(index, nullptr, future.get());
      } catch (...) {
        outcomes_.record(index, std::current_exception(), Response{});
      }
    }
  }

 private:
  Outcomes& outcomes_;
  std::vector<std::pair<std::size_t, std::future<Response>>> futures_;
};

class ConcurrencyOneTransport : public SandboxTest {};

// An unknown path the sandbox answers with a signed 404 naming it: a unique echo per request.
std::string echo_path(std::size_t index) {
  return "/v3/concurrency/echo-" + std::to_string(index);
}

TEST_F(ConcurrencyOneTransport, SyncThreadsAndTenThousandAsyncRequestsEachGetTheirOwnAnswer) {
  constexpr std::size_t kAsync = 10'000, kThreads = 64, kOrdersPerThread = 3;
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":true})");
  ClientConfig config = sandbox().config();
  config.transport = make_curl_transport();
  config.timeout = 120s;  // requests queue for a free connection behind thousands of others
  Outcomes outcomes(kAsync);
  std::atomic<int> sync_failures{0};
  {
    Client client(config);
    MixedSender sender(outcomes);
    std::thread async_caller([&] {
      for (std::size_t i = 0; i < kAsync; ++i) {
        sender.send(client.chain("v3/concurrency/{id}"), "GET",
                    {.params = {{"id", "echo-" + std::to_string(i)}}}, i);
      }
    });
    std::vector<std::thread> sync_callers;
    for (std::size_t t = 0; t < kThreads; ++t) {
      sync_callers.emplace_back([&, t] {
        for (std::size_t k = 0; k < kOrdersPerThread; ++k) {
          std::string out_trade_no = "(not created)";
          try {
            out_trade_no = create_order(client, static_cast<std::int64_t>(1 + t * 10 + k));
            auto found = client["v3/pay/transactions/out-trade-no/{no}"]->get(
                {.query = {{"mchid", client.mchid()}}, .params = {{"no", out_trade_no}}});
            if (!found.verified || found.json()["out_trade_no"].as<std::string>() != out_trade_no) {
              ++sync_failures;
            }
          } catch (const std::exception& e) {
            ADD_FAILURE() << out_trade_no << ": " << e.what();
            ++sync_failures;
          }
        }
      });
    }
    for (auto& thread : sync_callers) thread.join();
    async_caller.join();
    sender.collect(kBound);
    ASSERT_TRUE(outcomes.wait_all(kBound)) << "callbacks missing";
  }  // the client and its transport are gone: no completion can arrive any more
  sandbox().admin("POST", "/sandbox/bench", R"({"enabled":false})");

  EXPECT_EQ(sync_failures.load(), 0);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < kAsync; ++i) {
    const auto& slot = outcomes.slots()[i];
    ASSERT_EQ(slot.completions, 1) << "request " << i;
    try {
      std::rethrow_exception(slot.error ? slot.error
                                        : std::make_exception_ptr(std::logic_error("succeeded")));
    } catch (const ApiError& e) {
      bool right = e.status() == 404 && e.code() == "RESOURCE_NOT_EXISTS" &&
                   e.response().verified && e.message() == "no such endpoint: GET " + echo_path(i);
      if (!right && ++wrong <= 5) ADD_FAILURE() << "request " << i << " got " << e.what();
    } catch (const std::exception& e) {
      if (++wrong <= 5) ADD_FAILURE() << "request " << i << ": " << e.what();
    }
  }
  EXPECT_EQ(wrong, 0u);
}

class ConcurrencyShutdown : public SandboxTest {};

TEST_F(ConcurrencyShutdown, DestroyingTheClientFailsEveryPendingRequestExactlyOnce) {
  constexpr std::size_t kPending = 3'000;
  Outcomes outcomes(kPending);
  {
    ClientConfig config = sandbox().config();
    // The sandbox holds the first requests; the rest wait for a connection.
    Options held{.headers = {{"Sandbox-Fault", "delay=20000"}}};
    MixedSender sender(outcomes);
    {
      Client client(config);
      auto chain = client["v3/offlinefacemch/tokens"];
      for (std::size_t i = 0; i < kPending; ++i) {
        Options options = held;
        options.json = example::offlineface_token();
        sender.send(chain, "POST", std::move(options), i);
      }
    }  // destroys the transport: joins its I/O thread after failing everything
    sender.collect(10s);
    ASSERT_TRUE(outcomes.wait_all(10s)) << "callbacks missing after the transport was destroyed";
  }
  for (std::size_t i = 0; i < kPending; ++i) {
    const auto& slot = outcomes.slots()[i];
    ASSERT_EQ(slot.completions, 1) << "request " << i;
    ASSERT_EQ(kind_of(slot.error), Kind::transport) << "request " << i << message_of(slot.error);
    EXPECT_NE(message_of(slot.error).find("shut down"), std::string::npos);
  }
}

// Its own sandbox: the requests held by the test above still occupy half its worker threads.
class ConcurrencyShutdownFromCompletion : public SandboxTest {};

TEST_F(ConcurrencyShutdownFromCompletion, DroppingTheLastClientFailsTheRestOnce) {
  constexpr std::size_t kPending = 500;
  Outcomes outcomes(kPending + 1);
  MixedSender sender(outcomes);
  auto holder = std::make_shared<std::optional<Client>>(Client(sandbox().config()));
  {
    auto chain = (**holder)["v3/offlinefacemch/tokens"];
    // First in line, answered after a short pause: by then only this callback holds the client.
    Options first{.json = example::offlineface_token(),
                  .headers = {{"Sandbox-Fault", "delay=300"}}};
    auto done = outcomes.completion(kPending);
    chain->post_async(std::move(first), [holder, done](std::exception_ptr e, Response r) {
      holder->reset();  // destroys the transport on its own I/O thread
      done(std::move(e), std::move(r));
    });
    for (std::size_t i = 0; i < kPending; ++i) {
      Options options{.json = example::offlineface_token(),
                      .headers = {{"Sandbox-Fault", "delay=20000"}}};
      sender.send(chain, "POST", std::move(options), i);
    }
  }
  holder.reset();
  sender.collect(30s);
  ASSERT_TRUE(outcomes.wait_all(30s));
  EXPECT_FALSE(outcomes.slots()[kPending].error) << message_of(outcomes.slots()[kPending].error);
  for (std::size_t i = 0; i < kPending; ++i) {
    const auto& slot = outcomes.slots()[i];
    ASSERT_EQ(slot.completions, 1) << "request " << i;
    ASSERT_EQ(kind_of(slot.error), Kind::transport) << "request " << i << message_of(slot.error);
  }
}

}  // namespace
}  // namespace wechatpay::test
