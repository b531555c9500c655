// The retry middleware against scripted handlers: which failures are repeated, each attempt
// signed anew, backoff and Retry-After inside the total timeout, one completion per request.
#include "wechatpay/retry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <future>
#include <mutex>
#include <set>

#include <curl/curl.h>

#include "retry_with_failover.hpp"
#include "support/pki.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v3/signer.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

// Answers attempt n with script[n - 1] (the last entry repeats) and records what it was sent.
struct Script {
  explicit Script(std::vector<std::function<void(Completion&)>> steps) : steps(std::move(steps)) {}
  std::vector<std::function<void(Completion&)>> steps;
  std::mutex mutex;
  std::vector<Request> seen;

  Handler handler() {
    return [this](Request request, Completion done) {
      std::size_t n;
      {
        std::lock_guard lock(mutex);
        seen.push_back(request);
        n = std::min(seen.size(), steps.size()) - 1;
      }
      steps[n](done);
    };
  }
  std::size_t attempts() {
    std::lock_guard lock(mutex);
    return seen.size();
  }
};

std::function<void(Completion&)> fail_with(std::exception_ptr error) {
  return [error](Completion& done) { done(error, Response{}); };
}
std::function<void(Completion&)> refused() {
  return fail_with(std::make_exception_ptr(TransportError("connect refused", true)));
}
std::function<void(Completion&)> answer(int status, Headers headers = {}) {
  return [status, headers](Completion& done) {
    Response response;
    response.status = status;
    response.headers = headers;
    if (status >= 400) {
      done(std::make_exception_ptr(
               ApiError("status " + std::to_string(status), response, "CODE", "message", "")),
           Response{});
    } else {
      done(nullptr, response);
    }
  };
}

struct Outcome {
  std::exception_ptr error;
  Response response;
  int completions = 0;
};

// Runs `request` through `stack` and waits (at most 30 s) for its one completion.
Outcome run(HandlerStack& stack, Request request) {
  auto outcome = std::make_shared<Outcome>();
  auto count = std::make_shared<std::atomic<int>>(0);
  std::promise<void> finished;
  auto future = finished.get_future();
  (*stack.resolve())(std::move(request), [&, outcome, count](std::exception_ptr e, Response r) {
    if (count->fetch_add(1) == 0) {
      outcome->error = e;
      outcome->response = std::move(r);
      finished.set_value();
    }
  });
  EXPECT_EQ(future.wait_for(30s), std::future_status::ready);
  std::this_thread::sleep_for(50ms);  // a duplicate completion would come now
  outcome->completions = count->load();
  return *outcome;
}

Request make_request(std::string method, std::chrono::milliseconds timeout = 10s) {
  Request request;
  request.method = std::move(method);
  request.url = "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/T1";
  request.transfer.timeout = timeout;
  request.options = std::make_shared<const Options>();
  return request;
}

Request with_options(Request request, Options options) {
  request.options = std::make_shared<const Options>(std::move(options));
  return request;
}

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

const RetryPolicy kQuick{.base_delay = 1ms, .max_delay = 5ms};

TEST(ResilienceRetryPolicy, RepeatsAFailureBeforeAnyByteWasSentAndSignsEachAttemptAnew) {
  Script script({refused(), refused(), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry(kQuick), "retry");
  auto identity = std::make_shared<const v3::SigningIdentity>(
      v3::SigningIdentity{"1900000001", "SERIAL",
                          crypto::PrivateKey::load(test::cached_rsa_key("merchant").private_pem)});
  stack.push(v3::signer(identity), "signer");

  Outcome outcome = run(stack, make_request("POST"));
  ASSERT_FALSE(outcome.error) << message_of(outcome.error);
  EXPECT_EQ(outcome.completions, 1);
  EXPECT_EQ(outcome.response.status, 200);
  ASSERT_EQ(script.attempts(), 3u);
  std::set<std::string> authorizations;
  for (const auto& sent : script.seen) authorizations.insert(*sent.headers.get("Authorization"));
  EXPECT_EQ(authorizations.size(), 3u) << "a signature (nonce) was replayed";
}

TEST(ResilienceRetryPolicy, GivesUpAfterMaxAttemptsAndSaysHowMany) {
  Script script({refused()});
  HandlerStack stack(script.handler());
  stack.push(retry(kQuick), "retry");
  Outcome outcome = run(stack, make_request("POST"));
  EXPECT_EQ(script.attempts(), 3u);
  EXPECT_EQ(outcome.completions, 1);
  try {
    std::rethrow_exception(outcome.error);
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.connect_failed());
    EXPECT_THAT(e.what(), HasSubstr("connect refused (3 attempts)"));
  }
}

