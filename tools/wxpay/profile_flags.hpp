// The flags every command that talks to WeChat Pay shares: which profile, which server, how long
// to wait.
#pragma once

#include <ostream>
#include <string>

#include "args.hpp"
#include "wechatpay/profile.hpp"

namespace wxpay {

inline constexpr Flag kProfileFlag{"--profile", true};
inline constexpr Flag kBaseUriFlag{"--base-uri", true};
inline constexpr Flag kTimeoutFlag{"--timeout", true};

// The usage lines for the three flags above.
extern const char* const kProfileFlagsHelp;

// Prints a command's `usage`, the common options and the exit codes; returns exit code 0.
int print_help(std::ostream& out, const char* usage);

// --profile FILE, else $WXPAY_PROFILE, else ./wechatpay-sandbox-state/profile.json.
std::string profile_path(const ParsedArgs& args);

// The profile read with wechatpay::read_profile (ConfigError when missing or malformed), then
// --base-uri and --timeout SECONDS applied (UsageError for a timeout that is not a positive
// number).
wechatpay::Profile load_profile(const ParsedArgs& args, const std::string& command);

}  // namespace wxpay
