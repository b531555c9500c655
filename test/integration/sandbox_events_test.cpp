// /sandbox/webhooks sends every documented event type (events.jsonl: 102 APIv3 with an encrypted
// resource, 10 APIv2) shaped by its event contract; the SDK parses, verifies, decrypts and
// checks each one.
#include <cstdio>

#include "integration/notification_receiver.hpp"
#include "integration/sandbox_fixture.hpp"
#include "wechatpay/v2/notification.hpp"

namespace wechatpay::test {
namespace {

class SandboxEvents : public SandboxTest {
 protected:
  NotificationReceiver receiver_;

  // Asks /sandbox/webhooks for `event` of `version`; the receiver then holds it.
  void deliver(const std::string& version, const std::string& event) {
    auto answer = Json::parse(sandbox().admin(
        "POST", "/sandbox/webhooks",
        Json{{"url", receiver_.url()}, {"version", version}, {"event_type", event}}.dump()));
    ASSERT_EQ(answer.find("status")->to_text(), "204") << answer.dump();
  }
};

TEST_F(SandboxEvents, EveryV3EventTypeParsesWithAResourceThatValidates) {
  Client client(sandbox().config());
  std::size_t events = 0, parsed = 0;
  for (const auto* event : contracts::ContractRegistry::builtin()->events()) {
    if (event->api != contracts::Api::v3 ||
        !contracts::has_encryption(event->body, contracts::Encryption::apiv3_key_aes_gcm)) {
      continue;
    }
    ++events;
    SCOPED_TRACE(event->event);
    deliver("v3", event->event);
    const auto [headers, body] = receiver_.last();
    v3::Notification notification = client.parse_notification(headers, body);
    EXPECT_EQ(notification.event_type, event->event);
    EXPECT_TRUE(notification.known_event);
    if (!notification.resource_problems.empty()) {
      std::printf("  %s: %s %s\n", event->event.c_str(),
                  notification.resource_problems.front().path.c_str(),
                  notification.resource_problems.front().problem.c_str());
    }
    if (notification.event_type == event->event && notification.resource_problems.empty()) {
      ++parsed;
    }
  }
  std::printf("%zu of %zu APIv3 event types parsed with a valid resource\n", parsed, events);
  EXPECT_EQ(events, 102u);
  EXPECT_EQ(parsed, events);
}

TEST_F(SandboxEvents, EveryV2EventTypeParsesAsItself) {
  const ClientConfig config = sandbox().config();
  std::size_t events = 0, parsed = 0;
  for (const auto* event : contracts::ContractRegistry::builtin()->events()) {
    if (event->api != contracts::Api::v2) continue;
    ++events;
    SCOPED_TRACE(event->event);
    deliver("v2", event->event);
    const std::string body = receiver_.last().second;
    // Refund notifications are unsigned, their details sealed in req_info.
    const bool refund = v2::parse_xml(body).contains("req_info");
    const v2::XmlFields fields = refund
                                     ? v2::parse_refund_notification(body, config.secret).envelope
                                     : v2::parse_notification(body, config.secret);
    const contracts::EventCheck check = v2::notification_event(fields);
    EXPECT_EQ(check.event_type, event->event);
    for (const auto& problem : check.result.errors) {
      std::printf("  %s: %s %s\n", event->event.c_str(), problem.path.c_str(),
                  problem.problem.c_str());
    }
    if (check.event_type == event->event && check.result.ok()) ++parsed;
  }
  std::printf("%zu of %zu APIv2 event types parsed as themselves\n", parsed, events);
  EXPECT_EQ(events, 10u);
  EXPECT_EQ(parsed, events);
}

}  // namespace
}  // namespace wechatpay::test
