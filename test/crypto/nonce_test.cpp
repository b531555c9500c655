#include "wechatpay/crypto/nonce.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace wechatpay::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

TEST(NonceTest, HasRequestedLength) {
  EXPECT_EQ(nonce().size(), 32u);
  for (std::size_t length : {0u, 1u, 16u, 63u, 64u, 65u, 1000u}) {
    EXPECT_EQ(nonce(length).size(), length);
  }
}

TEST(NonceTest, UsesOnlyBase62Characters) {
  const std::string value = nonce(10000);
  EXPECT_EQ(value.find_first_not_of(kAlphabet), std::string::npos);
}

TEST(NonceTest, DiffersBetweenCalls) {
  EXPECT_NE(nonce(), nonce());
}

TEST(NonceTest, IsRoughlyUniform) {
  // 620,000 characters: 10,000 expected per symbol, standard deviation about 99. A plain
  // `byte % 62` would give the first eight symbols 5/256 (about 12,100 each) instead.
  std::array<int, 256> counts{};
  for (int i = 0; i < 62; ++i) {
    for (const char c : nonce(10000)) ++counts[static_cast<unsigned char>(c)];
  }
  for (const char c : kAlphabet) {
    const int n = counts[static_cast<unsigned char>(c)];
    EXPECT_GT(n, 9000) << c;
    EXPECT_LT(n, 11000) << c;
  }
}

}  // namespace
}  // namespace wechatpay::crypto
