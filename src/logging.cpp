#include "wechatpay/logging.hpp"

#include <chrono>
#include <exception>
#include <string>

#include "exception_message.hpp"
#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

namespace {

std::string request_line(const Request& request) {
  std::string line = "--> " + request.method + " " + detail::redact_url(request.url) + ", " +
                     std::to_string(request.body.size()) + " body bytes";
  if (auto authorization = request.headers.get("Authorization")) {
    line += ", Authorization " + detail::redact_authorization(*authorization);
  }
  return line;
}

// A failing logger must not cost the caller its request or its outcome.
void emit(const Logger& logger, const std::string& line) noexcept {
  try {
    logger(LogLevel::debug, line);
  } catch (...) {
  }
}

}  // namespace

Middleware logging(Logger logger) {
  if (!logger) throw ConfigError("logger", "logging needs a logger");
  return [logger = std::move(logger)](Handler next) -> Handler {
    return [logger, next = std::move(next)](Request request, Completion done) {
      emit(logger, request_line(request));
      auto started = std::chrono::steady_clock::now();
      auto target = request.method + " " + detail::redact_url(request.url);
      next(std::move(request), [logger, started, target, done = std::move(done)](
                                   std::exception_ptr error, Response response) {
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
        std::string line = "<-- ";
        if (error) {
          line += "failed " + target + ", " + std::to_string(elapsed) +
                  " ms: " + detail::message_of(error);
        } else {
          line += std::to_string(response.status) + " " + target;
          if (auto id = response.request_id(); !id.empty()) line += ", Request-ID " + id;
          line += ", " + std::to_string(elapsed) + " ms, " + std::to_string(response.body.size()) +
                  " body bytes";
        }
        emit(logger, line);
        done(std::move(error), std::move(response));
      });
    };
  };
}

}  // namespace wechatpay
