// The exception hierarchy. Every failure the library reports derives from wechatpay::Error;
// messages name what went wrong and never carry key material or secrets.
#pragma once

#include <stdexcept>
#include <string>

#include "wechatpay/export.hpp"
#include "wechatpay/http.hpp"

namespace wechatpay {

class WECHATPAY_EXPORT Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The client was configured wrongly; `field()` names the offending setting.
class WECHATPAY_EXPORT ConfigError : public Error {
 public:
  ConfigError(std::string field, const std::string& what)
      : Error(field + ": " + what), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// A key, certificate, ciphertext or signature could not be loaded or processed.
class WECHATPAY_EXPORT CryptoError : public Error {
 public:
  using Error::Error;
};

// The request never produced a complete HTTP response (DNS, connect, TLS, reset, size cap, ...).
class WECHATPAY_EXPORT TransportError : public Error {
 public:
  explicit TransportError(const std::string& what, bool connect_failed = false)
      : Error(what), connect_failed_(connect_failed) {}
  // True when the failure came before any byte of the request was sent (DNS, TCP connect, TLS
  // handshake): the server cannot have seen it, so repeating it cannot do anything twice.
  bool connect_failed() const noexcept { return connect_failed_; }

 private:
  bool connect_failed_ = false;
};

// The request did not complete within its connect or total timeout.
class WECHATPAY_EXPORT TimeoutError : public TransportError {
 public:
  using TransportError::TransportError;
};

// A response arrived but could not be read as the expected format.
class WECHATPAY_EXPORT XmlError : public Error {
 public:
  using Error::Error;
};

// Carries the response an error was raised for: status, headers, body and Request-ID. Thrown as
// itself for an answer that is not one: a 2xx APIv3 response whose Content-Type is not JSON.
class WECHATPAY_EXPORT ResponseError : public Error {
 public:
  ResponseError(const std::string& what, Response response)
      : Error(what), response_(std::move(response)) {}
  const Response& response() const noexcept { return response_; }
  int status() const noexcept { return response_.status; }
  std::string request_id() const { return response_.request_id(); }

 private:
  Response response_;
};

// An answer (or notification resource) was read as something it does not hold: a missing member,
// another kind of value, an integer out of range. `path()` is the JSON path ("amount.total"),
// `problem()` what is wrong with it ("missing", "expected string, got number").
class WECHATPAY_EXPORT JsonReadError : public ResponseError {
 public:
  JsonReadError(std::string path, std::string problem, Response response)
      : ResponseError(printable((path.empty() ? std::string("(root)") : path) + ": " + problem),
                      std::move(response)),
        path_(std::move(path)),
        problem_(std::move(problem)) {}
  const std::string& path() const noexcept { return path_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  // Member names come from the answer: a control character (a NUL would end what()) is shown
  // as \xNN.
  static std::string printable(const std::string& text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : text) {
      if (c >= 0x20 && c != 0x7f) {
        out += static_cast<char>(c);
      } else {
        out.append("\\x").append(1, kHex[c >> 4]).append(1, kHex[c & 15]);
      }
    }
    return out;
  }

  std::string path_, problem_;
};

// A response (or notification) failed signature, timestamp or serial checks.
class WECHATPAY_EXPORT VerificationError : public ResponseError {
 public:
  using ResponseError::ResponseError;
};

// WeChat Pay answered with an error: a non-2xx status (APIv3) or a FAIL result (APIv2).
class WECHATPAY_EXPORT ApiError : public ResponseError {
 public:
  ApiError(const std::string& what, Response response, std::string code, std::string message,
           std::string detail)
      : ResponseError(what, std::move(response)),
        code_(std::move(code)),
        message_(std::move(message)),
        detail_(std::move(detail)) {}
  // WeChat Pay's error code, e.g. "SIGN_ERROR", "PARAM_ERROR" (v2: err_code or return_code).
  const std::string& code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // The raw `detail` JSON of an APIv3 error, or empty.
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string code_, message_, detail_;
};

}  // namespace wechatpay
