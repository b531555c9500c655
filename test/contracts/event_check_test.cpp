// Notifications against events.jsonl: the event type, the resource's documented fields.
#include "wechatpay/contracts/event_check.hpp"

#include <gtest/gtest.h>

#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/v2/notification.hpp"
#include "wechatpay/v3/notification.hpp"

namespace wechatpay {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kSerial = "PUB_KEY_ID_0114232134912410000000000000";

// A notification of `event` carrying `resource` (COMPLAINT.CREATE documents complaint_id and
// action_type as required).
std::string notification(const std::string& resource, const std::string& event,
                         const std::string& original_type = "complaint") {
  auto sealed = test::sealed(resource, original_type);
  sealed.set("original_type", original_type);
  return Json{{"id", "EV-1"},
              {"create_time", "2024-05-20T13:29:35+08:00"},
              {"resource_type", "encrypt-resource"},
              {"event_type", event},
              {"summary", "投诉"},
              {"resource", sealed}}
      .dump();
}

v3::Notification parse_v3(const std::string& body) {
  crypto::KeyStore keys{crypto::KeyStore::Snapshot{
      {kSerial, {crypto::PublicKey::load(test::cached_rsa_key("platform").public_pem), 0}}}};
  auto headers = test::wechatpay_headers(
      crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem), kSerial, body, kNow);
  return v3::parse_notification(keys, test::kApiV3Key, headers, body, kNow);
}

TEST(EventCheck, ApiV3ResourceMatchingItsEventIsKnownAndClean) {
  auto n = parse_v3(notification(
      R"({"complaint_id":"200201820200101080076610000","action_type":"CREATE_COMPLAINT"})",
      "COMPLAINT.CREATE"));
  EXPECT_EQ(n.event_type, "COMPLAINT.CREATE");
  EXPECT_TRUE(n.known_event);
  EXPECT_TRUE(n.resource_problems.empty()) << n.resource_problems.front().path;
}

TEST(EventCheck, ApiV3ResourceProblemsAreReportedNotThrown) {
  auto n = parse_v3(notification(R"({"complaint_id":12})", "COMPLAINT.CREATE"));
  EXPECT_TRUE(n.known_event);
  ASSERT_EQ(n.resource_problems.size(), 2u);
  EXPECT_EQ(n.resource_problems[0].path, "complaint_id");
  EXPECT_EQ(n.resource_problems[0].problem, "must be string");
  EXPECT_EQ(n.resource_problems[1].path, "action_type");
  EXPECT_EQ(n.resource_problems[1].problem, "is required");
}

// events.jsonl has one row per event type, merging each product's page (direct merchant,
// partner, profit sharing, ...): their required fields cannot all be present at once, so the
// corrections drop the merged rows' required flags and keep the types.
TEST(EventCheck, ADirectMerchantPaymentIsCleanAgainstTheMergedEventRow) {
  const std::string paid =
      R"({"appid":"wxd678efh567hg6787","mchid":"1230000109","out_trade_no":"1217752501201407033233368018",)"
      R"("transaction_id":"4200000000000000000000000001","trade_type":"JSAPI","trade_state":"SUCCESS",)"
      R"("trade_state_desc":"支付成功","bank_type":"OTHERS","success_time":"2018-06-08T10:34:56+08:00",)"
      R"("payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,"payer_total":100,)"
      R"("currency":"CNY","payer_currency":"CNY"}})";
  auto n = parse_v3(notification(paid, "TRANSACTION.SUCCESS", "transaction"));
  EXPECT_TRUE(n.known_event);
  EXPECT_TRUE(n.resource_problems.empty()) << n.resource_problems.front().path;

  const std::string refunded =
      R"({"sp_mchid":"1900000100","sub_mchid":"1900000109","out_trade_no":"1217752501201407033233368018",)"
      R"("transaction_id":"4200000000000000000000000001","out_refund_no":"R1","refund_id":"50000000382019052709732678859",)"
      R"("refund_status":"SUCCESS","user_received_account":"招商银行信用卡0403",)"
      R"("amount":{"total":999,"refund":999,"payer_total":999,"payer_refund":999}})";
  n = parse_v3(notification(refunded, "REFUND.SUCCESS", "refund"));
  EXPECT_TRUE(n.resource_problems.empty()) << n.resource_problems.front().path;

  // Types are still checked.
  n = parse_v3(
      notification(R"({"out_trade_no":12,"amount":"100"})", "TRANSACTION.SUCCESS", "transaction"));
  ASSERT_EQ(n.resource_problems.size(), 2u);
  EXPECT_EQ(n.resource_problems[0].path, "out_trade_no");
  EXPECT_EQ(n.resource_problems[1].path, "amount");
}

TEST(EventCheck, AnUnknownApiV3EventTypeStillParses) {
  auto n = parse_v3(notification(R"({"anything":1})", "SOMETHING.NEW_NEXT_YEAR"));
  EXPECT_EQ(n.event_type, "SOMETHING.NEW_NEXT_YEAR");
  EXPECT_FALSE(n.known_event);
  EXPECT_TRUE(n.resource_problems.empty());
  EXPECT_EQ(n.plaintext, R"({"anything":1})");
}

TEST(EventCheck, ApiV2EventTypeFieldNamesTheEvent) {
  v2::XmlFields fields{{"mch_id", "1900000109"},
                       {"appid", "wx1"},
                       {"algorithm", "HMAC-SHA256"},
                       {"nonce_str", "n"},
                       {"sign", "S"},
                       {"event_id", "e1"},
                       {"event_create_time", "t"},
                       {"event_type", "CHECK.SUCCESS"},
                       {"event_algorithm", "AEAD_AES_256_GCM"},
                       {"event_nonce", "n2"},
                       {"event_ciphertext", "c"}};
  auto check = v2::notification_event(fields);
  EXPECT_EQ(check.event_type, "CHECK.SUCCESS");
  ASSERT_NE(check.contract, nullptr);
  EXPECT_EQ(check.contract->api, contracts::Api::v2);
  EXPECT_TRUE(check.result.ok());
  v2::XmlFields without_id;
  for (const auto& [key, value] : fields.fields()) {
    if (key != "event_id") without_id.add(key, value);
  }
  auto missing = v2::notification_event(without_id);
  ASSERT_EQ(missing.result.errors.size(), 1u);
  EXPECT_EQ(missing.result.errors[0].path, "event_id");
}

TEST(EventCheck, ApiV2EventWithoutATypeIsTheOneWhoseRequiredFieldsItCarries) {
  // A payment result: the fields transaction-success documents as required.
  v2::XmlFields payment{{"appid", "wx1"},
                        {"bank_type", "CMC"},
                        {"cash_fee", "100"},
                        {"is_subscribe", "Y"},
                        {"mch_id", "1900000109"},
                        {"nonce_str", "n"},
                        {"openid", "o"},
                        {"out_trade_no", "T1"},
                        {"result_code", "SUCCESS"},
                        {"return_code", "SUCCESS"},
                        {"sign", "S"},
                        {"time_end", "20240101"},
                        {"total_fee", "100"},
                        {"trade_type", "JSAPI"},
                        {"transaction_id", "4200"}};
  auto check = v2::notification_event(payment);
  EXPECT_EQ(check.event_type, "transaction-success");
  EXPECT_TRUE(check.result.ok()) << check.result.errors.front().path;
  auto unknown = v2::notification_event(v2::XmlFields{{"return_code", "SUCCESS"}});
  EXPECT_EQ(unknown.event_type, "");
  EXPECT_EQ(unknown.contract, nullptr);
}

}  // namespace
}  // namespace wechatpay
