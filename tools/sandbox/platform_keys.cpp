#include "platform_keys.hpp"

#include "pki/pki.hpp"

namespace wechatpay::sandbox {

const PlatformCertificate* PlatformKeys::find(std::string_view serial) const {
  for (const auto& entry : certificates) {
    if (entry.certificate.serial == serial) return &entry;
  }
  return nullptr;
}

PlatformKeyring::PlatformKeyring(const Credentials& credentials)
    : credentials_(credentials),
      keys_(std::make_shared<const PlatformKeys>(
          PlatformKeys{{{credentials.platform_cert, credentials.platform_key}}, false})) {}

std::shared_ptr<const PlatformKeys> PlatformKeyring::snapshot() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

std::string PlatformKeyring::rotate() {
  // Key generation (~0.1 s) happens outside the lock: answers keep being signed meanwhile.
  auto ca = pki::CertificateAuthority::load(credentials_.ca_pem, credentials_.ca_key_pem);
  auto issued = pki::make_platform_certificate("", pki::generate_rsa_key(), ca);
  PlatformCertificate added{crypto::Certificate::load(issued.pem),
                            crypto::PrivateKey::load(issued.key.private_pem)};
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<PlatformKeys>(*keys_);
  next->certificates.push_back(std::move(added));
  keys_ = std::move(next);
  return keys_->newest().certificate.serial;
}

void PlatformKeyring::set_public_key_only(bool on) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<PlatformKeys>(*keys_);
  next->public_key_only = on;
  keys_ = std::move(next);
}

SigningKey PlatformKeyring::signer_for(std::string_view requested) const {
  auto keys = snapshot();
  if (keys->public_key_only || requested == credentials_.public_key_id) {
    return {credentials_.public_key_id, credentials_.public_key_private};
  }
  return {keys->newest().certificate.serial, keys->newest().key};
}

crypto::PrivateKey PlatformKeyring::private_key_for(std::string_view serial) const {
  if (serial == credentials_.public_key_id) return credentials_.public_key_private;
  auto keys = snapshot();
  const PlatformCertificate* found = keys->find(serial);
  return found ? found->key : crypto::PrivateKey();
}

}  // namespace wechatpay::sandbox
