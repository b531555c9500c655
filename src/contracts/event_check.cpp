#include "wechatpay/contracts/event_check.hpp"

#include <algorithm>

namespace wechatpay::contracts {

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

const std::string* find(const Pairs& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool carries_event_type(const EventContract& event) {
  return std::any_of(event.body.begin(), event.body.end(),
                     [](const Field& field) { return field.name == "event_type"; });
}

// How many required fields of `event` the notification carries; -1 when one is missing.
int required_match(const EventContract& event, const Pairs& fields) {
  int count = 0;
  for (const auto& field : event.body) {
    if (!field.required) continue;
    if (!find(fields, field.name)) return -1;
    ++count;
  }
  return count;
}

const EventContract* identify_v2(const ContractRegistry& registry, const Pairs& fields) {
  const EventContract* best = nullptr;
  int best_count = 0;
  for (const auto* event : registry.events()) {
    if (event->api != Api::v2 || carries_event_type(*event)) continue;
    int count = required_match(*event, fields);
    if (count > best_count) {
      best = event;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

EventCheck check_v3_event(const ContractRegistry& registry, std::string_view event_type,
                          const rapidjson::Value& resource) {
  EventCheck check;
  check.event_type = std::string(event_type);
  check.contract = registry.find_event(Api::v3, event_type);
  if (check.contract) {
    if (const auto* fields = check.contract->resource_fields()) {
      validate_fields(*fields, resource, "", false, check.result);
    }
  }
  return check;
}

EventCheck check_v2_event(const ContractRegistry& registry, const Pairs& fields) {
  EventCheck check;
  if (const auto* named = find(fields, "event_type")) {
    check.event_type = *named;
    check.contract = registry.find_event(Api::v2, *named);
  } else if ((check.contract = identify_v2(registry, fields)) != nullptr) {
    check.event_type = check.contract->event;
  }
  if (!check.contract) return check;
  rapidjson::Document object(rapidjson::kObjectType);
  for (const auto& [key, value] : fields) {
    if (object.HasMember(key.c_str())) continue;
    object.AddMember(rapidjson::Value(key.c_str(), object.GetAllocator()),
                     rapidjson::Value(value.c_str(), object.GetAllocator()), object.GetAllocator());
  }
  validate_fields(check.contract->body, object, "", true, check.result);
  return check;
}

}  // namespace wechatpay::contracts
