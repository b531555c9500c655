#include "wechatpay/v3/notification.hpp"

#include <future>

#include "client_core.hpp"
#include "v3/sealed_json.hpp"
#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/contracts/event_check.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::v3 {

namespace {

constexpr std::string_view kSubject = "notification";

// The signed message as a Response, so errors can carry it.
Response as_message(const Headers& headers, std::string_view body) {
  Response message;
  message.headers = headers;
  message.body = std::string(body);
  return message;
}

}  // namespace

JsonView Notification::json() const {
  // Read errors carry no Response: the resource is not an HTTP answer.
  return JsonView::parse(plaintext, Response{}, "notification resource");
}

Notification parse_notification(const crypto::KeyStore& keys, std::string_view apiv3_key,
                                const Headers& headers, std::string_view body, std::int64_t now) {
  if (apiv3_key.size() != 32) {
    throw ConfigError("apiv3_key", "must be 32 bytes, got " + std::to_string(apiv3_key.size()));
  }
  verify_signed(keys, headers, body, now, kSubject);
  auto doc = detail::parse_object(body, kSubject);
  Notification notification;
  notification.id = detail::required_string(doc, "id", kSubject);
  notification.create_time = detail::optional_string(doc, "create_time");
  notification.event_type = detail::required_string(doc, "event_type", kSubject);
  notification.resource_type = detail::optional_string(doc, "resource_type");
  notification.summary = detail::optional_string(doc, "summary");
  const auto& resource = detail::required_object(doc, "resource", kSubject);
  notification.original_type = detail::optional_string(resource, "original_type");
  try {
    notification.plaintext = detail::open_sealed(resource, apiv3_key, "notification resource");
  } catch (const CryptoError& e) {
    throw VerificationError(std::string("notification resource does not decrypt: ") + e.what(),
                            as_message(headers, body));
  }
  check_resource(notification, *contracts::ContractRegistry::builtin());
  return notification;
}

void check_resource(Notification& notification, const contracts::ContractRegistry& registry) {
  rapidjson::Document resource;
  try {
    resource = parse_bounded_json(notification.plaintext, "notification resource");
  } catch (const Error&) {
    resource.SetNull();  // reported below as not an object
  }
  auto check = contracts::check_v3_event(registry, notification.event_type, resource);
  notification.known_event = check.contract != nullptr;
  notification.resource_problems = std::move(check.result.errors);
  if (notification.known_event && !resource.IsObject()) {
    notification.resource_problems.push_back({"resource", "is not a JSON object"});
  }
}

Acknowledgement acknowledge_success() {
  return {204, "", ""};
}

Acknowledgement acknowledge_failure(std::string_view message, int status) {
  return {status, Json{{"code", "FAIL"}, {"message", message}}.dump(), "application/json"};
}

}  // namespace wechatpay::v3

namespace wechatpay {

// Defined here, next to the parser it wraps, to keep client.cpp about requests.
v3::Notification Client::parse_notification(const Headers& headers, std::string_view body) const {
  const auto& config = core_->config;
  auto serial = headers.value("Wechatpay-Serial");
  auto manager = core_->certificates;
  if (manager && !serial.empty() && !core_->keys->find(serial) && !core_->on_io_thread()) {
    // A new platform certificate may sign notifications before our timer sees it.
    std::promise<void> refreshed;
    manager->refresh_for_unknown_serial(serial, [&refreshed] { refreshed.set_value(); });
    refreshed.get_future().wait();  // bounded by the download's timeout
  }
  auto notification = v3::parse_notification(*core_->keys, config.apiv3_key, headers, body);
  const auto& registry = core_->contract_settings->registry;
  if (registry != contracts::ContractRegistry::builtin())
    v3::check_resource(notification, *registry);
  if (config.logger) {
    for (const auto& problem : notification.resource_problems) {
      config.logger(LogLevel::info, "notification " + notification.event_type + ": resource " +
                                        problem.path + " " + problem.problem);
    }
  }
  return notification;
}

}  // namespace wechatpay
