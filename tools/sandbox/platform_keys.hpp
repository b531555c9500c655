// The WeChat Pay keys the sandbox signs with, as they change while it runs: platform
// certificates (a rotation adds one and keeps the older ones valid) and public-key-only mode.
// Handlers run on many threads, so each reads one immutable snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "credentials.hpp"
#include "wechatpay/crypto/keys.hpp"

namespace wechatpay::sandbox {

struct PlatformCertificate {
  crypto::Certificate certificate;
  crypto::PrivateKey key;
};

struct PlatformKeys {
  std::vector<PlatformCertificate> certificates;  // oldest first; the last one signs
  bool public_key_only = false;  // /v3/certificates answers 404: the merchant uses PUB_KEY_ID_ only

  const PlatformCertificate& newest() const { return certificates.back(); }
  const PlatformCertificate* find(std::string_view serial) const;
};

// A key to sign with and the serial (or PUB_KEY_ID_) an answer names.
struct SigningKey {
  std::string serial;
  crypto::PrivateKey key;
};

class PlatformKeyring {
 public:
  // Starts with the platform certificate and public key of `credentials`.
  explicit PlatformKeyring(const Credentials& credentials);

  std::shared_ptr<const PlatformKeys> snapshot() const;
  // Issues a new platform key and certificate with the sandbox CA; returns its serial.
  std::string rotate();
  void set_public_key_only(bool on);

  // The key for an answer to a request whose Wechatpay-Serial is `requested`: the public key when
  // it names that key (and always in public-key-only mode); else, named or not, the newest
  // platform certificate (WeChat Pay signs with its newest after a rotation), since a merchant
  // who has a platform certificate may trust nothing else.
  SigningKey signer_for(std::string_view requested) const;
  // The private key behind exactly `serial` (to open what a client encrypted for it); an empty
  // key when the serial is unknown.
  crypto::PrivateKey private_key_for(std::string_view serial) const;

 private:
  const Credentials& credentials_;
  mutable std::mutex mutex_;
  std::shared_ptr<const PlatformKeys> keys_;
};

}  // namespace wechatpay::sandbox
