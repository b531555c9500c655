// Reference APIv2 signs from the openssl CLI, so tests never check the signer against itself.
// The caller writes out the string to sign by hand, following WeChat Pay's documented rule.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

#include "crypto/openssl_cli.hpp"

namespace wechatpay::v2::testing {

namespace cli = wechatpay::crypto::testing;

inline std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// Upper-case hex MD5 of `data`.
inline std::string openssl_md5(const std::string& data) {
  cli::TempDir dir;
  cli::write_file(dir / "data.txt", data);
  return upper(cli::dgst_value(cli::openssl("dgst -md5 " + (dir / "data.txt"))));
}

// Upper-case hex HMAC-SHA256 of `data` keyed with `key` (hex-free ASCII keys only).
inline std::string openssl_hmac_sha256(const std::string& key, const std::string& data) {
  cli::TempDir dir;
  cli::write_file(dir / "data.txt", data);
  return upper(
      cli::dgst_value(cli::openssl("dgst -sha256 -hmac '" + key + "' " + (dir / "data.txt"))));
}

// WeChat Pay's documented example (pay.weixin.qq.com wiki, "签名算法").
inline const std::string kDocSecret = "192006250b4c09247ec02edce69f6a2d";
inline const std::string kDocStringA =
    "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str="
    "ibuaiVcKdpRxkhJA";
inline const std::string kDocMd5Sign = "9A0A8659F005D6984697E2CA0A9CF3B7";

}  // namespace wechatpay::v2::testing
