// What wxpay exits with, one code per kind of failure, and the one line it prints for each.
#pragma once

#include <exception>
#include <ostream>
#include <stdexcept>

namespace wxpay {

enum ExitCode : int {
  kOk = 0,
  kOtherError = 1,
  kUsage = 2,         // UsageError, wechatpay::ValidationError (nothing was sent)
  kConfig = 3,        // wechatpay::ConfigError: profile, keys, settings
  kTransport = 4,     // wechatpay::TransportError: connect, TLS, reset, ...
  kTimeout = 5,       // wechatpay::TimeoutError
  kVerification = 6,  // wechatpay::VerificationError: signature, timestamp, serial, digest
  kApi = 7,           // wechatpay::ApiError: WeChat Pay answered with an error
  kCrypto = 8,        // wechatpay::CryptoError: a key, certificate or ciphertext
  kFormat = 9,        // wechatpay::XmlError or InputError: malformed input or answer
};

// Input wxpay was given that it cannot read (a captured request that is not HTTP): exit 9.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes "wxpay: <kind>: <message>" (one line; usage errors add where to find help) to `err`
// and returns the exit code for `error`.
int report_failure(std::exception_ptr error, std::ostream& err);

}  // namespace wxpay
