// The text of an error carried as an exception_ptr, for log lines. Internal.
#pragma once

#include <exception>
#include <string>

namespace wechatpay::detail {

// what() of a std::exception; "unknown error" for anything else thrown.
inline std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace wechatpay::detail
