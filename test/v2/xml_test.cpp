#include "wechatpay/v2/xml.hpp"

#include <gtest/gtest.h>

#include "wechatpay/errors.hpp"

namespace wechatpay::v2 {
namespace {

TEST(V2XmlTest, BuildsWithoutDeclarationInOrder) {
  XmlFields fields{{"return_code", "SUCCESS"}, {"appid", "wx1"}, {"empty", ""}};
  EXPECT_EQ(to_xml(fields),
            "<xml><return_code>SUCCESS</return_code><appid>wx1</appid><empty></empty></xml>");
}

TEST(V2XmlTest, SpecialCharactersGoInCdata) {
  EXPECT_EQ(to_xml({{"a", "x<y"}}), "<xml><a><![CDATA[x<y]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "x>y"}}), "<xml><a><![CDATA[x>y]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "x&y"}}), "<xml><a><![CDATA[x&y]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "it's"}}), "<xml><a><![CDATA[it's]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "\"q\""}}), "<xml><a><![CDATA[\"q\"]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "plain 中文"}}), "<xml><a>plain 中文</a></xml>");
  EXPECT_EQ(to_xml({{"a", "ok"}}, /*always_cdata=*/true), "<xml><a><![CDATA[ok]]></a></xml>");
}

TEST(V2XmlTest, CdataTerminatorIsSplit) {
  EXPECT_EQ(to_xml({{"a", "x]]>y"}}), "<xml><a><![CDATA[x]]]]><![CDATA[>y]]></a></xml>");
  for (const std::string value : {"]]>", "a]]>b]]>c", "]]]]>>", "<![CDATA[x]]>"}) {
    EXPECT_EQ(parse_xml(to_xml({{"v", value}})).at("v"), value) << value;
  }
}

// Found by the v2_xml fuzzer: a parser turns a literal CR (or CRLF) into LF, also inside CDATA,
// so a CR must travel as the reference &#13; or the receiver signs another value.
TEST(V2XmlTest, CarriageReturnsAreWrittenAsReferences) {
  EXPECT_EQ(to_xml({{"a", "x\r\ny"}}), "<xml><a>x&#13;\ny</a></xml>");
  EXPECT_EQ(to_xml({{"a", "<\r>"}}), "<xml><a><![CDATA[<]]>&#13;<![CDATA[>]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", "\r"}}, /*always_cdata=*/true),
            "<xml><a><![CDATA[]]>&#13;<![CDATA[]]></a></xml>");
  for (const std::string value : {"\r", "line\r\ntwo", "\r\r\n", "a & b\r\n]]>\r", " \r "}) {
    for (bool cdata : {false, true}) {
      EXPECT_EQ(parse_xml(to_xml({{"v", value}}, cdata)).at("v"), value) << cdata;
    }
  }
}

// Found by the v2_xml fuzzer: tinyxml2 drops whitespace-only text, even when preserving
// whitespace, so such a value goes in CDATA.
TEST(V2XmlTest, WhitespaceOnlyValuesAreWrittenAsCdata) {
  EXPECT_EQ(to_xml({{"a", " "}}), "<xml><a><![CDATA[ ]]></a></xml>");
  EXPECT_EQ(to_xml({{"a", ""}}), "<xml><a></a></xml>");
  for (const std::string value : {" ", "\n", "\t \n", " \r\n "}) {
    EXPECT_EQ(parse_xml(to_xml({{"v", value}})).at("v"), value);
  }
}

// Found by the v2_xml fuzzer: tinyxml2 skipped a leading \v as whitespace, so a document XML
// 1.0 forbids parsed (and looks_like_xml disagreed).
TEST(V2XmlTest, ControlCharactersAreRejected) {
  const std::string nul_after_root("<xml><a>1</a></xml>\0", 21);
  for (const std::string& doc : {std::string("\v<xml><a>1</a></xml>"),
                                 std::string("<xml><a>1\f</a></xml>"), nul_after_root}) {
    EXPECT_THROW((void)parse_xml(doc), XmlError);
  }
  EXPECT_EQ(parse_xml("\t\r\n<xml><a>1\t</a></xml>").at("a"), "1\t");
}

TEST(V2XmlTest, RoundTrips) {
  const XmlFields fields{{"return_code", "SUCCESS"},
                         {"body", "腾讯充值中心-QQ会员充值"},
                         {"attach", "a & b < c > d ' e \" f"},
                         {"empty", ""},
                         {"spaces", "  padded  "},
                         {"lines", "one\ntwo\tthree"},
                         {"emoji", "😀"}};
  EXPECT_EQ(parse_xml(to_xml(fields)), fields);
}

