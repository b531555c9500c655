#include "wechatpay/chain.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "client_core.hpp"
#include "support/null_transport.hpp"
#include "support/pki.hpp"
#include "wechatpay/client.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {
namespace {

TEST(NormalizeSegment, FollowsThePhpSdkRule) {
  EXPECT_EQ(normalize_segment("payrollCard"), "payroll-card");
  EXPECT_EQ(normalize_segment("PayrollCard"), "payroll-card");
  EXPECT_EQ(normalize_segment("_transaction_id_"), "{transaction_id}");
  EXPECT_EQ(normalize_segment("_empty_"), "{empty}");
  EXPECT_EQ(normalize_segment("cgiBin"), "cgi-bin");
  EXPECT_EQ(normalize_segment("mch_operate"), "mch_operate");
  EXPECT_EQ(normalize_segment("withdrawlApply"), "withdrawl-apply");
  EXPECT_EQ(normalize_segment("v3"), "v3");
  EXPECT_EQ(normalize_segment("ABC"), "a-b-c");
  EXPECT_EQ(normalize_segment("_"), "_");
  EXPECT_EQ(normalize_segment("__"), "__");
  EXPECT_EQ(normalize_segment("_outTradeNo_"), "{out-trade-no}");
}

TEST(ChainNode, CachesChildrenUpToACap) {
  detail::ChainNode root("v3", nullptr);
  auto first = root.child("pay");
  EXPECT_EQ(root.child("pay"), first);  // memoised
  EXPECT_EQ(first->path, "v3/pay");

  // Run-time ids in literal paths must not grow the tree without end.
  for (int id = 0; id < 1000; ++id) root.child("orders/" + std::to_string(id));
  EXPECT_EQ(root.children.size(), detail::ChainNode::kMaxCachedChildren);
  auto late = root.child("orders/999999");
  EXPECT_EQ(late->path, "v3/orders/999999");
  EXPECT_EQ(root.children.size(), detail::ChainNode::kMaxCachedChildren);
  EXPECT_EQ(root.child("pay"), first);  // early children stay cached
}

// A chain built deep from data (a fuzzed 1 MiB of segments held 3 GiB): long paths are not
// cached, and past 64 KiB a chain stops growing and refuses to send.
TEST(ChainNode, DeepChainsStayLinearAndOverlongOnesRefuseToSend) {
  detail::ChainNode root("v3", nullptr);
  auto deep = root.child("a");
  std::size_t cached = 0;
  for (int i = 0; i < 200'000; ++i) {
    auto next = deep->child("b");
    cached += deep->children.size();
    deep = next;
  }
  EXPECT_LE(cached, detail::ChainNode::kMaxCachedPath / 2);
  EXPECT_TRUE(deep->overlong);
  EXPECT_EQ(deep->path, "");
  EXPECT_TRUE(deep->child("c")->overlong);

  Client client({.mchid = "1900000109",
                 .serial = "S",
                 .private_key = test::cached_rsa_key("merchant").private_pem,
                 .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                            test::cached_rsa_key("platform").public_pem}},
                 .transport = std::make_shared<test::NullTransport>()});
  Chain chain = client.v3;
  for (int i = 0; i < 40'000; ++i) chain = chain["segment"];
  EXPECT_EQ(chain.path(), "");
  try {
    chain->get();
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("longer than 65536 bytes"), std::string::npos) << e.what();
  }
}

// A transport that keeps each completion without calling it, or drops it, or calls it later from
// a thread of its own: what a synchronous call must survive besides the curl transport.
class UnrulyTransport : public Transport {
 public:
  enum class Mode { drop, answer_later };
  explicit UnrulyTransport(Mode mode) : mode_(mode) {}
  ~UnrulyTransport() override {
    if (later_.joinable()) later_.join();
  }
  void send(Request, Completion done) override {
    if (mode_ == Mode::drop) return;  // `done` goes out of scope uncalled
    later_ = std::thread([done = std::move(done)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      done(std::make_exception_ptr(TransportError("answered late, from another thread")), {});
    });
  }
  bool on_io_thread() const override { return false; }

 private:
  Mode mode_;
  std::thread later_;
};

Client unruly_client(UnrulyTransport::Mode mode) {
  return Client({.mchid = "1900000109",
                 .serial = "S",
                 .private_key = test::cached_rsa_key("merchant").private_pem,
                 .certs = {{"PUB_KEY_ID_0114232134912410000000000000",
                            test::cached_rsa_key("platform").public_pem}},
                 .transport = std::make_shared<UnrulyTransport>(mode),
                 .retry = RetryPolicy{.max_attempts = 1}});
}

// The TransportError's message of a synchronous query over `mode`'s transport.
std::string sync_failure(UnrulyTransport::Mode mode) {
  Client client = unruly_client(mode);
  try {
    client["v3/pay/transactions/id/{transaction_id}"]->get(
        {.query = {{"mchid", "1900000109"}}, .params = {{"transaction_id", "4200000001"}}});
  } catch (const TransportError& e) {
    return e.what();
  }
  return "no TransportError";
}

TEST(SyncCall, WaitsForACompletionFromAnotherThread) {
  EXPECT_EQ(sync_failure(UnrulyTransport::Mode::answer_later),
            "answered late, from another thread");
}

TEST(SyncCall, ACompletionDroppedUncalledFailsInsteadOfHanging) {
  EXPECT_EQ(sync_failure(UnrulyTransport::Mode::drop), "the call was dropped unanswered");
}

}  // namespace
}  // namespace wechatpay
