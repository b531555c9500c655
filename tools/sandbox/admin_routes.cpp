// /sandbox/...: the control surface for tests, scripts and benchmarks. Unsigned JSON; the
// sandbox listens on 127.0.0.1 only.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>

#include "contract_rules.hpp"
#include "respond.hpp"
#include "routes.hpp"
#include "webhooks.hpp"
#include "wechatpay/contracts/registry.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::sandbox {
namespace {

struct BadRequest {
  std::string message;
};

Json parse_body(const httplib::Request& request) {
  if (request.body.empty()) return Json::object();
  try {
    Json body = Json::parse(request.body);
    if (body.is_object()) return body;
  } catch (const Error&) {
  }
  throw BadRequest{"the body must be a JSON object"};
}

std::string text(const Json& body, std::string_view name, std::string fallback) {
  const Json* value = body.find(name);
  if (!value) return fallback;
  if (!value->is_string()) throw BadRequest{std::string(name) + " must be a string"};
  return value->str();
}

bool flag(const Json& body, std::string_view name) {
  const Json* value = body.find(name);
  if (!value) return false;
  std::string given = value->to_text();
  if (given != "true" && given != "false")
    throw BadRequest{std::string(name) + " must be true or false"};
  return given == "true";
}

std::int64_t integer(const Json& body, std::string_view name) {
  const Json* value = body.find(name);
  if (!value) return 0;
  std::string given = value->to_text();
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(given.data(), given.data() + given.size(), number);
  if (error != std::errc() || end != given.data() + given.size()) {
    throw BadRequest{std::string(name) + " must be an integer"};
  }
  return number;
}

using AdminHandler = std::function<Json(Sandbox&, const httplib::Request&, const Json&)>;

httplib::Server::Handler serve_admin(Sandbox& sandbox, AdminHandler handler) {
  return [&sandbox, handler = std::move(handler)](const httplib::Request& request,
                                                  httplib::Response& response) {
    Reply reply;
    try {
      reply.body = handler(sandbox, request, parse_body(request)).dump();
    } catch (const BadRequest& bad) {
      reply = {.status = 400, .body = Json{{"error", bad.message}}.dump()};
    }
    send(sandbox, request, response, std::move(reply), {});
  };
}

// {"mode": "bad_signature" | "delay=1500" | "server_error=503" | ..., "path": prefix, "count": n};
// "refuse_connections=MS" and "reset_connections=MS" take the whole listener down instead.
Json add_fault(Sandbox& sandbox, const httplib::Request&, const Json& body) {
  Fault fault;
  try {
    fault = parse_fault(text(body, "mode", ""));
  } catch (const std::invalid_argument& e) {
    throw BadRequest{e.what()};
  }
  if (is_outage(fault.kind)) {
    sandbox.outages.request(fault);
    return {{"outage", fault_name(fault.kind)}, {"ms", fault.delay.count()}};
  }
  const std::int64_t count = body.find("count") ? integer(body, "count") : 1;
  if (count < 1 || count > INT_MAX) throw BadRequest{"count must be a positive integer"};
  sandbox.faults.add(fault, text(body, "path", ""), static_cast<int>(count));
  return {{"faults", sandbox.faults.describe()}};
}

// {"enabled": true|false}
Json set_bench(Sandbox& sandbox, const httplib::Request& request, const Json& body) {
  if (request.method == "POST") {
    if (!body.find("enabled")) throw BadRequest{"enabled must be true or false"};
    sandbox.bench = flag(body, "enabled");
  }
  return {{"bench", sandbox.bench.load()}};
}

// POST /sandbox/orders/{out_trade_no}/pay {"openid": ...}: the customer pays.
Json pay_order(Sandbox& sandbox, const httplib::Request& request, const Json& body) {
  auto order = sandbox.orders.pay(request.matches[1].str(), text(body, "openid", ""));
  if (!order) throw BadRequest{"no unpaid order " + request.matches[1].str()};
  return transaction_json(*order);
}

// The paid order a webhook is about: `out_trade_no` (paid now if it was not), or a new one.
Order paid_order(Sandbox& sandbox, std::string out_trade_no) {
  if (out_trade_no.empty()) {
    auto created = sandbox.orders.create({.appid = "wxd678efh567hg6787",
                                          .mchid = sandbox.credentials.mchid,
                                          .out_trade_no = "SANDBOX" + crypto::nonce(16),
                                          .description = "sandbox webhook",
                                          .trade_type = "JSAPI",
                                          .openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                                          .total = 1});
    out_trade_no = created->out_trade_no;
  }
  auto order = sandbox.orders.pay(out_trade_no, "");
  if (!order) order = sandbox.orders.find(out_trade_no);
  if (!order) throw BadRequest{"no order " + out_trade_no};
  return *order;
}

// Any other documented event: a resource shaped by the event's contract, repeating the order's
// values of the same name. original_type: the event's first word ("PROFITSHARING.SUCCESS" ->
// "profitsharing").
V3Notification contract_event(const Sandbox& sandbox, const Order& order,
                              const std::string& event) {
  static const auto registry = contracts::ContractRegistry::builtin();
  const contracts::EventContract* contract = registry->find_event(contracts::Api::v3, event);
  const std::vector<contracts::Field>* fields = contract ? contract->resource_fields() : nullptr;
  if (!fields) throw BadRequest{"event_type " + event + " is no documented APIv3 event"};
  std::string original_type = event.substr(0, event.find('.'));
  std::transform(original_type.begin(), original_type.end(), original_type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {.event_type = event,
          .original_type = std::move(original_type),
          .resource = contract_shaped(sandbox.credentials, *fields, transaction_json(order),
                                      event + "\n" + order.out_trade_no)};
}

// The v3 notification's event and resource: the paid order, or a full refund of it (made now,
// or the existing one when `out_refund_no` names it).
V3Notification v3_event(Sandbox& sandbox, const Order& order, const Json& body) {
  std::string event = text(body, "event_type", "TRANSACTION.SUCCESS");
  if (event == "TRANSACTION.SUCCESS") return {.resource = transaction_json(order)};
  if (event != "REFUND.SUCCESS") return contract_event(sandbox, order, event);
  std::string out_refund_no = text(body, "out_refund_no", "SANDBOXREFUND" + crypto::nonce(12));
  auto outcome = sandbox.orders.refund(order.out_trade_no, "", out_refund_no,
                                       order.total - order.refunded, order.total);
  if (!outcome.refund)
    throw BadRequest{"cannot refund " + order.out_trade_no + ": " + outcome.message};
  return {.event_type = event,
          .original_type = "refund",
          .resource = refund_notification_json(*outcome.refund, order.mchid)};
}

// {"url": ..., "version": "v3"|"v2", "out_trade_no": ..., "serial": ..., "event_type":
// "TRANSACTION.SUCCESS"|"REFUND.SUCCESS", "out_refund_no": ..., and to spoil a v3 one:
// "tamper": true, "skew_seconds": N, "wrong_key": true, "wrong_apiv3_key": true}: sends a
// notification for that order (paying it first if needed), or for a made-up paid order.
Json send_webhook(Sandbox& sandbox, const httplib::Request&, const Json& body) {
  std::string url = text(body, "url", "");
  if (url.empty()) throw BadRequest{"url is required"};
  std::string version = text(body, "version", "v3");
  if (version != "v3" && version != "v2") throw BadRequest{"version must be v3 or v2"};
  Order order = paid_order(sandbox, text(body, "out_trade_no", ""));
  Delivery delivery;
  if (version == "v3") {
    V3Notification notification = v3_event(sandbox, order, body);
    notification.serial = text(body, "serial", "");
    notification.tamper = flag(body, "tamper");
    notification.skew_seconds = integer(body, "skew_seconds");
    notification.wrong_key = flag(body, "wrong_key");
    notification.wrong_apiv3_key = flag(body, "wrong_apiv3_key");
    delivery = send_v3_notification(sandbox, notification, url);
  } else if (std::string event = text(body, "event_type", ""); !event.empty()) {
    if (!send_v2_event(sandbox, order, event, url, delivery)) {
      throw BadRequest{"event_type " + event + " is no documented APIv2 event"};
    }
  } else {
    delivery = send_v2_notification(sandbox, order, url);
  }
  Json result = {
      {"out_trade_no", order.out_trade_no}, {"status", delivery.status}, {"body", delivery.body}};
  if (!delivery.error.empty()) result.set("error", delivery.error);
  return result;
}

// The serials /v3/certificates lists, oldest first, and whether it lists none (public-key mode).
Json certificates_state(const Sandbox& sandbox) {
  auto keys = sandbox.platform.snapshot();
  Json::Array serials;
  for (const auto& entry : keys->certificates) serials.emplace_back(entry.certificate.serial);
  return {{"serial", keys->newest().certificate.serial},
          {"certificates", Json(std::move(serials))},
          {"public_key_only", keys->public_key_only}};
}

// POST /sandbox/certificates/rotate: a new platform certificate signs from now on.
Json rotate_certificate(Sandbox& sandbox, const httplib::Request&, const Json&) {
  sandbox.platform.rotate();
  return certificates_state(sandbox);
}

// POST /sandbox/certificates/mode {"public_key_only": true|false}; GET reads it.
Json certificate_mode(Sandbox& sandbox, const httplib::Request& request, const Json& body) {
  if (request.method == "POST") {
    if (!body.find("public_key_only")) throw BadRequest{"public_key_only is required"};
    sandbox.platform.set_public_key_only(flag(body, "public_key_only"));
  }
  return certificates_state(sandbox);
}

}  // namespace

void add_admin_routes(httplib::Server& server, Sandbox& sandbox) {
  server.Get("/sandbox/health", serve_admin(sandbox, [](Sandbox& s, const auto&, const auto&) {
               return Json{{"status", "ok"}, {"mchid", s.credentials.mchid}};
             }));
  server.Post("/sandbox/faults", serve_admin(sandbox, add_fault));
  server.Get("/sandbox/faults", serve_admin(sandbox, [](Sandbox& s, const auto&, const auto&) {
               return Json{{"faults", s.faults.describe()}};
             }));
  server.Delete("/sandbox/faults", serve_admin(sandbox, [](Sandbox& s, const auto&, const auto&) {
                  s.faults.clear();
                  return Json{{"faults", Json::array()}};
                }));
  server.Get("/sandbox/bench", serve_admin(sandbox, set_bench));
  server.Post("/sandbox/bench", serve_admin(sandbox, set_bench));
  server.Post(R"(/sandbox/orders/([^/]+)/pay)", serve_admin(sandbox, pay_order));
  server.Post("/sandbox/webhooks", serve_admin(sandbox, send_webhook));
  server.Post("/sandbox/certificates/rotate", serve_admin(sandbox, rotate_certificate));
  server.Get("/sandbox/certificates/mode", serve_admin(sandbox, certificate_mode));
  server.Post("/sandbox/certificates/mode", serve_admin(sandbox, certificate_mode));
}

}  // namespace wechatpay::sandbox
