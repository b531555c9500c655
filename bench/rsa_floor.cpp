#include "rsa_floor.hpp"

#include <cstdio>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>

#include "cpu_time.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"

namespace wechatpay::bench {
namespace {

// Seconds per RSA-2048 sign and verify from `openssl speed -seconds N rsa2048`.
std::pair<double, double> openssl_speed(int seconds) {
  const std::string command =
      "openssl speed -seconds " + std::to_string(seconds) + " rsa2048 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run openssl speed");
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  pclose(pipe);
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(R"(rsa 2048 bits\s+([0-9.]+)s\s+([0-9.]+)s)"))) {
    throw std::runtime_error("unexpected openssl speed output");
  }
  return {std::stod(m[1]), std::stod(m[2])};
}

// CPU seconds per call of `fn`, over about `budget` seconds of CPU.
template <typename Fn>
double cpu_per_call(Fn fn, double budget) {
  long calls = 0;
  double start = cpu_seconds(), used = 0;
  while ((used = cpu_seconds() - start) < budget) {
    for (int i = 0; i < 50; ++i) fn();
    calls += 50;
  }
  return used / static_cast<double>(calls);
}

}  // namespace

RsaFloor measure_rsa_floor(const crypto::PrivateKey& key, int seconds) {
  RsaFloor floor;
  std::tie(floor.openssl_sign, floor.openssl_verify) = openssl_speed(seconds);
  auto public_key = crypto::PublicKey::of(key);
  const std::string message = "POST\n/v3/payroll-card/tokens\n1700000000\n" + crypto::nonce() +
                              "\n{\"openid\":\"onqOjjmo8wmTOOtSKwXtGjg9Gb58\"}\n";
  const std::string signature = crypto::rsa_sign_sha256(key, message);
  const double budget = seconds / 2.0;
  floor.evp_sign = cpu_per_call([&] { (void)crypto::rsa_sign_sha256(key, message); }, budget);
  floor.evp_verify = cpu_per_call(
      [&] { (void)crypto::rsa_verify_sha256(public_key, message, signature); }, budget);
  return floor;
}

}  // namespace wechatpay::bench
