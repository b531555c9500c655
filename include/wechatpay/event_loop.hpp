// A transport with no thread of its own: the caller's event loop (Asio's io_context, libuv,
// epoll...) drives it. Requests, libcurl and the completions all run on the loop's thread, so a
// server whose code runs there makes no thread hand-off per request. wechatpay/asio_transport.hpp
// adapts an io_context; another loop implements EventLoop below.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "wechatpay/export.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay {

// The transport's side, which the loop calls on its thread.
class WECHATPAY_EXPORT LoopDriven {
 public:
  enum Events : int { readable = 1, writable = 2 };
  virtual ~LoopDriven() = default;
  // `fd` is ready for `events` (readable | writable), or has failed (both).
  virtual void socket_ready(int fd, int events) = 0;
  // The timer set by EventLoop::set_timer ran out.
  virtual void timer_expired() = 0;
};

// What an event loop does for the transport. Every call but post() and the two questions comes
// in the loop's sequence (see in_loop_sequence).
class WECHATPAY_EXPORT EventLoop {
 public:
  virtual ~EventLoop() = default;
  // Called once, first: whom to report readiness and timers to.
  virtual void attach(std::weak_ptr<LoopDriven> driven) = 0;
  // Any thread: runs `task` on the loop's thread, later (never inside this call).
  virtual void post(std::function<void()> task) = 0;
  // True on a thread that runs the loop: a synchronous call there is refused, as it would
  // block the loop (and could wait for itself).
  virtual bool on_loop_thread() const = 0;
  // True inside the loop's callbacks and posted tasks, which never run two at a time (the
  // transport's state is then this thread's to touch). The same as on_loop_thread() for a loop
  // run by one thread; a strand's for a thread pool.
  virtual bool in_loop_sequence() const { return on_loop_thread(); }
  // From now on, report `fd` whenever it is ready for `events`; 0: stop watching it (libcurl is
  // about to close it; the loop must not close it).
  virtual void watch(int fd, int events) = 0;
  // Call timer_expired() once after `delay`, replacing the timer set before; a negative delay
  // cancels it.
  virtual void set_timer(std::chrono::milliseconds delay) = 0;
};

// A libcurl transport driven by `loop`: connection reuse and HTTP/2 as make_curl_transport, and
// completions on the loop's thread. A synchronous call made on another thread is carried on that
// thread. Destroyed on the loop's thread (or while the loop is not running), it fails every
// request still in flight with TransportError at once; destroyed elsewhere, as soon as the loop
// runs the task it posts.
WECHATPAY_EXPORT std::shared_ptr<Transport> make_event_loop_transport(
    std::shared_ptr<EventLoop> loop, CurlTransportOptions options = {});

}  // namespace wechatpay
