// APIv2 notifications (payment results, refunds, ...) and the XML that acknowledges them.
//   auto fields = wechatpay::v2::parse_notification(body, secret);   // throws on anything bad
//   reply(wechatpay::v2::acknowledgement());
#pragma once

#include <string>
#include <string_view>

#include "wechatpay/contracts/event_check.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {

// Parses a signed notification and checks it: XmlError when malformed; VerificationError when
// the sign is missing or wrong (the type named by `sign_type` when present, else HMAC-SHA256
// for a 64-character sign and MD5 otherwise); ApiError for a FAIL return_code/result_code.
// The errors carry the body as their response.
WECHATPAY_EXPORT XmlFields parse_notification(std::string_view body, std::string_view secret);

// Which documented event (events.jsonl) parsed notification `fields` are — their `event_type`
// when they carry one, else the APIv2 event whose required fields they all carry — and the fields
// checked against it. Unidentified: event_type "" and a null contract; nothing throws.
WECHATPAY_EXPORT contracts::EventCheck notification_event(const XmlFields& fields);

struct RefundNotification {
  XmlFields envelope;  // return_code, appid, mch_id, nonce_str, req_info
  XmlFields refund;    // req_info decrypted: out_refund_no, refund_status, settlement_refund_fee...
};

// Refund notifications are not signed; their details come AES-256-ECB encrypted in `req_info`.
// XmlError when malformed; ApiError for a FAIL return_code; VerificationError when `req_info`
// is missing or does not decrypt with the key into XML.
WECHATPAY_EXPORT RefundNotification parse_refund_notification(std::string_view body,
                                                              std::string_view secret);

// `req_info` (base64) -> its fields; the AES key is the lower-case hex MD5 of `secret`.
// CryptoError or XmlError when it does not decrypt into XML.
WECHATPAY_EXPORT XmlFields decrypt_req_info(std::string_view req_info, std::string_view secret);
// The reverse, as WeChat Pay builds it (`<root>...</root>`); for tests and the sandbox.
WECHATPAY_EXPORT std::string encrypt_req_info(const XmlFields& refund, std::string_view secret);

// <xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>
WECHATPAY_EXPORT std::string acknowledgement();
// The same with FAIL and `message` (WeChat Pay will retry the notification).
WECHATPAY_EXPORT std::string failure_acknowledgement(std::string_view message);

}  // namespace wechatpay::v2
