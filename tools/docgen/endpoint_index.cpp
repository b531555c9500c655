#include "endpoint_index.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace docgen {
namespace {

// Corpus option names that are request options; any other name is a URI-template variable.
const std::vector<std::string> kRequestOptions = {
    "query", "json", "xml", "body", "headers", "security", "nonceless", "sink", "base_uri"};

const std::map<std::string, std::string> kVerbs = {
    {"GET", "get"}, {"POST", "post"}, {"PUT", "put"}, {"PATCH", "patch"}, {"DELETE", "del"}};

std::string verb_of(const Endpoint& endpoint) {
  auto found = kVerbs.find(endpoint.method);
  if (found == kVerbs.end()) throw std::runtime_error("unknown method " + endpoint.method);
  return found->second;
}

// A C++ string literal's contents.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// `{name}` and `{+name}` variables of a URI template, in order.
std::vector<std::string> placeholders(const std::string& uri_template) {
  std::vector<std::string> names;
  for (std::size_t open = uri_template.find('{'); open != std::string::npos;
       open = uri_template.find('{', open + 1)) {
    auto close = uri_template.find('}', open);
    if (close == std::string::npos) break;
    std::string name = uri_template.substr(open + 1, close - open - 1);
    if (!name.empty() && name.front() == '+') name.erase(0, 1);
    names.push_back(name);
  }
  return names;
}

std::string string_member(const rapidjson::Value& row, const char* name, int line) {
  auto found = row.FindMember(name);
  if (found == row.MemberEnd() || !found->value.IsString()) {
    throw std::runtime_error("corpus line " + std::to_string(line) + ": no string `" + name + "`");
  }
  return found->value.GetString();
}

Endpoint parse_row(const std::string& text, int line) {
  rapidjson::Document row;
  row.Parse(text.c_str(), text.size());
  if (row.HasParseError()) {
    throw std::runtime_error("corpus line " + std::to_string(line) + ": not JSON (" +
                             rapidjson::GetParseError_En(row.GetParseError()) + ")");
  }
  if (!row.IsObject()) {
    throw std::runtime_error("corpus line " + std::to_string(line) + ": not a JSON object");
  }
  Endpoint endpoint;
  endpoint.method = string_member(row, "method", line);
  endpoint.declarative = string_member(row, "declarative", line);
  endpoint.property = string_member(row, "property", line);
  auto chain = row.FindMember("chain");
  if (chain == row.MemberEnd() || !chain->value.IsArray() || chain->value.Empty()) {
    throw std::runtime_error("corpus line " + std::to_string(line) + ": no `chain` segments");
  }
  for (const auto& segment : chain->value.GetArray()) {
    if (!segment.IsString()) {
      throw std::runtime_error("corpus line " + std::to_string(line) + ": a non-string segment");
    }
    endpoint.chain.emplace_back(segment.GetString());
  }
  // Options are an object; an endpoint without any shows an empty (PHP) array.
  auto options = row.FindMember("options");
  if (options != row.MemberEnd() && options->value.IsObject()) {
    for (const auto& option : options->value.GetObject()) {
      std::string key = option.name.GetString();
      if (key == "headers" && option.value.IsObject()) {
        for (const auto& header : option.value.GetObject()) {
          endpoint.header_names.emplace_back(header.name.GetString());
        }
      }
      if (key == "base_uri" && option.value.IsString())
        endpoint.base_uri = option.value.GetString();
      endpoint.option_keys.push_back(std::move(key));
    }
  }
  return endpoint;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// "`.params` (transaction_id) `.query` `.base_uri` = …": the Options members a call sets.
std::string options_cell(const Endpoint& endpoint) {
  std::vector<std::string> params;
  for (const auto& name : placeholders(endpoint.declarative)) {
    // `{empty}` stands for a trailing slash: it is meant to stay unset.
    params.push_back(name == "empty" ? "empty: leave unset" : name);
  }
  for (const auto& key : endpoint.option_keys) {
    if (!has(kRequestOptions, key) && !has(params, key)) params.push_back(key);
  }
  std::vector<std::string> cells;
  if (!params.empty()) cells.push_back("`.params` (" + join(params, ", ") + ")");
  for (const auto& key : kRequestOptions) {
    if (!has(endpoint.option_keys, key)) continue;
    if (key == "headers" && !endpoint.header_names.empty()) {
      cells.push_back("`.headers` (" + join(endpoint.header_names, ", ") + ")");
    } else if (key == "base_uri" && !endpoint.base_uri.empty()) {
      cells.push_back("`.base_uri = \"" + endpoint.base_uri + "\"`");
    } else if (key == "security" || key == "nonceless") {
      cells.push_back("`." + key + " = true`");
    } else {
      cells.push_back("`." + key + "`");
    }
  }
  return join(cells, " ");
}

std::string anchor_of(const std::string& product) {
  std::string anchor;
  for (char c : product) {
    if (c != '/') anchor += c;
  }
  return anchor;
}

}  // namespace

std::vector<Endpoint> read_corpus(std::istream& in) {
  std::vector<Endpoint> endpoints;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    endpoints.push_back(parse_row(text, line));
  }
  if (endpoints.empty()) throw std::runtime_error("the corpus is empty");
  return endpoints;
}

