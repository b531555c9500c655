#include "wechatpay/v3/bills.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "v3/sealed_json.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {

namespace {

constexpr std::string_view kSubject = "bill download answer";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "https://host:port/v3/billdownload/file?token=…" -> base, path and decoded query pairs, so the
// request goes through the client's chain (and is signed) like any other.
struct SplitUrl {
  std::string base, path;
  Query query;
};

SplitUrl split_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    throw Error("download_url is not an http(s) URL");
  }
  auto path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string_view::npos) throw Error("download_url has no path");
  SplitUrl split;
  split.base = std::string(url.substr(0, path_start + 1));
  auto rest = url.substr(path_start + 1);
  auto question = rest.find('?');
  split.path = std::string(rest.substr(0, question));
  if (split.path.find_first_of("{}") != std::string::npos) throw Error("download_url is unusual");
  if (question == std::string_view::npos) return split;
  auto query = rest.substr(question + 1);
  while (!query.empty()) {
    auto pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    auto equals = pair.find('=');
    split.query.emplace_back(
        percent_decode(pair.substr(0, equals)),
        equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1)));
  }
  return split;
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

// Where the body goes: optional gunzip, digest, file, progress. Used on the I/O thread only,
// then (after completion) by the caller.
class BillSink {
 public:
  BillSink(const std::filesystem::path& path, std::string_view hash_type, BillFileOptions options,
           std::uint64_t max_bytes)
      : file_(std::fopen(path.c_str(), "wb")),
        digest_(hash_type.empty() ? "SHA1" : hash_type),
        options_(std::move(options)),
        max_bytes_(max_bytes) {
    if (!file_) throw Error("cannot create " + path.string());
    if (options_.gzip && inflateInit2(&zlib_, 16 + MAX_WBITS) != Z_OK) {
      throw Error("cannot initialise gzip decompression");
    }
  }
  ~BillSink() {
    if (options_.gzip) inflateEnd(&zlib_);
  }
  BillSink(const BillSink&) = delete;
  BillSink& operator=(const BillSink&) = delete;

  void consume(std::string_view chunk, std::int64_t total) {
    received_ += chunk.size();
    if (options_.gzip) {
      gunzip(chunk);
    } else {
      write(chunk);
    }
    if (options_.progress) options_.progress(received_, total);
  }

  // Closes the file; returns the hex digest of what was written.
  std::string finish() {
    if (options_.gzip && !stream_end_) throw Error("the gzip bill is truncated");
    if (std::fclose(file_.release()) != 0) throw Error("cannot write the bill file");
    return digest_.hex_final();
  }

 private:
  void write(std::string_view data) {
    // The transport caps what arrives; this caps what a compressed bill unpacks to (zlib reaches
    // ratios near 1000:1), so a bomb stops at the same size a plain bill would.
    if (data.size() > max_bytes_ - written_) {
      throw Error("the bill unpacks to more than max_response_bytes (" +
                  std::to_string(max_bytes_) + " bytes); raise it for bills this large");
    }
    written_ += data.size();
    digest_.update(data);
    if (std::fwrite(data.data(), 1, data.size(), file_.get()) != data.size()) {
      throw Error("cannot write the bill file");
    }
  }

  void gunzip(std::string_view chunk) {
    zlib_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    zlib_.avail_in = static_cast<uInt>(chunk.size());
    while (zlib_.avail_in > 0) {
      if (stream_end_) {
        // Concatenated gzip members form one file (gzip -d does the same).
        if (inflateReset(&zlib_) != Z_OK) throw Error("gzip bill: cannot continue");
        stream_end_ = false;
      }
      std::array<char, 64 * 1024> out;
      zlib_.next_out = reinterpret_cast<Bytef*>(out.data());
      zlib_.avail_out = static_cast<uInt>(out.size());
      int rc = inflate(&zlib_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        throw Error("the bill is not valid gzip data");
      }
      write(std::string_view(out.data(), out.size() - zlib_.avail_out));
      if (rc == Z_STREAM_END) stream_end_ = true;
      if (rc == Z_BUF_ERROR && zlib_.avail_out != 0) break;  // needs more input
    }
  }

  std::unique_ptr<std::FILE, FileCloser> file_;
  crypto::Digest digest_;
  BillFileOptions options_;
  z_stream zlib_{};
  bool stream_end_ = false;
  std::uint64_t received_ = 0;
  const std::uint64_t max_bytes_;
  std::uint64_t written_ = 0;
};

}  // namespace

BillDownload parse_bill_download(const Response& response) {
  auto doc = detail::parse_object(response.body, kSubject);
  return {detail::required_string(doc, "download_url", kSubject),
          detail::optional_string(doc, "hash_type"),
          detail::required_string(doc, "hash_value", kSubject)};
}

void download_bill_file(const Client& client, const BillDownload& bill,
                        const std::filesystem::path& output, BillFileOptions options) {
  auto url = split_url(bill.download_url);
  auto partial = output;
  partial += ".part";
  try {
    auto sink = std::make_shared<BillSink>(partial, bill.hash_type, std::move(options),
                                           client.max_response_bytes());
    Options request;
    request.base_uri = url.base;
    request.query = std::move(url.query);
    request.on_body = [sink](std::string_view chunk, std::int64_t total) {
      sink->consume(chunk, total);
    };
    auto response = client.chain(url.path).get(std::move(request));
    auto digest = sink->finish();
    if (!iequals(digest, bill.hash_value)) {
      throw VerificationError("the bill's " + (bill.hash_type.empty() ? "SHA1" : bill.hash_type) +
                                  " " + digest + " does not match hash_value " + bill.hash_value,
                              response);
    }
    std::filesystem::rename(partial, output);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
}

BillDownload download_bill(const Client& client, std::string_view endpoint, Query query,
                           const std::filesystem::path& output, Progress progress) {
  bool gzip = false;
  for (const auto& [key, value] : query) gzip = gzip || (key == "tar_type" && value == "GZIP");
  auto bill = parse_bill_download(client.chain(endpoint).get({.query = std::move(query)}));
  download_bill_file(client, bill, output, {.gzip = gzip, .progress = std::move(progress)});
  return bill;
}

}  // namespace wechatpay::v3
