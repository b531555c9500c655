// Notifications from the sandbox (POST /sandbox/webhooks) through Client::parse_notification:
// payments and refunds decrypt to the order's fields; tampered, stale, foreign-signed and
// wrongly sealed ones are refused; one from a rotated certificate refreshes once.
#include "integration/notification_receiver.hpp"
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

// Asks `sandbox` to notify `receiver`; `options` are added to the request.
void notify(const SandboxProcess& sandbox, const NotificationReceiver& receiver, Json options) {
  options.set("url", receiver.url());
  auto answer = Json::parse(sandbox.admin("POST", "/sandbox/webhooks", options.dump()));
  ASSERT_EQ(answer.find("status")->to_text(), "204") << answer.dump();
}

class SandboxNotifications : public SandboxTest {
 protected:
  v3::Notification receive(Json options) {
    notify(sandbox(), receiver_, std::move(options));
    auto [headers, body] = receiver_.last();
    return client_.parse_notification(headers, body);
  }

  Client client_ = client();
  NotificationReceiver receiver_;
};

TEST_F(SandboxNotifications, TransactionSuccessDecryptsToTheOrder) {
  std::string out_trade_no = create_order(client_, 888);
  auto notification = receive({{"out_trade_no", out_trade_no}});
  EXPECT_EQ(notification.event_type, "TRANSACTION.SUCCESS");
  EXPECT_EQ(notification.original_type, "transaction");
  auto transaction = notification.json();
  EXPECT_EQ(transaction["out_trade_no"].as<std::string>(), out_trade_no);
  EXPECT_EQ(transaction["trade_state"].as<std::string>(), "SUCCESS");
  EXPECT_EQ(transaction["mchid"].as<std::string>(), client_.mchid());
  EXPECT_EQ(transaction["amount"]["total"].as<std::int64_t>(), 888);
}

TEST_F(SandboxNotifications, RefundSuccessDecryptsToTheRefund) {
  std::string out_trade_no = create_order(client_, 520);
  auto notification = receive({{"out_trade_no", out_trade_no},
                               {"event_type", "REFUND.SUCCESS"},
                               {"out_refund_no", "R" + out_trade_no}});
  EXPECT_EQ(notification.event_type, "REFUND.SUCCESS");
  EXPECT_EQ(notification.original_type, "refund");
  auto refund = notification.json();
  EXPECT_EQ(refund["out_trade_no"].as<std::string>(), out_trade_no);
  EXPECT_EQ(refund["out_refund_no"].as<std::string>(), ("R" + out_trade_no));
  EXPECT_EQ(refund["refund_status"].as<std::string>(), "SUCCESS");
  EXPECT_EQ(refund["amount"]["refund"].as<std::int64_t>(), 520);
  EXPECT_EQ(refund["amount"]["total"].as<std::int64_t>(), 520);
  // The refund is real: the order can be queried as refunded.
  auto queried =
      client_["v3/refund/domestic/refunds/{no}"]->get({.params = {{"no", "R" + out_trade_no}}});
  EXPECT_EQ(queried.json()["status"].as<std::string>(), "SUCCESS");
}

TEST_F(SandboxNotifications, SignedWithThePlatformCertificateWhenAsked) {
  std::string platform;
  for (const auto& [serial, spec] : sandbox().config().certs) {
    if (!serial.starts_with("PUB_KEY_ID_")) platform = serial;
  }
  notify(sandbox(), receiver_, {{"serial", platform}});
  auto [headers, body] = receiver_.last();
  EXPECT_EQ(headers.get("Wechatpay-Serial").value_or(""), platform);
  EXPECT_EQ(client_.parse_notification(headers, body).event_type, "TRANSACTION.SUCCESS");
}

TEST_F(SandboxNotifications, SpoiledNotificationsAreRefused) {
  const std::vector<Json> spoilers = {Json{{"tamper", true}}, Json{{"skew_seconds", 600}},
                                      Json{{"skew_seconds", -600}}, Json{{"wrong_key", true}},
                                      Json{{"wrong_apiv3_key", true}}};
  for (const Json& spoiler : spoilers) {
    SCOPED_TRACE(spoiler.dump());
    notify(sandbox(), receiver_, spoiler);
    auto [headers, body] = receiver_.last();
    EXPECT_THROW(client_.parse_notification(headers, body), VerificationError);
  }
  // The same notification unspoiled passes, so each refusal is the spoiler's doing.
  EXPECT_NO_THROW(receive(Json::object()));
}

TEST_F(SandboxNotifications, WebhookOptionsAreChecked) {
  EXPECT_THROW(sandbox().admin("POST", "/sandbox/webhooks",
                               Json{{"url", receiver_.url()}, {"tamper", "yes"}}.dump()),
               std::runtime_error);
  EXPECT_THROW(sandbox().admin("POST", "/sandbox/webhooks",
                               Json{{"url", receiver_.url()}, {"event_type", "X"}}.dump()),
               std::runtime_error);
}

TEST(SandboxNotificationRotation, ANotificationFromANewCertificateRefreshesOnce) {
  SandboxProcess sandbox(WECHATPAY_SANDBOX_BINARY, {}, WECHATPAY_SANDBOX_CREDENTIALS);
  ClientConfig config = sandbox.config();
  std::string platform;
  for (const auto& [serial, spec] : config.certs) {
    if (!serial.starts_with("PUB_KEY_ID_")) platform = serial;
  }
  config.certs.clear();
  config.certificate_refresh.enabled = true;
  Client client(config);
  auto rotated = Json::parse(sandbox.admin("POST", "/sandbox/certificates/rotate"));
  NotificationReceiver receiver;
  // Named by the old serial, the notification comes signed by the newest certificate.
  notify(sandbox, receiver, {{"serial", platform}});
  auto [headers, body] = receiver.last();
  EXPECT_EQ(headers.get("Wechatpay-Serial").value_or(""), rotated.find("serial")->str());
  EXPECT_EQ(client.certificate_manager()->downloads(), 1u);
  EXPECT_EQ(client.parse_notification(headers, body).event_type, "TRANSACTION.SUCCESS");
  EXPECT_EQ(client.certificate_manager()->downloads(), 2u);
  client.stop();
}

}  // namespace
}  // namespace wechatpay::test
