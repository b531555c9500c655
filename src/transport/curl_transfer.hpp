// One request carried on one libcurl easy handle. The transfer owns everything libcurl points
// into (request body, header list, error buffer, sink file) for as long as the handle runs.
#pragma once

#include <array>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "cancellation.hpp"
#include "transport/curl_handles.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::detail {

class CurlTransfer {
 public:
  CurlTransfer(Request request, Completion done, CurlEasyPtr easy);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  CURL* easy() const noexcept { return easy_.get(); }

  // Applies the request to the easy handle. Throws TransportError for a request that cannot be
  // sent (unusable header, unopenable sink, option the libcurl build lacks).
  void configure(long max_idle_seconds);

  // Completes with the outcome libcurl reported. Calls the completion exactly once.
  void complete(CURLcode result) noexcept;
  // Completes with `error` (shutdown, configuration failure). Calls the completion exactly once.
  void fail(std::exception_ptr error) noexcept;

  // Keeps the request's cancellation hook alive while the transfer runs.
  void keep_cancel_hook(CancelHook hook) noexcept { cancel_hook_ = std::move(hook); }
  bool cancel_requested() const noexcept { return detail::cancel_requested(request_); }
  bool cancellable() const noexcept {
    return request_.options && request_.options->stop_token.stop_possible();
  }
  // Completes with CancelledError: the transfer was aborted (sent() if any of it was written).
  void cancel() noexcept;

  // The easy handle, reset for the next request (it keeps its TLS session cache).
  CurlEasyPtr release_easy() noexcept;

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self);
  static int on_seek(void* self, curl_off_t offset, int origin);
  std::size_t write(const char* data, std::size_t size);
  struct AbortTransfer {};
  bool consume(const char* data, std::size_t size);
  void set_headers();
  void set_method_and_body();
  void set_tls();
  // "GET https://host/path?query: " for error messages; never headers, body or a v2 `sign`.
  std::string describe() const;
  std::exception_ptr error_for(CURLcode result) const;
  Response take_response();
  void deliver(std::exception_ptr error, Response response) noexcept;

  Request request_;
  Completion done_;
  CurlEasyPtr easy_;
  CurlSlistPtr header_list_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
  std::string body_;
  std::size_t received_ = 0;
  bool over_cap_ = false;
  std::unique_ptr<std::FILE, FileCloser> sink_;
  int sink_errno_ = 0;
  std::exception_ptr consumer_error_;  // what the body consumer or the body stream threw
  BodyStream::Reader body_reader_;     // the request body's pass, when it is streamed
  CancelHook cancel_hook_;
};

}  // namespace wechatpay::detail
