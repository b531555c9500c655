#include "wechatpay/handler_stack.hpp"

#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

// A middleware that records its name on the way in and on the way out.
Middleware tracer(std::string name, std::shared_ptr<std::vector<std::string>> log) {
  return [=](Handler next) -> Handler {
    return [=](Request request, Completion done) {
      log->push_back(">" + name);
      next(std::move(request), [=](std::exception_ptr error, Response response) {
        log->push_back("<" + name);
        done(error, std::move(response));
      });
    };
  };
}

Handler echo_terminal(std::shared_ptr<std::vector<std::string>> log) {
  return [=](Request request, Completion done) {
    log->push_back("handler");
    Response response;
    response.status = 200;
    response.body = request.body;
    done(nullptr, std::move(response));
  };
}

Response run(const HandlerStack& stack, Request request = {}) {
  Response out;
  std::exception_ptr failure;
  (*stack.resolve())(std::move(request), [&](std::exception_ptr error, Response response) {
    failure = error;
    out = std::move(response);
  });
  if (failure) std::rethrow_exception(failure);
  return out;
}

TEST(HandlerStack, RunsOuterToInnerAndBack) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  stack.push(tracer("a", log), "a");
  stack.push(tracer("b", log), "b");
  stack.unshift(tracer("first", log), "first");
  run(stack);
  EXPECT_EQ(*log,
            (std::vector<std::string>{">first", ">a", ">b", "handler", "<b", "<a", "<first"}));
  EXPECT_EQ(stack.describe(), "first > a > b > (handler)");
}

TEST(HandlerStack, BeforeAfterReplaceRemoveByName) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  stack.push(tracer("verifier", log), "verifier");
  stack.push(tracer("signer", log), "signer");
  stack.before("signer", tracer("x", log), "x");
  stack.after("signer", tracer("y", log), "y");
  EXPECT_EQ(stack.names(), (std::vector<std::string>{"verifier", "x", "signer", "y"}));
  stack.replace("signer", tracer("remote", log));
  EXPECT_TRUE(stack.remove("x"));
  EXPECT_FALSE(stack.remove("x"));
  run(stack);
  EXPECT_EQ(*log, (std::vector<std::string>{">verifier", ">remote", ">y", "handler", "<y",
                                            "<remote", "<verifier"}));
  EXPECT_TRUE(stack.contains("signer"));
  EXPECT_FALSE(stack.contains("x"));
}

TEST(HandlerStack, UnknownAnchorIsAConfigError) {
  HandlerStack stack;
  EXPECT_THROW(stack.before("nope", tracer("a", nullptr)), ConfigError);
  EXPECT_THROW(stack.after("nope", tracer("a", nullptr)), ConfigError);
  EXPECT_THROW(stack.replace("nope", tracer("a", nullptr)), ConfigError);
}

TEST(HandlerStack, ResolveWithoutHandlerIsAConfigError) {
  HandlerStack stack;
  EXPECT_FALSE(stack.has_handler());
  EXPECT_THROW(stack.resolve(), ConfigError);
}

TEST(HandlerStack, ResolveIsCachedUntilTheStackChanges) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  auto first = stack.resolve();
  EXPECT_EQ(stack.resolve(), first);
  stack.push(tracer("a", log), "a");
  EXPECT_NE(stack.resolve(), first);
}

TEST(HandlerStack, CopiesAreIndependent) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  stack.push(tracer("a", log), "a");
  HandlerStack copy = stack;
  copy.remove("a");
  EXPECT_EQ(stack.names().size(), 1u);
  EXPECT_TRUE(copy.names().empty());
}

TEST(HandlerStack, MapRequestAndMapResponse) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  stack.push(map_response([](Response r, const Request& req) {
    r.body += "|" + req.method;
    return r;
  }));
  stack.push(map_request([](Request r) {
    r.body = "mapped";
    return r;
  }));
  Request request;
  request.method = "POST";
  EXPECT_EQ(run(stack, request).body, "mapped|POST");
}

TEST(HandlerStack, ExceptionsInMappersBecomeErrors) {
  auto log = std::make_shared<std::vector<std::string>>();
  HandlerStack stack(echo_terminal(log));
  stack.push(map_request([](Request) -> Request { throw CryptoError("no key"); }));
  EXPECT_THROW(run(stack), CryptoError);
  EXPECT_TRUE(log->empty()) << "the terminal handler must not run";

  HandlerStack rejecting(echo_terminal(log));
  rejecting.push(
      map_response([](Response, const Request&) -> Response { throw TransportError("bad"); }));
  EXPECT_THROW(run(rejecting), TransportError);
}

}  // namespace
}  // namespace wechatpay
