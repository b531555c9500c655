// multipart/form-data bodies as WeChat Pay's uploads take them (APIv3 media: a `meta` JSON part
// and a `file` part; APIv2 secapi/mch/uploadmedia: text fields and a `media` part). Internal.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/options.hpp"

namespace wechatpay::detail {

struct FormPart {
  std::string_view name;
  std::string_view content;
  std::string_view filename{};      // set: a file part
  std::string_view content_type{};  // empty: no Content-Type line (a plain text field)
};

// ConfigError (field "filename") for a file name that is empty or has a quote or line break: it
// goes into a Content-Disposition header.
void check_form_filename(std::string_view filename);

// The content type for a file name's extension (jpg, png, bmp, gif, mp4, avi, …), else
// application/octet-stream.
std::string content_type_for(std::string_view filename);

// "wechatpay-" and 30 random characters.
std::string new_form_boundary();

// The lines that open `part`: the delimiter, Content-Disposition, Content-Type, a blank line.
// The part's content follows, then "\r\n". ConfigError for a name or file name that would
// break the header (field "form", or "filename").
std::string form_part_head(std::string_view boundary, const FormPart& part);

// The closing delimiter, after the last part's "\r\n".
std::string form_closing(std::string_view boundary);

// "multipart/form-data; boundary=…".
std::string form_content_type(std::string_view boundary);

// The whole body of `parts`, in order, with a fresh boundary that occurs in none of them.
Body form_body(const std::vector<FormPart>& parts);

// The bytes of a file to upload, whole; wechatpay::Error naming the path when it cannot be read.
std::string read_upload_file(const std::filesystem::path& file);

}  // namespace wechatpay::detail
