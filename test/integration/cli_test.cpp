// The `wxpay` command line against the real sandbox: any endpoint (v3, v2), output, and one exit
// code per kind of failure.

#include <gmock/gmock.h>

#include "integration/cli_runner.hpp"
#include "integration/sandbox_fixture.hpp"
#include "support/closed_port.hpp"

namespace wechatpay::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kFaceToken =
    R"({"scene":"WEBSESSION","web_init_data":{"out_user_id":"user-0001","organization_id":"org-0001"}})";
const std::string kPayrollToken =
    R"({"openid":"onqOjjmo8wmTOOtSKwXtGjg9Gb58","appid":"wxa1111111","sub_mchid":"1111111",)"
    R"("sub_appid":"wxb1111111","user_name":"张三","id_card_number":"110101199003077777",)"
    R"("employment_type":"LONG_TERM_EMPLOYMENT"})";

class Cli : public SandboxTest {
 protected:
  // wxpay --profile <sandbox profile> args...
  static CliRun wxpay(std::vector<std::string> args, CliEnvironment setup = {}) {
    args.insert(args.begin() + (args.empty() || args[0].starts_with("-") ? 0 : 1),
                {"--profile", sandbox().profile_path()});
    return run_wxpay(args, setup);
  }

  // A failure: nothing on stdout, exactly one line on stderr, starting "wxpay: <kind>:".
  static void expect_failure(const CliRun& run, int exit_code, const std::string& kind) {
    EXPECT_EQ(run.exit_code, exit_code) << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(line_count(run.err), 1u) << run.err;
    EXPECT_THAT(run.err, StartsWith("wxpay: " + kind + ": "));
    Profile profile = sandbox().profile();
    for (const std::string& secret : {profile.apiv3_key, profile.config.secret}) {
      EXPECT_THAT(run.err, Not(HasSubstr(secret)));
    }
    EXPECT_THAT(run.err, Not(HasSubstr("PRIVATE KEY")));
  }
};

TEST_F(Cli, V3PostPrintsTheVerifiedAnswerAsPrettyJson) {
  auto run = wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  auto answer = Json::parse(run.out);
  EXPECT_THAT(answer.find("token")->str(), StartsWith("V1_FACE_"));
  EXPECT_THAT(run.out, StartsWith("{\n  \"token\": \"V1_FACE_"));  // two-space indent
}

TEST_F(Cli, EncryptedFieldsAreSealedForTheSandboxKey) {
  auto run = wxpay({"v3/payroll-card/tokens", "post", "--json", kPayrollToken, "--encrypt",
                    "user_name", "--encrypt", "/id_card_number"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(Json::parse(run.out).find("token")->str(), StartsWith("V1_PAYROLL_"));
  // The same body without --encrypt: the contract marks both fields sensitive, so they are
  // encrypted anyway (cli_contracts_test.cpp); --encrypt does not encrypt them twice.
}

TEST_F(Cli, JsonFromAFileAndFromStdin) {
  TempDir dir;
  auto file = dir.write("body.json", kFaceToken);
  auto from_file = wxpay({"v3/offlinefacemch/tokens", "post", "--json", "@" + file.string()});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  auto from_stdin = wxpay({"v3/offlinefacemch/tokens", "post", "--json", "@-"}, {kFaceToken});
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_THAT(Json::parse(from_stdin.out).find("token")->str(), StartsWith("V1_FACE_"));
}

TEST_F(Cli, IncludeShowsStatusAndHeadersFirst) {
  auto run = wxpay({"v3/offlinefacemch/tokens", "post", "-i", "--json", kFaceToken});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("HTTP 200\n"));
  EXPECT_THAT(run.out, HasSubstr("\nRequest-ID: "));
  EXPECT_THAT(run.out, HasSubstr("\nWechatpay-Signature: "));
  auto body = run.out.substr(run.out.find("\n\n") + 2);
  EXPECT_THAT(Json::parse(body).find("token")->str(), StartsWith("V1_FACE_"));
}

TEST_F(Cli, ParamsFillTheUriTemplateAndQueriesAreSent) {
  // Create an order, then read it back through a templated path.
  auto order =
      wxpay({"v3/pay/transactions/native", "post", "--json",
             R"({"appid":"wxd678efh567hg6787","mchid":")" + sandbox().profile().config.mchid +
                 R"(","description":"cli","out_trade_no":"CLI-PARAM-1",)"
                 R"("notify_url":"https://example.com/n","amount":{"total":1}})"});
  ASSERT_EQ(order.exit_code, 0) << order.err;
  auto run =
      wxpay({"v3/pay/transactions/out-trade-no/{out_trade_no}", "get", "--param",
             "out_trade_no=CLI-PARAM-1", "--query", "mchid=" + sandbox().profile().config.mchid});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto answer = Json::parse(run.out);
  EXPECT_EQ(answer.find("out_trade_no")->str(), "CLI-PARAM-1");
  EXPECT_EQ(answer.find("trade_state")->str(), "NOTPAY");
}

TEST_F(Cli, V2PostPrintsTheFieldsOfTheVerifiedAnswer) {
  const std::string code = "134567890123456789";
  auto run =
      wxpay({"v2/tools/authcodetoopenid", "post", "--xml", "appid=wxd930ea5d5a258f4f", "--xml",
             "mch_id=" + sandbox().profile().config.mchid, "--xml", "auth_code=" + code});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The sandbox's openid for a payment code: "oUpF8u" + the first 22 hex digits of its MD5.
  auto md5 = dgst_value(run_ok("printf %s " + code + " | openssl dgst -md5"));
  EXPECT_THAT(run.out, HasSubstr("\nopenid: oUpF8u" + md5.substr(0, 22) + "\n"));
  EXPECT_THAT(run.out, HasSubstr("result_code: SUCCESS\n"));
}

TEST_F(Cli, V2FailureIsAnApiErrorWithItsCode) {
  auto run =
      wxpay({"v2/tools/authcodetoopenid", "post", "--xml", "appid=wxd930ea5d5a258f4f", "--xml",
             "mch_id=" + sandbox().profile().config.mchid, "--xml", "auth_code=999"});
  expect_failure(run, 7, "api error");
  EXPECT_THAT(run.err, HasSubstr("AUTH_CODE_INVALID"));
}

TEST_F(Cli, UnknownEndpointIsAnApiErrorWithStatusCodeAndRequestId) {
  auto run = wxpay({"v3/no/such/endpoint", "get"});
  expect_failure(run, 7, "api error");
  EXPECT_THAT(run.err, HasSubstr("HTTP 404 RESOURCE_NOT_EXISTS"));
  EXPECT_THAT(run.err, HasSubstr("(Request-ID "));
}

// The client's contract check passes it; the sandbox refuses another merchant's mchid.
TEST_F(Cli, ServerRefusalIsAnApiErrorNamingTheField) {
  auto run = wxpay({"v3/pay/transactions/jsapi", "post", "--json",
                    R"({"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"d",)"
                    R"("out_trade_no":"CLI1","notify_url":"https://example.com/n",)"
                    R"("amount":{"total":1},"payer":{"openid":"o"}})"});
  expect_failure(run, 7, "api error");
  EXPECT_THAT(run.err, HasSubstr("HTTP 400 PARAM_ERROR"));
  EXPECT_THAT(run.err, HasSubstr("mchid"));
}

