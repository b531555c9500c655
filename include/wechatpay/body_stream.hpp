// A request body read piece by piece while it is sent, instead of held in memory: a large file
// upload (see v3/media.hpp). Its length is known up front and sent as Content-Length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace wechatpay {

struct BodyStream {
  // Copies up to `capacity` next bytes into `buffer` and returns how many; 0 only at the end.
  // Runs on the transport's I/O thread. Throwing aborts the request with that exception.
  using Reader = std::function<std::size_t(char* buffer, std::size_t capacity)>;

  std::uint64_t size = 0;  // exactly what the readers produce
  // Starts a pass from the first byte. Each attempt to send the request opens its own, so a
  // retried request is sent whole again.
  std::function<Reader()> open;
  std::string content_type = "application/octet-stream";
};

}  // namespace wechatpay
