// The libcurl-multi transport: send() queues from any thread; one I/O thread owns the multi
// handle, starts queued transfers, drives them with curl_multi_poll and runs the completions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <iterator>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unistd.h>

#include "redact.hpp"
#include "transport/curl_handles.hpp"
#include "transport/curl_transfer.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay {
namespace detail {

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw TransportError("curl_global_init failed");
    }
  });
}

namespace {

constexpr std::size_t kMaxPooledHandles = 64;
constexpr int kPollTimeoutMs = 1000;
// Transfers handed to libcurl at once, per allowed connection. libcurl walks every added handle
// on each perform and remove (O(n) each, so O(n^2) for a deep backlog), and each added handle
// holds a transfer buffer; the rest wait in our queue as a bare request (HTTP/2 multiplexes up
// to 100 streams per connection, so 16 per connection rarely leaves one idle).
constexpr std::size_t kActivePerConnection = 16;
// How often requests still queued are checked for an expired timeout.
constexpr auto kQueueSweepInterval = std::chrono::milliseconds(250);

std::size_t max_active_transfers(long max_host_connections) {
  if (max_host_connections <= 0) return SIZE_MAX;  // unlimited connections: no backlog to keep
  return static_cast<std::size_t>(max_host_connections) * kActivePerConnection;
}

std::exception_ptr queued_timeout_error(const Request& request) {
  return std::make_exception_ptr(TimeoutError(describe_request(request.method, request.url) +
                                              "timed out waiting for a free connection"));
}

// The I/O thread does not survive fork(): in the child nothing would ever run a request.
std::exception_ptr forked_error() {
  return std::make_exception_ptr(
      TransportError("this transport was made before fork(); a forked child has no I/O thread: "
                     "make a new Client (and transport) in the child"));
}

std::exception_ptr shut_down_error() {
  return std::make_exception_ptr(TransportError("transport shut down"));
}

// The state the I/O thread works on. Shared between the transport and its thread so that the
// transport may be destroyed on the I/O thread itself (inside a completion): the thread then
// finishes on its own and frees the loop when it returns.
class Loop {
 public:
  explicit Loop(const CurlTransportOptions& options)
      : options_(options), max_active_(max_active_transfers(options.max_host_connections)) {
    ensure_curl_global_init();
    multi_.reset(curl_multi_init());
    if (!multi_) throw TransportError("curl_multi_init failed");
    curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    if (options_.max_host_connections > 0) {
      curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_host_connections);
    }
  }

