// APIv2: XML in and out, MD5 / HMAC-SHA256 signatures both ways, FAIL answers like the real
// API, and secapi/pay/refund behind the merchant's TLS client certificate.
#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <functional>

#include "crypto/openssl_ptr.hpp"
#include "respond.hpp"
#include "routes.hpp"
#include "util.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::sandbox {
namespace {

using v2::XmlFields;

// return_code FAIL: the request itself was refused (format, sign, certificate); return_msg is
// the real service's short Chinese text, nothing more.
struct V2Failure {
  std::string return_msg;
};
// result_code FAIL: the request was fine, the business operation was not.
struct V2ResultFailure {
  std::string err_code, err_code_des;
};

using V2Handler = std::function<XmlFields(Sandbox&, const XmlFields&)>;

const std::string& required(const XmlFields& fields, std::string_view name) {
  const std::string* value = fields.find(name);
  if (!value || value->empty()) throw V2Failure{std::string(name) + "参数缺失"};
  return *value;
}

std::int64_t fee(const XmlFields& fields, std::string_view name) {
  const std::string& text = required(fields, name);
  try {
    std::size_t used = 0;
    std::int64_t value = std::stoll(text, &used);
    if (used == text.size() && value > 0) return value;
  } catch (const std::exception&) {
  }
  throw V2Failure{std::string(name) + "参数格式错误"};
}

// Payment codes are 18 digits starting 10..15.
void check_auth_code(const XmlFields& fields) {
  const std::string& code = required(fields, "auth_code");
  bool valid = code.size() == 18 && code[0] == '1' && code[1] >= '0' && code[1] <= '5' &&
               code.find_first_not_of("0123456789") == std::string::npos;
  if (!valid) throw V2ResultFailure{"AUTH_CODE_INVALID", "授权码检验错误 (auth_code is invalid)"};
}

// A stable openid per payment code, so repeated calls agree.
std::string openid_for(const std::string& seed) {
  return "oUpF8u" + crypto::md5_hex(seed).substr(0, 22);
}

// The peer presented the merchant's certificate (the handshake has verified its chain).
bool has_merchant_certificate(const httplib::Request& request, const Credentials& credentials) {
  if (!request.ssl) return false;
  const X509* peer = SSL_get0_peer_certificate(request.ssl);
  if (!peer) return false;
  crypto::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(peer), nullptr));
  if (!bn) return false;
  crypto::OpenSslStringPtr hex(BN_bn2hex(bn.get()));
  return hex && credentials.merchant_cert.serial == hex.get();
}

XmlFields order_fields(const Order& order) {
  XmlFields fields = {{"openid", order.openid},
                      {"trade_type", order.trade_type},
                      {"trade_state", order.trade_state},
                      {"total_fee", std::to_string(order.total)},
                      {"fee_type", order.currency},
                      {"transaction_id", order.transaction_id},
                      {"out_trade_no", order.out_trade_no},
                      {"attach", order.attach}};
  if (order.success_time != 0) {
    fields.add("bank_type", "OTHERS");
    fields.add("cash_fee", std::to_string(order.total));
    fields.add("time_end", compact_beijing(order.success_time));
  }
  return fields;
}

XmlFields authcode_to_openid(Sandbox&, const XmlFields& request) {
  check_auth_code(request);
  XmlFields answer = {{"result_code", "SUCCESS"}, {"openid", openid_for(request.at("auth_code"))}};
  if (request.contains("sub_appid")) {
    answer.add("sub_openid", openid_for(request.at("auth_code") + request.at("sub_appid")));
  }
  return answer;
}

XmlFields micropay(Sandbox& sandbox, const XmlFields& request) {
  for (auto name : {"body", "spbill_create_ip"}) required(request, name);
  check_auth_code(request);
  auto order = sandbox.orders.create({.appid = request.at("appid"),
                                      .mchid = request.at("mch_id"),
                                      .out_trade_no = required(request, "out_trade_no"),
                                      .description = request.at("body"),
                                      .attach = request.value("attach"),
                                      .trade_type = "MICROPAY",
                                      .total = fee(request, "total_fee")});
  if (!order) throw V2ResultFailure{"OUT_TRADE_NO_USED", "商户订单号重复"};
  order = sandbox.orders.pay(order->out_trade_no, openid_for(request.at("auth_code")));
  XmlFields answer = order_fields(*order);
  answer.erase("trade_state");  // micropay answers the payment, not a state
  answer.set("is_subscribe", "N");
  answer.add("result_code", "SUCCESS");
  return answer;
}

// The order a request names: (out_trade_no, transaction_id), at least one of them set.
std::pair<std::string, std::string> order_reference(const XmlFields& request) {
  std::pair<std::string, std::string> ids{request.value("out_trade_no"),
                                          request.value("transaction_id")};
  if (ids.first.empty() && ids.second.empty()) {
    throw V2Failure{"transaction_id和out_trade_no不能同时为空"};
  }
  return ids;
}

XmlFields order_query(Sandbox& sandbox, const XmlFields& request) {
  auto [out_trade_no, transaction_id] = order_reference(request);
  auto order = out_trade_no.empty() ? sandbox.orders.find_by_transaction(transaction_id)
                                    : sandbox.orders.find(out_trade_no);
  if (!order) throw V2ResultFailure{"ORDERNOTEXIST", "此交易订单号不存在"};
  XmlFields answer = order_fields(*order);
  answer.add("result_code", "SUCCESS");
  return answer;
}

