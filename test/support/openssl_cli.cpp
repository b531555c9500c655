#include "support/openssl_cli.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace wechatpay::test {

CliResult run(const std::string& command) {
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

std::string run_ok(const std::string& command) {
  CliResult result = run(command);
  if (result.status != 0) {
    throw std::runtime_error("command failed (" + std::to_string(result.status) + "): " + command +
                             "\n" + result.output);
  }
  return result.output;
}

std::string openssl(const std::string& args) {
  return run_ok("openssl " + args);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string dgst_value(const std::string& output) {
  const auto pos = output.rfind("= ");
  if (pos == std::string::npos) throw std::runtime_error("unexpected dgst output: " + output);
  std::string value = output.substr(pos + 2);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

}  // namespace wechatpay::test
