// Two sandboxes sharing one state directory (the same keys and certificates) as WeChat Pay's
// primary and backup hosts, a client that fails over from one to the other, and a record of
// where each attempt went.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/outcomes.hpp"
#include "support/sandbox_process.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::test {

// Every attempt the transport was handed, innermost in the stack (after signing).
class AttemptLog {
 public:
  struct Entry {
    std::string url;
    std::string authorization;
    Kind outcome;  // of the transport: an HTTP error status is still Kind::none here
    int status;
  };
  Middleware middleware() {
    return [this](Handler next) -> Handler {
      return [this, next](Request request, Completion done) {
        std::string url = request.url;
        std::string authorization = request.headers.get("Authorization").value_or("");
        next(std::move(request),
             [this, url, authorization, done](std::exception_ptr error, Response response) {
               {
                 std::lock_guard lock(mutex_);
                 entries_.push_back({url, authorization, kind_of(error), response.status});
               }
               done(std::move(error), std::move(response));
             });
      };
    };
  }
  std::vector<Entry> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(entries_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

// Log lines the client's logger received.
class LogLines {
 public:
  Logger logger() {
    return [this](LogLevel level, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(level, line);
    };
  }
  bool contains(LogLevel level, std::string_view text) {
    std::lock_guard lock(mutex_);
    for (const auto& [l, line] : lines_) {
      if (l == level && line.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> lines_;
};

class FailoverSandboxes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    primary_ = std::make_unique<SandboxProcess>(
        WECHATPAY_SANDBOX_BINARY, std::vector<std::string>{}, WECHATPAY_SANDBOX_CREDENTIALS);
    // The backup serves from the primary's state directory: the same merchant, keys and
    // platform certificates, as WeChat Pay's two domains do.
    backup_ = std::make_unique<SandboxProcess>(
        WECHATPAY_SANDBOX_BINARY,
        std::vector<std::string>{"--state", primary_->state().path().string()},
        WECHATPAY_SANDBOX_CREDENTIALS);
  }
  static void TearDownTestSuite() {
    backup_.reset();
    primary_.reset();
  }

  static SandboxProcess& primary() { return *primary_; }
  // Waits (at most 10 s) until the primary answers again after an outage.
  static void wait_until_primary_answers() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
      try {
        primary().admin("GET", "/sandbox/health");
        return;
      } catch (const std::runtime_error&) {
        if (std::chrono::steady_clock::now() > deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
  static SandboxProcess& backup() { return *backup_; }

  // A client on `base_uri` (the primary by default) failing over to the backup sandbox.
  ClientConfig config(std::string base_uri = {}) {
    ClientConfig config = primary().config();
    config.base_uri = base_uri.empty() ? primary().base_uri() : base_uri;
    config.failover.backup_base_uri = backup().base_uri();
    config.failover.probe_interval = std::chrono::milliseconds(500);
    config.connect_timeout = std::chrono::seconds(5);
    config.timeout = std::chrono::seconds(20);
    config.logger = log_.logger();
    return config;
  }
  Client client(const ClientConfig& config) {
    Client client(config);
    client.stack().push(attempts_.middleware(), "attempt_log");
    client.v2_stack().push(attempts_.middleware(), "attempt_log");
    return client;
  }

  AttemptLog attempts_;
  LogLines log_;

 private:
  static inline std::unique_ptr<SandboxProcess> primary_, backup_;
};

}  // namespace wechatpay::test
