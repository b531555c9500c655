// Puts the contract middleware into a client's two stacks. Internal.
#pragma once

#include <memory>

#include "wechatpay/client.hpp"
#include "wechatpay/contracts/middleware.hpp"

namespace wechatpay::contracts {

// The settings a client's configuration gives; ConfigError("contracts") names a bad extra row.
std::shared_ptr<const MiddlewareSettings> client_settings(
    const ClientConfig& config, std::shared_ptr<const crypto::KeyStore> keys,
    crypto::PrivateKey merchant_key);
// v3: ... http_errors > decrypt_fields > verifier > validate > encrypt_fields > signer ...
// v2: decrypt_fields > transform_response > ... > validate > encrypt_fields > transform_request
void install(HandlerStack& v3, HandlerStack& v2,
             const std::shared_ptr<const MiddlewareSettings>& settings);

}  // namespace wechatpay::contracts
