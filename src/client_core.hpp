// What a Client's handles and chains share: the loaded configuration, the two handler stacks
// and the transport. Internal.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "failover.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/contracts/middleware.hpp"
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
  // The contracts and switches of the contract middleware (docs/contracts.md).
  std::shared_ptr<const contracts::MiddlewareSettings> contract_settings;

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
  // Far above any WeChat Pay path: longer ones are built from data at run time, and caching them
  // would hold memory quadratic in their depth.
  static constexpr std::size_t kMaxCachedPath = 1024;
  // As for an expanded URL: a chain growing past it becomes `overlong` (sending it is a
  // ConfigError) and stops copying its path, so building it stays linear.
  static constexpr std::size_t kMaxPath = 64 * 1024;

  ChainNode(std::string path, std::shared_ptr<ClientCore> core, bool overlong = false)
      : path(std::move(path)), core(std::move(core)), overlong(overlong) {}
  std::shared_ptr<ChainNode> child(std::string_view relative);

  const std::string path;  // the URI template ("" when overlong)
  const std::shared_ptr<ClientCore> core;
  const bool overlong;
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<ChainNode>> children;
};

}  // namespace wechatpay::detail
