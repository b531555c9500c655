#include "credentials.hpp"

#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "pki/pki.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCa = "ca.pem";
constexpr const char* kCaKey = "ca_key.pem";
constexpr const char* kServerCert = "server_cert.pem";
constexpr const char* kServerKey = "server_key.pem";
constexpr const char* kMerchantCert = "apiclient_cert.pem";
constexpr const char* kMerchantKey = "apiclient_key.pem";
constexpr const char* kPlatformCert = "platform_cert.pem";
constexpr const char* kPlatformKey = "platform_key.pem";
constexpr const char* kPublicKey = "pub_key.pem";
constexpr const char* kPublicKeyPrivate = "pub_key_private.pem";
constexpr const char* kSecrets = "secrets.json";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Private material is written owner-only.
void write_file(const fs::path& path, const std::string& data, bool secret) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  }
  if (secret) ::chmod(path.c_str(), 0600);
}

std::string pretty(const Json& value) {
  rapidjson::Document doc;
  value.to_rapidjson(doc, doc.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string member(const Json& object, const char* name, const fs::path& file) {
  const Json* value = object.find(name);
  if (!value || !value->is_string() || value->str().empty()) {
    throw std::runtime_error(file.string() + ": `" + std::string(name) + "` is missing");
  }
  return value->str();
}

void generate(const fs::path& dir, const std::string& mchid) {
  // Five RSA-2048 keys dominate start-up time; make them side by side.
  std::vector<std::future<pki::KeyPair>> pending;
  for (int i = 0; i < 5; ++i)
    pending.push_back(std::async(std::launch::async, [] { return pki::generate_rsa_key(); }));
  pki::KeyPair ca_key = pending[0].get(), server_key = pending[1].get(),
               merchant_key = pending[2].get(), platform_key = pending[3].get(),
               public_key = pending[4].get();

  pki::CertificateAuthority ca("wechatpay-sandbox CA", ca_key);
  pki::Certificate server = pki::make_server_certificate(ca, server_key);
  pki::Certificate merchant = pki::make_merchant_certificate("", mchid, merchant_key, ca);
  pki::Certificate platform = pki::make_platform_certificate("", platform_key, ca);

  write_file(dir / kCa, ca.pem(), false);
  write_file(dir / kCaKey, ca_key.private_pem, true);
  write_file(dir / kServerCert, server.pem, false);
  write_file(dir / kServerKey, server_key.private_pem, true);
  write_file(dir / kMerchantCert, merchant.pem, false);
  write_file(dir / kMerchantKey, merchant_key.private_pem, true);
  write_file(dir / kPlatformCert, platform.pem, false);
  write_file(dir / kPlatformKey, platform_key.private_pem, true);
  write_file(dir / kPublicKey, public_key.public_pem, false);
  write_file(dir / kPublicKeyPrivate, public_key.private_pem, true);

  Json secrets = {
      {"mchid", mchid},
      {"apiv3_key", crypto::nonce(32)},
      {"secret", crypto::nonce(32)},
      {"public_key_id", "PUB_KEY_ID_0114" + mchid + std::to_string(std::time(nullptr))}};
  write_file(dir / kSecrets, pretty(secrets), true);
}

}  // namespace

Credentials load_or_generate(const fs::path& dir, const std::string& mchid) {
  fs::create_directories(dir);
  if (!fs::exists(dir / kSecrets)) generate(dir, mchid);

  Credentials c;
  c.dir = fs::absolute(dir);
  Json secrets = Json::parse(read_file(dir / kSecrets));
  c.mchid = member(secrets, "mchid", dir / kSecrets);
  c.apiv3_key = member(secrets, "apiv3_key", dir / kSecrets);
  c.secret = member(secrets, "secret", dir / kSecrets);
  c.public_key_id = member(secrets, "public_key_id", dir / kSecrets);
  if (c.apiv3_key.size() != 32) throw std::runtime_error("secrets.json: apiv3_key is not 32 bytes");

  c.ca_pem = read_file(dir / kCa);
  c.ca_key_pem = read_file(dir / kCaKey);
  c.server_cert_pem = read_file(dir / kServerCert);
  c.server_key_pem = read_file(dir / kServerKey);
  c.merchant_cert = crypto::Certificate::load(read_file(dir / kMerchantCert));
  c.platform_cert = crypto::Certificate::load(read_file(dir / kPlatformCert));
  c.platform_key = crypto::PrivateKey::load(read_file(dir / kPlatformKey));
  c.public_key = crypto::PublicKey::load(read_file(dir / kPublicKey));
  c.public_key_private = crypto::PrivateKey::load(read_file(dir / kPublicKeyPrivate));
  return c;
}

fs::path write_profile(const Credentials& c, const std::string& base_uri, bool tls) {
  auto path = [&c](const char* name) { return (c.dir / name).string(); };
  Json profile = {{"mchid", c.mchid},
                  {"serial", c.merchant_cert.serial},
                  {"private_key", path(kMerchantKey)},
                  {"certs", Json::object({{c.platform_cert.serial, path(kPlatformCert)},
                                          {c.public_key_id, path(kPublicKey)}})},
                  {"apiv3_key", c.apiv3_key},
                  {"secret", c.secret},
                  {"merchant_cert", path(kMerchantCert)},
                  {"merchant_key", path(kMerchantKey)},
                  {"base_uri", base_uri}};
  if (tls) profile.set("ca_bundle", path(kCa));
  fs::path file = c.dir / "profile.json";
  // Written beside and renamed, so a reader never sees half a profile.
  write_file(file.string() + ".tmp", pretty(profile), true);
  fs::rename(file.string() + ".tmp", file);
  return file;
}

}  // namespace wechatpay::sandbox
