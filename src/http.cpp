#include "wechatpay/http.hpp"

namespace wechatpay {

namespace {

// The offset where the path starts: just after "scheme://authority", or 0 for a relative URL.
std::size_t path_start(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return 0;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? url.size() : slash;
}

}  // namespace

std::string Request::target() const {
  std::string out = url.substr(path_start(url));
  if (auto hash = out.find('#'); hash != std::string::npos) out.resize(hash);
  return out.empty() ? "/" : out;
}

std::string Request::path() const {
  std::string out = target();
  if (auto query = out.find('?'); query != std::string::npos) out.resize(query);
  return out;
}

JsonView Response::json() const {
  return JsonView::parse(decrypted_body ? *decrypted_body : body, *this);
}

std::string Response::request_id() const {
  return headers.value("Request-ID");
}

}  // namespace wechatpay
