// wechatpay-docgen: the endpoint index rows and the snippet extraction, against hand-written
// expectations.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "endpoint_index.hpp"
#include "snippets.hpp"

namespace docgen {
namespace {

constexpr const char* kCorpus =
    R"({"doc": "openapi/v3/payroll-card/tokens.md", "method": "POST", "chain": ["v3", "payrollCard", "tokens"], "options": {"json": {"openid": "o"}, "headers": {"Wechatpay-Serial": "PUB_KEY_ID_01"}}, "declarative": "v3/payroll-card/tokens", "property": "v3/payroll-card/tokens"})"
    "\n"
    R"({"doc": "x", "method": "DELETE", "chain": ["v3", "merchantRiskManage", "violationNotifications"], "options": [], "declarative": "v3/merchant-risk-manage/violation-notifications", "property": "v3/merchant-risk-manage/violation-notifications"})"
    "\n"
    R"({"doc": "x", "method": "GET", "chain": ["v3", "pay", "transactions", "id", "_transaction_id_"], "options": {"query": {"mchid": "1"}, "transaction_id": "42", "base_uri": "https://apihk.mch.weixin.qq.com/"}, "declarative": "v3/pay/transactions/id/{transaction_id}", "property": "v3/pay/transactions/id/{transaction_id}"})"
    "\n"
    R"({"doc": "x", "method": "POST", "chain": ["v3", "ecommerce", "applyments", "_empty_"], "options": {"json": {}}, "declarative": "v3/ecommerce/applyments/{empty}", "property": "v3/ecommerce/applyments/{empty}"})"
    "\n"
    R"({"doc": "x", "method": "POST", "chain": ["v2", "secapi", "pay", "refund"], "options": {"xml": {}, "security": true}, "declarative": "v2/secapi/pay/refund", "property": "v2/secapi/pay/refund"})"
    "\n";

std::vector<Endpoint> corpus() {
  std::istringstream in(kCorpus);
  return read_corpus(in);
}

TEST(EndpointIndex, ReadsRowsWithAnEmptyOptionsArray) {
  auto endpoints = corpus();
  ASSERT_EQ(endpoints.size(), 5u);
  EXPECT_EQ(endpoints[0].method, "POST");
  EXPECT_EQ(endpoints[0].option_keys, (std::vector<std::string>{"json", "headers"}));
  EXPECT_EQ(endpoints[0].header_names, std::vector<std::string>{"Wechatpay-Serial"});
  EXPECT_TRUE(endpoints[1].option_keys.empty());
  EXPECT_EQ(endpoints[2].base_uri, "https://apihk.mch.weixin.qq.com/");
}

TEST(EndpointIndex, MalformedRowsNameTheirLine) {
  auto error_of = [](const std::string& text) -> std::string {
    std::istringstream in(text);
    try {
      read_corpus(in);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  };
  std::string first_row = std::string(kCorpus).substr(0, std::string(kCorpus).find('\n') + 1);
  EXPECT_EQ(error_of(first_row + "{\"method\": 1}\n"), "corpus line 2: no string `method`");
  EXPECT_EQ(error_of("[1, 2]\n"), "corpus line 1: not a JSON object");
  EXPECT_EQ(error_of("{\"method\"\n"),
            "corpus line 1: not JSON (Missing a colon after a name of object member.)");
  EXPECT_EQ(error_of("\n{\"method\": \"GET\", \"declarative\": \"v3/x\", \"property\": "
                     "\"v3/x\", \"chain\": []}\n"),
            "corpus line 2: no `chain` segments");
  EXPECT_EQ(error_of(""), "the corpus is empty");
}

TEST(EndpointIndex, TheThreeCallForms) {
  auto endpoints = corpus();
  EXPECT_EQ(pure_chain_call(endpoints[0]), R"(client->v3["payrollCard"]["tokens"]->post)");
  EXPECT_EQ(declarative_call(endpoints[0]), R"(client->chain("v3/payroll-card/tokens")->post)");
  EXPECT_EQ(property_call(endpoints[0]), R"(client["v3/payroll-card/tokens"]->post)");
  EXPECT_EQ(pure_chain_call(endpoints[1]),
            R"(client->v3["merchantRiskManage"]["violationNotifications"]->del)");
  EXPECT_EQ(pure_chain_call(endpoints[4]), R"(client->v2["secapi"]["pay"]["refund"]->post)");
}

TEST(EndpointIndex, ProductIsTheFirstTwoSegments) {
  EXPECT_EQ(product_of("v3/payroll-card/tokens"), "v3/payroll-card");
  EXPECT_EQ(product_of("v3/certificates"), "v3/certificates");
  EXPECT_EQ(product_of("v2"), "v2");
}

TEST(EndpointIndex, RowsCarryOptionsAndGuides) {
  auto page = render_index(corpus(), [](const std::string& path) {
    return path == "v3/payroll-card/tokens" ? "endpoints/v3/payroll-card/tokens.md" : "";
  });
  EXPECT_NE(page.find("| POST | `client->v3[\"payrollCard\"][\"tokens\"]->post` | "
                      "`client->chain(\"v3/payroll-card/tokens\")->post`<br>"
                      "`client[\"v3/payroll-card/tokens\"]->post` | `.json` "
                      "`.headers` (Wechatpay-Serial) | "
                      "[guide](endpoints/v3/payroll-card/tokens.md) |\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("`.params` (transaction_id) `.query` "
                      "`.base_uri = \"https://apihk.mch.weixin.qq.com/\"` |  |"),
            std::string::npos);
  EXPECT_NE(page.find("`.params` (empty: leave unset) `.json`"), std::string::npos);
  EXPECT_NE(page.find("`.xml` `.security = true`"), std::string::npos);
  EXPECT_NE(page.find("| DELETE | `client->v3[\"merchantRiskManage\"]"), std::string::npos);
  // v3 products alphabetically, then v2.
  auto ecommerce = page.find("\n## v3/ecommerce\n");
  auto risk = page.find("\n## v3/merchant-risk-manage\n");
  auto pay = page.find("\n## v3/pay\n");
  auto payroll = page.find("\n## v3/payroll-card\n");
  auto secapi = page.find("\n## v2/secapi\n");
  ASSERT_NE(secapi, std::string::npos);
  EXPECT_LT(ecommerce, risk);
  EXPECT_LT(risk, pay);
  EXPECT_LT(pay, payroll);
  EXPECT_LT(payroll, secapi);
  EXPECT_NE(page.find("[v3/payroll-card](#v3payroll-card) (1)"), std::string::npos);
  EXPECT_NE(page.find("(5, in 5 products)"), std::string::npos);
}

constexpr const char* kPage =
    "# Title\n"                               // 1
    "```sh\n"                                 // 2
    "bash scripts/demo.sh\n"                  // 3
    "```\n"                                   // 4
    "```cpp\n"                                // 5
    "#include <map>\n"                        // 6
    "auto r = client->v3[\"x\"]->get();\n"    // 7
    "```\n"                                   // 8
    "- a list item:\n"                        // 9
    "  ```cpp top-level\n"                    // 10
    "  int twice(int x) { return 2 * x; }\n"  // 11
    "  ```\n"                                 // 12
    "````cpp\n"                               // 13
    "int main() {}\n"                         // 14
    "```\n"                                   // 15
    "````\n";                                 // 16

TEST(Snippets, ClassifiesBlocksAndKeepsTheirLines) {
  auto snippets = extract_snippets(kPage, "docs/page.md");
  ASSERT_EQ(snippets.size(), 3u);
  EXPECT_EQ(snippets[0].kind, SnippetKind::kStatements);
  EXPECT_EQ(snippets[0].first_line, 6);
  EXPECT_EQ(snippets[0].lines,
            (std::vector<std::string>{"#include <map>", "auto r = client->v3[\"x\"]->get();"}));
  EXPECT_EQ(snippets[1].kind, SnippetKind::kTopLevel);
  EXPECT_EQ(snippets[1].first_line, 11);
  EXPECT_EQ(snippets[1].lines, std::vector<std::string>{"int twice(int x) { return 2 * x; }"});
  // A longer fence holds a shorter one as text.
  EXPECT_EQ(snippets[2].kind, SnippetKind::kProgram);
  EXPECT_EQ(snippets[2].lines, (std::vector<std::string>{"int main() {}", "```"}));
}

TEST(Snippets, AnUnclosedBlockNamesPageAndLine) {
  try {
    extract_snippets("text\n\n```cpp\nint x;\n", "docs/broken.md");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "docs/broken.md:3: the code block opened here is never closed");
  }
}

TEST(Snippets, TheUnitPointsBackAtTheMarkdown) {
  auto unit = render_unit(extract_snippets(kPage, "docs/page.md"), "docs/page.md");
  // The include moves to file scope, keeping its line; its old place stays a blank line.
  auto include = unit.find("#line 6 \"docs/page.md\"\n#include <map>\n");
  auto body = unit.find(
      "void snippet_at_line_6([[maybe_unused]] wechatpay::Client& client) {\n{\n"
      "#line 6 \"docs/page.md\"\n\nauto r = client->v3[\"x\"]->get();\n}\n}\n");
  auto top_level = unit.find("#line 11 \"docs/page.md\"\nint twice(int x) { return 2 * x; }\n");
  auto program = unit.find("namespace program_at_line_14 {\n#line 14 \"docs/page.md\"\n");
  auto page_namespace = unit.find("namespace doc_docs_page_md {");
  ASSERT_NE(include, std::string::npos) << unit;
  ASSERT_NE(body, std::string::npos) << unit;
  ASSERT_NE(top_level, std::string::npos) << unit;
  ASSERT_NE(program, std::string::npos) << unit;
  EXPECT_LT(include, page_namespace);
  EXPECT_LT(page_namespace, body);
}

TEST(Snippets, APageWithoutCppIsAnEmptyUnit) {
  auto snippets = extract_snippets("# Title\n```sh\nls\n```\n```json\n{}\n```\n", "docs/p.md");
  EXPECT_TRUE(snippets.empty());
  auto unit = render_unit(snippets, "docs/p.md");
  EXPECT_EQ(unit.find("#include"), std::string::npos) << unit;
  EXPECT_EQ(unit.find("namespace"), std::string::npos) << unit;
}

}  // namespace
}  // namespace docgen
