// The v2 stack's request side: fields -> nonce -> mchid guard -> sign -> XML body, form or query.
#include <algorithm>
#include <vector>

#include "multipart.hpp"
#include "uri_template.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/stack.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::v2 {
namespace {

constexpr std::string_view kContentType = "text/xml; charset=utf-8";
// Bills answer CSV or gzip, some endpoints plain text; the PHP SDK sends the same list.
constexpr std::string_view kAccept = "text/xml, text/plain, application/x-gzip";

// The first of the merchant-ID fields present must equal the client's mchid.
void check_mchid(const XmlFields& fields, const std::string& mchid) {
  if (mchid.empty()) return;
  const std::string* given = nullptr;
  for (std::string_view key : {"mch_id", "mchid", "combine_mch_id"}) {
    if ((given = fields.find(key)) != nullptr) break;
  }
  if (given == nullptr || *given != mchid) {
    throw ConfigError("mchid", "the APIv2 payload's mch_id `" + (given ? *given : std::string()) +
                                   "` does not match the client's mchid `" + mchid + "`");
  }
}

// The URL with its query replaced by the (signed) fields, RFC 3986 encoded as the client
// encodes queries; the sign itself covers the raw values.
std::string with_query(const std::string& url, const XmlFields& fields) {
  std::string out = url.substr(0, std::min(url.find('?'), url.find('#')));
  if (!fields.empty()) out += '?' + detail::encode_query(fields.fields());
  return out;
}

void use_client_certificate(Request& request, const Settings& settings) {
  if (settings.merchant_cert.empty() || settings.merchant_key.empty()) {
    throw ConfigError("merchant_cert",
                      "a `security` request needs the merchant TLS certificate and key "
                      "(merchant_cert, merchant_key)");
  }
  request.transfer.client_cert = settings.merchant_cert;
  request.transfer.client_key = settings.merchant_key;
  request.transfer.client_key_passphrase = settings.merchant_key_passphrase;
}

// The signed fields as the form's text parts, then the file part (secapi/mch/uploadmedia).
Body form_of(const XmlFields& fields, const FormFile& file) {
  detail::check_form_filename(file.filename);  // without one it would read as a text part
  std::vector<detail::FormPart> parts;
  for (const auto& [name, value] : fields) parts.push_back({.name = name, .content = value});
  parts.push_back({.name = file.name,
                   .content = file.content,
                   .filename = file.filename,
                   .content_type = file.content_type});
  return detail::form_body(parts);
}

Request prepare(Request request, const Settings& settings) {
  static const Options kNoOptions;
  const Options& options = request.options ? *request.options : kNoOptions;
  const bool is_get = request.method == "GET";

  if (options.security) use_client_certificate(request, settings);
  // A body the caller built (and signed) itself goes out untouched.
  if (!is_get && options.xml.is_absent() && options.body && !options.form_file) return request;
  if (is_get && options.form_file) {
    throw ConfigError("form_file", "a form with a file is sent by POST, not GET");
  }

  XmlFields fields = is_get ? XmlFields(options.query) : to_fields(options.xml);
  check_mchid(fields, settings.mchid);
  if (!options.nonceless && !fields.contains("nonce_str")) fields.add("nonce_str", crypto::nonce());
  const SignType type = parse_sign_type(fields.value("sign_type"));
  if (settings.secret.empty()) {
    throw ConfigError("secret", "the APIv2 key is required to sign APIv2 requests");
  }
  fields.set("sign", sign(fields, settings.secret, type));

  if (is_get) {
    request.url = with_query(request.url, fields);
    request.body.clear();
    return request;
  }
  if (options.form_file) {
    Body form = form_of(fields, *options.form_file);
    request.body = std::move(form.bytes);
    request.headers.set("Content-Type", form.content_type);
  } else {
    request.body = to_xml(fields);
    request.headers.set("Content-Type", std::string(kContentType));
  }
  if (!request.headers.contains("Accept")) request.headers.set("Accept", std::string(kAccept));
  return request;
}

}  // namespace

Middleware transform_request(std::shared_ptr<const Settings> settings) {
  if (!settings) throw ConfigError("v2", "transform_request needs the APIv2 settings");
  return map_request([settings = std::move(settings)](Request request) {
    return prepare(std::move(request), *settings);
  });
}

}  // namespace wechatpay::v2
