// A transport run by an io_context: libcurl's transfers and the completions run on the
// io_context's thread(s), through a strand, instead of on an SDK thread. With it, a request
// made from a coroutine on that io_context makes no thread hand-off at all:
//
//   asio::io_context io;
//   ClientConfig config = ...;
//   config.transport = wechatpay::make_asio_transport(io);
//   Client client(config);
//   co_spawn(io, [&]() -> asio::awaitable<void> {
//     auto chain = client["v3/pay/transactions/jsapi"];
//     Response res = co_await wechatpay::async_post(chain, options, asio::use_awaitable);
//   }, asio::detached);
//   io.run();
//
// Header-only, standalone Asio or Boost.Asio as wechatpay/asio.hpp (see asio_flavour.hpp).
// Every call signs its request on the thread that makes it, as with any transport; a
// synchronous call (Chain::post) made on a thread running the io_context throws: it would block
// the loop.
// The io_context must outlive every client using the transport. See docs/async.md.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

#include "wechatpay/asio_flavour.hpp"
#include "wechatpay/event_loop.hpp"

#include WECHATPAY_ASIO_HEADER(error.hpp)
#include WECHATPAY_ASIO_HEADER(io_context.hpp)
#include WECHATPAY_ASIO_POSIX_HEADER(stream_descriptor.hpp)
#include WECHATPAY_ASIO_HEADER(post.hpp)
#include WECHATPAY_ASIO_HEADER(steady_timer.hpp)
#include WECHATPAY_ASIO_HEADER(strand.hpp)

namespace wechatpay {
inline namespace WECHATPAY_ASIO_NAMESPACE {
namespace asio_detail {

// EventLoop on a strand of an io_context: Asio's reactor watches libcurl's sockets.
class AsioEventLoop final : public EventLoop, public std::enable_shared_from_this<AsioEventLoop> {
 public:
  explicit AsioEventLoop(net::io_context& io)
      : executor_(io.get_executor()), strand_(net::make_strand(io)), timer_(strand_) {}

  ~AsioEventLoop() override {
    for (auto& [fd, watched] : watched_) watched->stop();  // the sockets are libcurl's to close
  }

  void attach(std::weak_ptr<LoopDriven> driven) override { driven_ = std::move(driven); }

  void post(std::function<void()> task) override { net::post(strand_, std::move(task)); }

  bool on_loop_thread() const override { return executor_.running_in_this_thread(); }
  bool in_loop_sequence() const override { return strand_.running_in_this_thread(); }

  void watch(int fd, int events) override {
    auto it = watched_.find(fd);
    if (events == 0) {
      if (it == watched_.end()) return;
      it->second->stop();
      watched_.erase(it);
      return;
    }
    if (it == watched_.end())
      it = watched_.emplace(fd, std::make_shared<Watched>(strand_, fd)).first;
    it->second->events = events;
    arm(it->second);
  }

  // libcurl moves its timer on every request; each move of an Asio timer reprograms a timerfd
  // (a system call, slow in a VM). So the Asio timer is only ever moved earlier: when it runs
  // out before what libcurl last asked for, it is set again for that; "now" is a posted task.
  void set_timer(std::chrono::milliseconds delay) override {
    if (delay.count() < 0) {
      wanted_.reset();
      if (timer_armed_) timer_.cancel();  // no work left behind for the io_context
      timer_armed_ = false;
      return;
    }
    const auto now = Clock::now();
    wanted_ = now + delay;
    if (delay.count() == 0) {
      if (!due_posted_) {
        due_posted_ = true;
        net::post(strand_, [self = weak_from_this()] {
          if (auto loop = self.lock()) {
            loop->due_posted_ = false;
            loop->on_timer();
          }
        });
      }
    } else if (!timer_armed_ || timer_.expiry() > *wanted_) {
      arm_timer(*wanted_);
    }
  }

 private:
  using Clock = net::steady_timer::clock_type;

  void arm_timer(Clock::time_point at) {
    timer_armed_ = true;
    timer_.expires_at(at);  // cancels the wait before
    timer_.async_wait([self = weak_from_this()](const AsioErrorCode& error) {
      if (error == net::error::operation_aborted) return;
      if (auto loop = self.lock()) {
        loop->timer_armed_ = false;
        loop->on_timer();
      }
    });
  }

  // Tells libcurl when its time has come; otherwise waits on for it.
  void on_timer() {
    if (!wanted_) return;
    if (Clock::now() < *wanted_) {
      if (!timer_armed_) arm_timer(*wanted_);
      return;
    }
    wanted_.reset();  // the transport sets it again if libcurl still needs it
    if (auto driven = driven_.lock()) driven->timer_expired();
  }

  struct Watched {
    Watched(const net::strand<net::io_context::executor_type>& strand, int fd)
        : descriptor(strand, fd), fd(fd) {}
    // Stops the waits (they complete as aborted) and gives the descriptor back unclosed.
    void stop() {
      if (descriptor.is_open()) (void)descriptor.release();
    }
    net::posix::stream_descriptor descriptor;
    const int fd;
    int events = 0;   // what libcurl wants reported
    int waiting = 0;  // what an async_wait or a posted report is pending for
  };

  // Waits for what libcurl wants and is not waited for yet. Asio's reactor is edge-triggered,
  // but starting a wait re-arms the descriptor (EPOLL_CTL_MOD), which reports a readiness that
  // came before the wait: none is lost.
  void arm(const std::shared_ptr<Watched>& watched) {
    const int missing = watched->events & ~watched->waiting;
    for (int event : {LoopDriven::readable, LoopDriven::writable}) {
      if (missing & event) wait(watched, event);
    }
  }

  void wait(const std::shared_ptr<Watched>& watched, int event) {
    watched->waiting |= event;
    const auto type = event == LoopDriven::readable ? net::posix::stream_descriptor::wait_read
                                                    : net::posix::stream_descriptor::wait_write;
    watched->descriptor.async_wait(
        type, [self = weak_from_this(), watched, event](const AsioErrorCode& error) {
          watched->waiting &= ~event;
          if (error == net::error::operation_aborted) return;
          auto loop = self.lock();
          // A failed wait reports both: libcurl then finds the socket's error itself.
          if (loop)
            loop->report(watched, error ? LoopDriven::readable | LoopDriven::writable : event);
        });
  }

  void report(const std::shared_ptr<Watched>& watched, int ready) {
    if (!watched->descriptor.is_open()) return;  // libcurl stopped watching it meanwhile
    if (auto driven = driven_.lock()) driven->socket_ready(watched->fd, ready);
    // libcurl reports no change when it still wants the same: wait again.
    if (watched->descriptor.is_open()) arm(watched);
  }

  net::io_context::executor_type executor_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  std::optional<Clock::time_point> wanted_;  // libcurl's timer, as it last set it
  bool timer_armed_ = false;                 // timer_ is waiting (at or before wanted_)
  bool due_posted_ = false;                  // a task for a timer due now is posted
  std::weak_ptr<LoopDriven> driven_;
  std::unordered_map<int, std::shared_ptr<Watched>> watched_;  // by descriptor
};

}  // namespace asio_detail

// A transport for clients whose requests are made on `io` (see the top of this header).
inline std::shared_ptr<Transport> make_asio_transport(asio_detail::net::io_context& io,
                                                      CurlTransportOptions options = {}) {
  return make_event_loop_transport(std::make_shared<asio_detail::AsioEventLoop>(io), options);
}

}  // namespace WECHATPAY_ASIO_NAMESPACE
}  // namespace wechatpay
