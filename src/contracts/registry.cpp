#include "wechatpay/contracts/registry.hpp"

#include <zlib.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "contracts/embedded_data.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::contracts {

namespace detail {

std::string inflate(const EmbeddedData& data) {
  std::string out(data.inflated_size, '\0');
  uLongf size = static_cast<uLongf>(out.size());
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size, data.deflated,
                 static_cast<uLong>(data.deflated_size)) != Z_OK ||
      size != out.size()) {
    throw Error("the embedded contract data does not inflate (a build defect)");
  }
  return out;
}

}  // namespace detail

namespace {

std::string contract_key(std::string_view method, std::string_view uri_template) {
  std::string key;
  key.reserve(method.size() + 1 + uri_template.size());
  for (char c : method) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  key += ' ';
  key += uri_template;
  return key;
}

std::string event_key(Api api, std::string_view event) {
  return (api == Api::v2 ? "v2 " : "v3 ") + std::string(event);
}

// Calls `line(text)` for each non-blank line.
template <typename Fn>
void for_each_line(std::string_view text, Fn line) {
  while (!text.empty()) {
    auto end = text.find('\n');
    auto current = text.substr(0, end);
    if (current.find_first_not_of(" \t\r") != std::string_view::npos) line(current);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

bool is_event_row(std::string_view row) {
  // Endpoint rows have "template"; event rows have "event" instead.
  return row.find("\"template\"") == std::string_view::npos &&
         row.find("\"event\"") != std::string_view::npos;
}

}  // namespace

struct ContractRegistry::Tables {
  std::unordered_map<std::string, Contract> contracts;
  std::unordered_map<std::string, EventContract> events;
  std::shared_ptr<const ContractRegistry> base;
  // The built-in data is parsed on the first lookup, once.
  std::function<void(Tables&)> loader;
  std::once_flag loaded;

  void add(std::string_view rows) {
    for_each_line(rows, [&](std::string_view row) {
      if (is_event_row(row)) {
        auto event = parse_event(row);
        auto key = event_key(event.api, event.event);
        events.insert_or_assign(std::move(key), std::move(event));
      } else {
        auto contract = parse_contract(row);
        auto key = contract_key(contract.method, contract.uri_template);
        contracts.insert_or_assign(std::move(key), std::move(contract));
      }
    });
  }

  const Tables& ready() {
    if (loader) std::call_once(loaded, [this] { loader(*this); });
    return *this;
  }
};

ContractRegistry::ContractRegistry() : tables_(std::make_unique<Tables>()) {}
ContractRegistry::~ContractRegistry() = default;

std::shared_ptr<const ContractRegistry> ContractRegistry::builtin() {
  static const std::shared_ptr<const ContractRegistry> instance = [] {
    std::shared_ptr<ContractRegistry> registry(new ContractRegistry());
    registry->tables_->loader = [](Tables& tables) {
      tables.contracts.reserve(1200);
      tables.add(detail::inflate(detail::embedded_contracts()));
      tables.add(detail::inflate(detail::embedded_events()));
      // Last, so that each corrected row replaces the documented one.
      tables.add(detail::inflate(detail::embedded_corrections()));
    };
    return registry;
  }();
  return instance;
}

std::shared_ptr<const ContractRegistry> ContractRegistry::with(
    const std::vector<std::string>& rows, std::shared_ptr<const ContractRegistry> base) {
  std::shared_ptr<ContractRegistry> registry(new ContractRegistry());
  for (const auto& text : rows) registry->tables_->add(text);
  registry->tables_->base = std::move(base);
  return registry;
}

const Contract* ContractRegistry::find(std::string_view method,
                                       std::string_view uri_template) const {
  const auto& tables = tables_->ready();
  if (!tables.contracts.empty()) {
    auto it = tables.contracts.find(contract_key(method, uri_template));
    if (it != tables.contracts.end()) return &it->second;
  }
  if (tables.base) return tables.base->find(method, uri_template);
  // Chains trim a trailing '/', so the corpus writes "v3/ecommerce/applyments/{empty}" for the
  // endpoint the documentation names "v3/ecommerce/applyments/".
  constexpr std::string_view kEmpty = "{empty}";
  if (uri_template.ends_with(kEmpty)) {
    return find(method, uri_template.substr(0, uri_template.size() - kEmpty.size()));
  }
  return nullptr;
}

const Contract* ContractRegistry::find_chain(std::string_view method,
                                             std::string_view chain_path) const {
  if (const auto* exact = find(method, chain_path)) return exact;
  return find(method, template_of_chain(chain_path));
}

const EventContract* ContractRegistry::find_event(Api api, std::string_view event) const {
  const auto& tables = tables_->ready();
  auto it = tables.events.find(event_key(api, event));
  if (it != tables.events.end()) return &it->second;
  return tables.base ? tables.base->find_event(api, event) : nullptr;
}

std::vector<const Contract*> ContractRegistry::contracts() const {
  const auto& tables = tables_->ready();
  std::vector<const Contract*> out;
  if (tables.base) {
    for (const auto* contract : tables.base->contracts()) {
      if (!tables.contracts.contains(contract_key(contract->method, contract->uri_template))) {
        out.push_back(contract);
      }
    }
  }
  for (const auto& [key, contract] : tables.contracts) out.push_back(&contract);
  std::sort(out.begin(), out.end(), [](const Contract* a, const Contract* b) {
    return std::tie(a->uri_template, a->method) < std::tie(b->uri_template, b->method);
  });
  return out;
}

std::vector<const EventContract*> ContractRegistry::events() const {
  const auto& tables = tables_->ready();
  std::vector<const EventContract*> out;
  if (tables.base) {
    for (const auto* event : tables.base->events()) {
      if (!tables.events.contains(event_key(event->api, event->event))) out.push_back(event);
    }
  }
  for (const auto& [key, event] : tables.events) out.push_back(&event);
  std::sort(out.begin(), out.end(), [](const EventContract* a, const EventContract* b) {
    return std::tie(a->event, a->api) < std::tie(b->event, b->api);
  });
  return out;
}

}  // namespace wechatpay::contracts
