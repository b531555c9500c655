// What a Client's handles and chains share: the loaded configuration, the two handler stacks
// and the transport. Internal.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "failover.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/v3/certificates.hpp"
#include "wechatpay/v3/signer.hpp"

namespace wechatpay::detail {

class ClientCore {
 public:
  explicit ClientCore(ClientConfig config);
  ~ClientCore();  // stops the certificate manager first: its fetch refers to this core

  // Builds the request for `uri_template` and runs it through the right stack.
  void send(std::string_view uri_template, std::string method, Options options,
            Completion done) const;
  bool on_io_thread() const { return transport_->on_io_thread(); }

  HandlerStack v3_stack;
  HandlerStack v2_stack;
  const std::shared_ptr<crypto::KeyStore> keys;
  const std::shared_ptr<const v3::SigningIdentity> identity;
  const ClientConfig config;  // private key and secrets stay as specs; never logged
  // Set when config.certificate_refresh.enabled.
  std::shared_ptr<v3::CertificateManager> certificates;
  // Set when there is a backup host.
  std::shared_ptr<Failover> failover;

 private:
  Request build(std::string_view uri_template, std::string method, Options options,
                bool& is_v2) const;

  std::shared_ptr<Failover> make_failover(const Handler& terminal);

  std::shared_ptr<Transport> transport_;
  TransferSettings transfer_;
  std::shared_ptr<const Handler> probe_;  // the failover probe's stack; it holds it weakly
};

// A node of the endpoint tree; children are created once and shared, up to a cap per node.
struct ChainNode {
  static constexpr std::size_t kMaxCachedChildren = 256;

  ChainNode(std::string path, std::shared_ptr<ClientCore> core)
      : path(std::move(path)), core(std::move(core)) {}
  std::shared_ptr<ChainNode> child(std::string_view relative);

  const std::string path;  // the URI template
  const std::shared_ptr<ClientCore> core;
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<ChainNode>> children;
};

}  // namespace wechatpay::detail
