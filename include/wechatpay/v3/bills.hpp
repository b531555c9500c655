// Bill downloads: GET v3/bill/tradebill or v3/bill/fundflowbill names a download_url and the
// bill's hash; the bill itself is a signed GET of that URL whose answer WeChat Pay does not
// sign. It is streamed to disk while its digest is computed (over the decompressed bill when
// tar_type=GZIP, as WeChat Pay defines hash_value), then checked.
//   v3::download_bill(client, "v3/bill/tradebill",
//                     {{"bill_date", "2024-06-01"}, {"tar_type", "GZIP"}}, "bill.csv");
// A bill larger than ClientConfig::max_response_bytes (64 MiB by default) fails, compressed or
// unpacked (so a decompression bomb stops there too): raise it for larger bills.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "wechatpay/client.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::v3 {

// The answer of v3/bill/tradebill or v3/bill/fundflowbill.
struct BillDownload {
  std::string download_url;
  std::string hash_type;   // "SHA1"
  std::string hash_value;  // hex digest of the (decompressed) bill
};

// Bytes received so far (compressed, as on the wire) and the total, or -1 when unknown. Runs on
// the transport's I/O thread: it must not block.
using Progress = std::function<void(std::uint64_t received, std::int64_t total)>;

struct BillFileOptions {
  bool gzip = false;  // the bill was requested with tar_type=GZIP: decompress it
  Progress progress{};
};

// Reads a tradebill/fundflowbill answer; wechatpay::Error if fields are missing.
WECHATPAY_EXPORT BillDownload parse_bill_download(const Response& response);

// Downloads `bill` into `output`. The file appears only when complete and its digest matches:
// on a mismatch VerificationError, on any other failure that error, and no file is left (an
// existing `output` is kept). `output + ".part"` is used while downloading.
WECHATPAY_EXPORT void download_bill_file(const Client& client, const BillDownload& bill,
                                         const std::filesystem::path& output,
                                         BillFileOptions options = {});

// Both steps: GETs `endpoint` with `query`, then the bill it names (gunzipped when
// tar_type=GZIP is in `query`). Returns the first step's answer.
WECHATPAY_EXPORT BillDownload download_bill(const Client& client, std::string_view endpoint,
                                            Query query, const std::filesystem::path& output,
                                            Progress progress = {});

}  // namespace wechatpay::v3
