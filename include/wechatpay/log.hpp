// A minimal logging hook: the library reports what an operator should know (public-key mode,
// a failed background refresh) through a callback the application supplies. Messages never
// carry secrets (private keys, the APIv3 key, the APIv2 key). Per-request debug lines come from
// the opt-in `logging` middleware (logging.hpp).
#pragma once

#include <functional>
#include <string_view>

namespace wechatpay {

enum class LogLevel { debug, info, warning, error };

// Called on whichever library thread noticed the event; it must not block for long.
using Logger = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace wechatpay
