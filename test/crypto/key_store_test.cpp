#include "wechatpay/crypto/key_store.hpp"

#include <gtest/gtest.h>

#include "crypto/key_material.hpp"

namespace wechatpay::crypto {
namespace {

const PublicKey& real_key() {
  static const PublicKey key = PublicKey::load("file://" + testing::KeyMaterial::get().spki_pem);
  return key;
}

TEST(KeyStoreTest, EmptyStore) {
  const KeyStore store;
  EXPECT_EQ(store.preferred_serial(), "");
  EXPECT_FALSE(store.find("anything"));
  EXPECT_TRUE(store.snapshot()->empty());
}

TEST(KeyStoreTest, FindsKeysBySerial) {
  const KeyStore store({{"5157F09EFDC096DE15EBE81A47057A7232F1B8E1", {real_key(), 100}}});
  const auto found = store.find("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->get(), real_key().get());
  EXPECT_FALSE(store.find("5157f09efdc096de15ebe81a47057a7232f1b8e1"));  // serials are exact
  EXPECT_FALSE(store.find(""));
}

TEST(KeyStoreTest, PrefersPublicKeyIdOverCertificates) {
  const KeyStore store({{"AAAA", {PublicKey{}, 4'000'000'000}},
                        {"PUB_KEY_ID_0114232134912410000000000000", {PublicKey{}, 0}},
                        {"ZZZZ", {PublicKey{}, 3'000'000'000}}});
  EXPECT_EQ(store.preferred_serial(), "PUB_KEY_ID_0114232134912410000000000000");
}

TEST(KeyStoreTest, PrefersLatestExpiryThenLastSerial) {
  const KeyStore latest(
      {{"AAAA", {PublicKey{}, 300}}, {"BBBB", {PublicKey{}, 500}}, {"CCCC", {PublicKey{}, 400}}});
  EXPECT_EQ(latest.preferred_serial(), "BBBB");
  const KeyStore tie(
      {{"BBBB", {PublicKey{}, 500}}, {"CCCC", {PublicKey{}, 500}}, {"AAAA", {PublicKey{}, 500}}});
  EXPECT_EQ(tie.preferred_serial(), "CCCC");
  const KeyStore one({{"ONLY", {PublicKey{}, 0}}});
  EXPECT_EQ(one.preferred_serial(), "ONLY");
}

TEST(KeyStoreTest, PublishSwapsSnapshotsWithoutDisturbingReaders) {
  KeyStore store({{"OLD", {real_key(), 100}}});
  const auto before = store.snapshot();
  store.publish({{"NEW", {real_key(), 200}}});
  EXPECT_TRUE(before->contains("OLD"));  // a reader's snapshot stays intact
  EXPECT_FALSE(store.find("OLD"));
  EXPECT_TRUE(store.find("NEW"));
  EXPECT_EQ(store.preferred_serial(), "NEW");
}

}  // namespace
}  // namespace wechatpay::crypto
