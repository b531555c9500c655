// The v3 response side: verify_response and the verifier + http_errors middleware, with a fixed
// key store. Input: a first byte, "Name: value" header lines, an empty line, the body.
//   bits 0-2 of the first byte: the status (200, 204, 301, 400, 401, 404, 500, 502);
//   bit 3: replace the headers by WeChat Pay's valid signature over the body;
//   bit 4: the request is one of the unsigned downloads (GET /v3/billdownload/file).
// A response that passes must be verified (or an unsigned download) and 2xx.
#include <array>
#include <cstdint>
#include <exception>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/handler_stack.hpp"

using namespace wechatpay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size == 0) return 0;
  constexpr std::array<int, 8> kStatuses{200, 204, 301, 400, 401, 404, 500, 502};
  auto message = fuzz::split_message(fuzz::as_text(data + 1, size - 1));
  if (data[0] & 8) message.headers = fuzz::signed_headers(message.body);
  Response response;
  response.status = kStatuses[data[0] & 7];
  response.headers = message.headers;
  response.body = message.body;
  const bool download = data[0] & 16;

  try {
    v3::verify_response(fuzz::key_store(), response, fuzz::kNow);
  } catch (const VerificationError& e) {
    fuzz::check_error(e);
  }

  static const std::shared_ptr<const crypto::KeyStore> keys(&fuzz::key_store(),
                                                            [](const crypto::KeyStore*) {});
  HandlerStack stack([&response](Request, Completion done) { done(nullptr, response); });
  stack.push(v3::http_errors(), "http_errors");
  stack.push(v3::verifier(keys, [] { return fuzz::kNow; }), "verifier");
  Request request;
  request.method = download ? "GET" : "POST";
  request.url = download ? "https://api.mch.weixin.qq.com/v3/billdownload/file?token=x"
                         : "https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi";
  std::exception_ptr error;
  Response passed;
  (*stack.resolve())(request, [&](std::exception_ptr e, Response r) {
    error = e;
    passed = std::move(r);
  });
  if (!error) {
    fuzz::require(passed.status >= 200 && passed.status < 300, "a non-2xx response passed");
    fuzz::require(passed.verified || download, "an unverified response passed");
    return 0;
  }
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    fuzz::check_error(e);
    fuzz::require(e.status() == response.status, "ApiError with another status");
  } catch (const VerificationError& e) {
    fuzz::check_error(e);
  }
  return 0;
}
