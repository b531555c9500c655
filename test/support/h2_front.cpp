#include "support/h2_front.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/closed_port.hpp"

extern char** environ;

namespace wechatpay::test {
namespace {

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

}  // namespace

std::string H2Front::binary() {
  for (const char* path : {"/usr/sbin/nghttpx", "/usr/bin/nghttpx", "/usr/local/bin/nghttpx"}) {
    if (std::filesystem::exists(path)) return path;
  }
  return "";
}

H2Front::H2Front(const std::string& backend_base_uri, const std::string& state_dir) {
  const std::string nghttpx = binary();
  if (nghttpx.empty()) throw std::runtime_error("nghttpx is not installed (nghttp2-proxy)");
  // "https://127.0.0.1:PORT/" -> "127.0.0.1,PORT"
  std::string authority = backend_base_uri.substr(backend_base_uri.find("://") + 3);
  authority = authority.substr(0, authority.find('/'));
  authority[authority.rfind(':')] = ',';
  const int port = closed_port();
  std::vector<std::string> args = {
      nghttpx,
      "--conf=/dev/null",  // not /etc/nghttpx/nghttpx.conf
      "--frontend=127.0.0.1," + std::to_string(port),
      // The sandbox's certificate names localhost (and IP 127.0.0.1, which nghttpx does not match).
      "--backend=" + authority + ";;tls;sni=localhost", "--cacert=" + state_dir + "/ca.pem",
      "--workers=1", "--no-ocsp", "--backend-connections-per-host=32", "--errorlog-file=/dev/null",
      "--accesslog-file=/dev/null", state_dir + "/server_key.pem", state_dir + "/server_cert.pem"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, nghttpx.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + nghttpx);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts(port)) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      throw std::runtime_error("nghttpx did not listen on port " + std::to_string(port));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  base_uri_ = "https://127.0.0.1:" + std::to_string(port) + "/";
}

H2Front::~H2Front() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

}  // namespace wechatpay::test
