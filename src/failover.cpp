#include "failover.hpp"

#include <utility>

namespace wechatpay {

std::string default_backup_of(std::string_view base_uri) {
  while (base_uri.ends_with('/')) base_uri.remove_suffix(1);
  if (base_uri == "https://api.mch.weixin.qq.com") return "https://api2.mch.weixin.qq.com/";
  if (base_uri == "https://api.wechatpay.cn") return "https://api2.wechatpay.cn/";
  return "";
}

namespace detail {

Failover::Failover(std::string primary, std::string backup, const FailoverConfig& config,
                   Logger logger, Probe probe)
    : primary_(std::move(primary)),
      backup_(std::move(backup)),
      threshold_(config.failure_threshold),
      probe_interval_(config.probe_interval),
      logger_(std::move(logger)),
      probe_(std::move(probe)) {}

bool Failover::covers(const std::string& url) const {
  return url.starts_with(primary_);
}

Failover::Host Failover::first_host() {
  {
    std::lock_guard lock(mutex_);
    if (state_ == FailoverState::closed) return Host::primary;
    if (state_ == FailoverState::half_open || Clock::now() - opened_at_ < probe_interval_) {
      return Host::backup;
    }
    state_ = FailoverState::half_open;
  }
  log(LogLevel::info, "failover: probing the primary " + primary_);
  try {
    probe_([self = weak_from_this()](bool answered) {
      if (auto locked = self.lock()) locked->probe_answered(answered);
    });
  } catch (...) {
    probe_answered(false);  // the probe could not even be built; try again later
  }
  return Host::backup;
}

Request Failover::on(Host host, Request request) const {
  if (host == Host::primary || !covers(request.url)) return request;
  request.url = backup_ + request.url.substr(primary_.size());
  // Middleware that reads the path after the base (APIv2 endpoint recognition) sees the backup.
  auto options =
      request.options ? std::make_shared<Options>(*request.options) : std::make_shared<Options>();
  options->base_uri = backup_;
  request.options = std::move(options);
  return request;
}

void Failover::record(Host host, bool transport_failure) {
  if (host != Host::primary) return;
  std::string message;
  LogLevel level = LogLevel::info;
  {
    std::lock_guard lock(mutex_);
    if (!transport_failure) {
      failures_ = 0;
      if (state_ == FailoverState::open) {
        state_ = FailoverState::closed;
        message = "failover: the primary " + primary_ + " answered again; back to it";
      }
    } else if (++failures_ >= threshold_ && state_ == FailoverState::closed) {
      state_ = FailoverState::open;
      opened_at_ = Clock::now();
      level = LogLevel::warning;
      message = "failover: the primary " + primary_ + " failed " + std::to_string(failures_) +
                " times in a row; new requests go to the backup " + backup_;
    }
  }
  if (!message.empty()) log(level, message);
}

void Failover::probe_answered(bool answered) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != FailoverState::half_open) return;
    if (answered) {
      state_ = FailoverState::closed;
      failures_ = 0;
    } else {
      state_ = FailoverState::open;
      opened_at_ = Clock::now();
    }
  }
  if (answered) {
    log(LogLevel::info, "failover: the primary " + primary_ + " answered the probe; back to it");
  } else {
    log(LogLevel::info,
        "failover: the primary " + primary_ + " still fails; staying on the backup");
  }
}

FailoverState Failover::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Failover::log(LogLevel level, const std::string& message) const noexcept {
  if (!logger_) return;
  try {
    logger_(level, message);
  } catch (...) {
    // A failing logger must not cost a request its outcome.
  }
}

}  // namespace detail
}  // namespace wechatpay
