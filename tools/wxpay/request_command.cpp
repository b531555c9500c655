// wxpay <path> <verb>: any endpoint through client.chain(path).
#include <algorithm>
#include <array>
#include <cctype>
#include <iostream>
#include <string_view>

#include "args.hpp"
#include "commands.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "profile_flags.hpp"
#include "trace.hpp"
#include "wechatpay/client.hpp"

namespace wxpay {

const char* const kRequestUsage =
    "usage: wxpay <path> <verb> [options]\n"
    "Sends one request to any endpoint and prints the verified answer. Fields the endpoint's\n"
    "contract marks sensitive are encrypted for you and the request is checked against it\n"
    "first (wxpay describe <verb> <path> shows it); a missing field exits 2, nothing sent.\n"
    "  <path>              e.g. v3/pay/transactions/id/{transaction_id}; v2/... uses APIv2\n"
    "  <verb>              get, post, put, patch or delete\n"
    "  --json JSON         APIv3 body: the JSON itself, @FILE or @- (stdin)\n"
    "  --encrypt FIELD     encrypt this string of --json for WeChat Pay (payer.name or\n"
    "                      /payer/name), for fields the contract does not mark; repeatable\n"
    "  --query K=V         query parameter; repeatable\n"
    "  --header K:V        request header; repeatable\n"
    "  --param K=V         fills {K} in <path>; repeatable\n"
    "  --xml K=V           APIv2 field; repeatable (mch_id defaults to the profile's)\n"
    "  --security          APIv2: present the merchant TLS certificate (secapi/ endpoints)\n"
    "  -i, --include       print HTTP <status> and the response headers first\n"
    "  -v, --verbose       on stderr: the request as signed and the answer's headers\n"
    "                      (Authorization and sign redacted)\n";

namespace {

constexpr std::array kFlags{kProfileFlag,
                            kBaseUriFlag,
                            kTimeoutFlag,
                            Flag{"--json", true},
                            Flag{"--encrypt", true, true},
                            Flag{"--query", true, true},
                            Flag{"--header", true, true},
                            Flag{"--param", true, true},
                            Flag{"--xml", true, true},
                            Flag{"--security"},
                            Flag{"--include", false, false, "-i"},
                            Flag{"--verbose", false, false, "-v"}};

std::string http_method(const std::string& verb) {
  static constexpr std::array<std::string_view, 5> kMethods{"GET", "POST", "PUT", "PATCH",
                                                            "DELETE"};
  std::string method = verb;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) {
    throw UsageError("unknown verb '" + verb + "' (get, post, put, patch or delete)");
  }
  return method;
}

void check_flags_fit(const ParsedArgs& args, bool v2) {
  if (v2 && (args.has("--json") || args.has("--encrypt"))) {
    throw UsageError("v2/ paths take --xml fields, not --json");
  }
  if (!v2 && (args.has("--xml") || args.has("--security"))) {
    throw UsageError("--xml and --security are for v2/ paths");
  }
  if (args.has("--encrypt") && !args.has("--json")) throw UsageError("--encrypt needs --json");
}

// Everything but the v3 body, which may need the client to encrypt fields.
wechatpay::Options request_options(const ParsedArgs& args) {
  wechatpay::Options options;
  for (const auto& item : args.values("--query")) {
    options.query.push_back(split_pair(item, '=', "--query", ""));
  }
  for (const auto& item : args.values("--header")) {
    auto [name, value] = split_pair(item, ':', "--header", "");
    value.erase(0, value.find_first_not_of(" \t"));
    options.headers.add(std::move(name), std::move(value));
  }
  for (const auto& item : args.values("--param")) {
    auto [name, value] = split_pair(item, '=', "--param", "");
    options.params[name] = std::move(value);
  }
  for (const auto& item : args.values("--xml")) {
    auto [name, value] = split_pair(item, '=', "--xml", "");
    options.xml.set(std::move(name), std::move(value));
  }
  options.security = args.has("--security");
  return options;
}

// --json with each --encrypt field sealed for the key the client names in Wechatpay-Serial.
wechatpay::Json json_body(rapidjson::Document doc, const ParsedArgs& args,
                          const wechatpay::Client& client) {
  for (const auto& field : args.values("--encrypt")) {
    encrypt_field(
        doc, field, [&](std::string_view plain) { return client.encrypt(plain); }, "");
  }
  return wechatpay::Json(static_cast<const rapidjson::Value&>(doc));
}

// APIv2 payloads name the merchant; the profile's unless the caller named one (some endpoints
// say mchid or combine_mch_id).
void fill_mch_id(wechatpay::Json& fields, const std::string& mchid) {
  for (const char* name : {"mch_id", "mchid", "combine_mch_id"}) {
    if (fields.find(name)) return;
  }
  fields.set("mch_id", mchid);
}

}  // namespace

int run_request(Arguments arguments, std::ostream& out) {
  ParsedArgs args = parse_args(arguments, kFlags, "");
  if (args.has("--help")) return print_help(out, kRequestUsage);
  if (args.positional.size() != 2) throw UsageError("expected <path> <verb>");
  std::string path = args.positional[0];
  path.erase(0, path.find_first_not_of('/'));
  std::string method = http_method(args.positional[1]);
  bool v2 = path.starts_with("v2/");
  check_flags_fit(args, v2);
  // Usage problems are reported before the profile is read.
  auto json = args.value("--json");
  rapidjson::Document doc;
  if (json) doc = parse_json_argument(*json, "");
  wechatpay::Options options = request_options(args);

  wechatpay::Client client(load_profile(args, "").config);
  if (json) options.json = json_body(std::move(doc), args, client);
  if (v2) fill_mch_id(options.xml, client.mchid());
  if (args.has("--verbose")) trace_exchanges(client, std::cerr);
  wechatpay::Response response = client.chain(path).send(method, std::move(options));
  print_response(response, args.has("--include"), v2, out);
  return 0;
}

}  // namespace wxpay
