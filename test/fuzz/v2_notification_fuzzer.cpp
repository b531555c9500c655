// v2 notifications: payment notifications (signed) and refund notifications (req_info
// encrypted). The first byte selects what the harness does to the rest before parsing:
//   bit 0: sign the fields with the APIv2 secret, so checks behind the signature are reached;
//   bit 1: replace req_info's value by its AES-256-ECB encryption, so the decrypted XML is
//          parsed.
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/crypto/aes_ecb.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/v2/notification.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

using namespace wechatpay;

namespace {

// The body after the harness's rewrites; the input itself when it is not XML fields.
std::string prepared(std::uint8_t mode, std::string_view input) {
  if ((mode & 3) == 0) return std::string(input);
  v2::XmlFields fields;
  try {
    fields = v2::parse_xml(input);
  } catch (const XmlError&) {
    return std::string(input);
  }
  if (const auto* req_info = fields.find("req_info"); req_info && (mode & 2)) {
    fields.set("req_info",
               crypto::aes_256_ecb_encrypt(crypto::md5_hex(fuzz::kV2Secret), *req_info));
  }
  try {
    if (mode & 1) fields.set("sign", v2::sign(fields, fuzz::kV2Secret));  // its own sign_type
  } catch (const ConfigError&) {                                          // an unknown sign_type
  }
  try {
    return v2::to_xml(fields);
  } catch (const ConfigError&) {
    return std::string(input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size == 0) return 0;
  const auto body = prepared(data[0], fuzz::as_text(data + 1, size - 1));
  try {
    const auto fields = v2::parse_notification(body, fuzz::kV2Secret);
    const auto* type = fields.find("sign_type");
    fuzz::require(type ? v2::verify(fields, fuzz::kV2Secret, v2::parse_sign_type(*type))
                       : v2::verify(fields, fuzz::kV2Secret),
                  "accepted a notification whose sign does not verify");
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  try {
    const auto refund = v2::parse_refund_notification(body, fuzz::kV2Secret);
    fuzz::require(refund.envelope.contains("req_info"), "refund without req_info accepted");
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  return 0;
}
