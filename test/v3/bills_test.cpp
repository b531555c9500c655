// Bill files through a transport that plays the download: gunzip, digest, size bound.
#include "wechatpay/v3/bills.hpp"

#include <zlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/feeding_transport.hpp"
#include "support/pki.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {
namespace {

std::string gzip(std::string_view data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Client client_for(std::string body, std::size_t max_response_bytes) {
  return Client({.mchid = "1900000001",
                 .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                 .private_key = test::cached_rsa_key("merchant").private_pem,
                 .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                            test::cached_rsa_key("platform").public_pem}},
                 .max_response_bytes = max_response_bytes,
                 .transport = std::make_shared<test::FeedingTransport>(std::move(body))});
}

BillDownload bill_of(std::string_view plain) {
  crypto::Digest digest("SHA1");
  digest.update(plain);
  return {"https://api.mch.weixin.qq.com/v3/billdownload/file?token=T", "SHA1", digest.hex_final()};
}

TEST(BillFile, AGzipBillIsUnpackedAndChecked) {
  test::TempDir dir;
  const std::string plain = "交易时间,公众账号ID\n`2024-06-01 00:00:01,`wx0000\n";
  download_bill_file(client_for(gzip(plain), 1u << 20), bill_of(plain), dir.path() / "bill.csv",
                     {.gzip = true});
  std::ifstream in(dir.path() / "bill.csv", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), plain);
}

// A decompression bomb: 1 MiB allowed, 64 MiB of zeros in ~64 KiB of gzip. Before the bound the
// whole 64 MiB went to disk and only the digest failed.
TEST(BillFile, DecompressedBytesAreBoundedByMaxResponseBytes) {
  test::TempDir dir;
  const std::string plain(64u << 20, '0');
  const std::string bomb = gzip(plain);
  ASSERT_LT(bomb.size(), 1u << 20);
  try {
    download_bill_file(client_for(bomb, 1u << 20), bill_of(plain), dir.path() / "bill.csv",
                       {.gzip = true});
    FAIL() << "the bomb was unpacked";
  } catch (const VerificationError& e) {
    FAIL() << "unpacked whole before failing: " << e.what();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("max_response_bytes"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bill.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bill.csv.part"));
}

}  // namespace
}  // namespace wechatpay::v3
