// wxpay download <url> and wxpay bill tradebill|fundflowbill: bill files streamed to disk,
// digest-checked (the file appears only when it matches), with a progress bar on a terminal.
#include <array>
#include <filesystem>
#include <functional>
#include <regex>

#include "args.hpp"
#include "commands.hpp"
#include "profile_flags.hpp"
#include "progress.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/v3/bills.hpp"

namespace wxpay {

const char* const kDownloadUsage =
    "usage: wxpay download <url> --hash [SHA1:]HEX --out FILE [--gzip] [options]\n"
    "Downloads a bill file (the download_url of v3/bill/tradebill or fundflowbill) with a\n"
    "signed request, checks its digest and only then writes FILE.\n"
    "  --hash [ALG:]HEX    the expected hash_value (ALG: hash_type, default SHA1)\n"
    "  --out FILE          where to write the bill\n"
    "  --gzip              the bill was requested with tar_type=GZIP: decompress it\n";

const char* const kBillUsage =
    "usage: wxpay bill tradebill|fundflowbill --date YYYY-MM-DD --out FILE [--gzip] [options]\n"
    "Requests a bill (GET v3/bill/<kind>?bill_date=...), downloads the file it names,\n"
    "checks its digest and only then writes FILE.\n"
    "  --date YYYY-MM-DD   bill_date\n"
    "  --out FILE          where to write the bill\n"
    "  --gzip              ask for tar_type=GZIP and decompress\n"
    "  --query K=V         another query parameter (bill_type=ALL, account_type=BASIC, ...)\n";

namespace {

constexpr Flag kOut{"--out", true};
constexpr Flag kGzip{"--gzip"};
constexpr std::array kDownloadFlags{kProfileFlag, kBaseUriFlag, kTimeoutFlag,
                                    kOut,         kGzip,        Flag{"--hash", true}};
constexpr std::array kBillFlags{kProfileFlag,
                                kBaseUriFlag,
                                kTimeoutFlag,
                                kOut,
                                kGzip,
                                Flag{"--date", true},
                                Flag{"--query", true, true}};

// "[ALG:]HEX" -> {ALG or SHA1, HEX}.
std::pair<std::string, std::string> parse_hash(const std::string& text) {
  static const std::regex kHash(R"(^(?:([A-Za-z0-9-]+):)?([0-9A-Fa-f]+)$)");
  std::smatch match;
  if (!std::regex_match(text, match, kHash)) {
    throw UsageError("--hash needs [SHA1:]HEX, not '" + text + "'", "download");
  }
  return {match[1].matched ? match[1].str() : "SHA1", match[2].str()};
}

// Runs `download` with a progress bar when stderr is a terminal, then reports the file.
int download_with_progress(
    const std::filesystem::path& output, std::ostream& out,
    const std::function<wechatpay::v3::BillDownload(const wechatpay::v3::Progress&)>& download) {
  ProgressBar bar(stderr_is_terminal());
  wechatpay::v3::BillDownload bill;
  try {
    bill = download(bar.callback());
  } catch (...) {
    bar.finish();
    throw;
  }
  bar.finish();
  out << output.string() << ": " << std::filesystem::file_size(output) << " bytes, "
      << (bill.hash_type.empty() ? "SHA1" : bill.hash_type) << " " << bill.hash_value
      << " verified\n";
  return 0;
}

}  // namespace

int run_download(Arguments arguments, std::ostream& out) {
  ParsedArgs args = parse_args(arguments, kDownloadFlags, "download");
  if (args.has("--help")) return print_help(out, kDownloadUsage);
  if (args.positional.size() != 1) throw UsageError("expected one <url>", "download");
  auto [hash_type, hash_value] = parse_hash(required(args, "--hash", "download"));
  std::filesystem::path output = required(args, "--out", "download");
  wechatpay::v3::BillDownload bill{args.positional[0], hash_type, hash_value};

  wechatpay::Client client(load_profile(args, "download").config);
  return download_with_progress(output, out, [&](const wechatpay::v3::Progress& progress) {
    wechatpay::v3::download_bill_file(client, bill, output,
                                      {.gzip = args.has("--gzip"), .progress = progress});
    return bill;
  });
}

int run_bill(Arguments arguments, std::ostream& out) {
  ParsedArgs args = parse_args(arguments, kBillFlags, "bill");
  if (args.has("--help")) return print_help(out, kBillUsage);
  if (args.positional.size() != 1 ||
      (args.positional[0] != "tradebill" && args.positional[0] != "fundflowbill")) {
    throw UsageError("expected tradebill or fundflowbill", "bill");
  }
  std::string date = required(args, "--date", "bill");
  if (!std::regex_match(date, std::regex(R"(^\d{4}-\d{2}-\d{2}$)"))) {
    throw UsageError("--date needs YYYY-MM-DD, not '" + date + "'", "bill");
  }
  std::filesystem::path output = required(args, "--out", "bill");
  wechatpay::Query query{{"bill_date", date}};
  if (args.has("--gzip")) query.emplace_back("tar_type", "GZIP");
  for (const auto& item : args.values("--query")) {
    query.push_back(split_pair(item, '=', "--query", "bill"));
  }

  wechatpay::Client client(load_profile(args, "bill").config);
  return download_with_progress(output, out, [&](const wechatpay::v3::Progress& progress) {
    return wechatpay::v3::download_bill(client, "v3/bill/" + args.positional[0], query, output,
                                        progress);
  });
}

}  // namespace wxpay