TEST(V2XmlTest, ParsesWeChatStyleResponse) {
  const std::string body =
      "<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n"
      "  <return_msg><![CDATA[OK]]></return_msg>\n  <total_fee>1</total_fee>\n"
      "  <empty/>\n  <!-- comment -->\n  <mixed>a<![CDATA[<b>]]>c&amp;&#x4E2D;</mixed>\n</xml>\n";
  const XmlFields fields = parse_xml(body);
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields.fields()[0], XmlFields::Field("return_code", "SUCCESS"));
  EXPECT_EQ(fields.at("return_msg"), "OK");
  EXPECT_EQ(fields.at("total_fee"), "1");
  EXPECT_EQ(fields.at("empty"), "");
  EXPECT_EQ(fields.at("mixed"), "a<b>c&中");
  EXPECT_EQ(fields.find("absent"), nullptr);
  EXPECT_EQ(fields.value("absent"), "");
  EXPECT_THROW((void)fields.at("absent"), Error);
}

TEST(V2XmlTest, AcceptsDeclarationAndBom) {
  EXPECT_EQ(parse_xml("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><a>1</a></xml>")
                .at("a"),
            "1");
  EXPECT_TRUE(looks_like_xml("\xEF\xBB\xBF  <xml/>"));
  EXPECT_FALSE(looks_like_xml("交易时间,公众账号ID\n`2014-11-10"));
  EXPECT_FALSE(looks_like_xml("\x1f\x8b\x08"));
  EXPECT_FALSE(looks_like_xml(""));
}

TEST(V2XmlTest, NestedElementsKeptAsXmlText) {
  const XmlFields fields = parse_xml("<xml><list><item>1</item><item>2</item></list></xml>");
  EXPECT_EQ(fields.at("list"), "<item>1</item><item>2</item>");
}

TEST(V2XmlTest, FieldsFromJsonPayload) {
  const Json payload = {{"appid", "wx1"},
                        {"total_fee", 100},
                        {"profit_sharing", true},
                        {"rate", 0.5},
                        {"nothing", nullptr},
                        {"detail", {{"cost_price", 1}, {"goods", Json::array({"a", "b"})}}}};
  const XmlFields fields = to_fields(payload);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields.at("total_fee"), "100");
  EXPECT_EQ(fields.at("profit_sharing"), "true");
  EXPECT_EQ(fields.at("rate"), "0.5");
  EXPECT_EQ(fields.at("nothing"), "");
  EXPECT_EQ(fields.at("detail"), R"({"cost_price":1,"goods":["a","b"]})");
  EXPECT_EQ(fields.fields().front().first, "appid");
  EXPECT_TRUE(to_fields(Json()).empty());
  EXPECT_TRUE(to_fields(Json::array()).empty());
  EXPECT_THROW((void)to_fields(Json("text")), ConfigError);
}

TEST(V2XmlTest, RejectsUnsafeNamesAndControlCharacters) {
  EXPECT_THROW((void)to_xml({{"a><b", "1"}}), ConfigError);
  EXPECT_THROW((void)to_xml({{"", "1"}}), ConfigError);
  EXPECT_THROW((void)to_xml({{"1abc", "1"}}), ConfigError);
  EXPECT_THROW((void)to_xml({{"a b", "1"}}), ConfigError);
  EXPECT_THROW((void)to_xml({{"a", std::string("x\0y", 3)}}), ConfigError);
  EXPECT_THROW((void)to_xml({{"a", "bell\x07"}}), ConfigError);
  EXPECT_NO_THROW((void)to_xml({{"sub_mch-id.v2:x", "1"}}));
}

TEST(V2XmlTest, FragmentInjectionStaysAValue) {
  const std::string hostile = "1</total_fee></xml><xml><sign>FORGED</sign><total_fee>1";
  const XmlFields fields = parse_xml(to_xml({{"total_fee", hostile}, {"sign", "REAL"}}));
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields.at("total_fee"), hostile);
  EXPECT_EQ(fields.at("sign"), "REAL");
}

TEST(V2XmlTest, RejectsExternalEntities) {
  const std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<xml><a>&xxe;</a></xml>";
  EXPECT_THROW((void)parse_xml(xxe), XmlError);
  const std::string parameter_entity =
      "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x.dtd\"> %p;]><xml/>";
  EXPECT_THROW((void)parse_xml(parameter_entity), XmlError);
  EXPECT_THROW((void)parse_xml("<!doctype xml SYSTEM \"file:///etc/passwd\"><xml/>"), XmlError);
}

TEST(V2XmlTest, RejectsBillionLaughs) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i < 10; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    doc += "\">";
  }
  doc += "]><xml><a>&lol9;</a></xml>";
  EXPECT_THROW((void)parse_xml(doc), XmlError);
}

TEST(V2XmlTest, UndeclaredEntitiesAreNeverExpanded) {
  EXPECT_THROW((void)parse_xml("<xml><a>&xxe;</a></xml>"), XmlError);
}

