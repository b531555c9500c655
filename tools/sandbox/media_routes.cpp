// Media uploads: multipart/form-data with a `meta` JSON part ({"filename", "sha256"}) and a
// `file` part. The merchant's signature covers the meta JSON only; meta.sha256 must be the
// file part's SHA-256. Limits as documented: images 2 MiB, videos 5 MiB.
// APIv2's secapi/mch/uploadmedia: text parts mch_id, media_hash, sign_type, sign (over the text
// parts) and a `media` part whose lower-case hex MD5 media_hash must be; images 2 MiB.
#include <algorithm>
#include <cctype>

#include "contract_rules.hpp"
#include "routes.hpp"
#include "v2_call.hpp"
#include "v3_call.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::sandbox {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

struct MediaEndpoint {
  const char* path;  // also its contract's template, after the leading '/'

  std::size_t max_bytes;
  const char* answer_field;  // media_id, or media_url for the marketing image upload
};

constexpr MediaEndpoint kEndpoints[] = {
    {"/v3/merchant/media/upload", 2 * kMiB, "media_id"},
    {"/v3/merchant/media/video_upload", 5 * kMiB, "media_id"},
    {"/v3/marketing/favor/media/image-upload", 2 * kMiB, "media_url"},
    {"/v3/merchant-service/images/upload", 2 * kMiB, "media_id"},
};

[[noreturn]] void bad_part(std::string_view field, std::string message) {
  throw ApiFailure{400, "PARAM_ERROR", std::move(message),
                   Json{{"field", field}, {"location", "body"}, {"issue", "invalid"}}};
}

bool same_hex(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// After the contract's checks (the file part, meta.filename and meta.sha256 where the contract
// requires them): the file's own rules.
V3Answer upload(V3Call& call, const MediaEndpoint& endpoint) {
  const auto file = call.request.get_file_value("file");
  const Json meta = Json::parse(call.request.get_file_value("meta").content);
  const Json* sha256 = meta.find("sha256");
  if (!sha256 || !sha256->is_string()) bad_part("meta.sha256", "meta.sha256 is required");
  if (!same_hex(sha256->str(), crypto::sha256_hex(file.content))) {
    bad_part("meta.sha256", "meta.sha256 does not match the SHA-256 of the file part");
  }
  if (file.content.size() > endpoint.max_bytes) {
    bad_part("file", "the file is " + std::to_string(file.content.size()) +
                         " bytes; this endpoint takes at most " +
                         std::to_string(endpoint.max_bytes / kMiB) + " MiB");
  }
  std::string id = crypto::nonce(64);
  if (std::string_view(endpoint.answer_field) == "media_url") {
    return {200, {{"media_url", "https://qpic.cn/sandbox/" + id}}};
  }
  return {200, {{"media_id", id}}};
}

// After serve_v2's checks (the client certificate, the contract's parts, mch_id, the sign over
// the text parts). The documentation asks for the hash in lower case ("注意小写"): an upper-case
// one is refused as well. The answer is the contract's, its media_id derived from the merchant
// and the image alone: the same image, the same media_id, whichever sign_type.
v2::XmlFields upload_v2(Sandbox& sandbox, const v2::XmlFields& fields,
                        const httplib::Request& request) {
  const std::string content = request.get_file_value("media").content;
  const std::string& hash = fields.at("media_hash");
  if (hash != crypto::md5_hex(content)) throw V2Failure{"media_hash参数格式错误"};
  if (content.size() > 2 * kMiB) throw V2Failure{"media参数格式错误"};
  v2::XmlFields answer =
      v2_contract_answer(sandbox, contract_of("POST", "v2/secapi/mch/uploadmedia"), fields);
  answer.set("media_id", crypto::md5_hex(fields.at("mch_id") + "\n" + hash));
  return answer;
}

}  // namespace

void add_media_routes(httplib::Server& server, Sandbox& sandbox) {
  for (const MediaEndpoint& endpoint : kEndpoints) {
    V3Handler handler = checked("POST", endpoint.path + 1,
                                [&endpoint](V3Call& call) { return upload(call, endpoint); });
    server.Post(endpoint.path, serve_v3(sandbox, std::move(handler), SignedPart::kMeta));
  }
  server.Post("/secapi/mch/uploadmedia",
              serve_v2(sandbox, contract_of("POST", "v2/secapi/mch/uploadmedia"), upload_v2));
}

}  // namespace wechatpay::sandbox
