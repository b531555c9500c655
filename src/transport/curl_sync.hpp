// Synchronous transfers on the caller's thread (see sync_call.hpp): the same CurlTransfer as the
// I/O thread runs, driven by curl_easy_perform. Idle easy handles, each keeping its open
// connection, are pooled per transport and taken by whichever thread calls next; their TLS
// sessions and DNS cache are shared. (libcurl does not support one connection cache used by
// several threads at once, so connections travel with their handle instead.) At most
// `max_connections` handles exist at once (0: no limit), as the I/O thread's own limit: callers
// beyond it wait for a free one, their timeout running and their stop_token heard. Internal.
#pragma once

#include <array>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "transport/curl_handles.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::detail {

using CurlSharePtr = std::unique_ptr<CURLSH, CurlDeleter<curl_share_cleanup>>;

class CurlSyncTransfers {
 public:
  CurlSyncTransfers(long max_connections, long max_idle_seconds);
  ~CurlSyncTransfers();
  CurlSyncTransfers(const CurlSyncTransfers&) = delete;
  CurlSyncTransfers& operator=(const CurlSyncTransfers&) = delete;

  // Carries `request` on this thread; `done` runs here, exactly once, before this returns.
  void perform(Request request, Completion done);

 private:
  // A handle, or null when `request` timed out or was cancelled while waiting for one.
  CurlEasyPtr take(const Request& request);
  void recycle(CurlEasyPtr easy);
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);

  const std::size_t max_handles_;
  const long max_idle_seconds_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;
  CurlSharePtr share_;  // after its locks: destroyed before them
  std::mutex mutex_;
  std::condition_variable_any handle_freed_;
  std::size_t handles_ = 0;        // guarded by mutex_: idle and in use
  std::vector<CurlEasyPtr> idle_;  // guarded by mutex_; destroyed before the share
};

}  // namespace wechatpay::detail
