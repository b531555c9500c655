#include "transport/curl_sync.hpp"

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <utility>

#include "cancellation.hpp"
#include "redact.hpp"
#include "transport/curl_transfer.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

constexpr std::size_t kMaxIdleHandles = 64;

// Progress callback of a cancellable transfer: non-zero aborts it.
int abort_if_cancelled(void* transfer, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const CurlTransfer*>(transfer)->cancel_requested() ? 1 : 0;
}

}  // namespace

CurlSyncTransfers::CurlSyncTransfers(long max_connections, long max_idle_seconds)
    : max_handles_(max_connections > 0 ? static_cast<std::size_t>(max_connections) : SIZE_MAX),
      max_idle_seconds_(max_idle_seconds) {
  ensure_curl_global_init();
  share_.reset(curl_share_init());
  if (!share_) throw TransportError("curl_share_init failed");
  curl_share_setopt(share_.get(), CURLSHOPT_LOCKFUNC, &CurlSyncTransfers::lock);
  curl_share_setopt(share_.get(), CURLSHOPT_UNLOCKFUNC, &CurlSyncTransfers::unlock);
  curl_share_setopt(share_.get(), CURLSHOPT_USERDATA, static_cast<void*>(this));
  curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlSyncTransfers::~CurlSyncTransfers() {
  idle_.clear();  // every handle detaches from the share before it goes
}

void CurlSyncTransfers::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<CurlSyncTransfers*>(self)->share_locks_.at(data).lock();
}

void CurlSyncTransfers::unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlSyncTransfers*>(self)->share_locks_.at(data).unlock();
}

CurlEasyPtr CurlSyncTransfers::take(const Request& request) {
  const auto deadline = std::chrono::steady_clock::now() + request.transfer.timeout;
  const std::stop_token stop = request.options ? request.options->stop_token : std::stop_token{};
  {
    std::unique_lock lock(mutex_);
    const bool free = handle_freed_.wait_until(
        lock, stop, deadline, [&] { return !idle_.empty() || handles_ < max_handles_; });
    if (!free) return nullptr;
    if (!idle_.empty()) {
      CurlEasyPtr easy = std::move(idle_.back());
      idle_.pop_back();
      return easy;
    }
    ++handles_;
  }
  CurlEasyPtr easy(curl_easy_init());
  if (!easy) {
    recycle(nullptr);
    throw std::bad_alloc();
  }
  return easy;
}

// Back to the pool, or (null: the handle is gone) one fewer; either way a waiter may go on.
void CurlSyncTransfers::recycle(CurlEasyPtr easy) {
  CurlEasyPtr surplus;  // cleaned up outside the lock
  {
    std::lock_guard lock(mutex_);
    if (easy && idle_.size() < kMaxIdleHandles) {
      idle_.push_back(std::move(easy));
    } else {
      surplus = std::move(easy);
      --handles_;
    }
  }
  handle_freed_.notify_one();
}

void CurlSyncTransfers::perform(Request request, Completion done) {
  if (cancel_requested(request)) {
    done(cancelled_error(request, false), Response{});
    return;
  }
  CurlEasyPtr easy;
  try {
    easy = take(request);
  } catch (...) {
    done(std::current_exception(), Response{});
    return;
  }
  if (!easy) {
    done(cancel_requested(request)
             ? cancelled_error(request, false)
             : std::make_exception_ptr(TimeoutError(request.method + " " + redact_url(request.url) +
                                                    ": timed out waiting for a free connection")),
         Response{});
    return;
  }
  CurlTransfer transfer(std::move(request), std::move(done), std::move(easy));
  try {
    transfer.configure(max_idle_seconds_);
    // Cheap, and a pooled handle may be new.
    curl_easy_setopt(transfer.easy(), CURLOPT_SHARE, share_.get());
    if (transfer.cancellable()) {
      curl_easy_setopt(transfer.easy(), CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(transfer.easy(), CURLOPT_XFERINFOFUNCTION, &abort_if_cancelled);
      curl_easy_setopt(transfer.easy(), CURLOPT_XFERINFODATA, static_cast<void*>(&transfer));
    }
  } catch (...) {
    transfer.fail(std::current_exception());
    recycle(transfer.release_easy());
    return;
  }
  const CURLcode result = curl_easy_perform(transfer.easy());
  if (result == CURLE_ABORTED_BY_CALLBACK && transfer.cancel_requested()) {
    transfer.cancel();
  } else {
    transfer.complete(result);
  }
  recycle(transfer.release_easy());
}

}  // namespace wechatpay::detail
