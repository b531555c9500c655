#include "wechatpay/chain.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace wechatpay
