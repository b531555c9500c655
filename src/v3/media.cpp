#include "wechatpay/v3/media.hpp"

#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A boundary that does not occur in the content (a 40-character random one practically never
// does; the loop makes it certain).
std::string pick_boundary(std::string_view meta, std::string_view content) {
  for (;;) {
    auto boundary = "wechatpay-" + crypto::nonce(30);
    if (meta.find(boundary) == std::string_view::npos &&
        content.find(boundary) == std::string_view::npos) {
      return boundary;
    }
  }
}

}  // namespace

Json media_meta(std::string_view filename, std::string_view content) {
  return {{"filename", filename}, {"sha256", crypto::sha256_hex(content)}};
}

std::string media_content_type(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"bmp", "image/bmp"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"mp4", "video/mp4"},
      {"avi", "video/x-msvideo"},
      {"wmv", "video/x-ms-wmv"},
      {"mpeg", "video/mpeg"},
      {"mov", "video/quicktime"},
      {"mkv", "video/x-matroska"},
      {"flv", "video/x-flv"},
      {"m4v", "video/x-m4v"},
  }};
  auto dot = filename.rfind('.');
  if (dot != std::string_view::npos) {
    auto extension = lower(filename.substr(dot + 1));
    for (const auto& [ext, type] : kTypes) {
      if (ext == extension) return std::string(type);
    }
  }
  return "application/octet-stream";
}

Options media_upload_options(std::string_view filename, std::string_view content,
                             const Json& meta) {
  if (filename.empty() || filename.find_first_of("\"\r\n") != std::string_view::npos) {
    throw Error("media file name must be non-empty without quotes or line breaks");
  }
  std::string meta_json = meta.is_absent() ? media_meta(filename, content).dump() : meta.dump();
  auto boundary = pick_boundary(meta_json, content);
  std::string body;
  body.reserve(content.size() + meta_json.size() + 4 * boundary.size() + 256);
  body.append("--").append(boundary).append("\r\n");
  body.append("Content-Disposition: form-data; name=\"meta\"\r\n");
  body.append("Content-Type: application/json\r\n\r\n");
  body.append(meta_json).append("\r\n");
  body.append("--").append(boundary).append("\r\n");
  body.append("Content-Disposition: form-data; name=\"file\"; filename=\"")
      .append(filename)
      .append("\"\r\n");
  body.append("Content-Type: ").append(media_content_type(filename)).append("\r\n\r\n");
  body.append(content).append("\r\n");
  body.append("--").append(boundary).append("--\r\n");

  Options options;
  options.body = Body{std::move(body), "multipart/form-data; boundary=" + boundary};
  options.signed_body = std::move(meta_json);
  return options;
}

Response upload_media(const Chain& endpoint, const std::filesystem::path& file, const Json& meta) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) {
    throw Error("cannot read media file " + file.string());
  }
  return endpoint.post(media_upload_options(file.filename().string(), content.str(), meta));
}

}  // namespace wechatpay::v3