std::string product_of(const std::string& declarative) {
  auto first = declarative.find('/');
  if (first == std::string::npos) return declarative;
  auto second = declarative.find('/', first + 1);
  return declarative.substr(0, second);
}

std::string pure_chain_call(const Endpoint& endpoint) {
  std::string call = "client->" + endpoint.chain.front();
  for (std::size_t i = 1; i < endpoint.chain.size(); ++i) {
    call += "[" + quoted(endpoint.chain[i]) + "]";
  }
  return call + "->" + verb_of(endpoint);
}

std::string declarative_call(const Endpoint& endpoint) {
  return "client->chain(" + quoted(endpoint.declarative) + ")->" + verb_of(endpoint);
}

std::string property_call(const Endpoint& endpoint) {
  return "client[" + quoted(endpoint.property) + "]->" + verb_of(endpoint);
}

std::string render_index(const std::vector<Endpoint>& endpoints,
                         const std::function<std::string(const std::string&)>& guide_for,
                         const std::function<std::string(const Endpoint&)>& fields_for) {
  // v3 products first, then v2; alphabetical within each; endpoints by path, then method.
  auto version_rank = [](const std::string& path) { return path.starts_with("v2/") ? 1 : 0; };
  std::map<std::pair<int, std::string>, std::vector<const Endpoint*>> products;
  for (const auto& endpoint : endpoints) {
    auto product = product_of(endpoint.declarative);
    products[{version_rank(product), product}].push_back(&endpoint);
  }
  std::ostringstream out;
  out << "# Endpoint index\n\n"
      << "<!-- Generated by tools/docgen from ../shared/conformance/endpoints.jsonl; do not edit.\n"
      << "     Regenerate: build/tools/docgen/wechatpay-docgen endpoints "
         "../shared/conformance/endpoints.jsonl docs docs/endpoints.md -->\n\n"
      << "Every documented WeChat Pay endpoint (" << endpoints.size() << ", in " << products.size()
      << " products), each in the three equivalent chain styles of [chain.md](chain.md). "
         "The options column lists the `wechatpay::Options` members the endpoint's documented "
         "example sets: `.params` holds the URI-template variables (`{name}` in the path), "
         "`.base_uri` a host other than `https://api.mch.weixin.qq.com/`. `v2/...` endpoints are "
         "APIv2 (XML, see [v2.md](v2.md)). An endpoint missing here still works: chains are not "
         "a fixed list.\n\n";
  if (fields_for) {
    out << "The fields column comes from the endpoint's contract ([contracts.md](contracts.md)): "
           "the request fields that are required (`*`) or sensitive (🔒, encrypted for you), "
           "and the answer fields that arrive encrypted (🔓, decrypted for you). `wxpay describe "
           "METHOD PATH` prints every field.\n\n";
  }
  for (const auto& [key, list] : products) {
    out << "[" << key.second << "](#" << anchor_of(key.second) << ") (" << list.size() << ") ";
  }
  out << "\n";
  for (auto& [key, list] : products) {
    std::stable_sort(list.begin(), list.end(), [](const Endpoint* a, const Endpoint* b) {
      return a->declarative < b->declarative;
    });
    out << "\n## " << key.second << "\n\n"
        << "| Method | Pure chain | Declarative, property | Options | "
        << (fields_for ? "Fields | " : "") << "Guide |\n"
        << (fields_for ? "|---|---|---|---|---|---|\n" : "|---|---|---|---|---|\n");
    for (const Endpoint* endpoint : list) {
      auto guide = guide_for(endpoint->declarative);
      out << "| " << endpoint->method << " | `" << pure_chain_call(*endpoint) << "` | `"
          << declarative_call(*endpoint) << "`<br>`" << property_call(*endpoint) << "` | "
          << options_cell(*endpoint) << " | " << (fields_for ? fields_for(*endpoint) + " | " : "")
          << (guide.empty() ? "" : "[guide](" + guide + ")") << " |\n";
    }
  }
  return out.str();
}

}  // namespace docgen
