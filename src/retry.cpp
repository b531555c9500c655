#include "wechatpay/retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>
#include <typeinfo>
#include <utility>

#include "exception_message.hpp"
#include "redact.hpp"
#include "retry_with_failover.hpp"
#include "scheduler.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const Response* answer_of(const std::exception_ptr& error, const Response& response) {
  if (!error) return &response;
  try {
    std::rethrow_exception(error);
  } catch (const ResponseError& e) {
    return &e.response();  // lives in the exception object, as long as `error`
  } catch (...) {
    return nullptr;
  }
}

const TransportError* transport_error(const std::exception_ptr& error) {
  if (!error) return nullptr;
  try {
    std::rethrow_exception(error);
  } catch (const TransportError& e) {
    return &e;
  } catch (...) {
    return nullptr;
  }
}

// Full jitter: uniform in [0, min(max_delay, base_delay * 2^(attempt-1))].
milliseconds backoff(const RetryPolicy& policy, int attempt) {
  auto ceiling = policy.base_delay;
  for (int i = 1; i < attempt && ceiling < policy.max_delay; ++i) ceiling *= 2;
  ceiling = std::clamp(ceiling, milliseconds(0), policy.max_delay);
  thread_local std::mt19937_64 random{std::random_device{}()};
  return milliseconds(std::uniform_int_distribution<milliseconds::rep>(0, ceiling.count())(random));
}

bool decide(const RetryPolicy& policy, const RetryAttempt& attempt) {
  if (policy.decide) return policy.decide(attempt);
  return connect_failure(attempt) || (policy.idempotent_failures && idempotent_failure(attempt));
}

void emit(const Logger& logger, const std::string& line) noexcept {
  if (!logger) return;
  try {
    logger(LogLevel::debug, line);
  } catch (...) {
  }
}

// One request's attempts. Attempts never overlap: the next starts only after the previous one
// completed, so the state needs no lock (the scheduler's queue orders the hand-over).
class Attempts : public std::enable_shared_from_this<Attempts> {
 public:
  using Host = detail::Failover::Host;

  Attempts(std::shared_ptr<const Handler> next, Request request, Completion done,
           RetryPolicy policy, Logger logger, std::shared_ptr<detail::Failover> failover,
           std::weak_ptr<detail::Scheduler> timer)
      : next_(std::move(next)),
        original_(std::move(request)),
        done_(std::move(done)),
        policy_(std::move(policy)),
        logger_(std::move(logger)),
        failover_(failover && failover->covers(original_.url) ? std::move(failover) : nullptr),
        timer_(std::move(timer)),
        deadline_(Clock::now() + original_.transfer.timeout) {}

  void attempt() {
    ++number_;
    Request request = original_;
    if (number_ > 1) {
      // What is left of the total timeout; the connect timeout never outlasts it.
      auto left = std::chrono::ceil<milliseconds>(deadline_ - Clock::now());
      request.transfer.timeout = std::max(left, milliseconds(1));
      request.transfer.connect_timeout =
          std::min(request.transfer.connect_timeout, request.transfer.timeout);
    } else if (failover_) {
      host_ = failover_->first_host();
    }
    if (failover_) request = failover_->on(host_, std::move(request));
    try {
      (*next_)(std::move(request),
               [self = shared_from_this()](std::exception_ptr error, Response response) {
                 self->finished(std::move(error), std::move(response));
               });
    } catch (...) {
      finished(std::current_exception(), Response{});
    }
  }

 private:
  void finished(std::exception_ptr error, Response response) {
    const TransportError* transport = transport_error(error);
    if (failover_) failover_->record(host_, transport != nullptr);
    const RetryAttempt outcome{number_, original_, error, answer_of(error, response)};
    bool again = false;
    try {
      again = number_ < policy_.max_attempts && decide(policy_, outcome);
    } catch (...) {
      again = false;  // a throwing decider means "no"
    }
    if (!again) return finish(std::move(error), std::move(response), "");

    auto delay = backoff(policy_, number_);
    if (outcome.answer) delay = retry_after(*outcome.answer).value_or(delay);
    if (Clock::now() + delay >= deadline_) {
      return finish(std::move(error), std::move(response),
                    "; the timeout leaves no time for another");
    }
    auto timer = timer_.lock();
    if (!timer) return finish(std::move(error), std::move(response), "; the client stopped");
    if (transport && failover_) host_ = host_ == Host::primary ? Host::backup : Host::primary;
    emit(logger_,
         "retry " + std::to_string(number_ + 1) + "/" + std::to_string(policy_.max_attempts) +
             " of " + original_.method + " " + detail::redact_url(original_.url) +
             (host_ == Host::backup ? " on the backup" : "") + " in " +
             std::to_string(delay.count()) + " ms after: " +
             (error ? detail::message_of(error) : "status " + std::to_string(response.status)));
    last_error_ = std::move(error);
    last_response_ = std::move(response);
    timer->after(delay, [self = shared_from_this()](bool cancelled) {
      if (!cancelled) return self->attempt();
      self->finish(std::move(self->last_error_), std::move(self->last_response_),
                   "; the client stopped");
    });
  }

