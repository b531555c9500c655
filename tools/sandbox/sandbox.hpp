// The state every handler shares: credentials, the platform keys in use, fault queue, orders,
// issued bills, bench mode, and the stop signal that cuts deliberate delays short.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "bills.hpp"
#include "credentials.hpp"
#include "faults.hpp"
#include "orders.hpp"
#include "outage.hpp"
#include "platform_keys.hpp"

namespace wechatpay::sandbox {

// A signature over one response, reusable in bench mode while its timestamp is fresh.
struct ResponseSignature {
  std::string timestamp, nonce, signature;
};

class Sandbox {
 public:
  Sandbox(Credentials credentials, bool tls) : credentials(std::move(credentials)), tls(tls) {}

  const Credentials credentials;
  const bool tls;
  PlatformKeyring platform{credentials};
  FaultQueue faults;
  OutageSwitch outages;  // carried out by main(), which owns the listener
  OrderStore orders;
  BillStore bills;
  // Bench mode: answers carry cached signatures and encrypted fields are not decrypted, so
  // the sandbox's own RSA work does not cap a client benchmark.
  std::atomic<bool> bench{false};

  // The cached signature of (serial, body) when younger than `max_age`; else signs anew.
  template <typename Sign>
  ResponseSignature cached_signature(const std::string& key, std::int64_t now, std::int64_t max_age,
                                     Sign sign) {
    std::lock_guard lock(cache_mutex_);
    auto it = signature_cache_.find(key);
    if (it != signature_cache_.end() && now - std::stoll(it->second.timestamp) < max_age) {
      return it->second;
    }
    if (signature_cache_.size() > 1024) signature_cache_.clear();
    return signature_cache_[key] = sign();
  }

  // Waits up to `duration`; returns false at once when the sandbox is stopping.
  bool sleep_unless_stopping(std::chrono::milliseconds duration) {
    std::unique_lock lock(stop_mutex_);
    return !stop_signal_.wait_for(lock, duration, [this] { return stopping_; });
  }
  void begin_stop() {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
    stop_signal_.notify_all();
  }

 private:
  std::mutex cache_mutex_;
  std::map<std::string, ResponseSignature> signature_cache_;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
};

}  // namespace wechatpay::sandbox
