// Per-request options, designed for C++20 designated initialisers:
//   client->v3["pay"]["transactions"]["id"]["_transaction_id_"]->get({
//       .query = {{"mchid", "1230000109"}}, .params = {{"transaction_id", "4200..."}}});
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/body_stream.hpp"
#include "wechatpay/contracts/validation_mode.hpp"
#include "wechatpay/executor.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/retry_policy.hpp"

namespace wechatpay {

class HandlerStack;

// Ordered query pairs; each key and value is RFC 3986 percent-encoded when the URL is built.
using Query = std::vector<std::pair<std::string, std::string>>;
// URI-template variables: `{name}` and `{+name}` in the path take their values from here.
using Params = std::map<std::string, std::string, std::less<>>;

// Receives a 2xx response body piece by piece, on the transport's I/O thread (it must not
// block), instead of Response::body; `content_length` is -1 when unknown. Throwing aborts the
// transfer and fails the request with that exception.
using BodyConsumer = std::function<void(std::string_view chunk, std::int64_t content_length)>;

// A raw request body, sent byte for byte.
struct Body {
  std::string bytes;
  std::string content_type = "application/octet-stream";
};

// APIv2 multipart/form-data (secapi/mch/uploadmedia, see v2/media.hpp): a file part sent after
// the signed `xml` fields, which go as the form's text parts instead of an XML body.
struct FormFile {
  std::string name;      // the part's name ("media")
  std::string filename;  // non-empty, without quotes or line breaks (it goes into a header)
  std::string content;
  std::string content_type = "application/octet-stream";
};

struct Options {
  Json json{};        // APIv3 request body: a literal, a RapidJSON value or Json::raw
  Query query{};      // appended to the URL (and signed, as sent)
  Headers headers{};  // extra request headers; `Wechatpay-Serial` set here wins
  Params params{};    // URI-template variables
  std::optional<std::string> base_uri{};    // overrides the client's base_uri for this request
  std::optional<Body> body{};               // raw body instead of `json`
  std::optional<BodyStream> body_stream{};  // a body read while it is sent, instead of `body`
  std::optional<std::chrono::milliseconds> timeout{};  // total time for this request
  Json xml{};                         // APIv2 payload: an object of fields, in order
  bool security = false;              // APIv2: use the merchant TLS client certificate
  bool nonceless = false;             // APIv2: do not add a nonce_str
  std::optional<std::string> sink{};  // stream the response body into this file instead of memory
  BodyConsumer on_body{};             // stream a 2xx response body into this callback instead
  // APIv2: send the signed `xml` fields as a multipart form with this file, not as XML.
  std::optional<FormFile> form_file{};
  // APIv3: the bytes the signature covers when they are not the body sent. Media uploads sign
  // only their `meta` JSON, not the multipart body (see v3/media.hpp).
  std::optional<std::string> signed_body{};
  std::shared_ptr<HandlerStack> stack{};  // replaces the client's stack for this request only
  // Where the callback or coroutine resumption runs; empty = the client's (see executor.hpp).
  Executor executor{};
  // Cancels the request when stopped: it completes once, with CancelledError. Before it is sent
  // it is never sent; in flight the transfer is aborted (the server may have seen it).
  std::stop_token stop_token{};
  // Retries (retry.hpp): whether repeating this request is harmless — true for a payment or
  // refund keyed by out_trade_no / out_refund_no; unset: GET and HEAD are, others are not.
  std::optional<bool> idempotent{};
  std::optional<RetryPolicy> retry{};  // replaces the client's retry policy for this request
  // Contract checks for this request; unset = the client's (see docs/contracts.md).
  std::optional<ValidationMode> validation{};
  std::optional<bool> auto_encrypt{};  // encrypt the contract's sensitive fields
};

}  // namespace wechatpay
