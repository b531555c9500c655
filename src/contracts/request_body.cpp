#include "contracts/request_body.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>

#include "uri_template.hpp"

namespace wechatpay::contracts {

namespace {

constexpr std::size_t kKeptBodyLimit = 64 * 1024;

struct KeptParse {
  std::string text;  // the bytes `document` was parsed from
  rapidjson::Document document;
};
thread_local std::optional<KeptParse> kept;

bool take_kept(const std::string& body, rapidjson::Document& out) {
  if (!kept || kept->text != body) return false;
  out.Swap(kept->document);
  kept.reset();
  return true;
}

}  // namespace

bool json_body(const Request& request, rapidjson::Document& out) {
  if (request.body_stream) return false;
  if (request.body.empty()) {
    out.SetObject();
    return true;
  }
  const auto* type = request.headers.find("Content-Type");
  if (!type || !type->starts_with("application/json")) return false;
  if (take_kept(request.body, out)) return true;
  out.Parse(request.body.data(), request.body.size());
  return !out.HasParseError();
}

void keep_json_body(const Request& request, rapidjson::Document&& parsed) {
  if (request.body.empty() || request.body.size() > kKeptBodyLimit) return;
  kept.emplace();
  kept->text = request.body;
  kept->document.Swap(parsed);
}

bool v2_fields(const Options& options, rapidjson::Document& out) {
  if (options.xml.is_absent()) {
    if (options.body || options.body_stream) return false;
    out.SetObject();
    return true;
  }
  if (!options.xml.is_object()) return false;
  options.xml.to_rapidjson(out, out.GetAllocator());
  return true;
}

std::string to_json_text(const rapidjson::Value& value, std::size_t size_hint) {
  rapidjson::StringBuffer buffer(nullptr, std::max<std::size_t>(size_hint, 256));
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

void replace_query(Request& request, const Query& query) {
  const auto& original = request.options->query;
  auto old_text = detail::encode_query(original);
  if (!request.url.ends_with(old_text)) return;  // a middleware changed the URL: leave it
  request.url.resize(request.url.size() - old_text.size());
  request.url += detail::encode_query(query);
  auto options = std::make_shared<Options>(*request.options);
  options->query = query;
  request.options = std::move(options);
}

void replace_xml(Request& request, const rapidjson::Value& fields) {
  auto options =
      request.options ? std::make_shared<Options>(*request.options) : std::make_shared<Options>();
  options->xml = Json(fields);
  request.options = std::move(options);
}

}  // namespace wechatpay::contracts
