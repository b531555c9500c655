// JSON responses: Response::json() and its read API (JsonView: every value read as every type),
// Json::parse, and ApiError built from an error body by the http_errors middleware. The first two
// bytes are the status (any 100-599), the rest the body; the body's first 8 bytes are also the
// member name probed at every level.
#include <cstdint>
#include <exception>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/json_walk.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/json.hpp"

using namespace wechatpay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size < 2) return 0;
  Response response;
  response.status = 100 + (data[0] << 8 | data[1]) % 500;
  response.body = std::string(fuzz::as_text(data + 2, size - 2));
  response.headers.set("Request-ID", "fuzz-request");

  bool parsed = false;
  try {
    const auto answer = response.json();
    parsed = true;
    fuzz::walk(answer, std::string_view(response.body).substr(0, 8));
    // Json's copy of the document prints as JSON that reads back (not always to the same text:
    // RapidJSON's default number parsing is not exact for long mantissas).
    const auto text = Json(answer.document()).dump();
    // So does the view's own dump, to a document of the same shape.
    fuzz::require(JsonView::parse(answer.dump()).size() == answer.size(),
                  "JsonView dump does not read back");
    rapidjson::Document again;
    again.Parse(text.data(), text.size());
    fuzz::require(!again.HasParseError(), "Json dump does not reparse");
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  try {
    Json::parse(response.body);
    fuzz::require(parsed, "Json::parse accepts what Response::json rejects");
  } catch (const Error& e) {
    fuzz::check_error(e);
    fuzz::require(!parsed, "Json::parse rejects what Response::json accepts");
  }

  HandlerStack stack([&response](Request, Completion done) { done(nullptr, response); });
  stack.push(v3::http_errors(), "http_errors");
  Request request;
  request.method = "POST";
  request.url = "https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi";
  std::exception_ptr error;
  (*stack.resolve())(request, [&](std::exception_ptr e, Response) { error = e; });
  const bool success = response.status >= 200 && response.status < 300;
  fuzz::require(success == !error, "http_errors: success and error disagree");
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const ApiError& e) {
      fuzz::check_error(e);
      fuzz::require(e.status() == response.status && e.request_id() == "fuzz-request",
                    "ApiError lost the status or Request-ID");
    }
  }
  return 0;
}
