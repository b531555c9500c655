// A chain is a node in the endpoint tree: a URI template built from path segments, with the
// HTTP verbs to call it. Three equivalent ways to reach one:
//   client->v3["payrollCard"]["tokens"]        (pure chain; segments normalised)
//   client->chain("v3/payroll-card/tokens")    (declarative; taken literally)
//   client["v3/payroll-card/tokens"]           (property; taken literally)
// `->` on a chain is the chain itself, so `->post(...)` and `.post(...)` are the same call.
// Chains are cheap to copy, memoise their children, and are safe to use from many threads.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay {

namespace detail {
struct ChainNode;
class ClientCore;
}  // namespace detail

// PHP-SDK segment normalisation: a leading capital is lower-cased, every other capital X
// becomes "-x", then a whole segment "_name_" becomes "{name}".
WECHATPAY_EXPORT std::string normalize_segment(std::string_view segment);

class WECHATPAY_EXPORT Chain {
 public:
  // A child by one pure-chain segment, normalised.
  Chain operator[](std::string_view segment) const;
  // A descendant by a literal path ("a/b/{c}"), not normalised.
  Chain chain(std::string_view path) const;
  const Chain* operator->() const { return this; }
  // The URI template this chain stands for, e.g. "v3/pay/transactions/id/{transaction_id}";
  // "" past 64 KiB, where sending is a ConfigError.
  const std::string& path() const;

  Response get(Options options = {}) const { return send("GET", std::move(options)); }
  Response post(Options options = {}) const { return send("POST", std::move(options)); }
  Response put(Options options = {}) const { return send("PUT", std::move(options)); }
  Response patch(Options options = {}) const { return send("PATCH", std::move(options)); }
  // HTTP DELETE (`delete` is a C++ keyword).
  Response del(Options options = {}) const { return send("DELETE", std::move(options)); }

  std::future<Response> get_async(Options options = {}) const;
  std::future<Response> post_async(Options options = {}) const;
  std::future<Response> put_async(Options options = {}) const;
  std::future<Response> patch_async(Options options = {}) const;
  std::future<Response> del_async(Options options = {}) const;

  // The callback runs exactly once, on the transport's I/O thread; it must not block.
  void get_async(Options options, Completion callback) const;
  void post_async(Options options, Completion callback) const;
  void put_async(Options options, Completion callback) const;
  void patch_async(Options options, Completion callback) const;
  void del_async(Options options, Completion callback) const;

  // Any verb, by name.
  Response send(std::string method, Options options) const;
  std::future<Response> send_async(std::string method, Options options) const;
  void send_async(std::string method, Options options, Completion callback) const;

 private:
  friend class Client;
  explicit Chain(std::shared_ptr<detail::ChainNode> node) : node_(std::move(node)) {}
  std::shared_ptr<detail::ChainNode> node_;
};

}  // namespace wechatpay
