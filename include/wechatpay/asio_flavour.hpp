// Which Asio the Asio adapters use: standalone Asio (<asio.hpp>) when it is available, Boost.Asio
// when only Boost is or when WECHATPAY_USE_BOOST_ASIO is defined before the first of them.
// Names go into an inline namespace per flavour, which keeps them apart should one program use
// both (in different files); `asio_detail::net` names the chosen Asio.
#pragma once

#if defined(WECHATPAY_USE_BOOST_ASIO) || (!__has_include(<asio.hpp>) && __has_include(<boost/asio.hpp>))
#define WECHATPAY_ASIO_IS_BOOST 1
#else
#define WECHATPAY_ASIO_IS_BOOST 0
#endif

// `#include WECHATPAY_ASIO_HEADER(strand.hpp)`: the chosen flavour's <asio/strand.hpp>; and
// WECHATPAY_ASIO_POSIX_HEADER for <asio/posix/...> (a '/' in the argument would not survive
// clang-format).
#if WECHATPAY_ASIO_IS_BOOST
#define WECHATPAY_ASIO_HEADER(file) <boost/asio/file>
#define WECHATPAY_ASIO_POSIX_HEADER(file) <boost/asio/posix/file>
#else
#define WECHATPAY_ASIO_HEADER(file) <asio/file>
#define WECHATPAY_ASIO_POSIX_HEADER(file) <asio/posix/file>
#endif

#if WECHATPAY_ASIO_IS_BOOST
#include <boost/asio/error.hpp>  // declares the namespace the alias below names
#include <boost/system/error_code.hpp>
#define WECHATPAY_ASIO_NAMESPACE boost_asio
namespace wechatpay {
inline namespace boost_asio {
namespace asio_detail {
namespace net = ::boost::asio;
}
using AsioErrorCode = ::boost::system::error_code;
using AsioErrorCategory = ::boost::system::error_category;
}  // namespace boost_asio
}  // namespace wechatpay
#else
#include <asio/error.hpp>  // declares the namespace the alias below names
#include <system_error>
#define WECHATPAY_ASIO_NAMESPACE standalone_asio
namespace wechatpay {
inline namespace standalone_asio {
namespace asio_detail {
namespace net = ::asio;
}
using AsioErrorCode = std::error_code;
using AsioErrorCategory = std::error_category;
}  // namespace standalone_asio
}  // namespace wechatpay
#endif
