// The Asio adapter (wechatpay/asio.hpp) over standalone Asio, when it is installed.
#if __has_include(<asio.hpp>)
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>

namespace wechatpay::test {
namespace net = ::asio;
using ErrorCode = std::error_code;
// Asio 1.22 has these two under experimental only.
static constexpr auto& deferred = ::asio::experimental::deferred;
using ::asio::experimental::as_tuple;
}  // namespace wechatpay::test

#define ASIO_SUITE ConcurrencyStandaloneAsio
#define ASIO_TRANSPORT_SUITE ConcurrencyStandaloneAsioTransport
#include "integration/asio_cases.hpp"
#endif
