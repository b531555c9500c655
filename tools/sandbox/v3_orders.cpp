// JSAPI / APP / Native orders and domestic refunds over APIv3, backed by the in-memory OrderStore.
#include "contract_rules.hpp"
#include "routes.hpp"
#include "util.hpp"
#include "v3_call.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::sandbox {
namespace {

std::string_view trade_state_desc(std::string_view state) {
  if (state == "SUCCESS") return "支付成功";
  if (state == "CLOSED") return "已关闭";
  if (state == "REFUND") return "转入退款";
  return "订单未支付";
}

Json refund_json(const Refund& refund) {
  return {{"refund_id", refund.refund_id},
          {"out_refund_no", refund.out_refund_no},
          {"transaction_id", refund.transaction_id},
          {"out_trade_no", refund.out_trade_no},
          {"channel", "ORIGINAL"},
          {"user_received_account", "支付用户零钱"},
          {"create_time", rfc3339_beijing(refund.create_time)},
          {"success_time", rfc3339_beijing(refund.create_time)},
          {"status", refund.status},
          {"amount",
           {{"total", refund.total},
            {"refund", refund.refund},
            {"payer_total", refund.total},
            {"payer_refund", refund.refund},
            {"currency", refund.currency}}}};
}

Order order_from(V3Call& call, std::string trade_type) {
  call.require_mchid("mchid");
  Order order{.appid = call.text("appid"),
              .mchid = call.text("mchid"),
              .out_trade_no = call.text("out_trade_no"),
              .description = call.text("description"),
              .notify_url = call.text("notify_url"),
              .attach = call.optional_text("attach"),
              .trade_type = std::move(trade_type),
              .total = call.integer("amount/total")};
  if (order.total <= 0) throw ApiFailure{400, "PARAM_ERROR", "amount/total must be positive"};
  if (auto currency = call.optional_text("amount/currency"); !currency.empty()) {
    order.currency = currency;
  }
  if (order.trade_type == "JSAPI") order.openid = call.text("payer/openid");
  return order;
}

Order create(V3Call& call, std::string trade_type) {
  auto order = call.sandbox.orders.create(order_from(call, std::move(trade_type)));
  if (!order) throw ApiFailure{400, "INVALID_REQUEST", "out_trade_no is already used"};
  return *order;
}

// JSAPI and APP orders answer a prepay_id the front end pays with.
V3Answer create_prepaid(V3Call& call, std::string trade_type) {
  create(call, std::move(trade_type));
  return {200, {{"prepay_id", "wx" + compact_beijing(now_seconds()) + crypto::nonce(20)}}};
}

V3Answer create_jsapi(V3Call& call) {
  return create_prepaid(call, "JSAPI");
}
V3Answer create_app(V3Call& call) {
  return create_prepaid(call, "APP");
}

V3Answer create_native(V3Call& call) {
  create(call, "NATIVE");
  return {200, {{"code_url", "weixin://wxpay/bizpayurl?pr=" + crypto::nonce(7)}}};
}

V3Answer found_order(V3Call& call, const std::optional<Order>& order) {
  call.query("mchid");
  if (!order) throw ApiFailure{404, "ORDER_NOT_EXIST", "the order does not exist"};
  return {200, transaction_json(*order)};
}

V3Answer query_by_id(V3Call& call) {
  return found_order(call, call.sandbox.orders.find_by_transaction(call.match(1)));
}

V3Answer query_by_out_trade_no(V3Call& call) {
  return found_order(call, call.sandbox.orders.find(call.match(1)));
}

V3Answer close(V3Call& call) {
  call.require_mchid("mchid");
  auto order = call.sandbox.orders.find(call.match(1));
  if (!order) throw ApiFailure{404, "ORDER_NOT_EXIST", "the order does not exist"};
  if (!call.sandbox.orders.close(order->out_trade_no) && order->trade_state != "CLOSED") {
    throw ApiFailure{400, "ORDER_PAID", "the order is paid and cannot be closed"};
  }
  return {204, {}};
}

V3Answer create_refund(V3Call& call) {
  // One of the two names the order (the contract cannot say "one of").
  std::string out_trade_no = call.optional_text("out_trade_no");
  std::string transaction_id = call.optional_text("transaction_id");
  if (out_trade_no.empty() && transaction_id.empty()) {
    throw ApiFailure{400, "PARAM_ERROR", "transaction_id or out_trade_no is required"};
  }
  auto outcome =
      call.sandbox.orders.refund(out_trade_no, transaction_id, call.text("out_refund_no"),
                                 call.integer("amount/refund"), call.integer("amount/total"));
  if (!outcome.refund) {
    int status = outcome.code == "ORDER_NOT_EXIST" ? 404 : outcome.code == "NOT_ENOUGH" ? 403 : 400;
    throw ApiFailure{status,
                     outcome.code == "ORDER_NOT_EXIST" ? "RESOURCE_NOT_EXISTS" : outcome.code,
                     outcome.message};
  }
  return {200, refund_json(*outcome.refund)};
}

V3Answer query_refund(V3Call& call) {
  auto refund = call.sandbox.orders.find_refund(call.match(1));
  if (!refund) throw ApiFailure{404, "RESOURCE_NOT_EXISTS", "the refund does not exist"};
  return {200, refund_json(*refund)};
}

}  // namespace

