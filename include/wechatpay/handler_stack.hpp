// Named middleware around a terminal handler, in continuation-passing style: a Handler takes a
// request and a completion and returns at once; a Middleware wraps a Handler into a Handler.
// The list runs outer -> inner: the first entry sees the request first and the response last.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/export.hpp"
#include "wechatpay/http.hpp"

namespace wechatpay {

// Called exactly once per request: with an error, or with a null error and the response.
using Completion = std::function<void(std::exception_ptr error, Response response)>;
using Handler = std::function<void(Request request, Completion done)>;
using Middleware = std::function<Handler(Handler next)>;

// A middleware that rewrites the request before passing it on; exceptions become errors.
WECHATPAY_EXPORT Middleware map_request(std::function<Request(Request)> fn);
// A middleware that rewrites (or rejects, by throwing) the response on its way back.
WECHATPAY_EXPORT Middleware map_response(std::function<Response(Response, const Request&)> fn);

class WECHATPAY_EXPORT HandlerStack {
 public:
  HandlerStack() = default;
  explicit HandlerStack(Handler terminal);
  HandlerStack(const HandlerStack& other);
  HandlerStack& operator=(const HandlerStack& other);

  // The innermost handler, usually the transport.
  void set_handler(Handler terminal);
  bool has_handler() const;

  // Adds innermost (just before the terminal handler).
  void push(Middleware middleware, std::string name = {});
  // Adds outermost.
  void unshift(Middleware middleware, std::string name = {});
  // Adds just outside / just inside the entry called `anchor`; ConfigError if there is none.
  void before(std::string_view anchor, Middleware middleware, std::string name = {});
  void after(std::string_view anchor, Middleware middleware, std::string name = {});
  // Swaps the middleware of entry `name` in place; ConfigError if there is none.
  void replace(std::string_view name, Middleware middleware);
  // Removes every entry called `name`; returns whether any was.
  bool remove(std::string_view name);
  bool contains(std::string_view name) const;

  // Entry names outer -> inner (unnamed entries show as "(anonymous)").
  std::vector<std::string> names() const;
  // "http_errors > verifier > signer > (handler)", for debugging.
  std::string describe() const;

  // The composed handler; cached until the stack changes. Throws ConfigError without a handler.
  std::shared_ptr<const Handler> resolve() const;

 private:
  struct Entry {
    Middleware middleware;
    std::string name;
  };
  std::size_t index_of(std::string_view name) const;  // requires lock
  void changed();                                     // requires lock

  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  Handler terminal_;
  mutable std::shared_ptr<const Handler> cached_;
};

}  // namespace wechatpay
