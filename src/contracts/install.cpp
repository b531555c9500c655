#include "contracts/install.hpp"

#include "wechatpay/errors.hpp"

namespace wechatpay::contracts {

std::shared_ptr<const MiddlewareSettings> client_settings(
    const ClientConfig& config, std::shared_ptr<const crypto::KeyStore> keys,
    crypto::PrivateKey merchant_key) {
  auto settings = std::make_shared<MiddlewareSettings>();
  if (!config.contracts.empty()) {
    try {
      settings->registry = ContractRegistry::with(config.contracts);
    } catch (const ConfigError&) {
      throw;
    } catch (const Error& e) {
      throw ConfigError("contracts", e.what());
    }
  }
  settings->validation = config.validation;
  settings->auto_encrypt = config.auto_encrypt;
  settings->keys = std::move(keys);
  settings->merchant_key = std::move(merchant_key);
  settings->logger = config.logger;
  return settings;
}

void install(HandlerStack& v3, HandlerStack& v2,
             const std::shared_ptr<const MiddlewareSettings>& settings) {
  v3.after("http_errors", decrypt_fields(settings), "decrypt_fields");
  v3.before("signer", validate(settings), "validate");
  v3.before("signer", encrypt_fields(settings), "encrypt_fields");
  v2.unshift(decrypt_fields(settings), "decrypt_fields");
  v2.before("transform_request", validate(settings), "validate");
  v2.before("transform_request", encrypt_fields(settings), "encrypt_fields");
}

}  // namespace wechatpay::contracts