XmlFields refund(Sandbox& sandbox, const XmlFields& request) {
  auto [out_trade_no, transaction_id] = order_reference(request);
  auto outcome =
      sandbox.orders.refund(out_trade_no, transaction_id, required(request, "out_refund_no"),
                            fee(request, "refund_fee"), fee(request, "total_fee"));
  if (!outcome.refund) {
    std::string code = outcome.code == "ORDER_NOT_EXIST" ? "ORDERNOTEXIST"
                       : outcome.code == "NOT_ENOUGH"    ? "NOTENOUGH"
                                                         : outcome.code;
    throw V2ResultFailure{code, outcome.message};
  }
  const Refund& r = *outcome.refund;
  return {{"result_code", "SUCCESS"},
          {"transaction_id", r.transaction_id},
          {"out_trade_no", r.out_trade_no},
          {"out_refund_no", r.out_refund_no},
          {"refund_id", r.refund_id},
          {"refund_fee", std::to_string(r.refund)},
          {"total_fee", std::to_string(r.total)},
          {"cash_fee", std::to_string(r.total)},
          {"cash_refund_fee", std::to_string(r.refund)}};
}

// Signs and sends a v2 answer, applying `fault` (bad_signature spoils the sign, missing_headers
// drops it; 5xx/429 replace the answer; the rest act on the transport).
void reply_v2(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
              XmlFields answer, v2::SignType sign_type, const Fault& fault) {
  int status = 200;
  if (fault.kind == FaultKind::kServerError || fault.kind == FaultKind::kTooManyRequests) {
    status = fault.kind == FaultKind::kServerError ? fault.status : 429;
    // The real service's code alone, no sandbox wording (main's fault tests look for it).
    answer = {{"return_code", "FAIL"}, {"return_msg", "SYSTEMERROR"}};
  } else if (answer.value("return_code") == "SUCCESS") {
    answer.set("nonce_str", crypto::nonce(32));
    answer.set("sign", v2::sign(answer, sandbox.credentials.secret, sign_type));
    if (fault.kind == FaultKind::kBadSignature) {
      std::string sign = answer.at("sign");
      sign[0] = sign[0] == 'A' ? 'B' : 'A';
      answer.set("sign", sign);
    } else if (fault.kind == FaultKind::kMissingHeaders) {
      answer.erase("sign");
    }
  }
  send(sandbox, request, response,
       {.status = status,
        .body = v2::to_xml(answer, true),
        .content_type = "text/xml; charset=utf-8"},
       fault);
}

XmlFields fail(std::string message) {
  return {{"return_code", "FAIL"}, {"return_msg", std::move(message)}};
}

httplib::Server::Handler serve_v2(Sandbox& sandbox, V2Handler handler, bool client_certificate) {
  return [&sandbox, handler = std::move(handler), client_certificate](
             const httplib::Request& request, httplib::Response& response) {
    Fault fault;
    v2::SignType sign_type = v2::SignType::kMd5;
    XmlFields answer;
    try {
      fault = sandbox.faults.take(request);
      if (client_certificate && !has_merchant_certificate(request, sandbox.credentials)) {
        throw V2Failure{"CERT_ERROR"};
      }
      XmlFields fields = v2::parse_xml(request.body);
      if (required(fields, "mch_id") != sandbox.credentials.mchid) {
        throw V2Failure{"mch_id参数格式错误"};
      }
      required(fields, "appid");
      required(fields, "nonce_str");
      sign_type = v2::parse_sign_type(fields.value("sign_type"));
      if (!v2::verify(fields, sandbox.credentials.secret, sign_type)) {
        throw V2Failure{"签名错误"};
      }
      answer = {{"return_code", "SUCCESS"},
                {"return_msg", "OK"},
                {"appid", fields.at("appid")},
                {"mch_id", fields.at("mch_id")}};
      try {
        for (auto& [key, value] : handler(sandbox, fields)) answer.add(key, value);
      } catch (const V2ResultFailure& failure) {
        answer.add("result_code", "FAIL");
        answer.add("err_code", failure.err_code);
        answer.add("err_code_des", failure.err_code_des);
      }
    } catch (const V2Failure& failure) {
      answer = fail(failure.return_msg);
    } catch (const std::invalid_argument& e) {  // an unknown fault name
      answer = fail(e.what());
    } catch (const XmlError&) {
      answer = fail("XML格式错误");
    } catch (const ConfigError&) {  // an unknown sign_type
      answer = fail("sign_type参数格式错误");
    }
    reply_v2(sandbox, request, response, std::move(answer), sign_type, fault);
  };
}

}  // namespace

void add_v2_routes(httplib::Server& server, Sandbox& sandbox) {
  server.Post("/tools/authcodetoopenid", serve_v2(sandbox, authcode_to_openid, false));
  server.Post("/pay/micropay", serve_v2(sandbox, micropay, false));
  server.Post("/pay/orderquery", serve_v2(sandbox, order_query, false));
  server.Post("/secapi/pay/refund", serve_v2(sandbox, refund, true));
}

}  // namespace wechatpay::sandbox
