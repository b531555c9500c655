// A synchronous call in progress on this thread. Chain::send opens the scope around the handler
// stack; the curl transport, reached on the same thread inside it, then carries the request
// right there (curl_easy_perform) instead of handing it to its I/O thread and waiting: the same
// pipeline, without the two thread hand-offs. Internal.
#pragma once

namespace wechatpay::detail {

class SyncCallScope {
 public:
  SyncCallScope() noexcept;
  ~SyncCallScope();
  SyncCallScope(const SyncCallScope&) = delete;
  SyncCallScope& operator=(const SyncCallScope&) = delete;

 private:
  bool outer_;  // restored on exit: a synchronous call made inside another one
};

// True for the first transfer started on this thread inside a SyncCallScope (and consumes it):
// that transfer is the call's own; anything a middleware sends besides it goes the usual way.
bool take_sync_call() noexcept;

}  // namespace wechatpay::detail
