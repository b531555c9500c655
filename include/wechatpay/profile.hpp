// A merchant profile: one JSON file holding everything a client needs, as the sandbox writes it.
//   {"mchid": "1900000001", "serial": "3775...", "private_key": "apiclient_key.pem",
//    "certs": {"5157...": "platform_cert.pem", "PUB_KEY_ID_0114...": "pub_key.pem"},
//    "apiv3_key": "...", "secret": "...", "merchant_cert": "apiclient_cert.pem",
//    "merchant_key": "apiclient_key.pem", "base_uri": "https://127.0.0.1:8443/",
//    "ca_bundle": "ca.pem"}
// Relative paths are relative to the profile's directory.
//   wechatpay::Client client(wechatpay::load_profile("state/profile.json"));
#pragma once

#include <string>

#include "wechatpay/client.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay {

struct Profile {
  ClientConfig config;
  // The APIv3 key (also in config.apiv3_key), for decrypting notifications and certificates.
  std::string apiv3_key;
};

// Reads and checks a profile. ConfigError naming the field when the file cannot be read, is not
// JSON, or a field is missing or of the wrong type. Required: mchid, serial, private_key, certs
// (a non-empty object of strings), base_uri. Optional: private_key_passphrase, apiv3_key,
// secret, merchant_cert, merchant_key, merchant_key_passphrase, ca_bundle.
WECHATPAY_EXPORT Profile read_profile(const std::string& path);

// read_profile(path).config: the client configuration, with key paths as file:// specs.
WECHATPAY_EXPORT ClientConfig load_profile(const std::string& path);

}  // namespace wechatpay
