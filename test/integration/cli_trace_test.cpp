// wxpay -v (the signed request and the answer's headers, redacted), the one-line answer to a 204
// and --xml filling mch_id from the profile, against the real sandbox.
#include <gmock/gmock.h>

#include "integration/cli_runner.hpp"
#include "integration/sandbox_fixture.hpp"

namespace wechatpay::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class CliTrace : public SandboxTest {
 protected:
  static CliRun wxpay(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--profile", sandbox().profile_path()});
    return run_wxpay(args, {});
  }
  static std::string mchid() { return sandbox().profile().config.mchid; }
  static CliRun native_order(const std::string& out_trade_no) {
    return wxpay({"v3/pay/transactions/native", "post", "--json",
                  R"({"appid":"wxd678efh567hg6787","mchid":")" + mchid() +
                      R"(","description":"cli","out_trade_no":")" + out_trade_no +
                      R"(","notify_url":"https://example.com/n","amount":{"total":1}})"});
  }
};

TEST_F(CliTrace, VerboseShowsTheSignedRequestAndTheAnswerHeadersWithoutSecrets) {
  auto run = wxpay({"v3/pay/transactions/out-trade-no/{no}", "get", "-v", "--param", "no=NONE-1",
                    "--query", "mchid=" + mchid()});
  EXPECT_EQ(run.exit_code, 7) << run.err;  // the order does not exist: an ApiError
  EXPECT_THAT(run.err, StartsWith("> GET https://"));
  EXPECT_THAT(run.err, HasSubstr("/v3/pay/transactions/out-trade-no/NONE-1?mchid=" + mchid()));
  EXPECT_THAT(run.err, HasSubstr("> Authorization: WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid()));
  EXPECT_THAT(run.err, HasSubstr("> Wechatpay-Serial: "));
  EXPECT_THAT(run.err, Not(HasSubstr("signature=")));
  EXPECT_THAT(run.err, Not(HasSubstr("nonce_str=")));
  // The answer's headers come before the error line, even for a failure.
  EXPECT_THAT(run.err, HasSubstr("< HTTP 404\n"));
  EXPECT_THAT(run.err, HasSubstr("< Request-ID: "));
  EXPECT_THAT(run.err, HasSubstr("< Wechatpay-Signature: "));
  EXPECT_THAT(run.err, HasSubstr("wxpay: api error: "));
}

TEST_F(CliTrace, VerboseHidesTheApiV2Sign) {
  auto run = wxpay({"v2/tools/authcodetoopenid", "post", "-v", "--xml", "appid=wxd930ea5d5a258f4f",
                    "--xml", "auth_code=134567890123456789"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, StartsWith("> POST https://"));
  EXPECT_THAT(run.err, HasSubstr(" body bytes)\n< HTTP 200\n"));
  EXPECT_THAT(run.err, Not(HasSubstr("<sign>")));
  EXPECT_THAT(run.out, HasSubstr("result_code: SUCCESS\n"));
}

TEST_F(CliTrace, XmlFillsMchIdFromTheProfile) {
  // The same request as cli_test's with mch_id given, without it.
  auto run = wxpay({"v2/tools/authcodetoopenid", "post", "--xml", "appid=wxd930ea5d5a258f4f",
                    "--xml", "auth_code=134567890123456789"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("mch_id: " + mchid() + "\n"));
  EXPECT_THAT(run.out, HasSubstr("result_code: SUCCESS\n"));
}

TEST_F(CliTrace, ANoContentAnswerPrintsOneLine) {
  ASSERT_EQ(native_order("CLI-CLOSE-1").exit_code, 0);
  auto run = wxpay({"v3/pay/transactions/out-trade-no/{no}/close", "post", "--param",
                    "no=CLI-CLOSE-1", "--json", R"({"mchid":")" + mchid() + R"("})"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("HTTP 204 No Content: done (Request-ID "));
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
}

}  // namespace
}  // namespace wechatpay::test
