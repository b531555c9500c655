#include "support/tls_server.hpp"

#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "crypto/openssl_ptr.hpp"
#include "support/pki.hpp"

namespace wechatpay::test {
namespace {

using StorePtr = std::unique_ptr<X509_STORE, crypto::OpenSslDeleter<X509_STORE_free>>;

crypto::X509Ptr read_certificate(BIO* bio) {
  return crypto::X509Ptr(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
}

// Installs certificate, key and (optionally) required client CAs on the server's context.
bool configure_context(SSL_CTX& ctx, const TlsServerOptions& options) {
  auto cert_bio = crypto::memory_bio(options.cert_pem.data(), options.cert_pem.size());
  auto key_bio = crypto::memory_bio(options.key_pem.data(), options.key_pem.size());
  crypto::X509Ptr cert = read_certificate(cert_bio.get());
  crypto::EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key || SSL_CTX_use_certificate(&ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1) {
    return false;
  }
  if (options.client_ca_pem.empty()) return true;

  StorePtr store(X509_STORE_new());
  auto ca_bio = crypto::memory_bio(options.client_ca_pem.data(), options.client_ca_pem.size());
  int added = 0;
  while (crypto::X509Ptr ca = read_certificate(ca_bio.get())) {
    if (X509_STORE_add_cert(store.get(), ca.get()) != 1) return false;
    ++added;
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (added == 0) return false;
  SSL_CTX_set_cert_store(&ctx, store.release());  // the context owns the store now
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return true;
}

}  // namespace

TlsServer::TlsServer(const Setup& setup, TlsServerOptions options) {
  if (options.cert_pem.empty()) {
    Certificate cert = make_server_certificate();
    options.cert_pem = cert.pem;
    options.key_pem = cert.key.private_pem;
  }
  server_ = std::make_unique<httplib::SSLServer>(
      [&options](SSL_CTX& ctx) { return configure_context(ctx, options); });
  if (!server_->is_valid()) throw std::runtime_error("TlsServer: invalid certificate or key");

  const std::size_t threads = options.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib writes headers and body separately: without NODELAY, Nagle plus delayed ACKs
  // stall every keep-alive response by ~40 ms.
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(options.keep_alive_max_count);
  server_->set_keep_alive_timeout(options.keep_alive_timeout.count());
  setup(*server_, *this);

  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("TlsServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      server_->stop();
      thread_.join();
      throw std::runtime_error("TlsServer: did not start within 5 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TlsServer::~TlsServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  server_->stop();
  thread_.join();
}

std::string TlsServer::url(std::string_view path) const {
  return "https://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::string TlsServer::localhost_url(std::string_view path) const {
  return "https://localhost:" + std::to_string(port_) + std::string(path);
}

bool TlsServer::sleep_unless_stopping(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stop_signal_.wait_for(lock, duration, [this] { return stopping_; });
}

}  // namespace wechatpay::test
