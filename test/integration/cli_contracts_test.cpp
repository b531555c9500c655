// `wxpay describe` and the contract checks of `wxpay <path> <verb>`: sensitive fields encrypted
// without --encrypt, a request that breaks its contract refused before sending (exit 2).
#include <gmock/gmock.h>

#include "integration/cli_runner.hpp"
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class CliContracts : public SandboxTest {
 protected:
  static CliRun wxpay_with_profile(std::vector<std::string> args) {
    args.insert(args.begin(), {"--profile", sandbox().profile_path()});
    return run_wxpay(args);
  }
};

TEST_F(CliContracts, DescribePrintsEveryFieldWithoutAProfile) {
  auto run = run_wxpay({"describe", "post", "v3/payroll-card/tokens"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("POST v3/payroll-card/tokens  (APIv3, JSON)\n"));
  EXPECT_THAT(run.out, HasSubstr("headers.Wechatpay-Serial"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex(
                           "\n  user_name +string +required, sensitive: encrypted for WeChat Pay"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("\n  appid +string +optional\n"));
  EXPECT_THAT(run.out, HasSubstr("one of: LONG_TERM_EMPLOYMENT SHORT_TERM_EMPLOYMENT"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("answer:\n(.*\n)*  expires_in +integer +required"));
}

TEST_F(CliContracts, DescribeTakesThePureChainPathAndNestedFields) {
  auto run = run_wxpay({"describe", "POST", "v3/pay/transactions/jsapi"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out,
              ::testing::ContainsRegex("\n  payer.identity.number +string +required, sensitive"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex(
                           "\n  detail.goods_detail\\[\\].quantity +integer +required"));
  auto pure = run_wxpay({"describe", "get", "v3/pay/transactions/id/_transaction_id_"});
  ASSERT_EQ(pure.exit_code, 0) << pure.err;
  EXPECT_THAT(pure.out, StartsWith("GET v3/pay/transactions/id/{transaction_id}"));
  EXPECT_THAT(pure.out, ::testing::ContainsRegex("\n  params.transaction_id +string +required"));
  EXPECT_THAT(pure.out, ::testing::ContainsRegex("\n  query.mchid +string +required"));
}

TEST_F(CliContracts, DescribingAnUnknownEndpointIsAUsageError) {
  auto run = run_wxpay({"describe", "get", "v3/no/such/endpoint"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, StartsWith("wxpay: usage: no documented endpoint get v3/no/such/endpoint"));
}

TEST_F(CliContracts, SensitiveFieldsAreEncryptedWithoutBeingNamed) {
  auto run = wxpay_with_profile(
      {"v3/payroll-card/tokens", "post", "--json",
       R"({"openid":"onqOjjmo8wmTOOtSKwXtGjg9Gb58","appid":"wxa1111111","sub_mchid":"1111111",)"
       R"("user_name":"张三","id_card_number":"110101199003077777",)"
       R"("employment_type":"LONG_TERM_EMPLOYMENT"})"});
  ASSERT_EQ(run.exit_code, 0) << run.err;  // the sandbox refuses fields that do not decrypt
  EXPECT_THAT(Json::parse(run.out).find("token")->str(), StartsWith("V1_PAYROLL_"));
}

TEST_F(CliContracts, AnUnfilledPlaceholderOrMissingFieldIsExitTwoWithNothingSent) {
  auto unfilled = wxpay_with_profile({"v3/pay/transactions/id/{transaction_id}", "get", "--query",
                                      "mchid=" + sandbox().profile().config.mchid});
  EXPECT_EQ(unfilled.exit_code, 2) << unfilled.err;
  EXPECT_EQ(unfilled.out, "");
  EXPECT_THAT(unfilled.err, StartsWith("wxpay: invalid request: GET "
                                       "v3/pay/transactions/id/{transaction_id}: "
                                       "params.transaction_id is required"));
  auto missing = wxpay_with_profile(
      {"v3/payroll-card/tokens", "post", "--json", R"({"openid":"o","user_name":"张三"})"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("sub_mchid is required"));
  EXPECT_THAT(missing.err, ::testing::Not(HasSubstr("张三")));
}

}  // namespace
}  // namespace wechatpay::test
