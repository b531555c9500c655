#include "wechatpay/v2/media.hpp"

#include "multipart.hpp"
#include "wechatpay/crypto/hash.hpp"

namespace wechatpay::v2 {

std::string media_hash(std::string_view content) {
  return crypto::md5_hex(content);  // lower-case hex, as the endpoint wants it
}

Options media_upload_options(std::string_view mchid, std::string_view filename,
                             std::string_view content, SignType sign_type) {
  detail::check_form_filename(filename);
  // The order the PHP SDK's example sends; the sign sorts them anyway.
  return {.xml = {{"mch_id", mchid},
                  {"media_hash", media_hash(content)},
                  {"sign_type", sign_type_name(sign_type)}},
          .security = true,
          .nonceless = true,
          .form_file = FormFile{.name = "media",
                                .filename = std::string(filename),
                                .content = std::string(content),
                                .content_type = detail::content_type_for(filename)}};
}

Response upload_media(const Chain& endpoint, std::string_view mchid,
                      const std::filesystem::path& file, SignType sign_type) {
  return endpoint.post(media_upload_options(mchid, file.filename().string(),
                                            detail::read_upload_file(file), sign_type));
}

}  // namespace wechatpay::v2
