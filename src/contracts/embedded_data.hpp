// The contract data compiled into the library (deflated; see tools/embed/embed_data.cpp).
#pragma once

#include <cstddef>
#include <string>

namespace wechatpay::contracts::detail {

struct EmbeddedData {
  const unsigned char* deflated;
  std::size_t deflated_size;
  std::size_t inflated_size;
};

EmbeddedData embedded_contracts();  // data/contracts/contracts.jsonl
EmbeddedData embedded_events();     // data/contracts/events.jsonl
// data/contracts/corrections.jsonl: rows where the real service differs from the documentation
EmbeddedData embedded_corrections();

// The original text; CryptoError-free: a corrupt blob is a build defect, reported as Error.
std::string inflate(const EmbeddedData& data);

}  // namespace wechatpay::contracts::detail
