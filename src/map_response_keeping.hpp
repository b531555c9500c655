// map_response that keeps only what `keep` takes from the request for the response step, instead
// of a copy of the whole request (its body and headers included): the SDK's own response steps
// need the method and path, or nothing. map_response is this, keeping the whole request. Internal.
#pragma once

#include <exception>
#include <utility>

#include "wechatpay/handler_stack.hpp"

namespace wechatpay::detail {

// `keep(const Request&)` returns what `map(Response, const Kept&)` needs; exceptions from `map`
// become errors, as in map_response.
template <typename Keep, typename Map>
Middleware map_response_keeping(Keep keep, Map map) {
  return [keep = std::move(keep), map = std::move(map)](Handler next) -> Handler {
    return [keep, map, next = std::move(next)](Request request, Completion done) {
      auto kept = keep(request);
      next(std::move(request), [map, kept = std::move(kept), done = std::move(done)](
                                   std::exception_ptr error, Response response) {
        if (error) return done(error, Response{});
        Response mapped;
        try {
          mapped = map(std::move(response), kept);
        } catch (...) {
          return done(std::current_exception(), Response{});
        }
        done(nullptr, std::move(mapped));
      });
    };
  };
}

}  // namespace wechatpay::detail
