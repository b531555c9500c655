// A WeChat Pay APIv3 notification endpoint: verifies, decrypts, logs and acknowledges.
//   WECHATPAY_MCHID=1900000001 WECHATPAY_SERIAL=<merchant cert serial>
//   WECHATPAY_PRIVATE_KEY=file:///path/apiclient_key.pem WECHATPAY_APIV3_KEY_FILE=/path/apiv3.key
//   WECHATPAY_PUBLIC_KEY_ID=PUB_KEY_ID_... WECHATPAY_PUBLIC_KEY=file:///path/pub_key.pem
//   ./notification_server 8080        # POST /notify; put TLS in front (nginx, a load balancer)
// Without WECHATPAY_PUBLIC_KEY_ID the platform certificates are downloaded instead.
#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "wechatpay/wechatpay.hpp"

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

wechatpay::ClientConfig config_from_environment() {
  wechatpay::ClientConfig config;
  config.mchid = env("WECHATPAY_MCHID");
  config.serial = env("WECHATPAY_SERIAL");
  config.private_key = env("WECHATPAY_PRIVATE_KEY");
  config.apiv3_key = read_secret_file(env("WECHATPAY_APIV3_KEY_FILE"));
  if (auto id = env("WECHATPAY_PUBLIC_KEY_ID"); !id.empty()) {
    config.certs = {{id, env("WECHATPAY_PUBLIC_KEY")}};
  } else {
    config.certificate_refresh.enabled = true;
  }
  config.logger = [](wechatpay::LogLevel, std::string_view message) {
    std::clog << "wechatpay: " << message << '\n';
  };
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    wechatpay::Client client(config_from_environment());
    httplib::Server server;
    server.Post("/notify", [&client](const httplib::Request& req, httplib::Response& res) {
      wechatpay::Headers headers;
      for (const auto& [name, value] : req.headers) headers.add(name, value);
      wechatpay::v3::Acknowledgement ack;
      try {
        auto notification = client.parse_notification(headers, req.body);
        std::clog << notification.id << ' ' << notification.event_type << ": "
                  << notification.plaintext << '\n';
        // Handle it here (idempotently: WeChat Pay may deliver the same notification twice).
        ack = wechatpay::v3::acknowledge_success();
      } catch (const wechatpay::VerificationError& e) {
        std::clog << "rejected notification: " << e.what() << '\n';
        ack = wechatpay::v3::acknowledge_failure("verification failed", 401);
      } catch (const std::exception& e) {
        std::clog << "cannot handle notification: " << e.what() << '\n';
        ack = wechatpay::v3::acknowledge_failure("cannot handle", 500);
      }
      res.status = ack.status;
      if (!ack.body.empty()) res.set_content(ack.body, ack.content_type);
    });
    int port = argc > 1 ? std::atoi(argv[1]) : 8080;
    std::clog << "listening on :" << port << " POST /notify\n";
    return server.listen("0.0.0.0", port) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "notification_server: " << e.what() << '\n';
    return 1;
  }
}
