// The committed contract data equals ../shared/conformance/ (the source it is copied from).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ContractData, CommittedCopyIsCurrent) {
  const std::filesystem::path shared = std::string(WECHATPAY_SHARED_DIR) + "/conformance";
  const std::filesystem::path committed = std::string(WECHATPAY_SOURCE_DIR) + "/data/contracts";
  if (!std::filesystem::exists(shared / "contracts.jsonl")) {
    GTEST_SKIP() << "no " << shared.string() << " to compare with";
  }
  for (const char* name : {"contracts.jsonl", "events.jsonl"}) {
    auto committed_text = read(committed / name);
    ASSERT_FALSE(committed_text.empty()) << (committed / name).string() << " is missing";
    EXPECT_TRUE(committed_text == read(shared / name))
        << "data/contracts/" << name << " differs from " << (shared / name).string()
        << "; refresh it with: bash scripts/refresh-contracts.sh";
  }
}

}  // namespace
