// APIv3 notifications (webhooks), independent of any web framework: hand over the request's
// headers and raw body bytes, exactly as received.
//   auto n = client.parse_notification(headers, body);   // or v3::parse_notification(...)
//   if (n.event_type == "TRANSACTION.SUCCESS") handle(n.json()["out_trade_no"].as<std::string>());
//   auto ack = v3::acknowledge_success();                  // reply ack.status, ack.body
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wechatpay/contracts/validation.hpp"
#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/headers.hpp"
#include "wechatpay/json_view.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::contracts {
class ContractRegistry;
}  // namespace wechatpay::contracts

namespace wechatpay::v3 {

struct WECHATPAY_EXPORT Notification {
  // The envelope.
  std::string id;
  std::string create_time;
  std::string event_type;     // e.g. "TRANSACTION.SUCCESS", "REFUND.SUCCESS"
  std::string resource_type;  // "encrypt-resource"
  std::string summary;
  std::string original_type;  // the resource's original_type, e.g. "transaction"
  // The decrypted resource, as JSON text.
  std::string plaintext;
  // The resource checked against the event's contract (events.jsonl, docs/contracts.md):
  // whether the data documents `event_type`, and the resource's missing or mistyped fields.
  // Neither an unknown event type nor a problem stops the parse.
  bool known_event = false;
  std::vector<contracts::Violation> resource_problems;

  // `plaintext` parsed, as a safe view (json_view.hpp); wechatpay::Error if it is not JSON.
  //   auto total = n.json()["amount"]["total"].as<std::int64_t>();
  JsonView json() const;
};

// Verifies and decrypts one notification:
//  - the four Wechatpay-* headers, |now - Wechatpay-Timestamp| <= 300 s, Wechatpay-Serial in
//    `keys` (platform certificate or PUB_KEY_ID_ public key), Wechatpay-Signature-Type
//    WECHATPAY2-SHA256-RSA2048 (the only one defined), SHA256withRSA over
//    "TIMESTAMP\nNONCE\nBODY\n": VerificationError naming the failed check;
//  - `resource` opened with AEAD_AES_256_GCM under `apiv3_key`: a tag failure (wrong APIv3 key,
//    altered ciphertext, nonce or associated data) is a VerificationError too, since the content
//    cannot be trusted; its message says the resource did not decrypt;
//  - a body that is not the expected JSON (checked after the signature): wechatpay::Error;
//  - the resource against the built-in event contracts: known_event, resource_problems.
// A VerificationError's response() holds the headers and body (status 0), for logging.
// ConfigError if `apiv3_key` is not 32 bytes.
WECHATPAY_EXPORT Notification parse_notification(const crypto::KeyStore& keys,
                                                 std::string_view apiv3_key, const Headers& headers,
                                                 std::string_view body,
                                                 std::int64_t now = system_now());

// Sets known_event and resource_problems from `registry`'s event contracts (parse_notification
// uses the built-in ones; Client::parse_notification the client's).
WECHATPAY_EXPORT void check_resource(Notification& notification,
                                     const contracts::ContractRegistry& registry);

// What to answer WeChat Pay with.
struct Acknowledgement {
  int status = 204;
  std::string body;          // empty for success
  std::string content_type;  // "application/json" when there is a body
};

// Received and handled: HTTP 204 (WeChat Pay accepts 200 or 204) with no body.
WECHATPAY_EXPORT Acknowledgement acknowledge_success();
// Not handled, WeChat Pay should retry: a 4xx/5xx status with {"code":"FAIL","message":…}.
// Put no secrets in `message`.
WECHATPAY_EXPORT Acknowledgement acknowledge_failure(std::string_view message, int status = 500);

}  // namespace wechatpay::v3
