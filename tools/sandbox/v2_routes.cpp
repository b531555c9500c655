// The APIv2 seeds that keep state (orders, refunds, payment codes); the checks and signatures
// common to every APIv2 endpoint are v2_call.hpp's.
#include "contract_rules.hpp"
#include "routes.hpp"
#include "util.hpp"
#include "v2_call.hpp"
#include "wechatpay/crypto/hash.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/v2/signature.hpp"
#include "wechatpay/v2/xml.hpp"

namespace wechatpay::sandbox {
namespace {

using v2::XmlFields;

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

}  // namespace

void add_v2_routes(httplib::Server& server, Sandbox& sandbox) {
  // Each route: its contract's checks (v2_call.hpp), then the state.
  auto serve = [&sandbox](const char* uri_template, V2Handler handler) {
    return serve_v2(sandbox, contract_of("POST", uri_template), std::move(handler));
  };
  server.Post("/tools/authcodetoopenid", serve("v2/tools/authcodetoopenid", authcode_to_openid));
  server.Post("/pay/micropay", serve("v2/pay/micropay", micropay));
  server.Post("/pay/orderquery", serve("v2/pay/orderquery", order_query));
  server.Post("/secapi/pay/refund", serve("v2/secapi/pay/refund", refund));
}

}  // namespace wechatpay::sandbox
