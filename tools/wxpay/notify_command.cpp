// wxpay notify < captured-request: verifies and decrypts an APIv3 notification.
#include <array>

#include "args.hpp"
#include "captured_request.hpp"
#include "commands.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "profile_flags.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/v3/notification.hpp"

namespace wxpay {

const char* const kNotifyUsage =
    "usage: wxpay notify [--headers-only] [options] < captured-request\n"
    "Reads a captured APIv3 notification (request line, headers, blank line, body; CRLF or\n"
    "LF) from stdin, checks its Wechatpay-* signature with the profile's keys, decrypts the\n"
    "resource with the profile's apiv3_key, and prints the envelope and the decrypted JSON.\n"
    "  --headers-only      the capture starts with the headers (no request line)\n"
    "  --in FILE           read the capture from FILE instead of stdin\n";

namespace {

const std::string kCommand = "notify";

constexpr std::array kFlags{kProfileFlag, kBaseUriFlag, kTimeoutFlag, Flag{"--headers-only"},
                            Flag{"--in", true}};

void print_notification(const wechatpay::v3::Notification& notification, std::ostream& out) {
  out << "id: " << notification.id << '\n'
      << "create_time: " << notification.create_time << '\n'
      << "event_type: " << notification.event_type << '\n'
      << "resource_type: " << notification.resource_type << '\n'
      << "summary: " << notification.summary << '\n'
      << "original_type: " << notification.original_type << "\n\n";
  print_body(notification.plaintext, false, out);
}

}  // namespace

int run_notify(Arguments arguments, std::ostream& out) {
  ParsedArgs args = parse_args(arguments, kFlags, kCommand);
  if (args.has("--help")) return print_help(out, kNotifyUsage);
  if (!args.positional.empty()) throw UsageError("unexpected " + args.positional[0], kCommand);
  std::string text = read_source(args.value("--in").value_or("-"), kCommand);
  CapturedRequest request = parse_captured_request(text, args.has("--headers-only"));

  wechatpay::Client client(load_profile(args, kCommand).config);
  print_notification(client.parse_notification(request.headers, request.body), out);
  return 0;
}

}  // namespace wxpay
