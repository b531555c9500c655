#include "server.hpp"

#include <iostream>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "crypto/openssl_ptr.hpp"
#include "routes.hpp"

namespace wechatpay::sandbox {
namespace {

bool configure_tls(SSL_CTX& ctx, const Credentials& c) {
  auto cert_bio = crypto::memory_bio(c.server_cert_pem.data(), c.server_cert_pem.size());
  auto key_bio = crypto::memory_bio(c.server_key_pem.data(), c.server_key_pem.size());
  auto ca_bio = crypto::memory_bio(c.ca_pem.data(), c.ca_pem.size());
  crypto::X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  crypto::EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  crypto::X509Ptr ca(PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key || !ca || SSL_CTX_use_certificate(&ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1 ||
      X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca.get()) != 1 ||
      SSL_CTX_add_client_CA(&ctx, ca.get()) != 1) {
    return false;
  }
  // Ask for a client certificate and verify one if sent, but let clients without one in:
  // only the secapi endpoints need it, and they check for it themselves.
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  // Required for session resumption once peers are verified.
  static constexpr unsigned char kContext[] = "wechatpay-sandbox";
  return SSL_CTX_set_session_id_context(&ctx, kContext, sizeof kContext - 1) == 1;
}

}  // namespace

std::unique_ptr<httplib::Server> make_server(Sandbox& sandbox, const ServerOptions& options) {
  std::unique_ptr<httplib::Server> server;
  if (sandbox.tls) {
    auto tls = std::make_unique<httplib::SSLServer>(
        [&sandbox](SSL_CTX& ctx) { return configure_tls(ctx, sandbox.credentials); });
    if (!tls->is_valid()) {
      throw std::runtime_error("cannot set up TLS with the certificates in " +
                               sandbox.credentials.dir.string());
    }
    server = std::move(tls);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const std::size_t threads = options.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib writes headers and body separately: without NODELAY, Nagle plus delayed ACKs
  // stall every keep-alive answer by ~40 ms.
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(10'000);
  // WeChat Pay keeps an idle connection 8 s and the SDK retires its own at 7 s
  // (CurlTransportOptions::max_idle_seconds): closing sooner here would let a client reuse a
  // connection the server is closing, and fail with "Broken pipe" under load.
  server->set_keep_alive_timeout(8);
  if (options.verbose) {
    server->set_logger([](const httplib::Request& request, const httplib::Response& response) {
      std::cerr << request.method << ' ' << request.target << " -> " << response.status << '\n';
    });
  }
  add_admin_routes(*server, sandbox);
  add_v3_routes(*server, sandbox);
  add_order_routes(*server, sandbox);
  add_media_routes(*server, sandbox);
  add_bill_routes(*server, sandbox);
  add_v2_routes(*server, sandbox);
  add_v2_contract_routes(*server, sandbox);
  add_not_found_routes(*server, sandbox);
  return server;
}

}  // namespace wechatpay::sandbox
