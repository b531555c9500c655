// Media uploads: multipart/form-data with a `meta` JSON part and a `file` part, where the APIv3
// signature covers only the meta JSON (WeChat Pay's rule for these endpoints):
//   v3/merchant/media/upload, v3/merchant/media/video_upload,
//   v3/marketing/favor/media/image-upload, v3/merchant-service/images/upload.
//   auto res = v3::upload_media(client["v3/merchant/media/upload"], "/tmp/logo.png");
//   auto media_id = res.json()["media_id"].GetString();
// The whole file is read into memory: the transport sends request bodies from memory.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wechatpay/chain.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/options.hpp"

namespace wechatpay::v3 {

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

// Reads `file` and POSTs it to `endpoint`; the part's file name is the path's last component.
// wechatpay::Error if the file cannot be read; the request's own errors as for any call.
WECHATPAY_EXPORT Response upload_media(const Chain& endpoint, const std::filesystem::path& file,
                                       const Json& meta = Json());

}  // namespace wechatpay::v3
