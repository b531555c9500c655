// Test helpers: a scratch directory and the `openssl` command-line tool, which produces the
// keys, certificates and reference outputs the crypto tests compare against. Header-only
// because the unit-test target only globs *_test.cpp files.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wechatpay::crypto::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "wechatpay-crypto-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `name` inside the directory.
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CliResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command; the caller quotes its arguments (test paths have no spaces).
inline CliResult run(const std::string& command) {
  CliResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    result.output.append(buffer, n);
  }
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

// Runs a command that must succeed (a failing tool means a broken fixture, not a passing test).
inline std::string run_ok(const std::string& command) {
  CliResult result = run(command);
  if (result.status != 0) {
    throw std::runtime_error("command failed (" + std::to_string(result.status) + "): " + command +
                             "\n" + result.output);
  }
  return result.output;
}

inline std::string openssl(const std::string& args) {
  return run_ok("openssl " + args);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

// The text after the last "= " of `openssl dgst` output, without the newline.
inline std::string dgst_value(const std::string& output) {
  const auto pos = output.rfind("= ");
  if (pos == std::string::npos) throw std::runtime_error("unexpected dgst output: " + output);
  std::string value = output.substr(pos + 2);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

}  // namespace wechatpay::crypto::testing
