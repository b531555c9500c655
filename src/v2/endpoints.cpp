#include "v2/endpoints.hpp"

#include <algorithm>
#include <array>

namespace wechatpay::v2 {
namespace {

// wechatpay-php ClientXmlTrait::$noneSignatureRespond (26 paths), kept sorted for lookup.
// Its pay_bank/query_bank entries sit under mmpaymkttransfers, but the live endpoints are under
// mmpaysptrans, so both are listed; appauth/getaccesstoken comes from the Node.js SDK's list.
constexpr std::array<std::string_view, 29> kSignless = {
    "/appauth/getaccesstoken",
    "/mchrisk/querymchrisk",
    "/mchrisk/setmchriskcallback",
    "/mchrisk/syncmchriskresult",
    "/mmpaymkttransfers/gethbinfo",
    "/mmpaymkttransfers/gettransferinfo",
    "/mmpaymkttransfers/pay_bank",
    "/mmpaymkttransfers/promotion/paywwsptrans2pocket",
    "/mmpaymkttransfers/promotion/querywwsptrans2pocket",
    "/mmpaymkttransfers/promotion/transfers",
    "/mmpaymkttransfers/query_bank",
    "/mmpaymkttransfers/sendgroupredpack",
    "/mmpaymkttransfers/sendminiprogramhb",
    "/mmpaymkttransfers/sendredpack",
    "/mmpaysptrans/pay_bank",
    "/mmpaysptrans/query_bank",
    "/papay/entrustweb",
    "/papay/h5entrustweb",
    "/papay/partner/entrustweb",
    "/papay/partner/h5entrustweb",
    "/pay/downloadbill",
    "/pay/downloadfundflow",
    "/payitil/report",
    "/risk/getpublickey",
    "/risk/getviolation",
    "/sandboxnew/pay/downloadbill",
    "/sandboxnew/pay/getsignkey",
    "/secapi/mch/submchmanage",
    "/xdc/apiv2getsignkey/sign/getsignkey",
};
static_assert(std::is_sorted(kSignless.begin(), kSignless.end()));

// batchquerycomment answers its comments as plain text on success.
constexpr std::array<std::string_view, 4> kDownloads = {
    "/billcommentsp/batchquerycomment",
    "/pay/downloadbill",
    "/pay/downloadfundflow",
    "/sandboxnew/pay/downloadbill",
};

std::string_view without_query(std::string_view url) {
  return url.substr(0, std::min(url.find('?'), url.find('#')));
}

}  // namespace

std::string endpoint_path(const Request& request, std::string_view client_base_uri) {
  std::string_view base = client_base_uri;
  if (request.options && request.options->base_uri) base = *request.options->base_uri;
  while (base.ends_with('/')) base.remove_suffix(1);
  const std::string_view url = without_query(request.url);
  if (!base.empty() && url.starts_with(base) &&
      (url.size() == base.size() || url[base.size()] == '/')) {
    std::string path(url.substr(base.size()));
    return path.empty() ? "/" : path;
  }
  return request.path();
}

bool is_signless_endpoint(std::string_view path) {
  return std::binary_search(kSignless.begin(), kSignless.end(), path);
}

bool is_json_endpoint(std::string_view path) {
  return path == "/appauth/getaccesstoken";
}

bool is_download_endpoint(std::string_view path) {
  return std::find(kDownloads.begin(), kDownloads.end(), path) != kDownloads.end();
}

}  // namespace wechatpay::v2
