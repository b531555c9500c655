// The optional nlohmann-json adapter (built when nlohmann-json3-dev is installed).
#include "wechatpay/nlohmann.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <regex>

#include "support/pki.hpp"
#include "support/wechatpay_fixtures.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/v3/notification.hpp"

namespace wechatpay {
namespace {

const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";

// Records what goes on the wire and answers with a body signed by WeChat Pay's key.
class AnsweringTransport : public Transport {
 public:
  void send(Request request, Completion done) override {
    sent = request;
    Response response;
    response.status = 200;
    response.headers = test::wechatpay_headers(platform_key, kPublicKeyId, answer,
                                               static_cast<std::int64_t>(std::time(nullptr)));
    response.headers.set("Content-Type", "application/json");
    response.body = answer;
    done(nullptr, std::move(response));
  }
  bool on_io_thread() const override { return false; }

  crypto::PrivateKey platform_key =
      crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem);
  std::string answer = R"({"prepay_id":"wx201410272009395522657a690389285100","z":1,"a":[1,2]})";
  Request sent;
};

class Nlohmann : public ::testing::Test {
 protected:
  std::shared_ptr<AnsweringTransport> transport_ = std::make_shared<AnsweringTransport>();
  Client client_{{.mchid = "1900000001",
                  .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                  .private_key = test::cached_rsa_key("merchant").private_pem,
                  .certs = {{kPublicKeyId, test::cached_rsa_key("platform").public_pem}},
                  .transport = transport_}};
};

TEST_F(Nlohmann, OrderedJsonKeepsKeyOrderAndJsonSortsAsNlohmannDoes) {
  nlohmann::ordered_json ordered = {{"z", 1}, {"appid", "wx"}, {"amount", {{"total", 100}}}};
  EXPECT_EQ(from_nlohmann(ordered).dump(), R"({"z":1,"appid":"wx","amount":{"total":100}})");
  nlohmann::json sorted = {{"z", 1}, {"appid", "wx"}};
  EXPECT_EQ(from_nlohmann(sorted).dump(), R"({"appid":"wx","z":1})");
  // UTF-8 is sent as UTF-8, not escaped.
  EXPECT_EQ(from_nlohmann(nlohmann::ordered_json{{"description", "爱马哥"}}).dump(),
            "{\"description\":\"爱马哥\"}");
}

TEST_F(Nlohmann, TheBytesSignedAreTheBytesSent) {
  nlohmann::ordered_json order = {{"out_trade_no", "T1"},
                                  {"description", "Image形象店-深圳腾大-QQ公仔"},
                                  {"amount", {{"total", 1}, {"currency", "CNY"}}},
                                  {"appid", "wxd678efh567hg6787"}};
  client_["v3/pay/transactions/jsapi"]->post(
      {.json = from_nlohmann(order), .validation = ValidationMode::off});
  const Request& sent = transport_->sent;
  EXPECT_EQ(sent.body, order.dump());
  const std::string authorization = sent.headers.value("Authorization");
  // One field of the Authorization header, in whatever order the fields come.
  auto field = [&](const std::string& name) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(authorization, m, std::regex(name + R"re(="([^"]+)")re")))
        << name << " in " << authorization;
    return m.size() > 1 ? m[1].str() : std::string();
  };
  const std::string message = "POST\n" + sent.target() + "\n" + field("timestamp") + "\n" +
                              field("nonce_str") + "\n" + sent.body + "\n";
  EXPECT_TRUE(crypto::rsa_verify_sha256(
      crypto::PublicKey::load(test::cached_rsa_key("merchant").public_pem), message,
      field("signature")));
}

TEST_F(Nlohmann, AnAnswerBecomesNlohmannJson) {
  auto response = client_["v3/pay/transactions/jsapi"]->post(
      {.json = {{"x", 1}}, .validation = ValidationMode::off});
  nlohmann::json answer = to_nlohmann(response);
  EXPECT_EQ(answer["prepay_id"], "wx201410272009395522657a690389285100");
  EXPECT_EQ(answer["a"][1], 2);
  auto ordered = to_nlohmann<nlohmann::ordered_json>(response);
  EXPECT_EQ(ordered.dump(), transport_->answer);  // ordered_json keeps the answer's order
  EXPECT_EQ(to_nlohmann(response.json()["a"]).dump(), "[1,2]");
  try {
    to_nlohmann(response.json()["amount"]);
    FAIL() << "expected a JsonReadError";
  } catch (const JsonReadError& e) {
    EXPECT_EQ(e.path(), "amount");
  }
}

TEST_F(Nlohmann, NumbersKeepTheirKind) {
  Response r;
  r.body = R"([-9223372036854775808,18446744073709551615,0.5,true,null,"s"])";
  auto json = to_nlohmann(r);
  EXPECT_TRUE(json[0].is_number_integer());
  EXPECT_EQ(json[0].get<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(json[1].is_number_unsigned());
  EXPECT_EQ(json[1].get<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_TRUE(json[2].is_number_float());
  EXPECT_EQ(json.dump(), r.body);
}

TEST_F(Nlohmann, ANotificationResourceBecomesNlohmannJson) {
  const std::string resource = R"({"out_trade_no":"T1","amount":{"total":100}})";
  const std::string body = Json{{"id", "EV-1"},
                                {"create_time", "2015-05-20T13:29:35+08:00"},
                                {"event_type", "TRANSACTION.SUCCESS"},
                                {"resource_type", "encrypt-resource"},
                                {"resource", test::sealed(resource, "transaction")}}
                               .dump();
  auto headers = test::wechatpay_headers(transport_->platform_key, kPublicKeyId, body,
                                         static_cast<std::int64_t>(std::time(nullptr)));
  auto notification = v3::parse_notification(client_.key_store(), test::kApiV3Key, headers, body);
  auto json = to_nlohmann<nlohmann::ordered_json>(notification);
  EXPECT_EQ(json.dump(), resource);
  EXPECT_EQ(json["amount"]["total"], 100);
}

TEST_F(Nlohmann, AStringThatIsNotUtf8IsAnError) {
  EXPECT_THROW(from_nlohmann(nlohmann::json{{"s", std::string("\xff\xfe")}}), Error);
}

}  // namespace
}  // namespace wechatpay
