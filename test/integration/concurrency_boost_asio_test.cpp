// The Asio adapter (wechatpay/asio.hpp) over Boost.Asio, when Boost 1.80 or newer is installed
// (per-operation cancellation and `deferred`).
#if __has_include(<boost/version.hpp>)
#include <boost/version.hpp>
#endif
#if defined(BOOST_VERSION) && BOOST_VERSION >= 108000
#define WECHATPAY_USE_BOOST_ASIO
#include <boost/asio.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

namespace wechatpay::test {
namespace net = ::boost::asio;
using ErrorCode = ::boost::system::error_code;
static constexpr auto& deferred = ::boost::asio::deferred;
using ::boost::asio::as_tuple;
}  // namespace wechatpay::test

#define ASIO_SUITE ConcurrencyBoostAsio
#define ASIO_TRANSPORT_SUITE ConcurrencyBoostAsioTransport
#include "integration/asio_cases.hpp"
#endif
