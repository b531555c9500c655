#include "multipart.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

bool fits_header(std::string_view text) {
  return !text.empty() && text.find_first_of("\"\r\n") == std::string_view::npos;
}

}  // namespace

void check_form_filename(std::string_view filename) {
  if (!fits_header(filename)) {
    throw ConfigError("filename",
                      "a media file name must be non-empty without quotes or line breaks");
  }
}

std::string content_type_for(std::string_view filename) {
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
    std::string extension(filename.substr(dot + 1));
    for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [ext, type] : kTypes) {
      if (ext == extension) return std::string(type);
    }
  }
  return "application/octet-stream";
}

std::string new_form_boundary() {
  return "wechatpay-" + crypto::nonce(30);
}

std::string form_part_head(std::string_view boundary, const FormPart& part) {
  if (!fits_header(part.name)) {
    throw ConfigError("form", "a form part's name must be non-empty without quotes or line breaks");
  }
  if (!part.filename.empty()) check_form_filename(part.filename);
  std::string head;
  head.append("--").append(boundary).append("\r\n");
  head.append("Content-Disposition: form-data; name=\"").append(part.name).append("\"");
  if (!part.filename.empty()) head.append("; filename=\"").append(part.filename).append("\"");
  head.append("\r\n");
  if (!part.content_type.empty()) {
    head.append("Content-Type: ").append(part.content_type).append("\r\n");
  }
  head.append("\r\n");
  return head;
}

std::string form_closing(std::string_view boundary) {
  return "--" + std::string(boundary) + "--\r\n";
}

std::string form_content_type(std::string_view boundary) {
  return "multipart/form-data; boundary=" + std::string(boundary);
}

Body form_body(const std::vector<FormPart>& parts) {
  // A 40-character random boundary practically never occurs; the loop makes it certain.
  std::string boundary = new_form_boundary();
  while (std::any_of(parts.begin(), parts.end(), [&](const FormPart& part) {
    return part.content.find(boundary) != std::string_view::npos;
  })) {
    boundary = new_form_boundary();
  }
  std::string bytes;
  for (const FormPart& part : parts) {
    bytes.append(form_part_head(boundary, part)).append(part.content).append("\r\n");
  }
  bytes.append(form_closing(boundary));
  return Body{std::move(bytes), form_content_type(boundary)};
}

std::string read_upload_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) throw Error("cannot read media file " + file.string());
  return std::move(content).str();
}

}  // namespace wechatpay::detail
