// The Asio adapters' headers stand on their own: included first, before any Asio header of the
// user's (each flavour's namespace must be declared before the adapters name it).
#if __has_include(<asio.hpp>)
#include "wechatpay/asio.hpp"
#include "wechatpay/asio_transport.hpp"

#include <gtest/gtest.h>

namespace wechatpay::test {
namespace {

TEST(AsioHeaders, StandAloneAndMakeATransportOutsideTheLoop) {
  ::asio::io_context io;
  auto transport = make_asio_transport(io);
  ASSERT_TRUE(transport);
  EXPECT_FALSE(transport->on_io_thread());  // this thread is not running `io`
  bool on_loop = false;
  ::asio::post(io, [&] { on_loop = transport->on_io_thread(); });
  io.run();
  EXPECT_TRUE(on_loop);
}

}  // namespace
}  // namespace wechatpay::test
#endif
