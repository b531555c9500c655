// wechatpay-docgen: the documentation's generated parts.
//   wechatpay-docgen endpoints CORPUS DOCS_DIR OUTPUT   the endpoint index (docs/endpoints.md)
//                                                       and the endpoint pages' field tables
//   wechatpay-docgen snippets ROOT PAGE OUTPUT          ROOT/PAGE's ```cpp blocks as one .cpp
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "contract_fields.hpp"
#include "endpoint_index.hpp"
#include "snippets.hpp"
#include "wechatpay/contracts/registry.hpp"

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

int endpoints(const std::filesystem::path& corpus, const std::filesystem::path& docs,
              const std::filesystem::path& output) {
  std::ifstream in(corpus);
  if (!in) throw std::runtime_error("cannot read " + corpus.string());
  auto list = docgen::read_corpus(in);
  // An endpoint's own page, when it has one, mirrors its path: endpoints/v3/payroll-card/tokens.md.
  auto guide_for = [&docs](const std::string& declarative) -> std::string {
    std::string relative = "endpoints/" + declarative + ".md";
    return std::filesystem::exists(docs / relative) ? relative : "";
  };
  auto registry = wechatpay::contracts::ContractRegistry::builtin();
  auto fields_for = [&registry](const docgen::Endpoint& endpoint) -> std::string {
    const auto* contract = registry->find(endpoint.method, endpoint.declarative);
    return contract ? docgen::fields_cell(*contract) : "";
  };
  write_file(output, docgen::render_index(list, guide_for, fields_for));
  // Endpoint pages with a generated fields block, next to the index (in place when the index
  // is docs/endpoints.md; in the check's build directory otherwise).
  for (const auto& endpoint : list) {
    auto guide = guide_for(endpoint.declarative);
    const auto* contract = registry->find(endpoint.method, endpoint.declarative);
    if (guide.empty() || !contract) continue;
    auto page = read_file(docs / guide);
    if (page.find(docgen::kFieldsBegin) == std::string::npos) continue;
    write_file(output.parent_path() / guide, docgen::with_field_tables(page, *contract));
  }
  return 0;
}

int snippets(const std::filesystem::path& root, const std::string& page,
             const std::filesystem::path& output) {
  auto blocks = docgen::extract_snippets(read_file(root / page), page);
  write_file(output, docgen::render_unit(blocks, page));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string command = argc > 1 ? argv[1] : "";
    if (command == "endpoints" && argc == 5) return endpoints(argv[2], argv[3], argv[4]);
    if (command == "snippets" && argc == 5) return snippets(argv[2], argv[3], argv[4]);
    std::cerr << "usage: wechatpay-docgen endpoints CORPUS DOCS_DIR OUTPUT\n"
                 "       wechatpay-docgen snippets ROOT PAGE OUTPUT\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "wechatpay-docgen: " << e.what() << '\n';
    return 1;
  }
}
