// Reading an outcome (an exception_ptr) in tests: which error class a caller would catch, and
// what its message says.
#pragma once

#include <cctype>
#include <exception>
#include <string>

#include "wechatpay/errors.hpp"

namespace wechatpay::test {

// The most specific class an error has.
enum class Kind { none, transport, timeout, verification, api, response, other };

inline Kind kind_of(const std::exception_ptr& error) {
  if (!error) return Kind::none;
  try {
    std::rethrow_exception(error);
  } catch (const TimeoutError&) {
    return Kind::timeout;
  } catch (const TransportError&) {
    return Kind::transport;
  } catch (const VerificationError&) {
    return Kind::verification;
  } catch (const ApiError&) {
    return Kind::api;
  } catch (const ResponseError&) {
    return Kind::response;
  } catch (...) {
    return Kind::other;
  }
}

// what(), or a placeholder for something that is not a std::exception.
inline std::string message_of(const std::exception_ptr& error) {
  if (!error) return "(no error)";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "(not a std::exception)";
  }
}

inline std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace wechatpay::test
