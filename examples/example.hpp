// What every seed example shares: the profile to load, and one call per chain style and
// calling mode (sync, std::future, callback), printed as it comes back.
//   usage: <example> [profile.json]     (default: $WECHATPAY_PROFILE)
#pragma once

#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <iomanip>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "wechatpay/wechatpay.hpp"

namespace example {

inline std::string profile_path(int argc, char** argv) {
  if (argc > 1) return argv[1];
  if (const char* env = std::getenv("WECHATPAY_PROFILE")) return env;
  throw wechatpay::ConfigError("profile",
                               "pass the profile path as the first argument or set "
                               "WECHATPAY_PROFILE");
}

// JSON as it came; APIv2 XML as its fields, k=v.
inline std::string readable(const wechatpay::Response& response) {
  if (!wechatpay::v2::looks_like_xml(response.body)) return response.body;
  std::string fields;
  for (const auto& [key, value] : wechatpay::v2::xml(response)) {
    fields += (fields.empty() ? "" : " ") + key + "=" + value;
  }
  return fields;
}

inline void print(const std::string& endpoint, const std::string& style, const std::string& mode,
                  const wechatpay::Response& response) {
  std::cout << std::left << "POST " << std::setw(54) << endpoint << std::setw(12) << style
            << std::setw(9) << mode << response.status
            << (response.verified ? " verified  " : " UNVERIFIED ") << readable(response) << '\n';
}

// The same request through each named chain, synchronously, as a future and with a callback.
// Returns the process exit code: 0 when every call succeeded.
inline int run(const std::string& endpoint,
               const std::vector<std::pair<std::string, wechatpay::Chain>>& styles,
               const std::function<wechatpay::Options()>& options) {
  for (const auto& [style, chain] : styles) {
    print(endpoint, style, "sync", chain->post(options()));
    print(endpoint, style, "future", chain->post_async(options()).get());

    std::promise<wechatpay::Response> delivered;
    chain->post_async(options(), [&](std::exception_ptr error, wechatpay::Response response) {
      if (error) {
        delivered.set_exception(error);
      } else {
        delivered.set_value(std::move(response));
      }
    });
    auto future = delivered.get_future();
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      std::cerr << "no answer within 60 s\n";
      return 1;
    }
    print(endpoint, style, "callback", future.get());
  }
  return 0;
}

// Runs `body` and turns the library's typed errors into a message and exit code 1.
inline int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const wechatpay::ApiError& e) {
    std::cerr << "API error " << e.status() << ' ' << e.code() << ": " << e.message() << '\n';
  } catch (const wechatpay::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  }
  return 1;
}

}  // namespace example
