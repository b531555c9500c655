// The request and response as they travel through the handler stack.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "wechatpay/export.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/json_view.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay {

// How the transport should carry one request; filled from the client's configuration
// and the request's options so that one transport can serve several clients.
struct TransferSettings {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};
  std::string proxy;
  bool proxy_from_environment = true;  // with `proxy` empty: http_proxy, https_proxy, NO_PROXY...
  std::string ca_bundle;               // PEM file; empty = system default
  bool insecure_skip_verify = false;   // turns off TLS peer and host verification
  std::string client_cert;  // PEM file or text: merchant TLS certificate (APIv2 security)
  std::string client_key;   // PEM file or text
  std::string client_key_passphrase;
  std::size_t max_response_bytes = 64u << 20;
  std::string user_agent;
  std::optional<std::string> sink;  // write the body to this file
  BodyConsumer on_body;             // or hand a 2xx body to this callback (see options.hpp)
  bool http2 = true;                // offer HTTP/2 over TLS (ALPN); false: HTTP/1.1 only
};

struct WECHATPAY_EXPORT Request {
  std::string method;  // upper case
  std::string url;     // absolute: base_uri + path + ?query
  Headers headers;
  std::string body;
  // Sent instead of `body` when set (a large upload read from disk as it goes).
  std::shared_ptr<const BodyStream> body_stream;
  TransferSettings transfer;
  // The caller's options, for middleware that needs them (xml, security, nonceless, ...).
  std::shared_ptr<const Options> options;
  // The endpoint as chained, before expansion ("v3/pay/transactions/id/{transaction_id}"); the
  // contract middleware looks the endpoint up by it.
  std::string uri_template;

  // The request target sent on the wire: the URL's path and query.
  std::string target() const;
  // The URL's path, without the query.
  std::string path() const;
};

struct WECHATPAY_EXPORT Response {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string>
      decrypted_body;  // the body with merchant-encrypted fields in plaintext (set by
                       // decrypt_fields); json() reads it when set
  // True when a verifier middleware checked this response's signature.
  bool verified = false;
  // How it travelled, as the transport reports it: "1.1" or "2", and the connections this
  // request opened (0: it reused one).
  std::string http_version{};
  long connections_opened = 0;

  // The body (`decrypted_body` when set) parsed, as a safe view (json_view.hpp): indexing never
  // throws, reading throws JsonReadError naming the path. wechatpay::Error if it is not JSON.
  JsonView json() const;
  // The `Request-ID` header, or "".
  std::string request_id() const;
};

}  // namespace wechatpay
