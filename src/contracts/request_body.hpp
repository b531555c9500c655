// The parts of a Request the contract middleware reads and rewrites. Internal.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "wechatpay/http.hpp"

namespace wechatpay::contracts {

// The APIv3 JSON body into `out`; an empty body is an empty object. False for a body that is
// not JSON (multipart, streamed, malformed): the contract's json part does not apply. Takes the
// parse keep_json_body left on this thread when it is of the same bytes.
bool json_body(const Request& request, rapidjson::Document& out);
// Leaves `parsed` (of request.body) for the json_body call that follows on this thread: validate
// parses the body and encrypt_fields, next in the stack, needs it again. Bodies up to 64 KiB;
// a newer one replaces an unclaimed one.
void keep_json_body(const Request& request, rapidjson::Document&& parsed);
// The APIv2 fields (Options::xml) into `out` as an object; false when the caller sent a raw body.
bool v2_fields(const Options& options, rapidjson::Document& out);

// `value` as compact JSON; `size_hint` (about the expected length) saves the buffer's regrowth.
std::string to_json_text(const rapidjson::Value& value, std::size_t size_hint = 0);
// The request's URL with `query` in place of the options' query (same order, re-encoded).
void replace_query(Request& request, const Query& query);
// The request's options with `fields` as the APIv2 payload.
void replace_xml(Request& request, const rapidjson::Value& fields);

}  // namespace wechatpay::contracts
