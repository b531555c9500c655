#include "contract_fields.hpp"

#include <vector>

namespace docgen {
namespace {

using wechatpay::contracts::Contract;
using wechatpay::contracts::Encryption;
using wechatpay::contracts::Field;

void append_cell_fields(std::string& out, const std::vector<Field>& fields,
                        const std::string& prefix) {
  wechatpay::contracts::walk_fields(
      fields,
      [&](const std::string& path, const Field& field) {
        bool sensitive = field.encrypted == Encryption::wechatpay_public_key;
        if (!field.required && !sensitive) return;
        out += (out.empty() ? "`" : " `") + path + "`" + (field.required ? "*" : "") +
               (sensitive ? "🔒" : "");
      },
      prefix);
}

std::string sensitivity(const Field& field) {
  switch (field.encrypted) {
    case Encryption::wechatpay_public_key:
      return "encrypted for you";
    case Encryption::merchant_public_key:
      return "decrypted for you";
    case Encryption::apiv3_key_aes_gcm:
      return "APIv3 key";
    case Encryption::none:
      break;
  }
  return "";
}

void append_table(std::string& out, const char* title, const std::vector<Field>& fields,
                  const std::string& prefix) {
  if (fields.empty()) return;
  out += std::string("| ") + title + " | Type | Required | Sensitive |\n|---|---|---|---|\n";
  wechatpay::contracts::walk_fields(
      fields,
      [&](const std::string& path, const Field& field) {
        out += "| `" + path + "` | " + field.type_name + " | " + (field.required ? "yes" : "") +
               " | " + sensitivity(field) + " |\n";
      },
      prefix);
  out += "\n";
}

}  // namespace

std::string fields_cell(const Contract& contract) {
  std::string out;
  const auto& request = contract.request;
  append_cell_fields(out, request.params, "params");
  append_cell_fields(out, request.query, "query");
  append_cell_fields(out, request.json, "");
  append_cell_fields(out, request.xml, "");
  std::string answer;
  wechatpay::contracts::walk_fields(contract.response,
                                    [&](const std::string& path, const Field& field) {
                                      if (field.encrypted == Encryption::merchant_public_key) {
                                        answer += (answer.empty() ? "🔓`" : " 🔓`") + path + "`";
                                      }
                                    });
  if (!answer.empty()) out += (out.empty() ? "→ " : " → ") + answer;
  return out;
}

std::string field_tables(const Contract& contract) {
  // The page is docs/endpoints/<template>.md: one "../" per directory up to docs/.
  std::string up = "../";
  for (char c : contract.uri_template) {
    if (c == '/') up += "../";
  }
  std::string out = "Fields of `" + contract.endpoint() + "` from its contract ([contracts.md](" +
                    up +
                    "contracts.md)): sensitive request fields are encrypted by the client, "
                    "sensitive answer fields decrypted.\n\n";
  const auto& request = contract.request;
  append_table(out, "Path placeholder", request.params, "params");
  append_table(out, "Query", request.query, "query");
  append_table(out, "Header", request.headers, "headers");
  append_table(out, "Request field", request.json, "");
  append_table(out, "Request field (XML)", request.xml, "");
  append_table(out, "Answer field", contract.response, "");
  return out;
}

std::string with_field_tables(const std::string& page, const Contract& contract) {
  auto begin = page.find(kFieldsBegin);
  if (begin == std::string::npos) return page;
  auto end = page.find(kFieldsEnd, begin);
  if (end == std::string::npos) return page;
  auto content_start = begin + std::string(kFieldsBegin).size();
  return page.substr(0, content_start) + "\n\n" + field_tables(contract) + page.substr(end);
}

}  // namespace docgen
