// wxpay describe METHOD TEMPLATE: an endpoint's contract, from the data built into the library.
#include <array>
#include <iomanip>
#include <sstream>

#include "args.hpp"
#include "commands.hpp"
#include "profile_flags.hpp"
#include "wechatpay/contracts/registry.hpp"

namespace wxpay {

const char* const kDescribeUsage =
    "usage: wxpay describe <verb> <path>\n"
    "Prints the documented contract of an endpoint: each request and answer field with its\n"
    "type, whether it is required, whether it travels encrypted, and its documented values.\n"
    "  <verb>   get, post, put, patch or delete\n"
    "  <path>   the URI template (v3/pay/transactions/id/{transaction_id}) or the pure-chain\n"
    "           path (v3/pay/transactions/id/_transaction_id_, v3/payrollCard/tokens)\n"
    "Needs no profile.\n";

namespace {

using wechatpay::contracts::Encryption;
using wechatpay::contracts::Field;

std::string flags(const Field& field) {
  std::string out = field.required ? "required" : "optional";
  switch (field.encrypted) {
    case Encryption::wechatpay_public_key:
      out += ", sensitive: encrypted for WeChat Pay's key";
      break;
    case Encryption::merchant_public_key:
      out += ", sensitive: encrypted for the merchant's key (decrypted for you)";
      break;
    case Encryption::apiv3_key_aes_gcm:
      out += ", encrypted with the APIv3 key";
      break;
    case Encryption::none:
      break;
  }
  if (!field.enumeration.empty()) {
    out += ", one of:";
    for (const auto& value : field.enumeration) out += " " + value;
  }
  if (field.fixed_value) out += ", always " + *field.fixed_value;
  return out;
}

void print_part(std::ostream& out, const char* title, const std::vector<Field>& fields,
                const std::string& prefix) {
  if (fields.empty()) return;
  out << title << ":\n";
  wechatpay::contracts::walk_fields(
      fields,
      [&](const std::string& path, const Field& field) {
        out << "  " << std::left << std::setw(44) << path << ' ' << std::setw(9) << field.type_name
            << ' ' << flags(field) << '\n';
      },
      prefix);
}

}  // namespace

int run_describe(Arguments arguments, std::ostream& out) {
  static constexpr std::array<Flag, 0> kNoFlags{};
  ParsedArgs args = parse_args(arguments, kNoFlags, "describe");
  if (args.has("--help")) return print_help(out, kDescribeUsage);
  if (args.positional.size() != 2) throw UsageError("expected <verb> <path>", "describe");
  std::string method = args.positional[0];
  std::string path = args.positional[1];
  path.erase(0, path.find_first_not_of('/'));
  const auto* contract =
      wechatpay::contracts::ContractRegistry::builtin()->find_chain(method, path);
  if (!contract) {
    throw UsageError("no documented endpoint " + method + " " + path, "describe");
  }
  const auto& request = contract->request;
  out << contract->endpoint() << "  ("
      << (contract->api == wechatpay::contracts::Api::v2 ? "APIv2, XML" : "APIv3, JSON") << ")\n";
  if (!contract->doc.empty()) out << "documented in " << contract->doc << '\n';
  if (request.base_uri) out << "host " << *request.base_uri << '\n';
  if (request.security) out << "needs the merchant TLS certificate (--security)\n";
  print_part(out, "path placeholders", request.params, "params");
  print_part(out, "query", request.query, "query");
  print_part(out, "headers", request.headers, "headers");
  print_part(out, "JSON body", request.json, "");
  print_part(out, "XML fields", request.xml, "");
  print_part(out, "multipart parts", request.body, "");
  print_part(out, "answer", contract->response, "");
  return 0;
}

}  // namespace wxpay
