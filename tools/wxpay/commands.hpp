// The subcommands. Each takes the arguments after its name, prints results to `out`, throws on
// failure (see exit_codes.hpp) and returns the exit code.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace wxpay {

using Arguments = std::span<const std::string>;

// wxpay <path> <verb> [...]: any endpoint.
int run_request(Arguments args, std::ostream& out);
// wxpay describe <verb> <path>: an endpoint's contract; needs no profile.
int run_describe(Arguments args, std::ostream& out);
// wxpay certificates --out DIR
int run_certificates(Arguments args, std::ostream& out);
// wxpay notify < captured-request
int run_notify(Arguments args, std::ostream& out);
// wxpay download <url> --hash [SHA1:]HEX --out FILE [--gzip]
int run_download(Arguments args, std::ostream& out);
// wxpay bill tradebill|fundflowbill --date YYYY-MM-DD --out FILE [--gzip]
int run_bill(Arguments args, std::ostream& out);

// The usage texts, printed by --help.
extern const char* const kRequestUsage;
extern const char* const kCertificatesUsage;
extern const char* const kDescribeUsage;
extern const char* const kNotifyUsage;
extern const char* const kDownloadUsage;
extern const char* const kBillUsage;

}  // namespace wxpay
