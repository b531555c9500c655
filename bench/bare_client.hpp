// The least a hand-written APIv3 client does per call, for the "bare" rows of bench_e2e: sign
// (the SDK's authorization()), one libcurl easy handle kept open and reused, read the status,
// headers and body, verify the answer (the SDK's verify_response). No handler stack, contracts,
// retries, executors or cancellation: what the SDK's pipeline costs is the sync row's CPU minus
// this one, and what libcurl, TLS and the kernel cost is this row minus the RSA floor.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "wechatpay/client.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/v3/signer.hpp"

namespace wechatpay::bench {

class BareClient {
 public:
  // POSTs `body` (JSON, its sensitive fields encrypted for `encryption_serial`) to `path` under
  // the config's base_uri, as the config's merchant.
  BareClient(const ClientConfig& config, const crypto::KeyStore& keys, std::string path,
             std::string body, const std::string& encryption_serial);
  ~BareClient();
  BareClient(const BareClient&) = delete;
  BareClient& operator=(const BareClient&) = delete;

  // One signed call; throws (VerificationError, std::runtime_error) when it fails.
  Response post();

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);

  const crypto::KeyStore& keys_;
  v3::SigningIdentity identity_;
  std::string url_, target_, body_, serial_header_;
  CURL* easy_;
  Response response_;
};

}  // namespace wechatpay::bench
