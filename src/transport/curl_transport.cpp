// The libcurl-multi transport: send() queues from any thread; one I/O thread owns the multi
// handle, starts queued transfers, drives them with curl_multi_poll and runs the completions.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include <unistd.h>

#include "transport/curl_handles.hpp"
#include "transport/curl_multi.hpp"
#include "transport/multi_transport.hpp"
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

constexpr int kPollTimeoutMs = 1000;

// The I/O thread does not survive fork(): in the child nothing would ever run a request.
std::exception_ptr forked_error() {
  return std::make_exception_ptr(
      TransportError("this transport was made before fork(); a forked child has no I/O thread: "
                     "make a new Client (and transport) in the child"));
}

// Transfers handed to libcurl at once, per allowed connection. libcurl walks every added handle
// on each perform and remove (O(n) each, so O(n^2) for a deep backlog), and each added handle
// holds a transfer buffer; the rest wait in our queue as a bare request (HTTP/2 multiplexes up
// to 100 streams per connection, so 16 per connection rarely leaves one idle).
constexpr std::size_t kActivePerConnection = 16;

// The multi handle as the I/O thread drives it. Shared between the transport and its thread so
// that the transport may be destroyed on the I/O thread itself (inside a completion): the
// thread then finishes on its own and frees the loop when it returns.
class Loop final : public CurlMulti {
 public:
  explicit Loop(const CurlTransportOptions& options) : CurlMulti(options, kActivePerConnection) {}

  void set_io_thread(std::thread::id id) { io_thread_.store(id); }
  bool on_owner_thread() const override { return io_thread_.load() == std::this_thread::get_id(); }

  // The I/O thread's body.
  void run() {
    while (true) {
      cancel_if_requested();
      if (!start_queued()) break;
      int running = 0;
      if (CURLMcode rc = curl_multi_perform(multi(), &running); rc != CURLM_OK) fail_active(rc);
      finish_completed();
      // Completions freed room for queued requests: start them without waiting.
      const int timeout_ms = room_for_queued() ? 0 : kPollTimeoutMs;
      if (curl_multi_poll(multi(), nullptr, 0, timeout_ms, nullptr) != CURLM_OK) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // don't spin on a failure
      }
    }
    shut_down();
  }

 private:
  void wake(Wake why) override {
    // A wake-up is a write and a read on a socket pair. The I/O thread needs none for what it
    // queues itself: it looks at the queue before it next waits.
    if (why == Wake::queued && on_owner_thread()) return;
    curl_multi_wakeup(multi());
  }

  std::atomic<std::thread::id> io_thread_;
};

class CurlTransport final : public MultiTransport {
 public:
  explicit CurlTransport(const CurlTransportOptions& options)
      : CurlTransport(options, std::make_shared<Loop>(options)) {}

  ~CurlTransport() override {
    if (forked()) {
      thread_.detach();  // no such thread here; its loop's mutex may have been held at fork()
      return;
    }
    multi()->stop();
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
    MultiTransport::send(std::move(request), std::move(done));
  }

 private:
  CurlTransport(const CurlTransportOptions& options, std::shared_ptr<Loop> loop)
      : MultiTransport(options, loop), thread_([loop] {
          // Set here, before any completion can run: set by the constructor after the thread
          // started, a completion could race it and see itself as off the I/O thread.
          loop->set_io_thread(std::this_thread::get_id());
          loop->run();
        }) {}

  bool forked() const { return ::getpid() != owner_; }

  const pid_t owner_ = ::getpid();
  std::thread thread_;
};

}  // namespace
}  // namespace detail

std::shared_ptr<Transport> make_curl_transport(CurlTransportOptions options) {
  return std::make_shared<detail::CurlTransport>(options);
}

}  // namespace wechatpay
