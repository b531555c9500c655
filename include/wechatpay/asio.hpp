// Requests as Asio asynchronous operations: every verb takes a completion token.
// Header-only; works with standalone Asio (<asio.hpp>) and Boost.Asio (<boost/asio.hpp>):
// standalone when it is available, Boost when only Boost is or when WECHATPAY_USE_BOOST_ASIO is
// defined before this header. The library itself never includes Asio.
//
//   Response res = co_await wechatpay::async_post(chain, options, asio::use_awaitable);
//   auto [ec, res] = co_await wechatpay::async_post<wechatpay::ErrorCodeSignature>(
//       chain, options, asio::as_tuple(asio::use_awaitable));
//   std::future<Response> f = wechatpay::async_get(chain, options, asio::use_future);
//   wechatpay::async_get(chain, options, [](std::exception_ptr e, wechatpay::Response r) {});
//
// Signatures: ExceptionSignature void(std::exception_ptr, Response) (the default: the typed
// wechatpay::Error comes through whole) or ErrorCodeSignature void(AsioErrorCode, Response)
// (std::error_code, or boost::system::error_code with Boost), where
// cancellation is asio::error::operation_aborted, a timeout asio::error::timed_out, and the rest
// wechatpay::AsioErrc codes (the Response is the error's, for ResponseError kinds).
// The handler runs on its associated executor (dispatched there from the SDK's thread; a
// handler without one runs where the request completed). A connected per-operation
// cancellation slot (any cancellation type) cancels the request as Options::stop_token does.
// GCC 12 rejects braced options written inside a co_await expression; see docs/async.md.
// wechatpay/asio_transport.hpp runs the transfers themselves on an io_context.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>

#include "wechatpay/asio_flavour.hpp"
#include "wechatpay/chain.hpp"
#include "wechatpay/errors.hpp"

#include WECHATPAY_ASIO_HEADER(associated_cancellation_slot.hpp)
#include WECHATPAY_ASIO_HEADER(associated_executor.hpp)
#include WECHATPAY_ASIO_HEADER(async_result.hpp)
#include WECHATPAY_ASIO_HEADER(dispatch.hpp)
#include WECHATPAY_ASIO_HEADER(error.hpp)
#include WECHATPAY_ASIO_HEADER(executor_work_guard.hpp)

