#include "wechatpay/v3/media.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <utility>

#include "multipart.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

// Everything of the multipart body but the file's bytes: what precedes and what follows them.
struct MultipartFrame {
  std::string boundary, head, tail;

  MultipartFrame(std::string boundary_text, std::string_view filename, std::string_view meta_json)
      : boundary(std::move(boundary_text)) {
    const std::string file_type = media_content_type(filename);
    head = detail::form_part_head(boundary, meta_part(meta_json));
    head.append(meta_json).append("\r\n");
    head.append(detail::form_part_head(boundary, file_part(filename, {}, file_type)));
    tail = "\r\n" + detail::form_closing(boundary);
  }

  static detail::FormPart meta_part(std::string_view meta_json) {
    return {.name = "meta", .content = meta_json, .content_type = "application/json"};
  }
  static detail::FormPart file_part(std::string_view filename, std::string_view content,
                                    std::string_view type) {
    return {.name = "file", .content = content, .filename = filename, .content_type = type};
  }

  std::string content_type() const { return detail::form_content_type(boundary); }
};

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_file(const std::filesystem::path& file) {
  FilePtr in(std::fopen(file.c_str(), "rb"));
  if (!in) throw Error("cannot read media file " + file.string());
  return in;
}

// One pass over a file: its size, SHA-256, and whether `boundary` occurs in it (a match may
// straddle two reads, so the last boundary-length bytes are kept for the next search).
struct FileScan {
  std::uint64_t size = 0;
  std::string sha256;
  bool contains_boundary = false;
};

FileScan scan(const std::filesystem::path& file, std::string_view boundary) {
  auto in = open_file(file);
  crypto::Digest digest("SHA256");
  FileScan result;
  std::string window;
  std::array<char, kReadChunk> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get())) {
    std::string_view chunk(buffer.data(), n);
    digest.update(chunk);
    result.size += n;
    window.append(chunk);
    if (window.find(boundary) != std::string::npos) result.contains_boundary = true;
    window.erase(0, window.size() - std::min(window.size(), boundary.size() - 1));
  }
  if (std::ferror(in.get())) throw Error("cannot read media file " + file.string());
  result.sha256 = digest.hex_final();
  return result;
}

// Produces frame head, file bytes, frame tail, reading the file as it goes.
class StreamedBody {
 public:
  StreamedBody(std::shared_ptr<const MultipartFrame> frame, std::filesystem::path file,
               std::uint64_t file_size)
      : frame_(std::move(frame)), path_(std::move(file)), file_size_(file_size) {}

  std::uint64_t size() const { return frame_->head.size() + file_size_ + frame_->tail.size(); }

  std::size_t read(char* buffer, std::size_t capacity) {
    std::size_t written = 0;
    while (written < capacity && offset_ < size()) {
      const std::uint64_t head = frame_->head.size();
      std::size_t n = 0;
      if (offset_ < head) {
        n = copy(frame_->head, offset_, buffer + written, capacity - written);
      } else if (offset_ < head + file_size_) {
        n = read_file(buffer + written, static_cast<std::size_t>(std::min<std::uint64_t>(
                                            capacity - written, head + file_size_ - offset_)));
      } else {
        n = copy(frame_->tail, offset_ - head - file_size_, buffer + written, capacity - written);
      }
      written += n;
      offset_ += n;
    }
    return written;
  }

 private:
  static std::size_t copy(const std::string& part, std::uint64_t from, char* out,
                          std::size_t capacity) {
    std::size_t n = std::min<std::size_t>(capacity, part.size() - from);
    std::copy_n(part.data() + from, n, out);
    return n;
  }

  std::size_t read_file(char* out, std::size_t wanted) {
    if (!file_) file_ = open_file(path_);
    std::size_t n = std::fread(out, 1, wanted, file_.get());
    if (n == 0) {
      throw Error("media file " + path_.string() + " became shorter while it was being sent");
    }
    return n;
  }

  std::shared_ptr<const MultipartFrame> frame_;
  std::filesystem::path path_;
  std::uint64_t file_size_;
  std::uint64_t offset_ = 0;
  FilePtr file_;
};

}  // namespace

Json media_meta(std::string_view filename, std::string_view content) {
  return {{"filename", filename}, {"sha256", crypto::sha256_hex(content)}};
}

std::string media_content_type(std::string_view filename) {
  return detail::content_type_for(filename);
}

Options media_upload_options(std::string_view filename, std::string_view content,
                             const Json& meta) {
  detail::check_form_filename(filename);
  std::string meta_json = meta.is_absent() ? media_meta(filename, content).dump() : meta.dump();
  const std::string file_type = media_content_type(filename);
  Options options;
  options.body = detail::form_body({MultipartFrame::meta_part(meta_json),
                                    MultipartFrame::file_part(filename, content, file_type)});
  options.signed_body = std::move(meta_json);
  return options;
}

Options media_upload_stream_options(const std::filesystem::path& file, const Json& meta) {
  const std::string filename = file.filename().string();
  detail::check_form_filename(filename);
  std::string boundary = detail::new_form_boundary();
  FileScan scanned = scan(file, boundary);
  std::string meta_json = meta.is_absent()
                              ? Json{{"filename", filename}, {"sha256", scanned.sha256}}.dump()
                              : meta.dump();
  while (scanned.contains_boundary || meta_json.find(boundary) != std::string::npos) {
    boundary = detail::new_form_boundary();
    scanned = scan(file, boundary);
  }
  auto frame = std::make_shared<const MultipartFrame>(std::move(boundary), filename, meta_json);
  const std::uint64_t file_size = scanned.size;

  Options options;
  options.body_stream =
      BodyStream{.size = StreamedBody(frame, file, file_size).size(),
                 .open =
                     [frame, file, file_size] {
                       auto body = std::make_shared<StreamedBody>(frame, file, file_size);
                       return BodyStream::Reader([body](char* buffer, std::size_t capacity) {
                         return body->read(buffer, capacity);
                       });
                     },
                 .content_type = frame->content_type()};
  options.signed_body = std::move(meta_json);
  return options;
}

Response upload_media(const Chain& endpoint, const std::filesystem::path& file, const Json& meta) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) throw Error("cannot read media file " + file.string() + ": " + error.message());
  if (size > kMediaInMemoryLimit) {
    return endpoint.post(media_upload_stream_options(file, meta));
  }
  return endpoint.post(
      media_upload_options(file.filename().string(), detail::read_upload_file(file), meta));
}

}  // namespace wechatpay::v3
