#include "util.hpp"

#include <chrono>
#include <ctime>
#include <random>

namespace wechatpay::sandbox {
namespace {

constexpr std::int64_t kBeijingOffset = 8 * 3600;

std::string format_beijing(std::int64_t seconds, const char* format) {
  std::time_t shifted = static_cast<std::time_t>(seconds + kBeijingOffset);
  std::tm parts{};
  gmtime_r(&shifted, &parts);
  char buffer[32];
  std::size_t n = std::strftime(buffer, sizeof buffer, format, &parts);
  return std::string(buffer, n);
}

}  // namespace

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339_beijing(std::int64_t seconds) {
  return format_beijing(seconds, "%Y-%m-%dT%H:%M:%S+08:00");
}

std::string compact_beijing(std::int64_t seconds) {
  return format_beijing(seconds, "%Y%m%d%H%M%S");
}

std::string random_digits(std::size_t count) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<int> digit(0, 9);
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += static_cast<char>('0' + digit(engine));
  return out;
}

}  // namespace wechatpay::sandbox
