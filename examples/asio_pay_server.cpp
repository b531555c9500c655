// The checkout service of asio_pay_server.hpp as a program.
//   asio_pay_server <profile.json> [port] [appid] [notify_url]
// Prints "listening on http://127.0.0.1:<port>" once it accepts (port 0 = any free port).
#include "asio_pay_server.hpp"

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: asio_pay_server <profile.json> [port] [appid] [notify_url]\n";
    return 2;
  }
  try {
    example::PayServiceSettings settings{
        .appid = argc > 3 ? argv[3] : "wxd678efh567hg6787",
        .notify_url = argc > 4 ? argv[4] : "https://www.weixin.qq.com/wxpay/pay.php"};
    example::net::io_context io;
    example::PayService service(io, wechatpay::load_profile(argv[1]), settings);
    example::net::ip::tcp::acceptor acceptor(
        io, {example::net::ip::make_address("127.0.0.1"),
             static_cast<unsigned short>(argc > 2 ? std::stoi(argv[2]) : 8080)});
    example::net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { io.stop(); });
    example::net::co_spawn(io, example::accept_connections(acceptor, service),
                           example::net::detached);
    std::cout << "listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    io.run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