Json transaction_json(const Order& order) {
  Json json = {{"appid", order.appid},
               {"mchid", order.mchid},
               {"out_trade_no", order.out_trade_no},
               {"transaction_id", order.transaction_id},
               {"trade_type", order.trade_type},
               {"trade_state", order.trade_state},
               {"trade_state_desc", trade_state_desc(order.trade_state)},
               {"attach", order.attach},
               {"amount", {{"total", order.total}, {"currency", order.currency}}}};
  if (!order.openid.empty()) json.set("payer", {{"openid", order.openid}});
  if (order.success_time != 0) {
    json.set("bank_type", "OTHERS");
    json.set("success_time", rfc3339_beijing(order.success_time));
    json.set("amount", {{"total", order.total},
                        {"payer_total", order.total},
                        {"currency", order.currency},
                        {"payer_currency", order.currency}});
  }
  return json;
}

Json refund_notification_json(const Refund& refund, const std::string& mchid) {
  return {{"mchid", mchid},
          {"transaction_id", refund.transaction_id},
          {"out_trade_no", refund.out_trade_no},
          {"refund_id", refund.refund_id},
          {"out_refund_no", refund.out_refund_no},
          {"refund_status", refund.status},
          {"success_time", rfc3339_beijing(refund.create_time)},
          {"user_received_account", "支付用户零钱"},
          {"amount",
           {{"total", refund.total},
            {"refund", refund.refund},
            {"payer_total", refund.total},
            {"payer_refund", refund.refund}}}};
}

void add_order_routes(httplib::Server& server, Sandbox& sandbox) {
  // Each route: its contract's checks, then the state.
  auto serve = [&sandbox](const char* method, const char* uri_template, V3Handler handler) {
    return serve_v3(sandbox, checked(method, uri_template, std::move(handler)));
  };
  server.Post("/v3/pay/transactions/jsapi",
              serve("POST", "v3/pay/transactions/jsapi", create_jsapi));
  server.Post("/v3/pay/transactions/app", serve("POST", "v3/pay/transactions/app", create_app));
  server.Post("/v3/pay/transactions/native",
              serve("POST", "v3/pay/transactions/native", create_native));
  server.Get(R"(/v3/pay/transactions/id/([^/]+))",
             serve("GET", "v3/pay/transactions/id/{transaction_id}", query_by_id));
  server.Get(
      R"(/v3/pay/transactions/out-trade-no/([^/]+))",
      serve("GET", "v3/pay/transactions/out-trade-no/{out_trade_no}", query_by_out_trade_no));
  server.Post(R"(/v3/pay/transactions/out-trade-no/([^/]+)/close)",
              serve("POST", "v3/pay/transactions/out-trade-no/{out_trade_no}/close", close));
  server.Post("/v3/refund/domestic/refunds",
              serve("POST", "v3/refund/domestic/refunds", create_refund));
  server.Get(R"(/v3/refund/domestic/refunds/([^/]+))",
             serve("GET", "v3/refund/domestic/refunds/{out_refund_no}", query_refund));
}

}  // namespace wechatpay::sandbox
