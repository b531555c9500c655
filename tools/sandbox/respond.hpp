// The last step of every answer: headers, Request-ID, and the transport-level faults.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

#include "faults.hpp"
#include "sandbox.hpp"

namespace wechatpay::sandbox {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers{};
};

// Writes `reply` with a fresh Request-ID, after applying `fault`'s delay, and sends it whole,
// truncated, reset mid-body or mislabelled as `fault` asks.
void send(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
          Reply reply, const Fault& fault);

}  // namespace wechatpay::sandbox