  ~Loop() {
    for (auto& [easy, transfer] : active_) curl_multi_remove_handle(multi_.get(), easy);
    active_.clear();  // completes any left (none after run()) with "transport shut down"
    pool_.clear();
  }

  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Any thread.
  void enqueue(Request request, Completion done) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        // A wake-up is a write and a read on a socket pair. None is needed when one is pending
        // already (the queue was not empty), nor on the I/O thread itself, which looks at the
        // queue before it next waits.
        const bool wake = queue_.empty() && !on_io_thread();
        queue_.push_back({std::move(request), std::move(done), Clock::now()});
        if (wake) curl_multi_wakeup(multi_.get());
        return;
      }
    }
    done(shut_down_error(), Response{});
  }

  // Any thread; run() then fails whatever is left and returns.
  void stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    curl_multi_wakeup(multi_.get());
  }

  void set_io_thread(std::thread::id id) { io_thread_.store(id); }
  bool on_io_thread() const { return io_thread_.load() == std::this_thread::get_id(); }

  // The I/O thread's body.
  void run() {
    while (start_queued()) {
      int running = 0;
      if (CURLMcode rc = curl_multi_perform(multi_.get(), &running); rc != CURLM_OK) {
        fail_active(rc);
      }
      finish_completed();
      // Completions freed room for queued requests: start them without waiting.
      const int timeout_ms = room_for_queued() ? 0 : kPollTimeoutMs;
      if (curl_multi_poll(multi_.get(), nullptr, 0, timeout_ms, nullptr) != CURLM_OK) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // don't spin on a failure
      }
    }
    shut_down();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Request request;
    Completion done;
    Clock::time_point queued;
  };

  static void fail_queued(Pending& pending) noexcept {
    try {
      pending.done(queued_timeout_error(pending.request), Response{});
    } catch (...) {
      // A completion that throws has nobody left to report to; keep the I/O thread alive.
    }
  }

  bool room_for_queued() {
    std::lock_guard lock(mutex_);
    return !queue_.empty() && active_.size() < max_active_;
  }

  // Takes what may start now (at most max_active_ transfers run at once) and the queued
  // requests whose timeout ran out while they waited (checked every kQueueSweepInterval).
  // False once the transport is stopping.
  bool take_queued(std::deque<Pending>& batch, std::vector<Pending>& expired) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    const std::size_t room = max_active_ > active_.size() ? max_active_ - active_.size() : 0;
    if (room >= queue_.size()) {
      batch.swap(queue_);
      return true;
    }
    for (std::size_t i = 0; i < room; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    if (now >= next_sweep_) {
      next_sweep_ = now + kQueueSweepInterval;
      auto kept = std::stable_partition(queue_.begin(), queue_.end(), [&](const Pending& p) {
        return now - p.queued < p.request.transfer.timeout;
      });
      std::move(kept, queue_.end(), std::back_inserter(expired));
      queue_.erase(kept, queue_.end());
    }
    return true;
  }

  // Starts what take_queued hands out; false once the transport is stopping.
  bool start_queued() {
    std::deque<Pending> batch;
    std::vector<Pending> expired;
    if (!take_queued(batch, expired)) return false;
    for (Pending& pending : expired) fail_queued(pending);
    const auto now = Clock::now();
    for (Pending& pending : batch) {
      // The time spent queued counts against the request's timeout, as it would in libcurl.
      auto& timeout = pending.request.transfer.timeout;
      const auto waited =
          std::chrono::duration_cast<std::chrono::milliseconds>(now - pending.queued);
      if (waited >= timeout) {
        fail_queued(pending);
        continue;
      }
      timeout -= waited;
      auto transfer = std::make_unique<CurlTransfer>(std::move(pending.request),
                                                     std::move(pending.done), take_easy());
      try {
        transfer->configure(options_.max_idle_seconds);
        if (CURLMcode rc = curl_multi_add_handle(multi_.get(), transfer->easy()); rc != CURLM_OK) {
          throw TransportError(std::string("curl_multi_add_handle: ") + curl_multi_strerror(rc));
        }
      } catch (...) {
        transfer->fail(std::current_exception());
        recycle(transfer->release_easy());
        continue;
      }
      CURL* easy = transfer->easy();
      active_.emplace(easy, std::move(transfer));
    }
    return true;
  }

  void finish_completed() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      // Copy out before remove_handle invalidates the message.
      CURL* easy = message->easy_handle;
      CURLcode result = message->data.result;
      auto transfer = detach(easy);
      if (!transfer) continue;
      transfer->complete(result);
      recycle(transfer->release_easy());
    }
  }

  std::unique_ptr<CurlTransfer> detach(CURL* easy) {
    auto it = active_.find(easy);
    if (it == active_.end()) return nullptr;
    curl_multi_remove_handle(multi_.get(), easy);
    auto transfer = std::move(it->second);
    active_.erase(it);
    return transfer;
  }

  void fail_active(CURLMcode rc) {
    auto error = std::make_exception_ptr(
        TransportError(std::string("libcurl multi failure: ") + curl_multi_strerror(rc)));
    fail_all_active(error);
  }

  void fail_all_active(const std::exception_ptr& error) {
    std::vector<CURL*> handles;
    handles.reserve(active_.size());
    for (const auto& entry : active_) handles.push_back(entry.first);
    for (CURL* easy : handles) {
      if (auto transfer = detach(easy)) transfer->fail(error);
    }
  }

  void shut_down() {
    fail_all_active(shut_down_error());
    std::deque<Pending> left;
    {
      std::lock_guard lock(mutex_);
      left.swap(queue_);
    }
    for (Pending& pending : left) {
      try {
        pending.done(shut_down_error(), Response{});
      } catch (...) {
        // Nobody left to report to.
      }
    }
  }

  CurlEasyPtr take_easy() {
    if (!pool_.empty()) {
      CurlEasyPtr easy = std::move(pool_.back());
      pool_.pop_back();
      return easy;
    }
    CurlEasyPtr easy(curl_easy_init());
    if (!easy) throw std::bad_alloc();
    return easy;
  }

  void recycle(CurlEasyPtr easy) {
    if (easy && pool_.size() < kMaxPooledHandles) pool_.push_back(std::move(easy));
  }

  const CurlTransportOptions options_;
  const std::size_t max_active_;
  CurlMultiPtr multi_;  // declared first among handles: outlives every easy handle below
  std::atomic<std::thread::id> io_thread_;

  std::mutex mutex_;
  std::deque<Pending> queue_;       // guarded by mutex_
  bool stopping_ = false;           // guarded by mutex_
  Clock::time_point next_sweep_{};  // guarded by mutex_

  // I/O thread only.
  std::vector<CurlEasyPtr> pool_;
  std::unordered_map<CURL*, std::unique_ptr<CurlTransfer>> active_;
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(const CurlTransportOptions& options)
      : loop_(std::make_shared<Loop>(options)), thread_([loop = loop_] {
          // Set here, before any completion can run: set by the constructor after the thread
          // started, a completion could race it and see itself as off the I/O thread.
          loop->set_io_thread(std::this_thread::get_id());
          loop->run();
        }) {}

  ~CurlTransport() override {
    if (forked()) {
      thread_.detach();  // no such thread here; its loop's mutex may have been held at fork()
      return;
    }
    loop_->stop();
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // dropped inside a completion: the loop finishes after it returns
    } else {
      thread_.join();
    }
  }

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void send(Request request, Completion done) override {
    if (forked()) return done(forked_error(), Response{});
    loop_->enqueue(std::move(request), std::move(done));
  }

  bool on_io_thread() const override { return loop_->on_io_thread(); }

 private:
  bool forked() const { return ::getpid() != owner_; }

  const pid_t owner_ = ::getpid();
  std::shared_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace
}  // namespace detail

std::shared_ptr<Transport> make_curl_transport(CurlTransportOptions options) {
  return std::make_shared<detail::CurlTransport>(options);
}

}  // namespace wechatpay
