#include "wechatpay/contracts/sensitive.hpp"

#include <openssl/evp.h>

#include "wechatpay/crypto/encoding.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::contracts {

namespace {

using Visit = std::function<void(const std::string& path, rapidjson::Value& value)>;

std::string joined(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

void walk(const std::vector<Field>& fields, rapidjson::Value& object, Encryption encryption,
          const std::string& prefix, const Visit& visit) {
  if (!object.IsObject()) return;
  for (const auto& field : fields) {
    if (field.encrypted != encryption && field.fields.empty()) continue;
    auto member = object.FindMember(
        rapidjson::Value(rapidjson::StringRef(field.name.data(), field.name.size())));
    if (member == object.MemberEnd() || member->value.IsNull()) continue;
    auto path = joined(prefix, field.name);
    auto& value = member->value;
    if (field.encrypted == encryption) {
      visit(path, value);
    } else if (value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        walk(field.fields, value[i], encryption, path + "[" + std::to_string(i) + "]", visit);
      }
    } else {
      walk(field.fields, value, encryption, path, visit);
    }
  }
}

}  // namespace

void for_each_encrypted(const std::vector<Field>& fields, rapidjson::Value& document,
                        Encryption encryption, const Visit& visit) {
  walk(fields, document, encryption, {}, visit);
}

bool is_ciphertext_for(const crypto::PublicKey& key, std::string_view value) {
  const int modulus = EVP_PKEY_get_size(key.get());
  if (modulus <= 0) return false;
  const auto encoded_size = 4 * ((static_cast<std::size_t>(modulus) + 2) / 3);
  if (value.size() != encoded_size) return false;
  return crypto::base64_decoded_size(value) == static_cast<std::size_t>(modulus);
}

}  // namespace wechatpay::contracts
