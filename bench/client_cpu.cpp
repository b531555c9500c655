// Client CPU per synchronous APIv3 request (sign, send over TLS on loopback, verify), divided by
// the cost of one RSA-2048 sign + verify as `openssl speed rsa2048` measures it in the same run.
// The server runs in a child process and answers with one pre-signed response (valid for its
// five-minute window), so only the client's CPU is counted.
//   bench_client_cpu [requests=1000]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>

#include <httplib.h>

#include "pki/pki.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

using namespace wechatpay;

const std::string kKeyId = "PUB_KEY_ID_0114232134912410000000000000";

struct Cpu {
  double user = 0, system = 0;
  double total() const { return user + system; }
  Cpu operator-(const Cpu& o) const { return {user - o.user, system - o.system}; }
};

// This process's CPU: the calling thread and the transport's I/O thread.
Cpu cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

// Seconds per RSA-2048 sign and per verify, from `openssl speed`.
std::pair<double, double> openssl_speed() {
  FILE* pipe = popen("openssl speed -seconds 3 rsa2048 2>/dev/null", "r");
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

// Serves POST /v3/payroll-card/tokens with one pre-signed answer until killed.
[[noreturn]] void serve(const std::filesystem::path& dir, const pki::KeyPair& platform,
                        int ready_fd) {
  httplib::SSLServer server((dir / "cert.pem").c_str(), (dir / "key.pem").c_str());
  const std::string body = R"({"token":"V1_bench","expires_in":1800})";
  const std::string timestamp = std::to_string(std::time(nullptr));
  const std::string nonce = crypto::nonce();
  const std::string signature =
      crypto::rsa_sign_sha256(crypto::PrivateKey::load(platform.private_pem),
                              v3::response_signing_message(timestamp, nonce, body));
  server.Post("/v3/payroll-card/tokens", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Wechatpay-Timestamp", timestamp);
    res.set_header("Wechatpay-Nonce", nonce);
    res.set_header("Wechatpay-Serial", kKeyId);
    res.set_header("Wechatpay-Signature", signature);
    res.set_header("Request-ID", "bench");
    res.set_content(body, "application/json");
  });
  server.set_tcp_nodelay(true);  // httplib writes headers and body separately
  int port = server.bind_to_any_port("127.0.0.1");
  if (write(ready_fd, &port, sizeof port) != sizeof port) std::_Exit(1);
  server.listen_after_bind();
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 1000;
  const auto& ca = pki::shared_ca();
  auto tls = pki::make_server_certificate(ca);
  const auto& merchant = pki::cached_rsa_key("merchant");
  const auto& platform = pki::cached_rsa_key("platform");
  auto dir =
      std::filesystem::temp_directory_path() / ("wechatpay-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (auto [name, pem] :
       {std::pair{"cert.pem", tls.pem}, {"key.pem", tls.key.private_pem}, {"ca.pem", ca.pem()}}) {
    std::ofstream(dir / name) << pem;
  }

  int fds[2];
  if (pipe(fds) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    serve(dir, platform, fds[1]);
  }
  close(fds[1]);
  int port = 0;
  if (read(fds[0], &port, sizeof port) != sizeof port) return 1;

  Client client({.mchid = "1900000001",
                 .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                 .private_key = merchant.private_pem,
                 .certs = {{kKeyId, platform.public_pem}},
                 .base_uri = "https://127.0.0.1:" + std::to_string(port) + "/",
                 .ca_bundle = (dir / "ca.pem").string()});
  auto chain = client["v3/payroll-card/tokens"];
  Options options{.json = {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"}, {"appid", "wxa1111111"}}};
  for (int i = 0; i < 20; ++i) chain->post(options);  // warm up: connection, TLS, caches

  Cpu start = cpu_seconds();
  auto wall = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i) {
    if (!chain->post(options).verified) return 1;
  }
  Cpu used = cpu_seconds() - start;
  double client_cpu = used.total() / requests;
  double wall_per =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count() / requests;
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  std::filesystem::remove_all(dir);

  auto [sign, verify] = openssl_speed();
  std::printf("requests                      %d (sync, one connection, TLS on loopback)\n",
              requests);
  std::printf("client CPU per request        %.1f us (user %.1f + system %.1f; wall %.1f us)\n",
              client_cpu * 1e6, used.user / requests * 1e6, used.system / requests * 1e6,
              wall_per * 1e6);
  std::printf("openssl speed rsa2048         sign %.1f us + verify %.1f us = %.1f us\n", sign * 1e6,
              verify * 1e6, (sign + verify) * 1e6);
  std::printf("ratio                         %.2f x (user CPU alone: %.2f x)\n",
              client_cpu / (sign + verify), used.user / requests / (sign + verify));
  return 0;
}
