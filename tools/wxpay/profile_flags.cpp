#include "profile_flags.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>

namespace wxpay {

const char* const kProfileFlagsHelp =
    "  --profile FILE      merchant profile (default: $WXPAY_PROFILE, else\n"
    "                      ./wechatpay-sandbox-state/profile.json)\n"
    "  --base-uri URL      send to this server instead of the profile's base_uri\n"
    "  --timeout SECONDS   total time allowed per request (default 30)\n";

const char* const kExitCodes =
    "\nexit codes:\n"
    "  0  ok\n"
    "  1  any other failure\n"
    "  2  bad usage (unknown option, missing value, invalid --json, ...)\n"
    "  3  configuration: the profile is missing or malformed, a key does not load\n"
    "  4  transport: no connection, TLS failure, connection reset\n"
    "  5  timeout\n"
    "  6  verification: a signature, timestamp, serial or file digest does not check out\n"
    "  7  WeChat Pay answered with an error (status, code, message and Request-ID on stderr)\n"
    "  8  crypto: a key, certificate or ciphertext could not be processed\n"
    "  9  format: a malformed XML answer or captured request\n";

int print_help(std::ostream& out, const char* usage) {
  out << usage << "\ncommon options:\n"
      << kProfileFlagsHelp << "  -h, --help          this help\n"
      << kExitCodes;
  return 0;
}

std::string profile_path(const ParsedArgs& args) {
  if (auto path = args.value(kProfileFlag.name)) return *path;
  if (const char* env = std::getenv("WXPAY_PROFILE"); env != nullptr && *env != '\0') return env;
  return "./wechatpay-sandbox-state/profile.json";
}

wechatpay::Profile load_profile(const ParsedArgs& args, const std::string& command) {
  wechatpay::Profile profile = wechatpay::read_profile(profile_path(args));
  if (auto base_uri = args.value(kBaseUriFlag.name)) profile.config.base_uri = *base_uri;
  if (auto timeout = args.value(kTimeoutFlag.name)) {
    double seconds = 0;
    auto [end, error] =
        std::from_chars(timeout->data(), timeout->data() + timeout->size(), seconds);
    if (error != std::errc() || end != timeout->data() + timeout->size() || !(seconds > 0) ||
        seconds > 1e6) {
      throw UsageError("--timeout needs a number of seconds (up to 1e6), not '" + *timeout + "'",
                       command);
    }
    profile.config.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  return profile;
}

}  // namespace wxpay
