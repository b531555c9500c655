// The APIv2 handler stack, outer -> inner:
//   transform_response > http_errors > transform_request > [yours] > (transport)
// The client builds `Settings` from its configuration and calls `install` on its v2 stack.
#pragma once

#include <memory>
#include <string>

#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::v2 {

struct Settings {
  std::string mchid;   // when set, every payload's mch_id/mchid/combine_mch_id must equal it
  std::string secret;  // the APIv2 key
  // Merchant TLS client certificate for `security: true` requests: file path or PEM text.
  std::string merchant_cert;
  std::string merchant_key;
  std::string merchant_key_passphrase;
  // The client's base_uri; a request's own `base_uri` option takes precedence. Endpoints are
  // recognised (no-sign answers, bill downloads) by the URL path after it.
  std::string base_uri = "https://api.mch.weixin.qq.com/";
};

// Builds the request: payload from `xml` (or the query for GET), nonce_str, mchid guard,
// `sign`, the XML body or signed query, and the client certificate for `security`.
// Throws ConfigError at once for null settings.
WECHATPAY_EXPORT Middleware transform_request(std::shared_ptr<const Settings> settings);

// Reads the answer: XmlError for a malformed body, ApiError for a FAIL return_code or
// result_code, VerificationError for a sign that does not verify (except on the endpoints
// that answer unsigned); bills (CSV/gzip) and bodies streamed to a `sink` pass through.
WECHATPAY_EXPORT Middleware transform_response(std::shared_ptr<const Settings> settings);

// Non-2xx -> ApiError (code: the HTTP reason phrase; message: the XML return_msg, if any).
WECHATPAY_EXPORT Middleware http_errors();

// Pushes transform_response, http_errors and transform_request (named so) with push(): on an
// empty stack they take the order above, and middleware pushed afterwards runs between
// transform_request and the transport, seeing the signed request.
WECHATPAY_EXPORT void install(HandlerStack& stack, std::shared_ptr<const Settings> settings);

}  // namespace wechatpay::v2
