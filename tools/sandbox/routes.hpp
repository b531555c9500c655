// Route registration, one function per area. Catch-alls come last: httplib matches in order.
#pragma once

#include <httplib.h>

#include "sandbox.hpp"
#include "wechatpay/json.hpp"

namespace wechatpay::sandbox {

// The APIv3 seeds (payroll card tokens, pre-order-with-auth, offlinefacemch tokens) and
// GET /v3/certificates.
void add_v3_routes(httplib::Server& server, Sandbox& sandbox);
// JSAPI/Native orders: create, query by id / out-trade-no, close; refunds: create, query.
void add_order_routes(httplib::Server& server, Sandbox& sandbox);
// APIv2: tools/authcodetoopenid, pay/micropay, pay/orderquery, secapi/pay/refund.
void add_v2_routes(httplib::Server& server, Sandbox& sandbox);
// Every other APIv2 endpoint contract (after add_v2_routes: httplib takes the first match).
void add_v2_contract_routes(httplib::Server& server, Sandbox& sandbox);
// Media uploads (multipart, signed over meta): merchant/media/upload and video_upload,
// marketing/favor/media/image-upload, merchant-service/images/upload; APIv2's
// secapi/mch/uploadmedia (signed over its text parts).
void add_media_routes(httplib::Server& server, Sandbox& sandbox);
// Bills: tradebill, fundflowbill and the billdownload/file they point to.
void add_bill_routes(httplib::Server& server, Sandbox& sandbox);
// /sandbox/...: faults, bench mode, webhooks, paying an order, certificate rotation and mode.
void add_admin_routes(httplib::Server& server, Sandbox& sandbox);
// Everything else: answered from the APIv3 endpoint contract it matches (contract_routes.hpp),
// else a signed 404 RESOURCE_NOT_EXISTS.
void add_not_found_routes(httplib::Server& server, Sandbox& sandbox);

// An order as APIv3 shows it (queries and TRANSACTION.SUCCESS notifications).
Json transaction_json(const Order& order);
// A refund as a REFUND.SUCCESS notification's resource shows it.
Json refund_notification_json(const Refund& refund, const std::string& mchid);

}  // namespace wechatpay::sandbox
