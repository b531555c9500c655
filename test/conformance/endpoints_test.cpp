// Every endpoint of ../shared/conformance/endpoints.jsonl, in all three chain styles, through the
// client's real stacks down to a capturing terminal handler. The expected URL is computed here
// independently (libcurl's escaping, the corpus's own rules), never taken from the client.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "support/pki.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

constexpr const char* kDefaultBase = "https://api.mch.weixin.qq.com/";
constexpr const char* kDefaultMchid = "1900000109";

struct Captured {
  std::string stack;  // "v3" or "v2": which stack the request went through
  Request request;
};

// Stops a request at the terminal handler once it is captured.
struct StopHere {};

class NullTransport : public Transport {
 public:
  void send(Request, Completion done) override {
    done(std::make_exception_ptr(TransportError("no network in conformance tests")), {});
  }
  bool on_io_thread() const override { return false; }
};

std::string escape(std::string_view text) {
  char* out = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string result(out);
  curl_free(out);
  return result;
}

bool is_expr(const rapidjson::Value& v) {
  return v.IsObject() && v.HasMember("$expr");
}

const contracts::Field* field_named(const std::vector<contracts::Field>* fields,
                                    std::string_view name) {
  if (!fields) return nullptr;
  for (const auto& field : *fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// PHP expressions in the corpus become a value of the right kind: the contract's type for the
// field (a number for `$timestamp`), else a string.
Json substitute(const rapidjson::Value& value, const contracts::Field* field = nullptr) {
  using contracts::FieldType;
  if (is_expr(value)) {
    if (field && (field->type == FieldType::integer || field->type == FieldType::number)) {
      return Json(1);
    }
    return Json("expr-value");
  }
  const std::vector<contracts::Field>* children = field ? &field->fields : nullptr;
  if (value.IsObject()) {
    Json out = Json::object();
    for (const auto& m : value.GetObject()) {
      out.set(m.name.GetString(), substitute(m.value, field_named(children, m.name.GetString())));
    }
    return out;
  }
  if (value.IsArray()) {
    Json::Array items;
    for (const auto& item : value.GetArray()) items.push_back(substitute(item, field));
    return Json(std::move(items));
  }
  return Json(value);
}

// The fields the contract documents for a row's payload part ("json", "xml"), as a pseudo-field.
contracts::Field payload_field(const std::string& method, const std::string& declarative,
                               const char* part) {
  contracts::Field payload;
  payload.type = contracts::FieldType::object;
  const auto* contract = contracts::ContractRegistry::builtin()->find(method, declarative);
  if (contract) {
    payload.fields =
        std::string_view(part) == "xml" ? contract->request.xml : contract->request.json;
  }
  return payload;
}

std::string scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (is_expr(v)) return "expr-value";
  return Json(v).dump();
}

struct Row {
  int line = 0;
  std::string method, declarative, property, doc;
  std::vector<std::string> chain;
  rapidjson::Document options;
  bool is_v2() const { return declarative.starts_with("v2/"); }
  const rapidjson::Value* option(const char* name) const {
    if (!options.IsObject()) return nullptr;
    auto it = options.FindMember(name);
    return it == options.MemberEnd() ? nullptr : &it->value;
  }
};

std::vector<Row> load_rows() {
  std::ifstream in(std::string(WECHATPAY_SHARED_DIR) + "/conformance/endpoints.jsonl");
  std::vector<Row> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    if (doc.HasParseError()) throw std::runtime_error("bad corpus line " + std::to_string(number));
    Row row;
    row.line = number;
    row.method = doc["method"].GetString();
    row.declarative = doc["declarative"].GetString();
    row.property = doc["property"].GetString();
    row.doc = doc["doc"].GetString();
    for (const auto& segment : doc["chain"].GetArray()) row.chain.emplace_back(segment.GetString());
    row.options.CopyFrom(doc["options"], row.options.GetAllocator());
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::set<std::string> kOptionKeys = {"json",     "xml",       "query",    "headers",
                                           "security", "nonceless", "base_uri", "body",
                                           "sink",     "timeout",   "handler"};

Options to_options(const Row& row) {
  Options options;
  if (!row.options.IsObject()) return options;
  for (const auto& m : row.options.GetObject()) {
    std::string key = m.name.GetString();
    const auto& v = m.value;
    if (key == "json") {
      auto payload = payload_field(row.method, row.declarative, "json");
      options.json = substitute(v, &payload);
    } else if (key == "xml") {
      // An empty mch_id (or an empty payload) in a documentation example means "yours".
      auto payload = payload_field(row.method, row.declarative, "xml");
      options.xml = v.IsObject() ? substitute(v, &payload) : Json::object();
      for (const char* field : {"mch_id", "mchid", "combine_mch_id"}) {
        if (const auto* id = options.xml.find(field); id && id->str().empty()) {
          options.xml.set(field, kDefaultMchid);
        }
      }
      if (!v.IsObject()) options.xml.set("mch_id", kDefaultMchid);
    } else if (key == "query") {
      if (is_expr(v)) {
        // A PHP `$params` array: for APIv2 it holds the merchant's own fields, which the
        // contract lists.
        options.query.emplace_back("mch_id", kDefaultMchid);
        options.query.emplace_back("expr", "expr-value");
        const auto* contract =
            contracts::ContractRegistry::builtin()->find(row.method, row.declarative);
        for (const auto& field :
             contract ? contract->request.query : std::vector<contracts::Field>{}) {
          if (field.required && field.name != "mch_id" && field.name != "sign") {
            options.query.emplace_back(
                field.name, field.type == contracts::FieldType::string ? "expr-value" : "1");
          }
        }
      } else {
        for (const auto& q : v.GetObject())
          options.query.emplace_back(q.name.GetString(), scalar_text(q.value));
      }
    } else if (key == "headers") {
      for (const auto& h : v.GetObject())
        options.headers.set(h.name.GetString(), scalar_text(h.value));
    } else if (key == "security") {
      options.security = v.IsTrue();
    } else if (key == "nonceless") {
      options.nonceless = v.IsTrue();
    } else if (key == "base_uri") {
      options.base_uri = v.GetString();
    } else if (key == "body") {
      options.body = Body{"--x\r\nbinary\r\n--x--\r\n", "multipart/form-data; boundary=x"};
    } else if (key == "sink") {
      options.sink = v.GetString();
    } else if (key == "timeout") {
      options.timeout = std::chrono::milliseconds(static_cast<long>(v.GetDouble() * 1000));
    } else if (!kOptionKeys.contains(key)) {
      options.params[key] = scalar_text(v);
    }
  }
  return options;
}

// The URL the corpus's rules give for a row, computed without the client.
std::string expected_url(const Row& row) {
  std::string path;
  static const std::regex placeholder(R"(\{([^}]*)\})");
  std::string rest = row.declarative;
  std::smatch match;
  while (std::regex_search(rest, match, placeholder)) {
    path += match.prefix();
    const auto* value = row.option(match[1].str().c_str());
    if (value) path += escape(scalar_text(*value));
    rest = match.suffix();
  }
  path += rest;
  if (row.is_v2()) path.erase(0, 3);
  const auto* base = row.option("base_uri");
  std::string url = (base ? base->GetString() : kDefaultBase) + path;
  if (const auto* query = row.option("query"); query) {
    std::string encoded;
    if (is_expr(*query)) {
      encoded = std::string("mch_id=") + kDefaultMchid + "&expr=expr-value";
    } else {
      for (const auto& q : query->GetObject()) {
        encoded += (encoded.empty() ? "" : "&") + escape(q.name.GetString()) + "=" +
                   escape(scalar_text(q.value));
      }
    }
    if (!encoded.empty()) url += "?" + encoded;
  }
  return url;
}

std::string expected_body_kind(const Row& row) {
  if (row.option("body")) return "raw";
  if (!row.is_v2() && row.option("json")) return "json";
  if (row.is_v2() && row.method != "GET" && row.option("xml")) return "xml";
  return "none";
}

std::string body_kind(const Request& request) {
  if (request.body.empty()) return "none";
  auto type = request.headers.value("Content-Type");
  if (type.starts_with("application/json")) return "json";
  if (type.starts_with("text/xml")) return "xml";
  return "raw";
}

class Conformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { rows_ = new std::vector<Row>(load_rows()); }
  static void TearDownTestSuite() { delete rows_; }

  // One client per merchant id: the APIv2 mchid guard compares it with the payload's.
  Client& client_for(const Row& row) {
    std::string mchid = kDefaultMchid;
    for (const char* source : {"xml", "query"}) {
      const auto* payload = row.option(source);
      if (!payload || !payload->IsObject()) continue;
      for (const char* field : {"mch_id", "mchid", "combine_mch_id"}) {
        if (auto it = payload->FindMember(field);
            it != payload->MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
          mchid = it->value.GetString();
        }
      }
    }
    auto found = clients_.find(mchid);
    if (found != clients_.end()) return found->second;
    const auto& merchant = test::cached_rsa_key("merchant");
    static const auto tls_client = test::make_client_certificate();
    ClientConfig config{.mchid = mchid,
                        .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                        .private_key = merchant.private_pem,
                        .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                                   test::cached_rsa_key("platform").public_pem}},
                        .secret = "conformance-v2-secret-0123456789",
                        .merchant_cert = tls_client.pem,
                        .merchant_key = tls_client.key.private_pem,
                        .transport = std::make_shared<NullTransport>(),
                        // The body is compared with the example's as written; the contract
                        // middleware's encryption has its own test (contracts_test.cpp), while
                        // its validation runs here on every example.
                        .auto_encrypt = false};
    Client client(config);
    for (auto [stack, name] : {std::pair{&client.stack(), "v3"}, {&client.v2_stack(), "v2"}}) {
      stack->set_handler([this, name = std::string(name)](Request request, Completion done) {
        captured_ = Captured{name, std::move(request)};
        done(std::make_exception_ptr(StopHere{}), {});
      });
    }
    return clients_.emplace(mchid, std::move(client)).first->second;
  }

  // Sends through one style; returns what reached the terminal handler.
  std::optional<Captured> capture(const Chain& chain, const Row& row, std::string& failure) {
    captured_.reset();
    try {
      chain.send(row.method, to_options(row));
      failure = "the request was not stopped at the terminal handler";
    } catch (const StopHere&) {
      return captured_;
    } catch (const std::exception& e) {
      failure = e.what();
    }
    return std::nullopt;
  }

  Chain pure_chain(Client& client, const Row& row) {
    Chain chain = row.chain[0] == "v2" ? client->v2 : client->v3;
    for (std::size_t i = 1; i < row.chain.size(); ++i) chain = chain[row.chain[i]];
    return chain;
  }

  Chain style_chain(Client& client, const Row& row, const std::string& style) {
    if (style == "pure") return pure_chain(client, row);
    if (style == "declarative") return client->chain(row.declarative);
    return client[row.property];
  }

  // Checks one captured request against the corpus row; reports each difference.
  bool matches(const Row& row, const Captured& got) {
    bool ok = true;
    auto check = [&](bool condition, const std::string& what) {
      if (!condition) ADD_FAILURE() << what;
      ok = ok && condition;
    };
    check(got.stack == (row.is_v2() ? "v2" : "v3"), "went through the " + got.stack + " stack");
    check(got.request.method == row.method, "method " + got.request.method);
    std::string url = got.request.url, want = expected_url(row);
    if (row.is_v2() && row.method == "GET") {
      // APIv2 GET requests carry the signed payload in the query; compare up to it.
      url = url.substr(0, url.find('?'));
      want = want.substr(0, want.find('?'));
    }
    check(url == want, "url " + url + " != " + want);
    check(body_kind(got.request) == expected_body_kind(row),
          "body kind " + body_kind(got.request) + " != " + expected_body_kind(row));
    if (!row.is_v2()) {
      check(got.request.headers.value("Authorization").starts_with("WECHATPAY2-SHA256-RSA2048 "),
            "v3 request not signed");
      if (row.option("json")) {
        check(got.request.body == to_options(row).json.dump(), "json body differs");
      }
    }
    return ok;
  }

  static std::vector<Row>* rows_;
  std::map<std::string, Client> clients_;
  std::optional<Captured> captured_;
};

