#include "faults.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <utility>

namespace wechatpay::sandbox {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 13> kNames = {{
    {FaultKind::kDelay, "delay"},
    {FaultKind::kReset, "reset"},
    {FaultKind::kTruncate, "truncate"},
    {FaultKind::kServerError, "server_error"},
    {FaultKind::kTooManyRequests, "too_many_requests"},
    {FaultKind::kBadSignature, "bad_signature"},
    {FaultKind::kSkewedTimestamp, "skewed_timestamp"},
    {FaultKind::kUnknownSerial, "unknown_serial"},
    {FaultKind::kMissingHeaders, "missing_headers"},
    {FaultKind::kWrongContentType, "wrong_content_type"},
    {FaultKind::kWrongHash, "wrong_hash"},
    {FaultKind::kRefuseConnections, "refuse_connections"},
    {FaultKind::kResetConnections, "reset_connections"},
}};

int parse_number(std::string_view text, std::string_view name) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    throw std::invalid_argument("fault " + std::string(name) + ": `" + std::string(text) +
                                "` is not a non-negative number");
  }
  return value;
}

}  // namespace

std::string_view fault_name(FaultKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "none";
}

bool is_outage(FaultKind kind) {
  return kind == FaultKind::kRefuseConnections || kind == FaultKind::kResetConnections;
}

Fault parse_fault(std::string_view text) {
  std::string_view name = text.substr(0, text.find('='));
  std::string_view value = name.size() < text.size() ? text.substr(name.size() + 1) : "";
  Fault fault;
  for (const auto& [kind, known] : kNames) {
    if (known == name) fault.kind = kind;
  }
  if (fault.kind == FaultKind::kNone) {
    throw std::invalid_argument("unknown fault mode `" + std::string(name) + "`");
  }
  if (value.empty()) return fault;
  if (fault.kind == FaultKind::kDelay || is_outage(fault.kind)) {
    fault.delay = std::chrono::milliseconds(parse_number(value, name));
  } else if (fault.kind == FaultKind::kTooManyRequests) {
    fault.retry_after = parse_number(value, name);
  } else if (fault.kind == FaultKind::kServerError) {
    fault.status = parse_number(value, name);
    if (fault.status < 500 || fault.status > 599) {
      throw std::invalid_argument("fault server_error: status must be 5xx");
    }
  } else {
    throw std::invalid_argument("fault " + std::string(name) + " takes no value");
  }
  return fault;
}

void FaultQueue::add(Fault fault, std::string path_prefix, int count) {
  std::lock_guard lock(mutex_);
  entries_.push_back({fault, std::move(path_prefix), count});
}

Fault FaultQueue::take(const httplib::Request& request) {
  if (request.has_header("Sandbox-Fault")) {
    return parse_fault(request.get_header_value("Sandbox-Fault"));
  }
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!request.path.starts_with(it->path_prefix)) continue;
    Fault fault = it->fault;
    if (--it->remaining <= 0) entries_.erase(it);
    return fault;
  }
  return {};
}

void FaultQueue::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

Json FaultQueue::describe() const {
  std::lock_guard lock(mutex_);
  Json::Array list;
  for (const auto& entry : entries_) {
    list.push_back({{"mode", fault_name(entry.fault.kind)},
                    {"path", entry.path_prefix},
                    {"remaining", entry.remaining}});
  }
  return Json(std::move(list));
}

}  // namespace wechatpay::sandbox
