#include "wechatpay/crypto/encoding.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <openssl/evp.h>

#include "crypto/openssl_ptr.hpp"

namespace wechatpay::crypto {
namespace {

using EncodeCtxPtr = std::unique_ptr<EVP_ENCODE_CTX, OpenSslDeleter<EVP_ENCODE_CTX_free>>;

// EVP_* codecs take int lengths; feed them in chunks that keep block boundaries intact.
constexpr std::size_t kEncodeChunk = 3 * (1u << 20);
constexpr std::size_t kDecodeChunk = 4 * (1u << 20);

// The standard alphabet as a table: the check runs over every ciphertext a request carries
// (is it already encrypted?), where a chain of comparisons per byte showed in profiles.
constexpr auto kBase64Alphabet = [] {
  std::array<bool, 256> table{};
  for (char c :
       std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

// OpenSSL's decoder is lenient (it skips whitespace, stops at '-' and tolerates misplaced '='),
// so the strict shape is checked first: whole quads, alphabet only, at most two trailing '='.
// The number of '=' when `text` is canonical base64, else nullopt.
std::optional<std::size_t> canonical_padding(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  const auto body = text.substr(0, text.size() - padding);
  const bool alphabet = std::all_of(body.begin(), body.end(), [](char c) {
    return kBase64Alphabet[static_cast<unsigned char>(c)];
  });
  if (!alphabet) return std::nullopt;
  return padding;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  const auto* src = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t done = 0; done < bytes.size();) {
    const std::size_t n = std::min(kEncodeChunk, bytes.size() - done);
    // EVP_EncodeBlock NUL-terminates; the terminator lands on the next chunk's first byte
    // (overwritten) or on std::string's own terminator slot.
    dst += EVP_EncodeBlock(dst, src + done, static_cast<int>(n));
    done += n;
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  if (!canonical_padding(text)) throw CryptoError("base64 decode: malformed input");
  EncodeCtxPtr ctx(EVP_ENCODE_CTX_new());
  if (!ctx) throw_openssl_error("base64 decode");
  EVP_DecodeInit(ctx.get());
  // The upper bound; padding makes the real length up to two bytes shorter.
  std::string out(text.size() / 4 * 3, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  const auto* src = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t written = 0;
  for (std::size_t done = 0; done < text.size();) {
    const std::size_t n = std::min(kDecodeChunk, text.size() - done);
    int len = 0;
    if (EVP_DecodeUpdate(ctx.get(), dst + written, &len, src + done, static_cast<int>(n)) < 0) {
      throw_openssl_error("base64 decode");
    }
    written += static_cast<std::size_t>(len);
    done += n;
  }
  int len = 0;
  if (EVP_DecodeFinal(ctx.get(), dst + written, &len) != 1) throw_openssl_error("base64 decode");
  written += static_cast<std::size_t>(len);
  out.resize(written);
  return out;
}

std::optional<std::size_t> base64_decoded_size(std::string_view text) {
  const auto padding = canonical_padding(text);
  if (!padding) return std::nullopt;
  return text.size() / 4 * 3 - *padding;
}

std::string hex_encode(std::string_view bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

}  // namespace wechatpay::crypto
