#include "contract_routes.hpp"

#include <algorithm>

#include "contract_rules.hpp"
#include "v3_call.hpp"
#include "wechatpay/contracts/registry.hpp"

namespace wechatpay::sandbox {
namespace {

std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segments;
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
  }
  return segments;
}

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The values a contract answer may echo: the body's members, then the query's and the path's.
Json echo_source(V3Call& call, const Params& params) {
  Json::Object members;
  if (!call.request.body.empty() && !call.request.is_multipart_form_data()) {
    members = call.body().members();
  }
  for (const auto& [name, value] : call.request.params) members.emplace_back(name, value);
  for (const auto& [name, value] : params) members.emplace_back(name, value);
  return Json(std::move(members));
}

// A placeholder the contract documents but its template lacks (a slip in the data: "use_id" for
// "user_id") never reaches the path: the client checks it in its params, the sandbox cannot.
std::shared_ptr<const contracts::Contract> without_stray_params(
    const contracts::Contract& contract, const std::vector<std::string>& segments) {
  auto on_path = [&](const contracts::Field& field) {
    return field.fixed_value ||
           std::find(segments.begin(), segments.end(), "{" + field.name + "}") != segments.end();
  };
  if (std::all_of(contract.request.params.begin(), contract.request.params.end(), on_path)) {
    return nullptr;
  }
  auto copy = std::make_shared<contracts::Contract>(contract);
  std::erase_if(copy->request.params, [&](const contracts::Field& f) { return !on_path(f); });
  return copy;
}

}  // namespace

const ContractIndex& ContractIndex::builtin() {
  static const ContractIndex index;
  return index;
}

ContractIndex::ContractIndex() {
  for (const contracts::Contract* contract : contracts::ContractRegistry::builtin()->contracts()) {
    if (contract->api != contracts::Api::v3) continue;
    Entry entry{contract, nullptr, segments_of(contract->uri_template), 0};
    if ((entry.owned = without_stray_params(*contract, entry.segments))) {
      entry.contract = entry.owned.get();
    }
    entry.literals = static_cast<std::size_t>(
        std::count_if(entry.segments.begin(), entry.segments.end(),
                      [](const std::string& segment) { return !is_placeholder(segment); }));
    entries_.push_back(std::move(entry));
  }
  size_ = entries_.size();
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.literals > b.literals; });
}

std::optional<ContractMatch> ContractIndex::match(std::string_view method,
                                                  std::string_view path) const {
  const std::vector<std::string> segments = segments_of(path);
  for (const Entry& entry : entries_) {
    if (entry.segments.size() != segments.size() || entry.contract->method != method) continue;
    ContractMatch found{entry.contract, {}};
    bool same = true;
    for (std::size_t i = 0; same && i < segments.size(); ++i) {
      const std::string& part = entry.segments[i];
      if (is_placeholder(part)) {
        found.params[part.substr(1, part.size() - 2)] = segments[i];
      } else {
        same = part == segments[i];
      }
    }
    if (same) return found;
  }
  return std::nullopt;
}

bool serve_contract(Sandbox& sandbox, const httplib::Request& request,
                    httplib::Response& response) {
  auto found = ContractIndex::builtin().match(request.method, request.path);
  if (!found) return false;
  const bool multipart = !found->contract->request.body.empty();
  auto handler = [matched = std::move(*found)](V3Call& call) -> V3Answer {
    const contracts::Contract& contract = *matched.contract;
    check_request(call, contract, &matched.params);
    if (contract.response.empty()) return {};  // 204 No Content
    return {200, contract_answer(call, contract, echo_source(call, matched.params))};
  };
  serve_v3(sandbox, handler, multipart ? SignedPart::kMeta : SignedPart::kBody)(request, response);
  return true;
}

}  // namespace wechatpay::sandbox