TEST_F(Cli, BadSignatureIsAVerificationFailure) {
  auto run = wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken, "--header",
                    "Sandbox-Fault: bad_signature"});
  expect_failure(run, 6, "verification");
}

TEST_F(Cli, ClosedPortIsATransportFailure) {
  auto run = wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken, "--base-uri",
                    "https://127.0.0.1:" + std::to_string(closed_port()) + "/"});
  expect_failure(run, 4, "transport");
}

TEST_F(Cli, SlowAnswerIsATimeout) {
  auto run = wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken, "--header",
                    "Sandbox-Fault: delay=5000", "--timeout", "0.5"});
  expect_failure(run, 5, "timeout");
}

TEST_F(Cli, BadUsageIsExitTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"v3/offlinefacemch/tokens", "post", "--bogus"},
           {"v3/offlinefacemch/tokens", "post", "--json"},
           {"v3/offlinefacemch/tokens", "post", "--json", "{\"scene\":"},
           {"v3/offlinefacemch/tokens", "fetch"},
           {"v3/offlinefacemch/tokens"},
           {"v3/offlinefacemch/tokens", "post", "--query", "novalue"},
           {"v3/offlinefacemch/tokens", "post", "--xml", "a=b"},
           {"v2/tools/authcodetoopenid", "post", "--json", "{}"},
           {"certificates"},
           {"download", "https://127.0.0.1/x", "--hash", "SHA1:xyz", "--out", "f"},
           {"bill", "tradebill", "--date", "2024-6-1", "--out", "f"},
           {"bill", "daybill", "--date", "2024-06-01", "--out", "f"}}) {
    SCOPED_TRACE(::testing::PrintToString(args));
    auto run = wxpay(args);
    expect_failure(run, 2, "usage");
    EXPECT_THAT(run.err, HasSubstr("--help)"));
  }
  auto run = run_wxpay({});
  expect_failure(run, 2, "usage");
  EXPECT_THAT(run_wxpay({"notify", "--bogus"}).err,
              testing::EndsWith("unknown option --bogus (see wxpay notify --help)\n"));
  EXPECT_THAT(wxpay({"v3/x", "post", "--json", "[1,"}).err, HasSubstr("not valid JSON"));
}

TEST_F(Cli, ProfileComesFromTheFlagTheEnvironmentOrTheWorkingDirectory) {
  TempDir empty;
  auto missing = run_wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken},
                           {.cwd = empty.path().string()});
  expect_failure(missing, 3, "config");
  EXPECT_THAT(missing.err, HasSubstr("./wechatpay-sandbox-state/profile.json"));

  auto from_env = run_wxpay({"v3/offlinefacemch/tokens", "post", "--json", kFaceToken},
                            {.env = {"WXPAY_PROFILE=" + sandbox().profile_path()}});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;

  auto malformed = empty.write("profile.json", "{\"mchid\": 1}");
  auto bad = run_wxpay({"--profile", malformed.string(), "v3/x", "get"});
  expect_failure(bad, 3, "config");
  EXPECT_THAT(bad.err, HasSubstr("mchid"));
}

TEST_F(Cli, HelpForEveryCommandMentionsItsFlags) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> mentions;
  };
  for (const auto& c : std::vector<Case>{
           {{"--help"}, {"--json", "--xml", "--param", "--profile", "exit codes", "7  WeChat"}},
           {{"-h"}, {"certificates", "notify", "download", "bill"}},
           {{"v3/x", "post", "--help"}, {"--json", "--encrypt", "--header", "-i"}},
           {{"certificates", "--help"}, {"--out DIR", "--profile"}},
           {{"notify", "-h"}, {"--headers-only", "stdin"}},
           {{"download", "--help"}, {"--hash", "--out FILE", "--gzip"}},
           {{"bill", "--help"}, {"tradebill", "--date", "--gzip", "--out"}}}) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    auto run = run_wxpay(c.args);
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.err, "");
    for (const auto& mention : c.mentions) EXPECT_THAT(run.out, HasSubstr(mention));
  }
}

}  // namespace
}  // namespace wechatpay::test
