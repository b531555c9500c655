#include "wechatpay/crypto/key_store.hpp"

#include <tuple>

namespace wechatpay::crypto {

KeyStore::KeyStore(Snapshot initial)
    : current_(std::make_shared<const Snapshot>(std::move(initial))) {}

std::optional<PublicKey> KeyStore::find(std::string_view serial) const {
  const auto snapshot = current_.load();
  const auto it = snapshot->find(serial);
  if (it == snapshot->end()) return std::nullopt;
  return it->second.key;
}

std::string KeyStore::preferred_serial() const {
  const auto snapshot = current_.load();
  // Rank: a PUB_KEY_ID_ key (WeChat Pay's platform public key, which replaces certificates)
  // first, then the latest expiry, then the lexicographically last serial, so the choice is
  // deterministic however the store was filled.
  const auto rank = [](const Snapshot::value_type& entry) {
    return std::make_tuple(entry.first.starts_with("PUB_KEY_ID_"), entry.second.not_after,
                           std::string_view(entry.first));
  };
  const Snapshot::value_type* best = nullptr;
  for (const auto& entry : *snapshot) {
    if (best == nullptr || rank(*best) < rank(entry)) best = &entry;
  }
  return best ? best->first : std::string();
}

}  // namespace wechatpay::crypto
