#include "respond.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include <openssl/ssl.h>

#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::sandbox {
namespace {

// The socket a request arrived on: from its TLS session, or (plain HTTP) the one whose peer is
// the request's remote address and port.
int connection_socket(const httplib::Request& request) {
  if (request.ssl) return SSL_get_fd(request.ssl);
  for (int fd = 3; fd < 65536; ++fd) {
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) continue;
    char host[INET6_ADDRSTRLEN] = {};
    int port = 0;
    if (peer.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&peer);
      inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
      port = ntohs(in->sin_port);
    } else if (peer.ss_family == AF_INET6) {
      auto* in = reinterpret_cast<sockaddr_in6*>(&peer);
      inet_ntop(AF_INET6, &in->sin6_addr, host, sizeof host);
      port = ntohs(in->sin6_port);
    }
    if (port == request.remote_port && request.remote_addr == host) return fd;
  }
  return -1;
}

// Aborts the connection with a TCP reset: zero linger, then the socket's last descriptor is
// replaced (dup2) by a fresh unconnected socket. httplib's own shutdown/close later act on the
// stand-in, so no descriptor is closed twice; a plain shutdown would send FIN first.
void reset_connection(int fd) {
  if (fd < 0) return;
  linger option{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
  int stand_in = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (stand_in < 0) return;
  dup2(stand_in, fd);
  close(stand_in);
}

}  // namespace

void send(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
          Reply reply, const Fault& fault) {
  if (fault.kind == FaultKind::kDelay) sandbox.sleep_unless_stopping(fault.delay);
  response.status = reply.status;
  response.set_header("Request-ID", crypto::nonce(32));
  for (auto& [name, value] : reply.headers) response.set_header(name, value);
  if (fault.kind == FaultKind::kWrongContentType) reply.content_type = "text/html; charset=utf-8";

  if (fault.kind != FaultKind::kTruncate && fault.kind != FaultKind::kReset) {
    if (!reply.body.empty()) response.set_content(reply.body, reply.content_type);
    return;
  }
  // Content-Length promises the whole body; half arrives, then the connection ends.
  auto body = std::make_shared<std::string>(std::move(reply.body));
  if (body->size() < 2) *body = R"({"padding":"so that half a body is still a body"})";
  const bool reset = fault.kind == FaultKind::kReset;
  const int fd = reset ? connection_socket(request) : -1;
  response.set_content_provider(
      body->size(), reply.content_type,
      [body, reset, fd](std::size_t, std::size_t, httplib::DataSink& sink) {
        sink.write(body->data(), body->size() / 2);
        if (reset) reset_connection(fd);
        return false;  // httplib closes the connection
      });
}

}  // namespace wechatpay::sandbox
