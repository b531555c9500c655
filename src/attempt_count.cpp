// Rebuilds a library error with the number of attempts in its message, keeping its type (and
// what it carries), so callers catch what they always caught.
#include <typeinfo>

#include "retry_with_failover.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

std::exception_ptr with_attempts(const std::exception_ptr& error, int attempts,
                                 const std::string& note) {
  const std::string suffix =
      " (" + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + note + ")";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    // Exact types only: a subclass of the caller's own would lose what it adds.
    const std::type_info& type = typeid(e);
    const std::string what = e.what() + suffix;
    if (type == typeid(TimeoutError)) {
      auto& t = static_cast<const TimeoutError&>(e);
      return std::make_exception_ptr(TimeoutError(what, t.connect_failed()));
    }
    if (type == typeid(TransportError)) {
      auto& t = static_cast<const TransportError&>(e);
      return std::make_exception_ptr(TransportError(what, t.connect_failed()));
    }
    if (type == typeid(ApiError)) {
      auto& a = static_cast<const ApiError&>(e);
      return std::make_exception_ptr(
          ApiError(what, a.response(), a.code(), a.message(), a.detail()));
    }
    if (type == typeid(VerificationError)) {
      return std::make_exception_ptr(
          VerificationError(what, static_cast<const VerificationError&>(e).response()));
    }
    if (type == typeid(ResponseError)) {
      return std::make_exception_ptr(
          ResponseError(what, static_cast<const ResponseError&>(e).response()));
    }
    if (type == typeid(XmlError)) return std::make_exception_ptr(XmlError(what));
    if (type == typeid(Error)) return std::make_exception_ptr(Error(what));
  } catch (...) {
  }
  return error;
}

}  // namespace wechatpay::detail
