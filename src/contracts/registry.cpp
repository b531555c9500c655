#include "wechatpay/contracts/registry.hpp"

#include <zlib.h>

#include <rapidjson/reader.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>
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

// The top-level string members a row is looked up by ("template", "method", "event", "api"),
// read without parsing the rest: the built-in rows put them first, so reading stops early.
struct RowKeys {
  std::string uri_template, method, event, api;
  // An `api` other than "v2"/"v3" is left to the full parse, which names the bad row.
  bool complete() const {
    return (api == "v2" || api == "v3") &&
           (!event.empty() || (!uri_template.empty() && !method.empty()));
  }
};

class RowKeyReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RowKeyReader> {
 public:
  explicit RowKeyReader(RowKeys& keys) : keys_(keys) {}
  bool Default() { return !keys_.complete(); }
  bool StartObject() { return enter(); }
  bool EndObject(rapidjson::SizeType) { return leave(); }
  bool StartArray() { return enter(); }
  bool EndArray(rapidjson::SizeType) { return leave(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_ = depth_ == 1 ? std::string_view(text, length) : std::string_view();
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    std::string value(text, length);
    if (key_ == "template") keys_.uri_template = std::move(value);
    if (key_ == "method") keys_.method = std::move(value);
    if (key_ == "event") keys_.event = std::move(value);
    if (key_ == "api") keys_.api = std::move(value);
    return Default();
  }

 private:
  bool enter() {
    ++depth_;
    return Default();
  }
  bool leave() {
    --depth_;
    return Default();
  }

  RowKeys& keys_;
  int depth_ = 0;
  std::string key_;
};

// The row's keys, or nullopt when they are not all there (the row is then parsed in full).
std::optional<RowKeys> row_keys(std::string_view row) {
  RowKeys keys;
  RowKeyReader handler(keys);
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(row.data(), row.size());
  reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);  // stops once complete
  if (!keys.complete()) return std::nullopt;
  return keys;
}

// A row parsed on its first lookup, once, whichever thread asks.
template <typename T>
struct Slot {
  std::string_view row;  // into Tables::texts
  std::once_flag once;
  std::optional<T> value;
};

template <typename T, typename Parse>
const T& parsed(Slot<T>& slot, Parse parse) {
  std::call_once(slot.once, [&] {
    if (!slot.value) slot.value = parse(slot.row);
  });
  return *slot.value;
}

template <typename T>
std::unique_ptr<Slot<T>> parsed_slot(T value) {
  auto slot = std::make_unique<Slot<T>>();
  slot->value = std::move(value);
  return slot;
}

template <typename T>
std::unique_ptr<Slot<T>> lazy_slot(std::string_view row) {
  auto slot = std::make_unique<Slot<T>>();
  slot->row = row;
  return slot;
}

}  // namespace

struct ContractRegistry::Tables {
  std::unordered_map<std::string, std::unique_ptr<Slot<Contract>>> contracts;
  std::unordered_map<std::string, std::unique_ptr<Slot<EventContract>>> events;
  std::deque<std::string> texts;  // what lazy slots view (a deque never moves its strings)
  std::shared_ptr<const ContractRegistry> base;
  // The built-in data is indexed on the first lookup, once; each row is parsed on its own
  // first lookup.
  std::function<void(Tables&)> loader;
  std::once_flag loaded;

  // Parses every row now: a bad row is an Error here, not at some later lookup.
  void add(std::string_view rows) {
    for_each_line(rows, [&](std::string_view row) {
      if (is_event_row(row)) {
        auto event = parse_event(row);
        auto key = event_key(event.api, event.event);
        events.insert_or_assign(std::move(key), parsed_slot(std::move(event)));
      } else {
        auto contract = parse_contract(row);
        auto key = contract_key(contract.method, contract.uri_template);
        contracts.insert_or_assign(std::move(key), parsed_slot(std::move(contract)));
      }
    });
  }

  // Indexes the rows by their leading keys and parses each when first looked up.
  void add_lazily(std::string rows) {
    const auto& text = texts.emplace_back(std::move(rows));
    for_each_line(text, [&](std::string_view row) {
      auto keys = row_keys(row);
      if (!keys) return add(row);
      if (!keys->event.empty()) {
        auto api = keys->api == "v2" ? Api::v2 : Api::v3;
        events.insert_or_assign(event_key(api, keys->event), lazy_slot<EventContract>(row));
      } else {
        contracts.insert_or_assign(contract_key(keys->method, keys->uri_template),
                                   lazy_slot<Contract>(row));
      }
    });
  }

  const Tables& ready() {
    if (loader) std::call_once(loaded, [this] { loader(*this); });
    return *this;
  }
};

namespace {

const Contract& contract_of(Slot<Contract>& slot) {
  return parsed(slot, parse_contract);
}
const EventContract& event_of(Slot<EventContract>& slot) {
  return parsed(slot, parse_event);
}

}  // namespace

namespace detail {

std::shared_ptr<const ContractRegistry> load_embedded_registry() {
  std::shared_ptr<ContractRegistry> registry(new ContractRegistry());
  registry->tables_->loader = [](ContractRegistry::Tables& tables) {
    tables.contracts.reserve(1200);
    tables.add_lazily(inflate(embedded_contracts()));
    tables.add_lazily(inflate(embedded_events()));
    // Last, so that each corrected row replaces the documented one.
    tables.add_lazily(inflate(embedded_corrections()));
  };
  return registry;
}

}  // namespace detail

ContractRegistry::ContractRegistry() : tables_(std::make_unique<Tables>()) {}
ContractRegistry::~ContractRegistry() = default;

std::shared_ptr<const ContractRegistry> ContractRegistry::builtin() {
  static const auto instance = detail::load_embedded_registry();
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
  auto own = [&](std::string_view key_template) -> const Contract* {
    auto it = tables.contracts.find(contract_key(method, key_template));
    return it == tables.contracts.end() ? nullptr : &contract_of(*it->second);
  };
  if (const auto* found = own(uri_template)) return found;
  // Chains trim a trailing '/', so the corpus writes "v3/ecommerce/applyments/{empty}" for the
  // endpoint the documentation names "v3/ecommerce/applyments/".
  constexpr std::string_view kEmpty = "{empty}";
  if (uri_template.ends_with(kEmpty)) {
    if (const auto* found = own(uri_template.substr(0, uri_template.size() - kEmpty.size()))) {
      return found;
    }
  }
  return tables.base ? tables.base->find(method, uri_template) : nullptr;
}

const Contract* ContractRegistry::find_chain(std::string_view method,
                                             std::string_view chain_path) const {
  if (const auto* exact = find(method, chain_path)) return exact;
  return find(method, template_of_chain(chain_path));
}

const EventContract* ContractRegistry::find_event(Api api, std::string_view event) const {
  const auto& tables = tables_->ready();
  auto it = tables.events.find(event_key(api, event));
  if (it != tables.events.end()) return &event_of(*it->second);
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
  for (const auto& [key, slot] : tables.contracts) out.push_back(&contract_of(*slot));
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
  for (const auto& [key, slot] : tables.events) out.push_back(&event_of(*slot));
  std::sort(out.begin(), out.end(), [](const EventContract* a, const EventContract* b) {
    return std::tie(a->event, a->api) < std::tie(b->event, b->api);
  });
  return out;
}

}  // namespace wechatpay::contracts
