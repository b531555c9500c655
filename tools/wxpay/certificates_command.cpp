// wxpay certificates --out DIR: WeChat Pay's platform certificates, downloaded, decrypted with
// the APIv3 key and checked by the library's CertificateManager, written as PEM files.
#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "args.hpp"
#include "commands.hpp"
#include "profile_flags.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v3/certificates.hpp"

namespace wxpay {

const char* const kCertificatesUsage =
    "usage: wxpay certificates --out DIR [options]\n"
    "Downloads WeChat Pay's platform certificates (GET v3/certificates), decrypts them with\n"
    "the profile's apiv3_key, checks them, writes DIR/wechatpay_<SERIAL>.pem and prints\n"
    "one line per certificate: serial, valid from, valid until, file.\n"
    "  --out DIR           where to write the PEM files (created if missing)\n";

namespace {

const std::string kCommand = "certificates";

constexpr std::array kFlags{kProfileFlag, kBaseUriFlag, kTimeoutFlag, Flag{"--out", true}};

std::string utc(std::int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text.data();
}

void write_pem(const std::filesystem::path& path, const std::string& pem) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << pem;
  file.close();
  if (!file) throw wechatpay::Error("cannot write " + path.string());
}

}  // namespace

int run_certificates(Arguments arguments, std::ostream& out) {
  ParsedArgs args = parse_args(arguments, kFlags, kCommand);
  if (args.has("--help")) return print_help(out, kCertificatesUsage);
  if (!args.positional.empty()) throw UsageError("unexpected " + args.positional[0], kCommand);
  std::filesystem::path dir = required(args, "--out", kCommand);

  wechatpay::ClientConfig config = load_profile(args, kCommand).config;
  if (config.apiv3_key.empty()) {
    throw wechatpay::ConfigError("apiv3_key", "the profile has none; it decrypts the certificates");
  }
  // The manager downloads once in the constructor, verifying the answer with a key the profile
  // trusts or, on first use, with the downloaded certificate itself.
  config.certificate_refresh.enabled = true;
  wechatpay::Client client(std::move(config));
  auto manager = client.certificate_manager();
  client.stop();
  if (manager->public_key_mode()) {
    throw wechatpay::Error(
        "WeChat Pay has no platform certificates for this merchant: it uses a WeChat Pay public "
        "key (PUB_KEY_ID_...) instead");
  }
  std::filesystem::create_directories(dir);
  for (const auto& certificate : manager->certificates()) {
    auto path = dir / ("wechatpay_" + certificate.serial + ".pem");
    write_pem(path, certificate.pem);
    out << certificate.serial << "  " << utc(certificate.not_before) << "  "
        << utc(certificate.not_after) << "  " << path.string() << '\n';
  }
  return 0;
}

}  // namespace wxpay
