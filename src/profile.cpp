#include "wechatpay/profile.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include <rapidjson/document.h>

#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

namespace fs = std::filesystem;

class ProfileReader {
 public:
  ProfileReader(const rapidjson::Value& root, fs::path dir) : root_(root), dir_(std::move(dir)) {}

  // The string member `name`; "" when optional and absent.
  std::string text(const char* name, bool required) const {
    auto it = root_.FindMember(name);
    if (it == root_.MemberEnd()) {
      if (required) throw ConfigError(name, "is missing from the profile");
      return {};
    }
    if (!it->value.IsString()) throw ConfigError(name, "must be a string in the profile");
    std::string value(it->value.GetString(), it->value.GetStringLength());
    if (required && value.empty()) throw ConfigError(name, "is empty in the profile");
    return value;
  }

  // A file path member, resolved against the profile's directory.
  std::string path(const char* name, bool required) const { return resolve(text(name, required)); }

  std::string resolve(const std::string& value) const {
    if (value.empty()) return value;
    fs::path p(value);
    return (p.is_absolute() ? p : dir_ / p).lexically_normal().string();
  }

  std::map<std::string, std::string> certs() const {
    auto it = root_.FindMember("certs");
    if (it == root_.MemberEnd()) throw ConfigError("certs", "is missing from the profile");
    if (!it->value.IsObject() || it->value.MemberCount() == 0) {
      throw ConfigError("certs", "must be a non-empty object {serial or PUB_KEY_ID_...: path}");
    }
    std::map<std::string, std::string> certs;
    for (const auto& member : it->value.GetObject()) {
      std::string id = member.name.GetString();
      if (!member.value.IsString() || member.value.GetStringLength() == 0) {
        throw ConfigError("certs[" + id + "]", "must be a non-empty path");
      }
      certs[id] = "file://" + resolve(member.value.GetString());
    }
    return certs;
  }

 private:
  const rapidjson::Value& root_;
  fs::path dir_;
};

// A profile is a few hundred bytes; reading stops one byte past the limit, so a huge file (or a
// device) is refused by the parse without being read whole.
constexpr ParseLimits kProfileLimits{.max_bytes = 1u << 20};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("profile", "cannot read " + path);
  std::string text(kProfileLimits.max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

Profile read_profile(const std::string& path) {
  std::string text = read_text(path);
  rapidjson::Document doc;
  try {
    doc = parse_bounded_json(text, path, kProfileLimits);
  } catch (const Error& e) {
    throw ConfigError("profile", e.what());
  }
  if (!doc.IsObject()) throw ConfigError("profile", path + " must hold a JSON object");

  ProfileReader reader(doc, fs::absolute(path).parent_path());
  Profile profile;
  ClientConfig& config = profile.config;
  config.mchid = reader.text("mchid", true);
  config.serial = reader.text("serial", true);
  config.private_key = "file://" + reader.path("private_key", true);
  config.private_key_passphrase = reader.text("private_key_passphrase", false);
  config.certs = reader.certs();
  config.secret = reader.text("secret", false);
  config.merchant_cert = reader.path("merchant_cert", false);
  config.merchant_key = reader.path("merchant_key", false);
  config.merchant_key_passphrase = reader.text("merchant_key_passphrase", false);
  config.base_uri = reader.text("base_uri", true);
  config.ca_bundle = reader.path("ca_bundle", false);
  profile.apiv3_key = reader.text("apiv3_key", false);
  if (!profile.apiv3_key.empty() && profile.apiv3_key.size() != 32) {
    throw ConfigError("apiv3_key", "must be 32 bytes");
  }
  config.apiv3_key = profile.apiv3_key;  // the client's notifications and certificates use it
  return profile;
}

ClientConfig load_profile(const std::string& path) {
  return read_profile(path).config;
}

}  // namespace wechatpay
