// Failover to WeChat Pay's backup domain, with a circuit breaker per client:
//   closed     requests go to the primary (`base_uri`); a failure before any byte was sent is
//              retried on the backup at once (the "retry" middleware, retry.hpp);
//   open       after `failure_threshold` transport failures of the primary in a row, new
//              requests go to the backup;
//   half-open  every `probe_interval` while open, one probe (a signed GET of `probe_path`) asks
//              the primary; any answer below 500 closes the circuit, else it stays open.
// State changes go to ClientConfig::logger (warning when opening, info when closing).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"

namespace wechatpay {

struct FailoverConfig {
  // The backup base URI. Unset: the documented backup of a default host (default_backup_of);
  // no failover for other hosts. "" turns failover off.
  std::optional<std::string> backup_base_uri{};
  int failure_threshold = 3;                         // at least 1
  std::chrono::milliseconds probe_interval{10'000};  // at least 1 ms
  std::string probe_path = "v3/certificates";        // any signed GET the service answers
};

// The circuit, as Client::failover_state() reports it.
enum class FailoverState { off, closed, open, half_open };

// https://api.mch.weixin.qq.com/ -> https://api2.mch.weixin.qq.com/ (the cross-city disaster
// recovery domain of WeChat Pay's documentation), https://api.wechatpay.cn/ ->
// https://api2.wechatpay.cn/; "" for any other base URI.
WECHATPAY_EXPORT std::string default_backup_of(std::string_view base_uri);

}  // namespace wechatpay
