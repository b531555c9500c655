#include "transport/curl_multi.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

constexpr std::size_t kMaxPooledHandles = 64;
// How often requests still queued are checked for an expired timeout.
constexpr auto kQueueSweepInterval = std::chrono::milliseconds(250);

std::size_t max_active_transfers(long max_host_connections, std::size_t per_connection) {
  if (max_host_connections <= 0) return SIZE_MAX;  // unlimited connections: no backlog to keep
  return static_cast<std::size_t>(max_host_connections) * per_connection;
}

std::exception_ptr queued_timeout_error(const Request& request) {
  return std::make_exception_ptr(TimeoutError(describe_request(request.method, request.url) +
                                              "timed out waiting for a free connection"));
}

std::exception_ptr not_sent_error(const Request& request) {
  return cancelled_error(request, false);
}

}  // namespace

std::exception_ptr shut_down_error() {
  return std::make_exception_ptr(TransportError("transport shut down"));
}

CurlMulti::CurlMulti(const CurlTransportOptions& options, std::size_t active_per_connection)
    : options_(options),
      max_active_(max_active_transfers(options.max_host_connections, active_per_connection)) {
  ensure_curl_global_init();
  multi_.reset(curl_multi_init());
  if (!multi_) throw TransportError("curl_multi_init failed");
  curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  if (options_.max_host_connections > 0) {
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_host_connections);
    // libcurl sizes its idle-connection cache by the handles added at the moment (4 each): a
    // lull with few transfers (completions busy on an executor) would close warm connections
    // and pay a TLS handshake each later. Room for every allowed one, primary and backup.
    curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS, 2 * options_.max_host_connections);
  }
}

CurlMulti::~CurlMulti() {
  for (auto& [easy, transfer] : active_) curl_multi_remove_handle(multi_.get(), easy);
  active_.clear();  // completes any left (none after shut_down()) with "transport shut down"
  pool_.clear();
}

void CurlMulti::enqueue(Request request, Completion done) {
  bool refused = false, first = false;
  {
    CancelHook hook(request, &CurlMulti::wake_for_cancel, this);
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = true;
    } else {
      // One wake-up per batch: none is needed while one is pending already (the queue was not
      // empty).
      first = queue_.empty();
      queue_.push_back({std::move(request), std::move(done), Clock::now(), std::move(hook)});
    }
  }
  if (refused) {
    done(shut_down_error(), Response{});
  } else if (first) {
    wake(Wake::queued);
  }
}

void CurlMulti::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake(Wake::stop);
}

void CurlMulti::fail_pending(Pending& pending,
                             std::exception_ptr (*error)(const Request&)) noexcept {
  try {
    pending.done(error(pending.request), Response{});
  } catch (...) {
    // A completion that throws has nobody left to report to; keep the owner's thread going.
  }
}

// Runs on the thread that stopped a request's token: the owner looks for it when woken.
void CurlMulti::wake_for_cancel(void* self) noexcept {
  auto* multi = static_cast<CurlMulti*>(self);
  multi->cancel_pending_.store(true, std::memory_order_release);
  try {
    multi->wake(Wake::cancel);
  } catch (...) {
    // Out of memory while posting: the request is still cancelled when the owner next looks.
  }
}

void CurlMulti::cancel_if_requested() {
  if (cancel_pending_.exchange(false, std::memory_order_acq_rel)) cancel_stopped();
}

// Completes every cancelled request: queued ones were never sent, active ones are aborted.
void CurlMulti::cancel_stopped() {
  std::vector<Pending> cancelled;
  {
    std::lock_guard lock(mutex_);
    auto kept = std::stable_partition(queue_.begin(), queue_.end(), [](const Pending& p) {
      return !cancel_requested(p.request);
    });
    std::move(kept, queue_.end(), std::back_inserter(cancelled));
    queue_.erase(kept, queue_.end());
  }
  for (Pending& pending : cancelled) fail_pending(pending, &not_sent_error);
  std::vector<CURL*> handles;
  for (const auto& [easy, transfer] : active_) {
    if (transfer->cancel_requested()) handles.push_back(easy);
  }
  for (CURL* easy : handles) {
    if (auto transfer = detach(easy)) {
      transfer->cancel();
      recycle(transfer->release_easy());
    }
  }
}

bool CurlMulti::room_for_queued() {
  std::lock_guard lock(mutex_);
  return !queue_.empty() && active_.size() < max_active_;
}

// Takes what may start now (at most max_active_ transfers run at once) and the queued
// requests whose timeout ran out while they waited (checked every kQueueSweepInterval).
// False once the transport is stopping.
bool CurlMulti::take_queued(std::deque<Pending>& batch, std::vector<Pending>& expired) {
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

bool CurlMulti::start_queued() {
  std::deque<Pending> batch;
  std::vector<Pending> expired;
  if (!take_queued(batch, expired)) return false;
  for (Pending& pending : expired) fail_pending(pending, &queued_timeout_error);
  const auto now = Clock::now();
  for (Pending& pending : batch) {
    if (cancel_requested(pending.request)) {
      fail_pending(pending, &not_sent_error);
      continue;
    }
    // The time spent queued counts against the request's timeout, as it would in libcurl.
    auto& timeout = pending.request.transfer.timeout;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - pending.queued);
    if (waited >= timeout) {
      fail_pending(pending, &queued_timeout_error);
      continue;
    }
    timeout -= waited;
    auto transfer = std::make_unique<CurlTransfer>(std::move(pending.request),
                                                   std::move(pending.done), take_easy());
    transfer->keep_cancel_hook(std::move(pending.cancel_hook));
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

void CurlMulti::finish_completed() {
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

std::unique_ptr<CurlTransfer> CurlMulti::detach(CURL* easy) {
  auto it = active_.find(easy);
  if (it == active_.end()) return nullptr;
  curl_multi_remove_handle(multi_.get(), easy);
  auto transfer = std::move(it->second);
  active_.erase(it);
  return transfer;
}

void CurlMulti::fail_active(CURLMcode rc) {
  auto error = std::make_exception_ptr(
      TransportError(std::string("libcurl multi failure: ") + curl_multi_strerror(rc)));
  fail_all_active(error);
}

void CurlMulti::fail_all_active(const std::exception_ptr& error) {
  std::vector<CURL*> handles;
  handles.reserve(active_.size());
  for (const auto& entry : active_) handles.push_back(entry.first);
  for (CURL* easy : handles) {
    if (auto transfer = detach(easy)) transfer->fail(error);
  }
}

void CurlMulti::shut_down() {
  fail_all_active(shut_down_error());
  std::deque<Pending> left;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(queue_);
  }
  for (Pending& pending : left) {
    fail_pending(pending, [](const Request&) { return shut_down_error(); });
  }
}

CurlEasyPtr CurlMulti::take_easy() {
  if (!pool_.empty()) {
    CurlEasyPtr easy = std::move(pool_.back());
    pool_.pop_back();
    return easy;
  }
  CurlEasyPtr easy(curl_easy_init());
  if (!easy) throw std::bad_alloc();
  return easy;
}

void CurlMulti::recycle(CurlEasyPtr easy) {
  if (easy && pool_.size() < kMaxPooledHandles) pool_.push_back(std::move(easy));
}

}  // namespace wechatpay::detail
