// The request body given with --json: inline text, @FILE or @- (stdin), checked to be JSON, with
// --encrypt fields replaced by their ciphertext.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace wxpay {

// The bytes of `source`: a file path, or "-" for stdin. UsageError when it cannot be read.
std::string read_source(const std::string& source, const std::string& command);

// --json's argument parsed: "@FILE" and "@-" read a file or stdin, anything else is the JSON
// itself. UsageError "--json is not valid JSON: <reason> at offset N" otherwise.
rapidjson::Document parse_json_argument(const std::string& argument, const std::string& command);

// Replaces the string `field` names with `encrypt(string)`. `field` is a JSON Pointer
// ("/payer/name") or a dotted path ("payer.name"). UsageError when it names no string.
void encrypt_field(rapidjson::Document& doc, const std::string& field,
                   const std::function<std::string(std::string_view)>& encrypt,
                   const std::string& command);

}  // namespace wxpay
