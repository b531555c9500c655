// The libcurl transport's threads and connections against a real TLS server on 127.0.0.1:
// connection reuse, the I/O thread, concurrency, queueing, fork and shutdown.
#include <atomic>
#include <future>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "transport/curl_transport_fixture.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using namespace transport_test;
using Clock = std::chrono::steady_clock;

TEST_F(CurlTransportTest, SequentialRequestsReuseOneConnection) {
  for (int i = 0; i < 5; ++i) EXPECT_OK(send_and_wait(*transport_, request("GET", "/peer?i=1")));
  EXPECT_EQ(distinct_peers(), 1u);
}

TEST_F(CurlTransportTest, CompletionsRunOnTheIoThread) {
  EXPECT_FALSE(transport_->on_io_thread());
  auto promise = std::make_shared<std::promise<bool>>();
  auto future = promise->get_future();
  transport_->send(request("GET", "/echo"), [promise, t = transport_.get()](auto, auto) {
    promise->set_value(t->on_io_thread());
  });
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(future.get());
}

TEST_F(CurlTransportTest, ThousandConcurrentRequestsFromEightThreadsCompleteOnce) {
  constexpr int kThreads = 8, kPerThread = 125, kTotal = kThreads * kPerThread;
  // httplib serves a connection per worker thread: cap connections to what it can serve, so
  // requests also queue inside libcurl's multi handle.
  CurlTransportOptions options;
  options.max_host_connections = 8;
  transport_ = make_curl_transport(options);
  std::vector<std::atomic<int>> completions(kTotal);
  std::atomic<int> failures{0}, off_thread{0};
  std::mutex first_error_mutex;
  std::string first_error;
  Counter counter;
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t * kPerThread; i < (t + 1) * kPerThread; ++i) {
        Request r = request("GET", "/peer?i=" + std::to_string(i));
        r.transfer.connect_timeout = r.transfer.timeout = 15s;
        transport_->send(std::move(r), [&, i](std::exception_ptr error, Response response) {
          if (error || response.body != std::to_string(i)) {
            ++failures;
            std::lock_guard lock(first_error_mutex);
            if (first_error.empty())
              first_error = error_as<std::exception>(error).value_or(
                  "status " + std::to_string(response.status) + " body " + response.body);
          }
          if (!transport_->on_io_thread()) ++off_thread;
          ++completions[i];
          counter.add();
        });
      }
    });
  }
  for (auto& sender : senders) sender.join();
  ASSERT_TRUE(counter.wait_for(kTotal, 20s)) << counter.count() << " of " << kTotal;
  std::this_thread::sleep_for(50ms);  // room for a (wrong) second completion to show up
  EXPECT_EQ(counter.count(), kTotal);
  for (int i = 0; i < kTotal; ++i) ASSERT_EQ(completions[i].load(), 1) << "request " << i;
  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_EQ(off_thread.load(), 0);
}

TEST_F(CurlTransportTest, RequestQueuedBehindBusyConnectionsTimesOut) {
  // One connection: 16 transfers go to libcurl, the 17th waits in the transport's own queue.
  CurlTransportOptions options;
  options.max_host_connections = 1;
  transport_ = make_curl_transport(options);
  Counter counter;
  for (int i = 0; i < 16; ++i) {
    Request r = request("GET", "/slow?ms=5000");
    r.transfer.timeout = 700ms;
    transport_->send(std::move(r), [&](std::exception_ptr, Response) { counter.add(); });
  }
  // A signed APIv2 GET carries its sign in the query: the message must not.
  Request queued = request("GET", "/echo?a=1&sign=SECRET0123456789ABCDEF");
  queued.transfer.timeout = 300ms;
  Outcome out = send_and_wait(*transport_, std::move(queued));
  auto message = error_as<TimeoutError>(out.error);
  ASSERT_TRUE(message) << "expected a TimeoutError";
  EXPECT_NE(message->find("GET https://"), std::string::npos) << *message;
  EXPECT_NE(message->find("waiting for a free connection"), std::string::npos) << *message;
  EXPECT_EQ(message->find("SECRET0123456789ABCDEF"), std::string::npos) << *message;
  EXPECT_TRUE(counter.wait_for(16, 20s)) << counter.count() << " of 16";
}

// A forked child has the transport's state but not its I/O thread: a request there must fail at
// once with an error that says why, and dropping the transport must not wait for the thread.
TEST_F(CurlTransportTest, ARequestInAForkedChildFailsFastSayingWhy) {
  EXPECT_OK(send_and_wait(*transport_, request("GET", "/echo")));  // the I/O thread runs
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Exit codes: 0 the expected error, 1 another outcome, 2 no outcome within 5 s (a hang).
    std::promise<std::exception_ptr> outcome;
    transport_->send(request("GET", "/echo"),
                     [&](std::exception_ptr error, Response) { outcome.set_value(error); });
    auto future = outcome.get_future();
    if (future.wait_for(5s) != std::future_status::ready) ::_exit(2);
    auto message = error_as<TransportError>(future.get());
    if (!message || message->find("fork") == std::string::npos) ::_exit(1);
    transport_.reset();
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died: signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another outcome, 2: no outcome (a hang)";
  EXPECT_OK(send_and_wait(*transport_, request("GET", "/echo")));  // the parent is unaffected
}

TEST_F(CurlTransportTest, DestructionFailsInFlightAndQueuedRequestsOnce) {
  constexpr int kInFlight = 10, kQueued = 5;
  std::vector<std::atomic<int>> completions(kInFlight + kQueued);
  std::atomic<int> shut_down{0};
  auto complete = [&](int i) {
    return [&, i](std::exception_ptr error, Response) {
      auto message = error_as<TransportError>(error);
      if (message && message->find("transport shut down") != std::string::npos) ++shut_down;
      ++completions[i];
    };
  };
  for (int i = 0; i < kInFlight; ++i)
    transport_->send(request("GET", "/slow?ms=5000"), complete(i));
  std::this_thread::sleep_for(300ms);  // let them reach the server
  for (int i = kInFlight; i < kInFlight + kQueued; ++i) {
    transport_->send(request("GET", "/slow?ms=5000"), complete(i));
  }
  const auto start = Clock::now();
  transport_.reset();
  EXPECT_LT(Clock::now() - start, 1s);
  const int seen = shut_down.load();
  EXPECT_EQ(seen, kInFlight + kQueued);
  std::this_thread::sleep_for(100ms);  // nothing may complete after the destructor returned
  for (auto& c : completions) EXPECT_EQ(c.load(), 1);
  EXPECT_EQ(shut_down.load(), seen);
}

TEST_F(CurlTransportTest, DroppingTheLastReferenceInsideACompletionDoesNotDeadlock) {
  Counter counter;
  std::atomic<int> slow_shut_down{0};
  auto holder = std::make_shared<std::shared_ptr<Transport>>(std::move(transport_));
  Transport& transport = **holder;
  transport.send(request("GET", "/slow?ms=5000"), [&](std::exception_ptr error, Response) {
    if (error_as<TransportError>(error)) ++slow_shut_down;
    counter.add();
  });
  transport.send(request("GET", "/echo"), [holder, &counter](std::exception_ptr, Response) {
    holder->reset();  // the last reference, on the I/O thread
    counter.add();
  });
  ASSERT_TRUE(counter.wait_for(2, 5s)) << counter.count() << " of 2 completions";
  EXPECT_EQ(slow_shut_down.load(), 1);
}

}  // namespace
}  // namespace wechatpay