TEST(ResilienceRetryPolicy, APostWhoseBytesWereSentIsNotRepeated) {
  Script script({fail_with(std::make_exception_ptr(TransportError("reset"))), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry({.idempotent_failures = true, .base_delay = 1ms}), "retry");
  Outcome outcome = run(stack, make_request("POST"));
  EXPECT_EQ(script.attempts(), 1u);
  EXPECT_EQ(message_of(outcome.error), "reset");  // one attempt: the message as it was
}

TEST(ResilienceRetryPolicy, APostMarkedIdempotentIsRepeatedWhenThePolicyAllows) {
  Script script(
      {fail_with(std::make_exception_ptr(TimeoutError("timed out"))), answer(503), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry(kQuick), "retry");
  RetryPolicy opt_in = kQuick;
  opt_in.idempotent_failures = true;
  Outcome outcome =
      run(stack, with_options(make_request("POST"), {.idempotent = true, .retry = opt_in}));
  ASSERT_FALSE(outcome.error) << message_of(outcome.error);
  EXPECT_EQ(script.attempts(), 3u);
}

TEST(ResilienceRetryPolicy, IdempotentFailuresAreOptIn) {
  Script script({answer(503), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry(kQuick), "retry");
  Outcome outcome = run(stack, make_request("GET"));
  EXPECT_EQ(script.attempts(), 1u);
  ASSERT_TRUE(outcome.error);
}

TEST(ResilienceRetryPolicy, TooManyRequestsWaitsForRetryAfter) {
  Script script({answer(429, {{"Retry-After", "1"}}), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry({.idempotent_failures = true, .base_delay = 1ms, .max_delay = 1ms}), "retry");
  auto started = Clock::now();
  Outcome outcome = run(stack, make_request("GET"));
  ASSERT_FALSE(outcome.error) << message_of(outcome.error);
  EXPECT_EQ(script.attempts(), 2u);
  EXPECT_GE(Clock::now() - started, 1s);  // not a speed figure: the wait the server asked for
}

TEST(ResilienceRetryPolicy, ARetryAfterBeyondTheTimeoutEndsTheRequestAtOnce) {
  Script script({answer(429, {{"Retry-After", "60"}}), answer(200)});
  HandlerStack stack(script.handler());
  stack.push(retry({.idempotent_failures = true}), "retry");
  auto started = Clock::now();
  Outcome outcome = run(stack, make_request("GET", 2s));
  EXPECT_EQ(script.attempts(), 1u);
  ASSERT_TRUE(outcome.error);
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST(ResilienceRetryPolicy, EachAttemptGetsWhatIsLeftOfTheTotalTimeout) {
  Script script({refused()});
  HandlerStack stack(script.handler());
  stack.push(retry({.max_attempts = 50, .base_delay = 100ms, .max_delay = 100ms}), "retry");
  auto started = Clock::now();
  Outcome outcome = run(stack, make_request("GET", 1s));
  const auto elapsed = Clock::now() - started;
  EXPECT_LT(elapsed, 2s);
  EXPECT_LT(script.attempts(), 50u);
  EXPECT_GT(script.attempts(), 1u);
  for (std::size_t i = 1; i < script.seen.size(); ++i) {
    EXPECT_LT(script.seen[i].transfer.timeout, script.seen[i - 1].transfer.timeout + 1ms);
    EXPECT_LE(script.seen[i].transfer.connect_timeout, script.seen[i].transfer.timeout);
  }
  EXPECT_THAT(message_of(outcome.error), HasSubstr("no time for another"));
}

TEST(ResilienceRetryPolicy, ACustomDeciderSeesTheAttemptNumberAndTheAnswer) {
  Script script({answer(200), answer(202)});
  HandlerStack stack(script.handler());
  std::vector<std::pair<int, int>> decided;  // attempt, status
  RetryPolicy policy = kQuick;
  policy.decide = [&](const RetryAttempt& attempt) {
    decided.emplace_back(attempt.number, attempt.answer ? attempt.answer->status : 0);
    return attempt.answer && attempt.answer->status == 200;  // "retry until 202"
  };
  stack.push(retry(policy), "retry");
  Outcome outcome = run(stack, make_request("GET"));
  EXPECT_EQ(outcome.response.status, 202);
  EXPECT_EQ(decided, (std::vector<std::pair<int, int>>{{1, 200}, {2, 202}}));
}

TEST(ResilienceRetryPolicy, DroppingTheMiddlewareFailsAWaitingRequestOnce) {
  Script script({refused()});
  auto stack = std::make_shared<HandlerStack>(script.handler());
  stack->push(retry({.base_delay = 5s, .max_delay = 5s}), "retry");
  std::atomic<int> completions{0};
  std::promise<std::exception_ptr> failed;
  {
    auto handler = stack->resolve();
    (*handler)(make_request("GET", 30s), [&](std::exception_ptr e, Response) {
      if (completions.fetch_add(1) == 0) failed.set_value(e);
    });
  }
  while (script.attempts() == 0) std::this_thread::yield();
  stack.reset();  // the middleware and its timer go; the wait is cut short
  auto future = failed.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_THAT(message_of(future.get()), HasSubstr("the client stopped"));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(completions.load(), 1);
}

TEST(ResilienceRetryPolicy, RetryAfterReadsSecondsAndHttpDates) {
  Response answer;
  EXPECT_FALSE(retry_after(answer));
  answer.headers.set("Retry-After", "7");
  EXPECT_EQ(retry_after(answer), 7s);
  answer.headers.set("Retry-After", "soon");
  EXPECT_FALSE(retry_after(answer));
  answer.headers.set("Retry-After", "-3");
  EXPECT_FALSE(retry_after(answer));
  // An HTTP-date 30 s ahead, written by strftime (not by the code under test).
  std::time_t later = std::time(nullptr) + 30;
  char date[64];
  std::tm utc{};
  gmtime_r(&later, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  answer.headers.set("Retry-After", date);
  auto wait = retry_after(answer);
  ASSERT_TRUE(wait);
  EXPECT_GE(*wait, 28s);
  EXPECT_LE(*wait, 30s);
}

TEST(ResilienceRetryPolicy, AttemptCountKeepsTheErrorType) {
  Response response;
  response.status = 503;
  auto api = detail::with_attempts(
      std::make_exception_ptr(ApiError("503 SYSTEM_ERROR", response, "SYSTEM_ERROR", "m", "d")), 2,
      "");
  try {
    std::rethrow_exception(api);
  } catch (const ApiError& e) {
    EXPECT_STREQ(e.what(), "503 SYSTEM_ERROR (2 attempts)");
    EXPECT_EQ(e.code(), "SYSTEM_ERROR");
    EXPECT_EQ(e.status(), 503);
  }
  auto timeout = detail::with_attempts(std::make_exception_ptr(TimeoutError("t", true)), 3, "");
  EXPECT_THROW(std::rethrow_exception(timeout), TimeoutError);
  auto foreign = std::make_exception_ptr(std::logic_error("x"));
  EXPECT_EQ(detail::with_attempts(foreign, 2, ""), foreign);
}

TEST(ResilienceRetryPolicy, RejectsAPolicyWithoutAttempts) {
  EXPECT_THROW(retry({.max_attempts = 0}), ConfigError);
}

TEST(ResilienceBackupHost, DefaultBackupOnlyForTheDocumentedHosts) {
  EXPECT_EQ(default_backup_of("https://api.mch.weixin.qq.com/"), "https://api2.mch.weixin.qq.com/");
  EXPECT_EQ(default_backup_of("https://api.mch.weixin.qq.com"), "https://api2.mch.weixin.qq.com/");
  EXPECT_EQ(default_backup_of("https://api.wechatpay.cn/"), "https://api2.wechatpay.cn/");
  EXPECT_EQ(default_backup_of("https://apihk.mch.weixin.qq.com/"), "");
  EXPECT_EQ(default_backup_of("https://127.0.0.1:8443/"), "");
}

}  // namespace
}  // namespace wechatpay
