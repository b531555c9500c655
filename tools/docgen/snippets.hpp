// Every ```cpp block of a Markdown page, turned into one C++ translation unit so the build
// proves the documentation compiles. The convention (docs/CONTRIBUTING-docs.md):
//   - a block containing `int main(` is a whole program: compiled and linked;
//   - a block fenced as ```cpp top-level holds declarations (functions, structs) that later
//     blocks of the same page may use;
//   - any other ```cpp block is the body of a function with `wechatpay::Client& client` in scope.
// `#include` lines of any block are moved to the top of the unit. Every block carries a #line
// directive, so a compiler error names the Markdown file and line. Other fences (```sh, ```php,
// ```json, ```text) are not compiled.
#pragma once

#include <string>
#include <vector>

namespace docgen {

enum class SnippetKind { kStatements, kTopLevel, kProgram };

struct Snippet {
  SnippetKind kind = SnippetKind::kStatements;
  int first_line = 0;              // 1-based line of the block's first code line
  std::vector<std::string> lines;  // the code, fence indentation removed
};

// The ```cpp blocks of `markdown`; std::runtime_error naming `page` and the line of an
// unterminated fence.
std::vector<Snippet> extract_snippets(const std::string& markdown, const std::string& page);

// The translation unit for one page. `page` is the name compiler messages show (e.g.
// "docs/chain.md"); everything is inside a namespace derived from it, so pages link together.
std::string render_unit(const std::vector<Snippet>& snippets, const std::string& page);

}  // namespace docgen
