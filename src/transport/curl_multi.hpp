// One libcurl multi handle with its queue of requests and its running transfers: what both
// asynchronous transports share. A request may be queued from any thread; everything else runs
// on the owner's thread: the curl transport's I/O thread, or the event loop that drives an
// event-loop transport. The owner says how it is woken (wake) and drives libcurl itself
// (curl_multi_perform or curl_multi_socket_action on multi()). Internal.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "cancellation.hpp"
#include "transport/curl_handles.hpp"
#include "transport/curl_transfer.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay::detail {

class CurlMulti {
 public:
  // At most `active_per_connection` transfers per allowed connection are handed to libcurl at
  // once; the rest wait in the queue.
  CurlMulti(const CurlTransportOptions& options, std::size_t active_per_connection);
  virtual ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Any thread.
  void enqueue(Request request, Completion done);
  // Any thread: refuses further requests; the owner then calls shut_down().
  void stop();
  virtual bool on_owner_thread() const = 0;

  // The owner's thread, from here on.
  CURLM* multi() const noexcept { return multi_.get(); }
  // Queued requests that may start now are handed to libcurl, cancelled ones completed.
  // False once the transport is stopping.
  bool start_queued();
  // Completes the transfers libcurl has finished.
  void finish_completed();
  // Completes every request whose token was stopped, if any was since the last call.
  void cancel_if_requested();
  // True when queued requests could start now (completions freed room).
  bool room_for_queued();
  void fail_active(CURLMcode rc);
  // Fails everything active and queued with "transport shut down".
  void shut_down();

 protected:
  enum class Wake { queued, cancel, stop };
  // Makes the owner call start_queued() and cancel_if_requested() soon. Any thread; called once
  // per batch of requests queued together (the first found the queue empty), on every
  // cancellation and on stop().
  virtual void wake(Wake why) = 0;

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Request request;
    Completion done;
    Clock::time_point queued;
    CancelHook cancel_hook;
  };

  static void fail_pending(Pending& pending, std::exception_ptr (*error)(const Request&)) noexcept;
  static void wake_for_cancel(void* self) noexcept;
  void cancel_stopped();
  bool take_queued(std::deque<Pending>& batch, std::vector<Pending>& expired);
  std::unique_ptr<CurlTransfer> detach(CURL* easy);
  void fail_all_active(const std::exception_ptr& error);
  CurlEasyPtr take_easy();
  void recycle(CurlEasyPtr easy);

  const CurlTransportOptions options_;
  const std::size_t max_active_;
  CurlMultiPtr multi_;  // declared first among handles: outlives every easy handle below
  std::atomic<bool> cancel_pending_{false};  // a request's token was stopped

  std::mutex mutex_;
  std::deque<Pending> queue_;       // guarded by mutex_
  bool stopping_ = false;           // guarded by mutex_
  Clock::time_point next_sweep_{};  // guarded by mutex_

  // The owner's thread only.
  std::vector<CurlEasyPtr> pool_;
  std::unordered_map<CURL*, std::unique_ptr<CurlTransfer>> active_;
};

// The error of a request given to a transport that is shutting down.
std::exception_ptr shut_down_error();

}  // namespace wechatpay::detail
