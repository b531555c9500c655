// An application outside the source tree, built against an installed (or fetched)
// libwechatpay: it creates a client with a generated key, signs an APIv3 message and catches
// a ConfigError thrown inside the library. check_install.sh verifies the signature with the
// openssl CLI.
#include <iostream>
#include <string>

#include "wechatpay/wechatpay.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: consumer MERCHANT_KEY.pem WECHATPAY_PUBLIC_KEY.pem\n";
    return 2;
  }
  const std::string private_key = std::string("file://") + argv[1];
  const std::string public_key_id = "PUB_KEY_ID_0114232134912410000000000000000001";
  wechatpay::Client client({.mchid = "1900000001",
                            .serial = "7A6D4C3B2A1900000000000000000001",
                            .private_key = private_key,
                            .certs = {{public_key_id, std::string("file://") + argv[2]}}});
  if (client.encryption_serial() != public_key_id) {
    std::cerr << "unexpected encryption serial " << client.encryption_serial() << '\n';
    return 1;
  }

  const auto key = wechatpay::crypto::PrivateKey::load(private_key);
  const std::string message =
      wechatpay::v3::signing_message("GET", "/v3/certificates", "1700000000", "PACKAGING", "");
  std::cout << wechatpay::crypto::rsa_sign_sha256(key, message) << '\n';

  // The exception is thrown inside libwechatpay and must be caught here by its type.
  try {
    wechatpay::Client broken(wechatpay::ClientConfig{});
    std::cerr << "an empty configuration was accepted\n";
    return 1;
  } catch (const wechatpay::ConfigError& e) {
    if (e.field() != "mchid") {
      std::cerr << "ConfigError for " << e.field() << ", expected mchid\n";
      return 1;
    }
  }
  std::cout << "OK\n";
  return 0;
}
