#include "outage.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace wechatpay::sandbox {

void OutageSwitch::request(const Fault& fault) {
  std::lock_guard lock(mutex_);
  pending_ = fault;
  due_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
}

std::optional<Fault> OutageSwitch::take_due() {
  std::lock_guard lock(mutex_);
  if (!pending_ || std::chrono::steady_clock::now() < due_) return std::nullopt;
  return std::exchange(pending_, std::nullopt);
}

namespace {

int local_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return -1;
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

}  // namespace

void cut_connections(int port) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    // A connected socket (it has a peer) on our port: one a client opened to us.
    if (local_port(fd) == port && getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) == 0) {
      shutdown(fd, SHUT_RDWR);  // its owner still closes it
    }
  }
}

ResetListener::ResetListener(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  // The port was just given up by the server; what it leaves behind may hold it a moment.
  for (int i = 0; fd_ < 0; ++i) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);  // as httplib's sockets
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        listen(fd_, 128) == 0) {
      break;
    }
    const int error = errno;
    close(fd_);
    fd_ = -1;
    if (i == 100) {
      throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                               std::strerror(error));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  thread_ = std::thread([this] {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int connection = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      linger reset{1, 0};  // close() then sends RST instead of FIN
      setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      close(connection);
    }
  });
}

ResetListener::~ResetListener() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

}  // namespace wechatpay::sandbox
