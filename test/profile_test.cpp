#include "wechatpay/profile.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

constexpr const char* kProfile = R"({
  "mchid": "1900000001",
  "serial": "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
  "private_key": "keys/apiclient_key.pem",
  "certs": {"5157F09EFDC096DE15EBE81A47057A72": "/etc/wechatpay/platform.pem",
            "PUB_KEY_ID_0114232134912410000000000000": "pub_key.pem"},
  "apiv3_key": "0123456789abcdef0123456789abcdef",
  "secret": "192006250b4c09247ec02edce69f6a2d",
  "merchant_cert": "apiclient_cert.pem",
  "merchant_key": "keys/apiclient_key.pem",
  "base_uri": "https://127.0.0.1:8443/",
  "ca_bundle": "ca.pem"
})";

// The ConfigError's field for a profile with `text`.
std::string failing_field(const std::string& text) {
  test::TempDir dir;
  try {
    read_profile(dir.write("profile.json", text).string());
  } catch (const ConfigError& e) {
    return e.field();
  }
  return "(no error)";
}

// kProfile with `from` replaced by `to`.
std::string edited(const std::string& from, const std::string& to) {
  std::string text = kProfile;
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Profile, ReadsEveryFieldAndResolvesPathsAgainstItsDirectory) {
  test::TempDir dir;
  const std::string base = dir.path().lexically_normal().string();
  Profile profile = read_profile(dir.write("profile.json", kProfile).string());
  const ClientConfig& c = profile.config;
  EXPECT_EQ(c.mchid, "1900000001");
  EXPECT_EQ(c.serial, "3775B6A45ACD588826D15E583A95F5DD2A5C6A74");
  EXPECT_EQ(c.private_key, "file://" + base + "/keys/apiclient_key.pem");
  EXPECT_EQ(c.certs.at("5157F09EFDC096DE15EBE81A47057A72"), "file:///etc/wechatpay/platform.pem");
  EXPECT_EQ(c.certs.at("PUB_KEY_ID_0114232134912410000000000000"),
            "file://" + base + "/pub_key.pem");
  EXPECT_EQ(c.secret, "192006250b4c09247ec02edce69f6a2d");
  EXPECT_EQ(c.merchant_cert, base + "/apiclient_cert.pem");
  EXPECT_EQ(c.merchant_key, base + "/keys/apiclient_key.pem");
  EXPECT_EQ(c.base_uri, "https://127.0.0.1:8443/");
  EXPECT_EQ(c.ca_bundle, base + "/ca.pem");
  EXPECT_EQ(profile.apiv3_key, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(profile.config.apiv3_key, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(load_profile(dir / "profile.json").mchid, "1900000001");
}

TEST(Profile, OptionalFieldsMayBeLeftOut) {
  test::TempDir dir;
  auto path = dir.write("profile.json", R"({"mchid":"1","serial":"AB","private_key":"/k.pem",
      "certs":{"PUB_KEY_ID_1":"/p.pem"},"base_uri":"https://api.mch.weixin.qq.com/"})");
  ClientConfig c = load_profile(path.string());
  EXPECT_TRUE(c.secret.empty());
  EXPECT_TRUE(c.ca_bundle.empty());
  EXPECT_TRUE(c.merchant_cert.empty());
}

TEST(Profile, MissingOrMistypedFieldsAreConfigErrorsNamingThem) {
  EXPECT_EQ(failing_field(edited(R"("mchid": "1900000001",)", "")), "mchid");
  EXPECT_EQ(failing_field(edited(R"("mchid": "1900000001")", R"("mchid": 1900000001)")), "mchid");
  EXPECT_EQ(failing_field(edited(R"("serial": "3775B6A45ACD588826D15E583A95F5DD2A5C6A74")",
                                 R"("serial": "")")),
            "serial");
  EXPECT_EQ(failing_field(edited(R"("base_uri": "https://127.0.0.1:8443/",)", "")), "base_uri");
  EXPECT_EQ(failing_field(
                edited(R"("secret": "192006250b4c09247ec02edce69f6a2d")", R"("secret": ["x"])")),
            "secret");
  EXPECT_EQ(failing_field(edited(R"("apiv3_key": "0123456789abcdef0123456789abcdef")",
                                 R"("apiv3_key": "short")")),
            "apiv3_key");
  EXPECT_EQ(failing_field(edited(R"("pub_key.pem")", "42")),
            "certs[PUB_KEY_ID_0114232134912410000000000000]");
  EXPECT_EQ(failing_field(R"({"mchid":"1","serial":"AB","private_key":"/k.pem","certs":{},
      "base_uri":"https://x/"})"),
            "certs");
}

TEST(Profile, UnreadableOrNonJsonFilesAreConfigErrors) {
  EXPECT_EQ(failing_field("{\"mchid\": "), "profile");
  EXPECT_EQ(failing_field("[1, 2]"), "profile");
  try {
    load_profile("/nonexistent/profile.json");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), "profile");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/profile.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
