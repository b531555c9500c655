#include "wechatpay/chain.hpp"

#include <gtest/gtest.h>

#include "client_core.hpp"

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

}  // namespace
}  // namespace wechatpay
