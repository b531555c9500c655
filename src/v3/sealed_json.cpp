#include "v3/sealed_json.hpp"

#include "redact.hpp"
#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3::detail {

rapidjson::Document parse_object(std::string_view text, std::string_view subject) {
  rapidjson::Document doc = parse_bounded_json(text, subject);
  if (!doc.IsObject()) throw Error(std::string(subject) + " is not a JSON object");
  return doc;
}

std::string required_string(const rapidjson::Value& object, const char* name,
                            std::string_view subject) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsString()) {
    throw Error(std::string(subject) + " lacks the string field " + name);
  }
  return {found->value.GetString(), found->value.GetStringLength()};
}

std::string optional_string(const rapidjson::Value& object, const char* name) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsString()) return {};
  return {found->value.GetString(), found->value.GetStringLength()};
}

const rapidjson::Value& required_object(const rapidjson::Value& object, const char* name,
                                        std::string_view subject) {
  auto found = object.FindMember(name);
  if (found == object.MemberEnd() || !found->value.IsObject()) {
    throw Error(std::string(subject) + " lacks the object " + name);
  }
  return found->value;
}

std::string open_sealed(const rapidjson::Value& sealed, std::string_view apiv3_key,
                        std::string_view subject) {
  auto algorithm = required_string(sealed, "algorithm", subject);
  if (algorithm != "AEAD_AES_256_GCM") {
    throw Error(std::string(subject) + " uses the unsupported algorithm " +
                ::wechatpay::detail::printable(algorithm));
  }
  return crypto::aes_256_gcm_decrypt(apiv3_key, required_string(sealed, "nonce", subject),
                                     optional_string(sealed, "associated_data"),
                                     required_string(sealed, "ciphertext", subject));
}

}  // namespace wechatpay::v3::detail
