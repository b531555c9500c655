// Notifications against events.jsonl: which documented event a notification is, and whether its
// (decrypted) content has the documented fields. A notification of an unknown event type still
// parses; the check only reports.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/contracts/validation.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::contracts {

struct EventCheck {
  std::string event_type;                   // "TRANSACTION.SUCCESS"; "" when unidentified
  const EventContract* contract = nullptr;  // null: the data has no contract for the event
  ValidationResult result;                  // problems of the checked content
};

// APIv3: `resource` (the decrypted resource) against the fields of `event_type`'s ciphertext.
WECHATPAY_EXPORT EventCheck check_v3_event(const ContractRegistry& registry,
                                           std::string_view event_type,
                                           const rapidjson::Value& resource);

// APIv2: the event of notification `fields` — their `event_type` when they carry one, else the
// documented APIv2 event whose required fields they all carry (the one with most of them) —
// and the fields checked against it.
WECHATPAY_EXPORT EventCheck
check_v2_event(const ContractRegistry& registry,
               const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace wechatpay::contracts
