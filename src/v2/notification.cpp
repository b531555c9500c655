#include "wechatpay/v2/notification.hpp"

#include "v2/result.hpp"
#include "wechatpay/crypto/aes_ecb.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"

namespace wechatpay::v2 {
namespace {

// ResponseError needs a Response: the notification body stands in for one.
Response as_response(std::string_view body) {
  Response response;
  response.status = 200;
  response.body = std::string(body);
  return response;
}

std::string req_info_key(std::string_view secret) {
  return crypto::md5_hex(secret);  // lower-case hex: 32 ASCII bytes, used as the AES-256 key
}

std::string build_acknowledgement(std::string_view code, std::string_view message) {
  return to_xml({{"return_code", std::string(code)}, {"return_msg", std::string(message)}},
                /*always_cdata=*/true);
}

}  // namespace

XmlFields parse_notification(std::string_view body, std::string_view secret) {
  XmlFields fields = parse_xml(body);
  ResultCheck result = check_result(fields);
  // Some documented notifications carry no return_code (payscore's CHECK.* and TRANSACTION.*,
  // papay contract changes, parking): they fail only on a result_code other than SUCCESS.
  if (!fields.contains("return_code")) {
    result.failed = fields.contains("result_code") && fields.value("result_code") != "SUCCESS";
  }
  if (result.failed && !result.signed_answer) throw_api_error(fields, as_response(body));
  bool valid = false;
  if (const auto* type = fields.find("sign_type")) {
    try {
      valid = verify(fields, secret, parse_sign_type(*type));
    } catch (const ConfigError&) {
      throw VerificationError("APIv2 notification: unsupported sign_type", as_response(body));
    }
  } else {
    valid = verify(fields, secret);
  }
  if (!valid) {
    throw VerificationError("APIv2 notification: the sign does not verify", as_response(body));
  }
  if (result.failed) throw_api_error(fields, as_response(body));
  return fields;
}

contracts::EventCheck notification_event(const XmlFields& fields) {
  return contracts::check_v2_event(*contracts::ContractRegistry::builtin(), fields.fields());
}

RefundNotification parse_refund_notification(std::string_view body, std::string_view secret) {
  RefundNotification notification{parse_xml(body), {}};
  if (notification.envelope.value("return_code") != "SUCCESS") {
    throw_api_error(notification.envelope, as_response(body));
  }
  const auto* req_info = notification.envelope.find("req_info");
  if (req_info == nullptr || req_info->empty()) {
    throw VerificationError("APIv2 refund notification: no req_info", as_response(body));
  }
  try {
    notification.refund = decrypt_req_info(*req_info, secret);
  } catch (const Error&) {
    // ECB has no tag: decrypting into well-formed XML is the only proof of the key.
    throw VerificationError("APIv2 refund notification: req_info does not decrypt",
                            as_response(body));
  }
  return notification;
}

XmlFields decrypt_req_info(std::string_view req_info, std::string_view secret) {
  return parse_xml(crypto::aes_256_ecb_decrypt(req_info_key(secret), req_info), /*root=*/"");
}

std::string encrypt_req_info(const XmlFields& refund, std::string_view secret) {
  std::string xml = to_xml(refund);
  // to_xml writes <xml>...</xml>; WeChat Pay's req_info is rooted at <root>.
  xml.replace(0, 5, "<root>");
  xml.replace(xml.size() - 6, 6, "</root>");
  return crypto::aes_256_ecb_encrypt(req_info_key(secret), xml);
}

std::string acknowledgement() {
  return build_acknowledgement("SUCCESS", "OK");
}

std::string failure_acknowledgement(std::string_view message) {
  return build_acknowledgement("FAIL", message);
}

}  // namespace wechatpay::v2
