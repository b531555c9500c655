// wxpay: the WeChat Pay command line. Dispatches to a subcommand, or sends any endpoint as
// `wxpay <path> <verb>`; every failure becomes one line on stderr and an exit code per kind.
#include <algorithm>
#include <array>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "profile_flags.hpp"
#include "wechatpay/client.hpp"

namespace wxpay {
namespace {

const char* const kMainUsage =
    "usage: wxpay <path> <verb> [options]       any endpoint, e.g. v3/payroll-card/tokens post\n"
    "       wxpay describe <verb> <path>        an endpoint's documented fields (no profile)\n"
    "       wxpay certificates --out DIR        download the platform certificates\n"
    "       wxpay notify < captured-request     verify and decrypt a notification\n"
    "       wxpay download <url> --hash [SHA1:]HEX --out FILE [--gzip]\n"
    "       wxpay bill tradebill|fundflowbill --date YYYY-MM-DD --out FILE [--gzip]\n"
    "       wxpay <command> --help              a command's own options\n"
    "       wxpay --version\n"
    "\n";

struct Command {
  std::string_view name;
  int (*run)(Arguments, std::ostream&);
};

constexpr std::array kCommands{
    Command{"describe", run_describe}, Command{"certificates", run_certificates},
    Command{"notify", run_notify}, Command{"download", run_download}, Command{"bill", run_bill}};

// How many leading arguments are common options (`wxpay --profile p certificates ...`).
std::size_t leading_common_options(const std::vector<std::string>& args) {
  std::size_t i = 0;
  while (i < args.size()) {
    auto is = [&](const Flag& flag) {
      return args[i] == flag.name || args[i].starts_with(std::string(flag.name) + "=");
    };
    if (!is(kProfileFlag) && !is(kBaseUriFlag) && !is(kTimeoutFlag)) break;
    i += args[i].find('=') == std::string::npos ? 2 : 1;
  }
  return std::min(i, args.size());
}

int print_main_usage(std::ostream& out) {
  out << kMainUsage;
  return print_help(out, kRequestUsage);
}

int run(const std::vector<std::string>& args, std::ostream& out) {
  if (args.empty()) throw UsageError("expected a command or <path> <verb>");
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    return print_main_usage(out);
  }
  if (first == "--version") {
    out << "wxpay " << wechatpay::default_user_agent() << '\n';
    return 0;
  }
  std::size_t skip = leading_common_options(args);
  if (skip == args.size()) return run_request(args, out);
  auto command = std::find_if(kCommands.begin(), kCommands.end(),
                              [&](const Command& c) { return c.name == args[skip]; });
  if (command != kCommands.end()) {
    std::vector<std::string> rest = args;  // without the command's name
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(skip));
    return command->run(rest, out);
  }
  return run_request(args, out);
}

}  // namespace
}  // namespace wxpay

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return wxpay::run(args, std::cout);
  } catch (...) {
    std::cout.flush();
    return wxpay::report_failure(std::current_exception(), std::cerr);
  }
}