std::vector<Row>* Conformance::rows_ = nullptr;

TEST_F(Conformance, EveryEndpointInAllThreeStyles) {
  const std::vector<std::string> styles = {"pure", "declarative", "property"};
  std::map<std::string, int> matched;
  for (const auto& row : *rows_) {
    auto& client = client_for(row);
    std::vector<Captured> built;
    for (const auto& style : styles) {
      SCOPED_TRACE(row.doc + " (line " + std::to_string(row.line) + ", " + style + ")");
      std::string failure;
      auto got = capture(style_chain(client, row, style), row, failure);
      if (!got) {
        ADD_FAILURE() << failure;
        continue;
      }
      if (matches(row, *got)) ++matched[style];
      built.push_back(std::move(*got));
    }
    // The three styles build one request: same method, URL and body (v2 bodies differ only
    // by their random nonce_str, so compare their kind).
    for (std::size_t i = 1; i < built.size(); ++i) {
      SCOPED_TRACE(row.doc);
      EXPECT_EQ(built[i].request.url.substr(0, built[i].request.url.find('?')),
                built[0].request.url.substr(0, built[0].request.url.find('?')));
      EXPECT_EQ(built[i].request.method, built[0].request.method);
      if (!row.is_v2()) {
        EXPECT_EQ(built[i].request.body, built[0].request.body);
      }
    }
  }
  int total = 0;
  for (const auto& style : styles) {
    std::cout << "[conformance] " << style << ": " << matched[style] << "/" << rows_->size()
              << " endpoints built the expected request\n";
    total += matched[style];
  }
  std::cout << "[conformance] " << total << "/" << rows_->size() * styles.size()
            << " checks passed\n";
  EXPECT_EQ(rows_->size(), 1143u) << "the corpus has changed size";
  EXPECT_EQ(total, static_cast<int>(rows_->size() * styles.size()));
}

}  // namespace
}  // namespace wechatpay