namespace wechatpay {
// The names below are used as wechatpay::X; the inline namespace keeps the standalone and the
// Boost flavour apart should one program use both (in different files).
inline namespace WECHATPAY_ASIO_NAMESPACE {

using ExceptionSignature = void(std::exception_ptr, Response);
using ErrorCodeSignature = void(AsioErrorCode, Response);

// Error codes for ErrorCodeSignature (cancellation and timeouts use Asio's own codes).
enum class AsioErrc {
  transport = 1,  // TransportError
  api,            // ApiError
  verification,   // VerificationError
  response,       // ResponseError
  config,         // ConfigError
  crypto,         // CryptoError
  xml,            // XmlError
  other,          // anything else
};

inline const AsioErrorCategory& asio_category() {
  struct Category final : AsioErrorCategory {
    const char* name() const noexcept override { return "wechatpay"; }
    std::string message(int code) const override {
      switch (static_cast<AsioErrc>(code)) {
        case AsioErrc::transport:
          return "transport error";
        case AsioErrc::api:
          return "WeChat Pay answered with an error";
        case AsioErrc::verification:
          return "response verification failed";
        case AsioErrc::response:
          return "unexpected response";
        case AsioErrc::config:
          return "configuration error";
        case AsioErrc::crypto:
          return "cryptography error";
        case AsioErrc::xml:
          return "XML error";
        default:
          return "error";
      }
    }
  };
  static const Category category;
  return category;
}

inline AsioErrorCode make_error_code(AsioErrc code) {
  return {static_cast<int>(code), asio_category()};
}

namespace asio_detail {

// The error code and the response an ErrorCodeSignature handler receives for `error`.
inline std::pair<AsioErrorCode, Response> to_error_code(const std::exception_ptr& error,
                                                        Response response) {
  if (!error) return {AsioErrorCode{}, std::move(response)};
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError&) {
    return {net::error::operation_aborted, Response{}};
  } catch (const TimeoutError&) {
    return {net::error::timed_out, Response{}};
  } catch (const TransportError&) {
    return {make_error_code(AsioErrc::transport), Response{}};
  } catch (const VerificationError& e) {
    return {make_error_code(AsioErrc::verification), e.response()};
  } catch (const ApiError& e) {
    return {make_error_code(AsioErrc::api), e.response()};
  } catch (const ResponseError& e) {
    return {make_error_code(AsioErrc::response), e.response()};
  } catch (const ConfigError&) {
    return {make_error_code(AsioErrc::config), Response{}};
  } catch (const CryptoError&) {
    return {make_error_code(AsioErrc::crypto), Response{}};
  } catch (const XmlError&) {
    return {make_error_code(AsioErrc::xml), Response{}};
  } catch (...) {
    return {make_error_code(AsioErrc::other), Response{}};
  }
}

template <typename Signature>
struct Deliver;

template <>
struct Deliver<ExceptionSignature> {
  template <typename Handler>
  static void to(Handler& handler, std::exception_ptr error, Response response) {
    std::move(handler)(std::move(error), std::move(response));
  }
};

template <>
struct Deliver<ErrorCodeSignature> {
  template <typename Handler>
  static void to(Handler& handler, std::exception_ptr error, Response response) {
    auto [code, delivered] = to_error_code(error, std::move(response));
    std::move(handler)(code, std::move(delivered));
  }
};

// One operation: the handler, work on its executor until it has run, and the stop source its
// cancellation slot triggers.
template <typename Handler, typename Signature>
class Operation : public std::enable_shared_from_this<Operation<Handler, Signature>> {
 public:
  explicit Operation(Handler handler)
      : handler_(std::move(handler)), work_(net::get_associated_executor(handler_)) {}

  // Connects the handler's cancellation slot (if any) and the caller's own stop token to the
  // token the request carries.
  std::stop_token connect(std::stop_token caller) {
    auto slot = net::get_associated_cancellation_slot(handler_);
    if (!slot.is_connected() && !caller.stop_possible()) return caller;
    stop_ = std::stop_source();
    if (slot.is_connected()) {
      slot.assign([stop = stop_](net::cancellation_type type) mutable {
        if (type != net::cancellation_type::none) stop.request_stop();
      });
    }
    if (caller.stop_possible()) forward_.emplace(std::move(caller), Forward{stop_});
    return stop_.get_token();
  }

  // From the SDK's thread: on to the handler's executor.
  void complete(std::exception_ptr error, Response response) {
    auto executor = work_.get_executor();
    net::dispatch(executor, [self = this->shared_from_this(), error = std::move(error),
                             response = std::move(response)]() mutable {
      self->finish(std::move(error), std::move(response));
    });
  }

 private:
  struct Forward {
    std::stop_source stop;
    void operator()() noexcept { stop.request_stop(); }
  };

  void finish(std::exception_ptr error, Response response) {
    auto slot = net::get_associated_cancellation_slot(handler_);
    if (slot.is_connected()) slot.clear();
    Handler handler = std::move(handler_);
    work_.reset();
    Deliver<Signature>::to(handler, std::move(error), std::move(response));
  }

  Handler handler_;
  net::executor_work_guard<net::associated_executor_t<Handler>> work_;
  std::stop_source stop_{std::nostopstate};  // made only for a cancellable operation
  std::optional<std::stop_callback<Forward>> forward_;
};

template <typename Signature>
struct Initiate {
  template <typename Handler>
  void operator()(Handler&& handler, const Chain& chain, std::string method,
                  Options options) const {
    using Op = Operation<std::decay_t<Handler>, Signature>;
    auto operation = std::make_shared<Op>(std::forward<Handler>(handler));
    options.stop_token = operation->connect(std::move(options.stop_token));
    chain.send_async(std::move(method), std::move(options),
                     [operation](std::exception_ptr error, Response response) {
                       operation->complete(std::move(error), std::move(response));
                     });
  }
};

}  // namespace asio_detail

// Any verb by name; the verbs below are shorthands.
template <typename Signature = ExceptionSignature, typename Token>
auto async_send(const Chain& chain, std::string method, Options options, Token&& token) {
  static_assert(std::is_same_v<Signature, ExceptionSignature> ||
                    std::is_same_v<Signature, ErrorCodeSignature>,
                "Signature must be ExceptionSignature or ErrorCodeSignature");
  return asio_detail::net::async_initiate<Token, Signature>(
      asio_detail::Initiate<Signature>{}, token, chain, std::move(method), std::move(options));
}

template <typename Signature = ExceptionSignature, typename Token>
auto async_get(const Chain& chain, Options options, Token&& token) {
  return async_send<Signature>(chain, "GET", std::move(options), std::forward<Token>(token));
}
template <typename Signature = ExceptionSignature, typename Token>
auto async_post(const Chain& chain, Options options, Token&& token) {
  return async_send<Signature>(chain, "POST", std::move(options), std::forward<Token>(token));
}
template <typename Signature = ExceptionSignature, typename Token>
auto async_put(const Chain& chain, Options options, Token&& token) {
  return async_send<Signature>(chain, "PUT", std::move(options), std::forward<Token>(token));
}
template <typename Signature = ExceptionSignature, typename Token>
auto async_patch(const Chain& chain, Options options, Token&& token) {
  return async_send<Signature>(chain, "PATCH", std::move(options), std::forward<Token>(token));
}
template <typename Signature = ExceptionSignature, typename Token>
auto async_del(const Chain& chain, Options options, Token&& token) {
  return async_send<Signature>(chain, "DELETE", std::move(options), std::forward<Token>(token));
}

}  // namespace WECHATPAY_ASIO_NAMESPACE
}  // namespace wechatpay

// AsioErrc converts to AsioErrorCode implicitly (ec == wechatpay::AsioErrc::api).
#if WECHATPAY_ASIO_IS_BOOST
template <>
struct boost::system::is_error_code_enum<wechatpay::AsioErrc> : std::true_type {};
#else
template <>
struct std::is_error_code_enum<wechatpay::AsioErrc> : std::true_type {};
#endif
