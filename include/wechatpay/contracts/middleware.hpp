// The contract middleware of the client's stacks (docs/contracts.md):
//   v3: http_errors > decrypt_fields > verifier > validate > encrypt_fields > signer > ...
//   v2: decrypt_fields > transform_response > http_errors > validate > encrypt_fields >
//       transform_request > ...
// Each looks up the request's contract by method + URI template; without one it passes.
#pragma once

#include <memory>

#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/contracts/validation_mode.hpp"
#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/log.hpp"

namespace wechatpay::contracts {

struct MiddlewareSettings {
  std::shared_ptr<const ContractRegistry> registry = ContractRegistry::builtin();
  ValidationMode validation = ValidationMode::enforce;  // Options::validation overrides
  bool auto_encrypt = true;                             // Options::auto_encrypt overrides
  std::shared_ptr<const crypto::KeyStore> keys{};       // WeChat Pay's keys, by Wechatpay-Serial
  crypto::PrivateKey merchant_key{};                    // decrypts answer fields
  Logger logger{};                                      // enumeration notes, log-only problems
};

// Checks the request; ValidationError (enforce) or log lines (log_only).
WECHATPAY_EXPORT Middleware validate(std::shared_ptr<const MiddlewareSettings> settings);
// RSA-OAEP encrypts each field marked `wechatpay_public_key` that is not ciphertext yet, for the
// key named in Wechatpay-Serial (else the key store's preferred one, then named there).
WECHATPAY_EXPORT Middleware encrypt_fields(std::shared_ptr<const MiddlewareSettings> settings);
// Fills Response::decrypted_body with the answer's `merchant_public_key` fields in plaintext.
WECHATPAY_EXPORT Middleware decrypt_fields(std::shared_ptr<const MiddlewareSettings> settings);

}  // namespace wechatpay::contracts
