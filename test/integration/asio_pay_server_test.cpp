// The Asio checkout service (examples/asio_pay_server.hpp) against the sandbox: 200 checkouts at
// once, each answered with its own order's verifiable JSAPI pay parameters; then the sandbox's
// payment notifications, acknowledged when genuine and refused when tampered. Built when Boost
// 1.80 or newer (Asio + Beast) is installed.
#if __has_include(<boost/version.hpp>)
#include <boost/version.hpp>
#endif
#if defined(BOOST_VERSION) && BOOST_VERSION >= 108000
#include "asio_pay_server.hpp"

#include <httplib.h>

#include <mutex>
#include <set>
#include <thread>

#include "integration/sandbox_fixture.hpp"
#include "wechatpay/crypto/rsa.hpp"

namespace wechatpay::test {
namespace {

using namespace std::chrono_literals;

// The service on 127.0.0.1 (any port), run by one thread until destroyed.
class RunningService {
 public:
  explicit RunningService(ClientConfig config)
      : service_(io_, std::move(config),
                 {.appid = "wxd678efh567hg6787", .notify_url = "https://example.com/notify"}),
        acceptor_(io_, {example::net::ip::make_address("127.0.0.1"), 0}) {
    example::net::co_spawn(io_, example::accept_connections(acceptor_, service_),
                           example::net::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RunningService() {
    io_.stop();
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  const example::PayService& service() const { return service_; }

 private:
  example::net::io_context io_;  // first: the service's client uses it until it goes
  example::PayService service_;
  example::net::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

class AsioPayServer : public SandboxTest {};

TEST_F(AsioPayServer, TwoHundredConcurrentCheckoutsThenNotificationsAreVerified) {
  constexpr int kCheckouts = 200;
  const ClientConfig config = sandbox().config();
  RunningService running(config);
  const auto merchant_public = crypto::PublicKey::of(
      crypto::PrivateKey::load(config.private_key, config.private_key_passphrase));

  std::mutex mutex;
  std::vector<std::string> failures;
  std::set<std::string> orders;
  std::vector<std::thread> buyers;
  for (int i = 0; i < kCheckouts; ++i) {
    buyers.emplace_back([&, i] {
      httplib::Client http("127.0.0.1", running.port());
      http.set_read_timeout(120, 0);
      std::string body = Json{{"description", "asio checkout"},
                              {"total", 100 + i},
                              {"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}
                             .dump();
      auto result = http.Post("/checkout", body, "application/json");
      std::lock_guard lock(mutex);
      if (!result || result->status != 200) {
        failures.push_back(result ? std::to_string(result->status) + " " + result->body
                                  : httplib::to_string(result.error()));
        return;
      }
      auto answer = JsonView::parse(result->body);
      const auto p = answer["pay_params"];
      const auto field = [&](const char* name) { return p[name].as<std::string>(); };
      const std::string signed_text = field("appId") + "\n" + field("timeStamp") + "\n" +
                                      field("nonceStr") + "\n" + field("package") + "\n";
      if (!field("package").starts_with("prepay_id=") ||
          !crypto::rsa_verify_sha256(merchant_public, signed_text, field("paySign"))) {
        failures.push_back("bad pay params: " + result->body);
      }
      orders.insert(answer["out_trade_no"].as<std::string>());
    });
  }
  for (auto& buyer : buyers) buyer.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  ASSERT_EQ(orders.size(), static_cast<std::size_t>(kCheckouts));  // each its own order

  // The orders exist at WeChat Pay (the sandbox), unpaid.
  Client client(config);
  const std::string first = *orders.begin();
  auto found = client["v3/pay/transactions/out-trade-no/{no}"]->get(
      {.query = {{"mchid", client.mchid()}}, .params = {{"no", first}}});
  EXPECT_EQ(found.json()["trade_state"].as<std::string>(), "NOTPAY");

  // The customer pays; the sandbox notifies the service, which verifies and acknowledges.
  const std::string notify_url = "http://127.0.0.1:" + std::to_string(running.port()) + "/notify";
  int sent = 0;
  for (const auto& out_trade_no : orders) {
    if (sent++ == 5) break;
    auto delivery = JsonView::parse(
        sandbox().admin("POST", "/sandbox/webhooks",
                        Json{{"url", notify_url}, {"out_trade_no", out_trade_no}}.dump()));
    EXPECT_EQ(delivery["status"].as<int>(), 204) << delivery["body"].dump();
  }
  auto tampered = JsonView::parse(
      sandbox().admin("POST", "/sandbox/webhooks",
                      Json{{"url", notify_url}, {"out_trade_no", first}, {"tamper", true}}.dump()));
  EXPECT_EQ(tampered["status"].as<int>(), 400);
  EXPECT_EQ(running.service().notifications(), 5);
}

}  // namespace
}  // namespace wechatpay::test
#endif
