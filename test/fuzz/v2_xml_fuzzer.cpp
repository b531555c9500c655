// v2::parse_xml on any bytes: XmlError or fields; fields written back with to_xml parse to the
// same fields. APIv2 signatures over the fields are computed and checked too.
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

using namespace wechatpay;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  const auto text = fuzz::as_text(data, size);
  for (std::string_view root : {"xml", ""}) {
    v2::XmlFields fields;
    try {
      fields = v2::parse_xml(text, root);
    } catch (const XmlError& e) {
      fuzz::check_error(e);
      continue;
    }
    fuzz::require(v2::looks_like_xml(text), "parsed XML that does not look like XML");
    for (bool cdata : {false, true}) {
      std::string written;
      try {
        written = v2::to_xml(fields, cdata);
      } catch (const ConfigError& e) {  // a value XML 1.0 cannot carry, e.g. from &#1;
        fuzz::check_error(e);
        continue;
      }
      fuzz::require(v2::parse_xml(written) == fields, "to_xml(parse_xml(x)) changes the fields");
    }
    for (auto type : {v2::SignType::kMd5, v2::SignType::kHmacSha256}) {
      auto signed_fields = fields;
      signed_fields.set("sign", v2::sign(fields, fuzz::kV2Secret, type));
      fuzz::require(v2::verify(signed_fields, fuzz::kV2Secret, type), "own sign does not verify");
    }
  }
  return 0;
}
