// Media uploads: multipart/form-data with a `meta` JSON part and a `file` part, where the APIv3
// signature covers only the meta JSON (WeChat Pay's rule for these endpoints):
//   v3/merchant/media/upload, v3/merchant/media/video_upload,
//   v3/marketing/favor/media/image-upload, v3/merchant-service/images/upload.
//   auto res = v3::upload_media(client["v3/merchant/media/upload"], "/tmp/logo.png");
//   auto media_id = res.json()["media_id"].as<std::string>();
// Small files are sent from memory; larger ones are hashed in a first pass over the file and
// then streamed from disk while they are sent, so the file is never held in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "wechatpay/chain.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::v3 {

// Files up to this size are read into memory by upload_media; larger ones are streamed.
inline constexpr std::uintmax_t kMediaInMemoryLimit = 1u << 20;

// {"filename":…,"sha256":…} with the lower-case hex SHA-256 of `content`.
WECHATPAY_EXPORT Json media_meta(std::string_view filename, std::string_view content);

// The content type for a file name's extension (jpg, png, bmp, gif, mp4, avi, …), else
// application/octet-stream.
WECHATPAY_EXPORT std::string media_content_type(std::string_view filename);

// The options of one upload: the multipart body (random boundary), its Content-Type, and
// `signed_body` = the meta JSON exactly as sent in the `meta` part. `meta` absent: media_meta().
// wechatpay::Error for a file name with a quote or line break (it goes into a header).
WECHATPAY_EXPORT Options media_upload_options(std::string_view filename, std::string_view content,
                                              const Json& meta = Json());

// The same upload of `file` with the body streamed from disk (Options::body_stream): a first
// pass computes the file's size and SHA-256 (for the default meta) and picks a boundary that
// does not occur in it; the body is then read from the file while it is sent. wechatpay::Error
// when the file cannot be read, or when it is shorter than it was while being sent.
WECHATPAY_EXPORT Options media_upload_stream_options(const std::filesystem::path& file,
                                                     const Json& meta = Json());

// POSTs `file` to `endpoint` (from memory up to kMediaInMemoryLimit, else streamed); the part's
// file name is the path's last component. wechatpay::Error if the file cannot be read; the
// request's own errors as for any call.
WECHATPAY_EXPORT Response upload_media(const Chain& endpoint, const std::filesystem::path& file,
                                       const Json& meta = Json());

}  // namespace wechatpay::v3
