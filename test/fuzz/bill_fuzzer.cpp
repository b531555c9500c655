// Bill files: the body of GET /v3/billdownload/file streamed through download_bill_file (gunzip,
// digest, size bound, .part file). A bomb or broken gzip is an Error, the .part file is gone, and
// no more than max_response_bytes of bill reach the disk.
// Input: first byte bit 0 = gzip; the rest is the body as the transport would hand it over.
#include <cstdint>
#include <filesystem>
#include <memory>

#include <unistd.h>

#include "fuzz/fuzz_support.hpp"
#include "support/feeding_transport.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/v3/bills.hpp"

using namespace wechatpay;

namespace {

constexpr std::size_t kMaxBill = 256 * 1024;  // max_response_bytes of the fuzzed client

struct Fixture {
  std::shared_ptr<test::FeedingTransport> transport = std::make_shared<test::FeedingTransport>();
  Client client{{.mchid = "1900000001",
                 .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                 .private_key = pki::cached_rsa_key("fuzz-merchant").private_pem,
                 .certs = {{std::string(fuzz::kSerial), fuzz::wechatpay_key().public_pem}},
                 .max_response_bytes = kMaxBill,
                 .transport = transport}};
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("wechatpay-bill-fuzz-" + std::to_string(::getpid()));
  Fixture() { std::filesystem::create_directories(dir); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size < 1) return 0;
  static Fixture fixture;
  fixture.transport->body.assign(fuzz::as_text(data + 1, size - 1));
  const auto output = fixture.dir / "bill.csv";
  auto partial = output;
  partial += ".part";
  std::filesystem::remove(output);
  const v3::BillDownload bill{"https://api.mch.weixin.qq.com/v3/billdownload/file?token=F", "SHA1",
                              "0000000000000000000000000000000000000000"};
  try {
    v3::download_bill_file(fixture.client, bill, output, {.gzip = (data[0] & 1) != 0});
    fuzz::require(false, "a bill whose digest cannot match was accepted");
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  fuzz::require(!std::filesystem::exists(output), "a failed bill left its file");
  fuzz::require(!std::filesystem::exists(partial), "a failed bill left its .part file");
  return 0;
}
