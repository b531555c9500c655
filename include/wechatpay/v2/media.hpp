// APIv2 image upload, `secapi/mch/uploadmedia`: multipart/form-data with the text fields
// mch_id, media_hash, sign_type and sign, and the image as the `media` part, over the merchant's
// TLS client certificate. The client's APIv2 stack signs it like any APIv2 request, with its
// APIv2 key, and verifies the signed answer:
//   auto res = v2::upload_media(client->v2["secapi"]["mch"]["uploadmedia"], client.mchid(),
//                               "/tmp/id-card.jpg");
//   std::string media_id = v2::xml(res).at("media_id");
//
// What WeChat Pay documents (pay.weixin.qq.com "上传图片", secapi/mch/uploadmedia; the PHP
// SDK's example on wechatpay.im does the same):
// - media_hash is the MD5 of the file's bytes in lower-case hex ("注意小写"; the documented
//   curl example sends 709d1e858d2ef9d0501cc053668b2872);
// - the sign covers the text fields only, mch_id, media_hash and sign_type ("media ... 不参与
//   签名计算"): the ordinary APIv2 sign, upper-case hex, no nonce_str in the form;
// - sign_type is MD5 when absent, but the documentation's example and the PHP SDK's send
//   HMAC-SHA256, and the micro-merchant onboarding this upload serves signs with HMAC-SHA256
//   throughout: the default here.
// The image (jpeg, jpg, bmp, png, at most 2 MB) is sent from memory.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wechatpay/chain.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/options.hpp"
#include "wechatpay/v2/signature.hpp"

namespace wechatpay::v2 {

// The form's media_hash: the lower-case hex MD5 of `content`.
WECHATPAY_EXPORT std::string media_hash(std::string_view content);

// The options of one upload: `xml` = mch_id, media_hash, sign_type (the v2 stack adds `sign`
// and sends them as the form's text parts), `form_file` = the `media` part (content type by
// the file name's extension), `security` and `nonceless` set. ConfigError (field "filename")
// for a file name that is empty or has a quote or line break (it goes into a header).
WECHATPAY_EXPORT Options media_upload_options(std::string_view mchid, std::string_view filename,
                                              std::string_view content,
                                              SignType sign_type = SignType::kHmacSha256);

// POSTs `file` to `endpoint` (its name: the path's last component). wechatpay::Error if the file
// cannot be read; the request's own errors as for any APIv2 call (ApiError for a FAIL answer,
// VerificationError for a sign that does not verify).
WECHATPAY_EXPORT Response upload_media(const Chain& endpoint, std::string_view mchid,
                                       const std::filesystem::path& file,
                                       SignType sign_type = SignType::kHmacSha256);

}  // namespace wechatpay::v2
