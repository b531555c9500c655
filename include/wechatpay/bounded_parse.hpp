// Parsing bytes that came from outside (answers, notifications, files) within limits: no
// recursion, a bounded nesting depth, size and value count, so a hostile body costs linear time
// and bounded memory and gives a typed error instead of a stack overflow.
#pragma once

#include <cstddef>
#include <string_view>

#include <rapidjson/document.h>

#include "wechatpay/export.hpp"

namespace wechatpay {

struct ParseLimits {
  // Objects and arrays (JSON) or elements (XML) inside one another. WeChat Pay's documents nest
  // fewer than ten levels.
  std::size_t max_depth = 64;
  // The text itself; the transport's max_response_bytes default.
  std::size_t max_bytes = 64u << 20;
  // JSON values (members and array items, each counted) or XML elements.
  std::size_t max_values = 1u << 20;
};

// `text` as a JSON document, parsed iteratively (RapidJSON's kParseIterativeFlag) within
// `limits`. wechatpay::Error naming `subject` and the reason (syntax error and offset, or the
// limit exceeded) otherwise. `full_precision` keeps decimal numbers exact (for printing them).
WECHATPAY_EXPORT rapidjson::Document parse_bounded_json(std::string_view text,
                                                        std::string_view subject,
                                                        const ParseLimits& limits = {},
                                                        bool full_precision = false);

}  // namespace wechatpay