  void finish(std::exception_ptr error, Response response, const std::string& note) noexcept {
    Completion done = std::exchange(done_, nullptr);
    if (!done) return;
    if (error && (number_ > 1 || !note.empty())) {
      error = detail::with_attempts(error, number_, note);
    }
    try {
      done(std::move(error), std::move(response));
    } catch (...) {
      // A completion that throws has nobody left to report to.
    }
  }

  // The stack below, kept for the next attempt even if the stack is edited meanwhile. (The
  // client's transport handler holds the transport weakly, so this does not keep it alive.)
  const std::shared_ptr<const Handler> next_;
  const Request original_;
  Completion done_;
  const RetryPolicy policy_;
  const Logger logger_;
  const std::shared_ptr<detail::Failover> failover_;  // null unless the URL is on the primary
  const std::weak_ptr<detail::Scheduler> timer_;
  const Clock::time_point deadline_;
  int number_ = 0;
  Host host_ = Host::primary;
  std::exception_ptr last_error_;  // kept while waiting, for a cancelled wait
  Response last_response_;
};

Middleware make_retry(RetryPolicy policy, Logger logger,
                      std::shared_ptr<detail::Failover> failover) {
  if (policy.max_attempts < 1) throw ConfigError("retry.max_attempts", "must be at least 1");
  if (policy.base_delay.count() < 0 || policy.max_delay.count() < 0) {
    throw ConfigError("retry", "delays must not be negative");
  }
  auto timer = std::make_shared<detail::Scheduler>();
  return [policy = std::move(policy), logger = std::move(logger), failover = std::move(failover),
          timer](Handler next) -> Handler {
    auto shared_next = std::make_shared<const Handler>(std::move(next));
    return [policy, logger, failover, timer, shared_next](Request request, Completion done) {
      const RetryPolicy& chosen =
          request.options && request.options->retry ? *request.options->retry : policy;
      auto attempts = std::make_shared<Attempts>(shared_next, std::move(request), std::move(done),
                                                 chosen, logger, failover, timer);
      attempts->attempt();
    };
  };
}

}  // namespace

bool connect_failure(const RetryAttempt& attempt) {
  const TransportError* error = transport_error(attempt.error);
  return error && error->connect_failed();
}

bool is_idempotent(const Request& request) {
  if (request.options && request.options->idempotent) return *request.options->idempotent;
  return request.method == "GET" || request.method == "HEAD";
}

bool idempotent_failure(const RetryAttempt& attempt) {
  if (!is_idempotent(attempt.request)) return false;
  if (attempt.answer && (attempt.answer->status == 429 || attempt.answer->status >= 500)) {
    return true;
  }
  // Part of a streamed body may have reached the consumer already.
  return transport_error(attempt.error) && !attempt.request.transfer.on_body;
}

std::optional<milliseconds> retry_after(const Response& answer) {
  auto value = answer.headers.get("Retry-After");
  if (!value || value->empty()) return std::nullopt;
  long long seconds = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (error == std::errc() && end == value->data() + value->size()) {
    if (seconds < 0 || seconds > 86'400) return std::nullopt;
    return milliseconds(seconds * 1000);
  }
  // An HTTP-date; libcurl's parser reads the three formats RFC 9110 allows.
  std::time_t when = curl_getdate(value->c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return milliseconds(std::max<long long>(0, (when - std::time(nullptr)) * 1000LL));
}

Middleware retry(RetryPolicy policy, Logger logger) {
  return make_retry(std::move(policy), std::move(logger), nullptr);
}

namespace detail {

Middleware retry(RetryPolicy policy, Logger logger, std::shared_ptr<Failover> failover) {
  return make_retry(std::move(policy), std::move(logger), std::move(failover));
}

}  // namespace detail
}  // namespace wechatpay
