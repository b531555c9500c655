// WeChat Pay's verification keys by serial: platform certificate serials and PUB_KEY_ID_...
// public-key ids side by side. Readers take an immutable snapshot; writers publish a new one
// atomically, so a refresh never races a verification.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::crypto {

struct TrustedKey {
  PublicKey key;
  std::int64_t not_after = 0;  // certificate expiry (seconds since epoch); 0 = unknown
};

class WECHATPAY_EXPORT KeyStore {
 public:
  using Snapshot = std::map<std::string, TrustedKey, std::less<>>;

  explicit KeyStore(Snapshot initial = {});
  std::shared_ptr<const Snapshot> snapshot() const { return current_.load(); }
  void publish(Snapshot next) { current_.store(std::make_shared<const Snapshot>(std::move(next))); }

  std::optional<PublicKey> find(std::string_view serial) const;
  // The key requests should name in Wechatpay-Serial and encrypt for: a PUB_KEY_ID_ key first,
  // otherwise the platform certificate that expires last. Empty when the store is empty.
  std::string preferred_serial() const;

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace wechatpay::crypto
