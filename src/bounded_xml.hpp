// The one way untrusted XML reaches tinyxml2. Internal.
#pragma once

#include <string_view>

#include <tinyxml2.h>

#include "wechatpay/bounded_parse.hpp"

namespace wechatpay::detail {

// Parses `text` into `doc` after a linear pre-scan that enforces `limits` (so tinyxml2, which
// recurses per element, never goes deep) and refuses what tinyxml2 would accept although it is
// not well-formed XML: undefined entities (&nbsp;), references to characters XML does not allow
// (&#1;), `]]>` in text, `<` in an attribute value, references or text outside the root element,
// a second root, an end tag without its start tag, and any `<!` declaration (DOCTYPE, ENTITY).
// XmlError otherwise.
void parse_bounded_xml(tinyxml2::XMLDocument& doc, std::string_view text,
                       const ParseLimits& limits = {});

}  // namespace wechatpay::detail
