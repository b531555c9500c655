// The endpoint index (docs/endpoints.md), generated from the conformance corpus
// (../shared/conformance/endpoints.jsonl): every endpoint grouped by product, with its method,
// its three C++ chain forms and the request options it uses.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace docgen {

struct Endpoint {
  std::string method;              // "GET", "POST", ...
  std::vector<std::string> chain;  // pure-chain segments, e.g. {"v3", "payrollCard", "tokens"}
  std::string declarative;         // "v3/payroll-card/tokens"
  std::string property;            // the `client[...]` string
  std::vector<std::string> option_keys;  // the corpus's option names, placeholders included
  std::vector<std::string> header_names;
  std::string base_uri;  // empty: the client's
};

// One endpoint per JSON line; std::runtime_error naming the line for a malformed row.
std::vector<Endpoint> read_corpus(std::istream& in);

// "v3/payroll-card" for "v3/payroll-card/tokens": the product an endpoint is listed under.
std::string product_of(const std::string& declarative);

// The C++ calls, e.g. `client->v3["payrollCard"]["tokens"]->post`.
std::string pure_chain_call(const Endpoint& endpoint);
std::string declarative_call(const Endpoint& endpoint);
std::string property_call(const Endpoint& endpoint);

// The Markdown page. `guide_for(declarative)` returns the relative link of the endpoint's own
// page under docs/, or "" when there is none; `fields_for(endpoint)`, when given, the endpoint's
// contract fields for a "Fields" column.
std::string render_index(const std::vector<Endpoint>& endpoints,
                         const std::function<std::string(const std::string&)>& guide_for,
                         const std::function<std::string(const Endpoint&)>& fields_for = nullptr);

}  // namespace docgen
