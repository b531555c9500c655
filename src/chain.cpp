#include "wechatpay/chain.hpp"

#include <cctype>

#include "client_core.hpp"
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

void Chain::send_async(std::string method, Options options, Completion callback) const {
  if (node_->overlong) {
    callback(std::make_exception_ptr(
                 ConfigError("path", "the chained path is longer than " +
                                         std::to_string(detail::ChainNode::kMaxPath) + " bytes")),
             Response{});
    return;
  }
  node_->core->send(node_->path, std::move(method), std::move(options), std::move(callback));
}

std::future<Response> Chain::send_async(std::string method, Options options) const {
  auto promise = std::make_shared<std::promise<Response>>();
  auto future = promise->get_future();
  send_async(std::move(method), std::move(options),
             [promise](std::exception_ptr error, Response response) {
               if (error) {
                 promise->set_exception(error);
               } else {
                 promise->set_value(std::move(response));
               }
             });
  return future;
}

Response Chain::send(std::string method, Options options) const {
  // The I/O thread runs the completions; waiting on it from there would never return.
  if (node_->core->on_io_thread()) {
    throw TransportError(
        "a synchronous call from a completion callback would deadlock; use *_async");
  }
  return send_async(std::move(method), std::move(options)).get();
}

#define WECHATPAY_ASYNC_VERB(name, method)                               \
  std::future<Response> Chain::name##_async(Options options) const {     \
    return send_async(method, std::move(options));                       \
  }                                                                      \
  void Chain::name##_async(Options options, Completion callback) const { \
    send_async(method, std::move(options), std::move(callback));         \
  }

WECHATPAY_ASYNC_VERB(get, "GET")
WECHATPAY_ASYNC_VERB(post, "POST")
WECHATPAY_ASYNC_VERB(put, "PUT")
WECHATPAY_ASYNC_VERB(patch, "PATCH")
WECHATPAY_ASYNC_VERB(del, "DELETE")
#undef WECHATPAY_ASYNC_VERB

}  // namespace wechatpay
