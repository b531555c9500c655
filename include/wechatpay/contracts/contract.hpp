// An endpoint contract (one row of contracts.jsonl) and a notification event contract (one row
// of events.jsonl), parsed from their JSON form.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/contracts/field.hpp"
#include "wechatpay/export.hpp"

namespace wechatpay::contracts {

enum class Api { v2, v3 };

// The request side, by where each field travels.
struct RequestContract {
  std::vector<Field> json;              // APIv3 JSON body
  std::vector<Field> xml;               // APIv2 XML fields
  std::vector<Field> query;             // URL query
  std::vector<Field> headers;           // HTTP headers
  std::vector<Field> body;              // multipart parts
  std::vector<Field> params;            // URI-template placeholders
  std::optional<std::string> base_uri;  // the documented host when not the default
  bool security = false;                // APIv2 merchant TLS certificate
  bool nonceless = false;               // APIv2 without nonce_str
};

struct Contract {
  std::string doc;           // the documentation page
  std::string method;        // GET, POST, PUT, PATCH, DELETE
  std::string uri_template;  // as chained: "v3/pay/transactions/id/{transaction_id}"
  Api api = Api::v3;
  RequestContract request;
  std::vector<Field> response;  // the answer's fields (APIv2: its XML fields)

  // "POST v3/payroll-card/tokens", as errors and logs name the endpoint.
  std::string endpoint() const { return method + " " + uri_template; }
};

struct EventContract {
  std::string doc;
  std::string event;  // "TRANSACTION.SUCCESS"
  Api api = Api::v3;
  std::vector<Field> headers;
  std::vector<Field> body;  // v3: the envelope; v2: the XML fields
  std::vector<Field> acknowledgement;

  // The fields of the decrypted resource (the `apiv3_key_aes_gcm` field's children), or null.
  // Exported: a public member, called by code linking the shared library (the sandbox does).
  WECHATPAY_EXPORT const std::vector<Field>* resource_fields() const;
};

// One JSON row in the data's form; wechatpay::Error names what is wrong with it.
WECHATPAY_EXPORT Contract parse_contract(std::string_view json_row);
WECHATPAY_EXPORT EventContract parse_event(std::string_view json_row);

// The URI template a pure-chain path stands for: each '/'-separated segment normalised as the
// chain does ("v3/payrollCard/tokens" -> "v3/payroll-card/tokens", "_id_" -> "{id}").
WECHATPAY_EXPORT std::string template_of_chain(std::string_view chain_path);

}  // namespace wechatpay::contracts