// tinyxml2 is lenient; parse_xml promises XmlError for anything not well-formed.
TEST(V2XmlTest, RejectsWhatTinyxml2WouldAccept) {
  const char* inputs[] = {
      "<xml><a>&nbsp;</a></xml>",          // undefined entity
      "<xml><a>&amp</a></xml>",            // unterminated reference
      "<xml><a>x]]>y</a></xml>",           // `]]>` in text
      "<xml><a b=\"<\">1</a></xml>",       // `<` in an attribute value
      "<xml><a b='&nbsp;'>1</a></xml>",    // undefined entity in an attribute
      "<xml><a>&#1;</a></xml>",            // a character XML 1.0 does not allow
      "<xml><a>&#xFFFE;</a></xml>",        // nor this one
      "<xml><a>&#x110000;</a></xml>",      // beyond Unicode
      "&#32;<xml><a>1</a></xml>",          // a reference before the root
      "<xml><a>1</a></xml>&#32;",          // and after it
      "<xml><a>1</a></xml></b>",           // a stray end tag after the root
      "</b><xml><a>1</a></xml>",           // and before it
      "<![CDATA[x]]><xml><a>1</a></xml>",  // CDATA outside the root
      "<xml><a>1</a><!ELEMENT a ANY></xml>",
  };
  for (const char* input : inputs) {
    EXPECT_THROW((void)parse_xml(input), XmlError) << input;
  }
}

TEST(V2XmlTest, AcceptsWhatXmlAllows) {
  const XmlFields fields = parse_xml(
      "<?xml version=\"1.0\"?><!-- note --><xml><a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#13;</a>"
      "<b><![CDATA[x]]]]><![CDATA[>y<&]]></b><c d=\"]]>\"/><!-- <!DOCTYPE in a comment "
      "--></xml>\n");
  EXPECT_EQ(fields.at("a"), "<>&'\"AB\r");
  EXPECT_EQ(fields.at("b"), "x]]>y<&");
  EXPECT_EQ(fields.at("c"), "");
}

TEST(V2XmlTest, RejectsNonXmlAndBrokenDocuments) {
  const char* inputs[] = {
      "",
      "   \n",
      "not xml at all",
      "{\"code\":\"PARAM_ERROR\"}",
      "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
      "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
      "<xml><return_code>SUCCESS</return_code><return_msg>OK",  // truncated
      "<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg>",
      "<xml><a>1</b></xml>",
      "<xml><a>1</a></xml><xml><a>2</a></xml>",  // two roots
      "<xml><a>1</a></xml>trailing",
      "<xml>bare text<a>1</a></xml>",
      "<xml><a>1</a><a>2</a></xml>",  // duplicate key: ambiguous for signatures
      "<root><a>1</a></root>",
  };
  for (const char* input : inputs) {
    EXPECT_THROW((void)parse_xml(input), XmlError) << input;
  }
  EXPECT_THROW((void)parse_xml(std::string("<xml><a>1</a></xml>\0<b/>", 25)), XmlError);
}

// Found by the v2_xml fuzzer: tinyxml2 skipped a byte order mark that followed whitespace.
TEST(V2XmlTest, AByteOrderMarkOnlyOpensTheDocument) {
  EXPECT_EQ(parse_xml("\xEF\xBB\xBF<xml><a>1</a></xml>").at("a"), "1");
  EXPECT_THROW(parse_xml("\n\t\xEF\xBB\xBF<xml><a>1</a></xml>"), XmlError);
  EXPECT_FALSE(looks_like_xml("\n\t\xEF\xBB\xBF<xml><a>1</a></xml>"));
}

TEST(V2XmlTest, ParsesAnyRootWhenAsked) {
  EXPECT_EQ(parse_xml("<root><a>1</a></root>", "root").at("a"), "1");
  EXPECT_EQ(parse_xml("<root><a>1</a></root>", "").at("a"), "1");
  EXPECT_THROW((void)parse_xml("<xml><a>1</a></xml>", "root"), XmlError);
}

TEST(V2XmlTest, ResponseAccess) {
  Response response;
  response.body = "<xml><return_code>SUCCESS</return_code></xml>";
  EXPECT_EQ(xml(response).at("return_code"), "SUCCESS");
  response.body = "<html>oops</html>";
  EXPECT_THROW((void)xml(response), XmlError);
}

TEST(V2XmlTest, FieldEditing) {
  XmlFields fields{{"a", "1"}};
  fields.set("a", "2");
  fields.set("b", "3");
  fields.add("c", "4");
  EXPECT_EQ(fields, (XmlFields{{"a", "2"}, {"b", "3"}, {"c", "4"}}));
  EXPECT_TRUE(fields.erase("b"));
  EXPECT_FALSE(fields.erase("b"));
  EXPECT_FALSE(fields.contains("b"));
}

}  // namespace
}  // namespace wechatpay::v2
