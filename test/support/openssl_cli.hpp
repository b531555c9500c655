// The `openssl` command-line tool, which produces reference outputs tests compare against.
#pragma once

#include <string>
#include <string_view>

namespace wechatpay::test {

struct CliResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command; the caller quotes its arguments (test paths have no spaces).
CliResult run(const std::string& command);
// Runs a command that must succeed: a failing tool is a broken fixture, not a passing test.
std::string run_ok(const std::string& command);
// `openssl <args>`, which must succeed; returns its output.
std::string openssl(const std::string& args);
std::string read_file(const std::string& path);
void write_file(const std::string& path, std::string_view data);
// The text after the last "= " of `openssl dgst` output, without the newline.
std::string dgst_value(const std::string& output);

}  // namespace wechatpay::test
