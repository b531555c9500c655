// Every APIv3 endpoint contract that no stateful route serves, emulated from its contract alone:
// the request verified and validated as the SDK validates it, the answer contract-shaped and
// signed (contract_rules.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "sandbox.hpp"
#include "wechatpay/contracts/contract.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::sandbox {

// A request path matched to a contract: the contract and the placeholders' values.
struct ContractMatch {
  const contracts::Contract* contract = nullptr;
  Params params;
};

// The built-in APIv3 contracts by method and path. A template segment "{name}" matches any one
// path segment; among several matching templates the one with the most literal segments wins
// ("…/refunds/batch" over "…/refunds/{out_refund_no}").
class ContractIndex {
 public:
  static const ContractIndex& builtin();

  std::optional<ContractMatch> match(std::string_view method, std::string_view path) const;
  std::size_t size() const { return size_; }

 private:
  ContractIndex();
  struct Entry {
    const contracts::Contract* contract;
    std::shared_ptr<const contracts::Contract> owned;  // when `contract` is an adjusted copy
    std::vector<std::string> segments;
    std::size_t literals;
  };
  std::vector<Entry> entries_;  // most literal segments first
  std::size_t size_ = 0;
};

// Answers `request` from the contract it matches; false when it matches none.
bool serve_contract(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response);

}  // namespace wechatpay::sandbox
