// All known contracts, looked up by method + URI template in O(1). The built-in registry holds
// the data compiled into the library and parses it on first use; a registry made `with` extra
// rows adds or replaces contracts on top of another one (ClientConfig::contracts).
//   auto registry = wechatpay::contracts::ContractRegistry::builtin();
//   const auto* contract = registry->find("POST", "v3/payroll-card/tokens");
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::contracts {

class ContractRegistry;
namespace detail {
// A new registry of the compiled-in data (builtin() makes one, once). Internal.
std::shared_ptr<const ContractRegistry> load_embedded_registry();
}  // namespace detail

class WECHATPAY_EXPORT ContractRegistry {
 public:
  // The contracts and events compiled into the library: indexed on the first lookup, each row
  // parsed on its own first lookup.
  static std::shared_ptr<const ContractRegistry> builtin();
  // `base` with `rows` added: each string holds one or more JSON lines, each an endpoint row
  // (contracts.jsonl form) or an event row (events.jsonl form); a row for a method + template
  // (or api + event) that `base` knows replaces it. Parsed now: wechatpay::Error names a bad row.
  static std::shared_ptr<const ContractRegistry> with(
      const std::vector<std::string>& rows,
      std::shared_ptr<const ContractRegistry> base = builtin());

  ~ContractRegistry();
  ContractRegistry(const ContractRegistry&) = delete;
  ContractRegistry& operator=(const ContractRegistry&) = delete;

  // The contract of `method` (any case) + `uri_template`, or null.
  const Contract* find(std::string_view method, std::string_view uri_template) const;
  // The same for a template or a pure-chain path ("v3/payrollCard/tokens").
  const Contract* find_chain(std::string_view method, std::string_view chain_path) const;
  const EventContract* find_event(Api api, std::string_view event) const;

  // Every contract (overlays first), sorted by template then method.
  std::vector<const Contract*> contracts() const;
  std::vector<const EventContract*> events() const;

  struct Tables;  // internal

 private:
  friend std::shared_ptr<const ContractRegistry> detail::load_embedded_registry();
  ContractRegistry();
  std::unique_ptr<Tables> tables_;
};

}  // namespace wechatpay::contracts
