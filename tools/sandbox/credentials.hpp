// The sandbox's credential set: a test CA and TLS server certificate, the merchant's key and
// API certificate (also its TLS client certificate), the platform certificate, a WeChat Pay
// public key with its PUB_KEY_ID_, the APIv3 key and the APIv2 secret. Generated on first
// start, kept as PEM/JSON files in the state directory and loaded from there afterwards.
#pragma once

#include <filesystem>
#include <string>

#include "wechatpay/crypto/keys.hpp"

namespace wechatpay::sandbox {

struct Credentials {
  std::filesystem::path dir;
  std::string mchid;
  std::string apiv3_key;      // 32 bytes
  std::string secret;         // APIv2 key, 32 bytes
  std::string public_key_id;  // PUB_KEY_ID_...

  std::string ca_pem, ca_key_pem;  // the test CA (it issues rotated platform certificates)
  std::string server_cert_pem, server_key_pem;  // TLS server (CN=localhost, IP 127.0.0.1)
  crypto::Certificate merchant_cert;            // the merchant's API and TLS client certificate
  crypto::Certificate platform_cert;
  crypto::PrivateKey platform_key;
  crypto::PublicKey public_key;  // the key behind public_key_id
  crypto::PrivateKey public_key_private;

  // File names inside `dir`.
  std::filesystem::path file(std::string_view name) const { return dir / name; }
};

// Loads the set from `dir`, or generates it there (creating `dir`) when it holds none.
Credentials load_or_generate(const std::filesystem::path& dir, const std::string& mchid);

// Writes dir/profile.json for a sandbox reachable at `base_uri`; returns its path.
std::filesystem::path write_profile(const Credentials& credentials, const std::string& base_uri,
                                    bool tls);

}  // namespace wechatpay::sandbox
