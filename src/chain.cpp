#include "wechatpay/chain.hpp"

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>

#include "client_core.hpp"
#include "executor_completion.hpp"
#include "sync_call.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

std::string normalize_segment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size() + 4);
  for (std::size_t i = 0; i < segment.size(); ++i) {
    auto c = static_cast<unsigned char>(segment[i]);
    if (std::isupper(c)) {
      if (i > 0) out += '-';
      out += static_cast<char>(std::tolower(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() > 2 && out.front() == '_' && out.back() == '_') {
    out = "{" + out.substr(1, out.size() - 2) + "}";
  }
  return out;
}

namespace detail {

namespace {

std::string_view trim_slashes(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

std::shared_ptr<ChainNode> ChainNode::child(std::string_view relative) {
  if (overlong || path.size() + 1 + relative.size() > kMaxPath) {
    return std::make_shared<ChainNode>(std::string(), core, /*overlong=*/true);
  }
  std::lock_guard lock(mutex);
  auto found = children.find(std::string(relative));
  if (found != children.end()) return found->second;
  auto node = std::make_shared<ChainNode>(
      path.empty() ? std::string(relative) : path + "/" + std::string(relative), core);
  // Paths built at run time (an id in a segment) would grow the cache without end: past the
  // caps, new children are handed out uncached.
  if (children.size() < kMaxCachedChildren && node->path.size() <= kMaxCachedPath) {
    children.emplace(std::string(relative), node);
  }
  return node;
}

}  // namespace detail

namespace {

// A completion that settles `promise` with the outcome.
Completion fulfilling(std::shared_ptr<std::promise<Response>> promise) {
  return [promise = std::move(promise)](std::exception_ptr error, Response response) {
    if (error) {
      promise->set_exception(error);
    } else {
      promise->set_value(std::move(response));
    }
  };
}

// A synchronous call's outcome. The transport usually carries the call on the caller's thread,
// so the outcome is in before dispatch returns and nobody waits; otherwise (a retry's backoff,
// another transport) the caller waits for it. A std::promise would cost a second allocation and
// a futex wake (its call_once) per call.
class SyncOutcome {
 public:
  void settle(std::exception_ptr error, Response response) {
    std::lock_guard lock(mutex_);
    if (!settled_) settle_locked(std::move(error), std::move(response));
  }

  void abandon() {
    std::lock_guard lock(mutex_);
    if (settled_) return;  // the usual case: no error built for nothing
    settle_locked(std::make_exception_ptr(TransportError("the call was dropped unanswered")), {});
  }

  Response take() {
    std::unique_lock lock(mutex_);
    settled_cv_.wait(lock, [this] { return settled_; });
    if (error_) std::rethrow_exception(error_);
    return std::move(response_);
  }

  // The completion for the stack. Dropping its last copy uncalled settles the call with an error,
  // as a broken promise would, instead of leaving the caller waiting.
  class Settler {
   public:
    explicit Settler(std::shared_ptr<SyncOutcome> outcome) : outcome_(std::move(outcome)) {
      ++outcome_->settlers_;
    }
    Settler(const Settler& other) : outcome_(other.outcome_) {
      if (outcome_) ++outcome_->settlers_;
    }
    Settler(Settler&& other) noexcept = default;
    Settler& operator=(const Settler&) = delete;
    Settler& operator=(Settler&&) = delete;
    ~Settler() {
      if (outcome_ && --outcome_->settlers_ == 0) outcome_->abandon();
    }
    void operator()(std::exception_ptr error, Response response) const {
      outcome_->settle(std::move(error), std::move(response));
    }

   private:
    std::shared_ptr<SyncOutcome> outcome_;
  };

 private:
  void settle_locked(std::exception_ptr error, Response response) {
    error_ = std::move(error);
    response_ = std::move(response);
    settled_ = true;
    settled_cv_.notify_one();  // under the lock: the waiter cannot return (and free this) first
  }

  std::mutex mutex_;
  std::condition_variable settled_cv_;
  bool settled_ = false;  // guarded by mutex_
  std::exception_ptr error_;
  Response response_;
  std::atomic<int> settlers_{0};
};

}  // namespace

Chain Chain::operator[](std::string_view segment) const {
  return Chain(node_->child(normalize_segment(segment)));
}

Chain Chain::chain(std::string_view path) const {
  auto relative = detail::trim_slashes(path);
  return relative.empty() ? *this : Chain(node_->child(relative));
}

const std::string& Chain::path() const {
  return node_->path;
}

namespace {

// Every form of call goes through here: a chain grown past kMaxPath is refused, not sent.
void dispatch(const detail::ChainNode& node, std::string method, Options options, Completion done) {
  if (node.overlong) {
    done(std::make_exception_ptr(
             ConfigError("path", "the chained path is longer than " +
                                     std::to_string(detail::ChainNode::kMaxPath) + " bytes")),
         Response{});
    return;
  }
  node.core->send(node.path, std::move(method), std::move(options), std::move(done));
}

}  // namespace

void Chain::send_async(std::string method, Options options, Completion callback) const {
  const auto& config = node_->core->config;
  Completion done = detail::through_executor(options.executor ? options.executor : config.executor,
                                             std::move(callback));
  dispatch(*node_, std::move(method), std::move(options), std::move(done));
}

std::future<Response> Chain::send_async(std::string method, Options options) const {
  auto promise = std::make_shared<std::promise<Response>>();
  auto future = promise->get_future();
  // Straight to the core: a future needs no executor, whoever waits on it is woken.
  dispatch(*node_, std::move(method), std::move(options), fulfilling(promise));
  return future;
}

Response Chain::send(std::string method, Options options) const {
  // The I/O thread runs the completions; waiting on it from there would never return.
  if (node_->core->on_io_thread()) {
    throw TransportError(
        "a synchronous call from a completion callback would deadlock; use *_async");
  }
  auto outcome = std::make_shared<SyncOutcome>();
  {
    // The transport may carry it on this thread: then it is complete when send() returns.
    detail::SyncCallScope scope;
    dispatch(*node_, std::move(method), std::move(options), SyncOutcome::Settler(outcome));
  }
  return outcome->take();
}

ResponseAwaitable Chain::send_co(std::string method, Options options) const {
  return ResponseAwaitable(*this, std::move(method), std::move(options));
}

#define WECHATPAY_ASYNC_VERB(name, method)                               \
  std::future<Response> Chain::name##_async(Options options) const {     \
    return send_async(method, std::move(options));                       \
  }                                                                      \
  void Chain::name##_async(Options options, Completion callback) const { \
    send_async(method, std::move(options), std::move(callback));         \
  }                                                                      \
  ResponseAwaitable Chain::name##_co(Options options) const {            \
    return send_co(method, std::move(options));                          \
  }

WECHATPAY_ASYNC_VERB(get, "GET")
WECHATPAY_ASYNC_VERB(post, "POST")
WECHATPAY_ASYNC_VERB(put, "PUT")
WECHATPAY_ASYNC_VERB(patch, "PATCH")
WECHATPAY_ASYNC_VERB(del, "DELETE")
#undef WECHATPAY_ASYNC_VERB

}  // namespace wechatpay
