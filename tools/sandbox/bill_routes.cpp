// Bills: GET /v3/bill/tradebill and /v3/bill/fundflowbill name a download URL and the bill's
// SHA1; GET /v3/billdownload/file sends the bill itself, unsigned (as WeChat Pay does), gzipped
// when it was asked for with tar_type=GZIP.
#include <zlib.h>

#include <stdexcept>

#include "contract_rules.hpp"
#include "respond.hpp"
#include "routes.hpp"
#include "v3_call.hpp"
#include "v3_security.hpp"
#include "wechatpay/crypto/hash.hpp"

namespace wechatpay::sandbox {
namespace {

// The gzip file of `data` (one member), as `gzip -c` writes it.
std::string gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

// One of `allowed`, or `fallback` when the query parameter is absent; 400 PARAM_ERROR otherwise.
std::string choice(const V3Call& call, const char* name,
                   std::initializer_list<std::string_view> allowed, std::string fallback) {
  if (!call.request.has_param(name)) return fallback;
  std::string value = call.request.get_param_value(name);
  for (auto known : allowed) {
    if (value == known) return value;
  }
  throw ApiFailure{400, "PARAM_ERROR", std::string(name) + " " + value + " is not supported",
                   Json{{"field", name}, {"location", "query"}, {"issue", "is not supported"}}};
}

// The answer naming a new bill: its SHA1 (altered by the wrong_hash fault) and download URL.
V3Answer issue(V3Call& call, std::string content) {
  if (content.empty()) throw ApiFailure{400, "NO_STATEMENT_EXIST", "no bill for that date"};
  const bool gzip = choice(call, "tar_type", {"GZIP"}, "") == "GZIP";
  std::string hash = crypto::sha1_hex(content);
  if (call.fault.kind == FaultKind::kWrongHash) hash[0] = hash[0] == '0' ? '1' : '0';
  std::string token = call.sandbox.bills.add({std::move(content), gzip});
  std::string base = std::string(call.sandbox.tls ? "https" : "http") + "://" +
                     call.request.get_header_value("Host") + "/";
  return {200,
          {{"hash_type", "SHA1"},
           {"hash_value", hash},
           {"download_url", base + "v3/billdownload/file?token=" + token}}};
}

std::string bill_date(const V3Call& call) {
  std::string date = call.query("bill_date");
  if (!is_bill_date(date)) {
    throw ApiFailure{400, "PARAM_ERROR", "bill_date " + date + " is not a date (YYYY-MM-DD)",
                     Json{{"field", "bill_date"}, {"location", "query"}, {"issue", "malformed"}}};
  }
  return date;
}

V3Answer tradebill(V3Call& call) {
  std::string date = bill_date(call);
  std::string type = choice(call, "bill_type", {"ALL", "SUCCESS", "REFUND"}, "ALL");
  return issue(call, trade_bill(date, type, call.sandbox.orders.all()));
}

V3Answer fundflowbill(V3Call& call) {
  std::string date = bill_date(call);
  std::string account = choice(call, "account_type", {"BASIC", "OPERATION", "FEES"}, "BASIC");
  return issue(call, fundflow_bill(date, account, call.sandbox.orders.all()));
}

// The bill file: a valid Authorization is required (401 signed otherwise), the answer itself
// is not signed; an unknown token is a signed 404.
void download(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response) {
  std::optional<Fault> fault = admit_v3(sandbox, request, response);
  if (!fault) return;
  try {
    V3Call call(sandbox, request);
    check_request(call, contract_of("GET", "v3/billdownload/file"));
  } catch (const ApiFailure& failure) {
    reply_v3(sandbox, request, response, failure.status,
             error_body(failure.code, failure.message, failure.detail), *fault);
    return;
  }
  auto bill = sandbox.bills.find(request.get_param_value("token"));
  if (!bill) {
    reply_v3(sandbox, request, response, 404,
             error_body("RESOURCE_NOT_EXISTS", "no bill for this token"), *fault);
    return;
  }
  send(sandbox, request, response,
       {.status = 200,
        .body = bill->gzip ? gzip(bill->content) : bill->content,
        .content_type = bill->gzip ? "application/octet-stream" : "text/plain; charset=utf-8"},
       *fault);
}

}  // namespace

void add_bill_routes(httplib::Server& server, Sandbox& sandbox) {
  server.Get("/v3/bill/tradebill",
             serve_v3(sandbox, checked("GET", "v3/bill/tradebill", tradebill)));
  server.Get("/v3/bill/fundflowbill",
             serve_v3(sandbox, checked("GET", "v3/bill/fundflowbill", fundflowbill)));
  server.Get("/v3/billdownload/file",
             [&sandbox](const httplib::Request& request, httplib::Response& response) {
               download(sandbox, request, response);
             });
}

}  // namespace wechatpay::sandbox
