// URI templates and query encoding: a template expands or is a ConfigError; an encoded value
// holds only unreserved characters and %XX triplets.
#include <cctype>
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "uri_template.hpp"

using namespace wechatpay;

namespace {

bool only_unreserved_or_escapes(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') continue;
    if (c != '%' || i + 2 >= text.size() || !std::isxdigit(text[i + 1]) ||
        !std::isxdigit(text[i + 2])) {
      return false;
    }
    i += 2;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  const auto text = fuzz::as_text(data, size);
  // Half of the input is the template, the other half every parameter's value.
  const auto uri_template = text.substr(0, size / 2);
  const std::string value(text.substr(size / 2));
  const Params params{{"id", value}, {"out_trade_no", value}, {"a", value}, {"x", value}};
  try {
    detail::expand_uri_template(uri_template, params);
  } catch (const ConfigError& e) {
    fuzz::check_error(e);
  }
  const auto encoded = detail::percent_encode(value);
  fuzz::require(only_unreserved_or_escapes(encoded), "percent_encode left a reserved character");
  detail::percent_encode(value, /*allow_reserved=*/true);
  const auto query = detail::encode_query({{value, value}});
  fuzz::require(query.find('=') != std::string::npos, "encode_query lost the '='");
  return 0;
}
