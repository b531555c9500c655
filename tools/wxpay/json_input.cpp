#include "json_input.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

#include <rapidjson/pointer.h>

#include "args.hpp"
#include "wechatpay/bounded_parse.hpp"
#include "wechatpay/errors.hpp"

namespace wxpay {
namespace {

std::string read_stream(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// "payer.name" -> "/payer/name", escaping '~' and '/' as RFC 6901 asks.
std::string dotted_to_pointer(const std::string& dotted) {
  std::string pointer = "/";
  for (char c : dotted) {
    if (c == '.') {
      pointer += '/';
    } else if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
  return pointer;
}

}  // namespace

std::string read_source(const std::string& source, const std::string& command) {
  if (source == "-") return read_stream(std::cin);
  std::ifstream in(source, std::ios::binary);
  if (!in) throw UsageError("cannot read " + source, command);
  return read_stream(in);
}

rapidjson::Document parse_json_argument(const std::string& argument, const std::string& command) {
  std::string text =
      argument.starts_with('@') ? read_source(argument.substr(1), command) : argument;
  try {
    return wechatpay::parse_bounded_json(text, "--json", {}, /*full_precision=*/true);
  } catch (const wechatpay::Error& e) {
    throw UsageError(e.what(), command);
  }
}

void encrypt_field(rapidjson::Document& doc, const std::string& field,
                   const std::function<std::string(std::string_view)>& encrypt,
                   const std::string& command) {
  std::string path = field.starts_with('/') ? field : dotted_to_pointer(field);
  rapidjson::Pointer pointer(path.data(), path.size());
  rapidjson::Value* value = pointer.IsValid() ? pointer.Get(doc) : nullptr;
  if (value == nullptr || !value->IsString()) {
    throw UsageError("--encrypt " + field + " names no string in --json", command);
  }
  std::string ciphertext = encrypt({value->GetString(), value->GetStringLength()});
  value->SetString(ciphertext.data(), static_cast<rapidjson::SizeType>(ciphertext.size()),
                   doc.GetAllocator());
}

}  // namespace wxpay
