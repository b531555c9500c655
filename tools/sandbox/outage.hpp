// Outages: the sandbox's listener goes away for a while and comes back on the same port, so a
// client's failover can be tested (POST /sandbox/faults {"mode": "refuse_connections=30000"}).
// The admin route asks; the main thread, which owns the listener, carries it out.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "faults.hpp"

namespace wechatpay::sandbox {

class OutageSwitch {
 public:
  // Any thread. The outage begins a quarter second later (time for the admin answer to leave).
  void request(const Fault& fault);
  // The main thread: the outage due now, if any.
  std::optional<Fault> take_due();

 private:
  std::mutex mutex_;
  std::optional<Fault> pending_;
  std::chrono::steady_clock::time_point due_{};
};

// Shuts down every established connection to `port` in this process (keep-alive connections
// would otherwise outlive the listener).
void cut_connections(int port);

// While it lives: accepts every connection to 127.0.0.1:`port` and resets it (TCP RST) before
// reading a byte, as a failing load balancer does.
class ResetListener {
 public:
  explicit ResetListener(int port);
  ~ResetListener();
  ResetListener(const ResetListener&) = delete;
  ResetListener& operator=(const ResetListener&) = delete;

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace wechatpay::sandbox
