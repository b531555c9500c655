#include "wechatpay/crypto/keys.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include <openssl/asn1.h>
#include <openssl/asn1err.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "crypto/openssl_ptr.hpp"
#include "redact.hpp"
#include "wechatpay/crypto/encoding.hpp"

namespace wechatpay::crypto {
namespace {

constexpr std::string_view kFileScheme = "file://";
// Key and certificate files are a few KiB; the cap stops a mistaken path (a device, a log)
// from being slurped whole.
constexpr std::size_t kMaxSpecFile = 1u << 20;

enum class Kind { kPrivate, kPublic };

const char* kind_name(Kind kind) {
  return kind == Kind::kPrivate ? "private key" : "public key";
}

// Bytes that may be private key material: wiped before the memory is released.
struct SecretBytes {
  std::string bytes;
  SecretBytes() = default;
  explicit SecretBytes(std::string b) : bytes(std::move(b)) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes(std::move(other.bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

// A spec's contents and, for messages, where they came from (a path is fine to show; the
// contents never are).
struct Source {
  SecretBytes contents;
  std::string origin;
};

std::string read_key_file(const std::string& path) {
  const std::string what = "cannot read key file '" + path + "'";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw CryptoError(what + ": is a directory");
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw CryptoError(what + ": " + std::generic_category().message(errno));
  SecretBytes out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;) {
    if (out.bytes.size() + n > kMaxSpecFile) throw CryptoError(what + ": larger than 1 MiB");
    out.bytes.append(buffer, n);
  }
  OPENSSL_cleanse(buffer, sizeof buffer);
  if (std::ferror(file.get())) throw CryptoError(what + ": read error");
  return std::move(out.bytes);
}

Source read_source(std::string_view spec) {
  Source source;
  if (spec.starts_with(kFileScheme)) {
    const std::string path(spec.substr(kFileScheme.size()));
    if (path.empty()) throw CryptoError("cannot read key file: file:// spec without a path");
    source.contents.bytes = read_key_file(path);
    source.origin = "file '" + path + "'";
  } else {
    source.contents.bytes = spec;
    source.origin = "inline spec";
  }
  return source;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

// The first PEM block that holds a key or certificate, skipping others (e.g. "EC PARAMETERS").
struct PemBlock {
  std::string_view label;
  std::string_view text;  // from its BEGIN line to the end of the input
};

bool is_key_label(std::string_view label) {
  // A label is one short line; anything else is a malformed header that may run into the body.
  if (label.size() > 40 || label.find_first_of("\r\n") != std::string_view::npos) return false;
  return label.ends_with("PRIVATE KEY") || label.ends_with("PUBLIC KEY") || label == "CERTIFICATE";
}

std::optional<PemBlock> find_pem_block(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  for (auto pos = text.find(kBegin); pos != std::string_view::npos;
       pos = text.find(kBegin, pos + 1)) {
    const auto label_at = pos + kBegin.size();
    const auto end = text.find("-----", label_at);
    if (end == std::string_view::npos) break;
    const auto label = text.substr(label_at, end - label_at);
    if (is_key_label(label)) return PemBlock{label, text.substr(pos)};
  }
  return std::nullopt;
}

// Supplies the caller's passphrase to OpenSSL and fails when there is none, so an encrypted
// key never makes OpenSSL prompt on the terminal.
struct Passphrase {
  std::string_view text;
  bool requested = false;
};

int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  auto* passphrase = static_cast<Passphrase*>(user);
  passphrase->requested = true;
  if (passphrase->text.empty() || passphrase->text.size() > static_cast<std::size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, passphrase->text.data(), passphrase->text.size());
  return static_cast<int>(passphrase->text.size());
}

// Decodes one key with OSSL_DECODER; null on failure, with OpenSSL's queue holding the reason.
EvpPkeyPtr decode(std::string_view data, const char* input_type, const char* structure,
                  const char* key_type, Kind kind, Passphrase& passphrase,
                  std::size_t* unread = nullptr) {
  EVP_PKEY* raw = nullptr;
  const int selection = kind == Kind::kPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  DecoderCtxPtr ctx(OSSL_DECODER_CTX_new_for_pkey(&raw, input_type, structure, key_type, selection,
                                                  nullptr, nullptr));
  if (!ctx || OSSL_DECODER_CTX_get_num_decoders(ctx.get()) == 0) return nullptr;
  OSSL_DECODER_CTX_set_pem_password_cb(ctx.get(), passphrase_callback, &passphrase);
  const unsigned char* in = bytes_of(data);
  std::size_t left = data.size();
  if (OSSL_DECODER_from_data(ctx.get(), &in, &left) != 1) {
    EVP_PKEY_free(raw);
    return nullptr;
  }
  if (unread != nullptr) *unread = left;
  return EvpPkeyPtr(raw);
}

// One DER structure, read strictly: a PKCS#1 key under a pkcs8 scheme is an error, not a guess.
// `unread` receives the number of bytes after the structure.
using DerDecoder = EvpPkeyPtr (*)(std::string_view der, std::size_t& unread);

void free_asn1_sequence(ASN1_SEQUENCE_ANY* seq) noexcept {
  sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
}

// RSAPrivateKey and RSAPublicKey (PKCS#1) are SEQUENCEs of INTEGERs only, while PKCS#8 and SPKI
// nest an AlgorithmIdentifier. OpenSSL's "type-specific" decoder accepts those too, so the
// shape is checked first.
bool is_sequence_of_integers(std::string_view der) {
  const unsigned char* p = bytes_of(der);
  std::unique_ptr<ASN1_SEQUENCE_ANY, OpenSslDeleter<free_asn1_sequence>> seq(
      d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size())));
  if (!seq || sk_ASN1_TYPE_num(seq.get()) < 2) return false;
  for (int i = 0; i < sk_ASN1_TYPE_num(seq.get()); ++i) {
    if (ASN1_TYPE_get(sk_ASN1_TYPE_value(seq.get(), i)) != V_ASN1_INTEGER) return false;
  }
  return true;
}

template <Kind kind>
EvpPkeyPtr decode_rsa_pkcs1(std::string_view der, std::size_t& unread) {
  if (!is_sequence_of_integers(der)) {
    ERR_raise_data(ERR_LIB_ASN1, ASN1_R_WRONG_TAG, nullptr);
    return nullptr;
  }
  Passphrase none;
  return decode(der, "DER", "type-specific", "RSA", kind, none, &unread);
}

EvpPkeyPtr decode_pkcs8(std::string_view der, std::size_t& unread) {
  const unsigned char* p = bytes_of(der);
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info) return nullptr;
  unread = der.size() - static_cast<std::size_t>(p - bytes_of(der));
  return EvpPkeyPtr(EVP_PKCS82PKEY(info.get()));
}

EvpPkeyPtr decode_spki(std::string_view der, std::size_t& unread) {
  const unsigned char* p = bytes_of(der);
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key) unread = der.size() - static_cast<std::size_t>(p - bytes_of(der));
  return key;
}

struct DerScheme {
  std::string_view prefix;
  Kind kind;
  DerDecoder decode;
};

constexpr std::array<DerScheme, 4> kDerSchemes{{
    {"private.pkcs1://", Kind::kPrivate, decode_rsa_pkcs1<Kind::kPrivate>},
    {"private.pkcs8://", Kind::kPrivate, decode_pkcs8},
    {"public.pkcs1://", Kind::kPublic, decode_rsa_pkcs1<Kind::kPublic>},
    {"public.spki://", Kind::kPublic, decode_spki},
}};

void require_rsa(const EVP_PKEY* key, const std::string& what) {
  if (!EVP_PKEY_is_a(key, "RSA")) {
    const char* type = EVP_PKEY_get0_type_name(key);
    throw CryptoError(what + ": not an RSA key (" + (type ? type : "unknown type") + ")");
  }
  if (const int bits = EVP_PKEY_get_bits(key); bits < kMinRsaBits) {
    throw CryptoError(what + ": a " + std::to_string(bits) + "-bit RSA key is too weak: at least " +
                      std::to_string(kMinRsaBits) + " bits are required");
  }
}

// A private key must have its private exponent (a decoder may fall back to the public half) and
// be consistent: a damaged PEM can still parse, then sign garbage. The pairwise check (about
// 30 ms for 2048 bits: it tests p and q for primality) is paid once per load, never per request.
void require_private(EVP_PKEY* key, const std::string& what) {
  BIGNUM* d = nullptr;
  const bool has_d = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) == 1 && d != nullptr;
  BN_clear_free(d);
  if (!has_d) {
    ERR_clear_error();
    throw CryptoError(what + ": holds a public key only");
  }
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    throw_openssl_error(what + ": inconsistent RSA key (damaged?)");
  }
}

EvpPkeyPtr load_der_scheme(std::string_view text, const DerScheme& scheme,
                           const std::string& what) {
  const std::string context = what + " (" + std::string(scheme.prefix) + ")";
  // Base64 copied from a PEM body may keep its line breaks; they carry no data.
  SecretBytes compact;
  compact.bytes.reserve(text.size());  // no reallocation: old buffers would escape the wipe
  for (const char c : text.substr(scheme.prefix.size())) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact.bytes.push_back(c);
  }
  if (compact.bytes.empty()) throw CryptoError(context + ": no key data after the scheme");
  SecretBytes der;
  try {
    der.bytes = base64_decode(compact.bytes);
  } catch (const CryptoError&) {
    throw CryptoError(context + ": payload is not valid base64");
  }
  std::size_t unread = 0;
  EvpPkeyPtr key = scheme.decode(der.bytes, unread);
  if (!key) throw_openssl_error(context + ": cannot decode DER");
  if (unread != 0) throw CryptoError(context + ": trailing data after the DER key");
  return key;
}

constexpr std::string_view kCertificateBegin = "-----BEGIN CERTIFICATE-----";

X509Ptr parse_certificate(std::string_view pem, const std::string& what) {
  BioPtr bio = memory_bio(pem.data(), pem.size());
  Passphrase none;
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, passphrase_callback, &none) : nullptr);
  if (!cert) throw_openssl_error(what + ": cannot decode certificate PEM");
  return cert;
}

EvpPkeyPtr certificate_key(X509* cert, const std::string& what) {
  EvpPkeyPtr key(X509_get_pubkey(cert));
  if (!key) throw_openssl_error(what + ": certificate has no usable public key");
  return key;
}

EvpPkeyPtr load_pem(const PemBlock& block, Kind kind, std::string_view passphrase_text,
                    const std::string& what) {
  const std::string label(block.label);
  const std::string shown = detail::printable(label, 64);  // the label is the input's bytes
  if (kind == Kind::kPublic && label == "CERTIFICATE") {
    return certificate_key(parse_certificate(block.text, what).get(), what);
  }
  const bool wanted =
      kind == Kind::kPrivate ? label.ends_with("PRIVATE KEY") : label.ends_with("PUBLIC KEY");
  if (!wanted) {
    throw CryptoError(what + ": expected a " + kind_name(kind) +
                      (kind == Kind::kPublic ? " or certificate" : "") + ", found PEM '" + shown +
                      "'");
  }
  Passphrase passphrase{passphrase_text};
  EvpPkeyPtr key = decode(block.text, "PEM", nullptr, nullptr, kind, passphrase);
  if (key) return key;
  if (passphrase.requested && passphrase_text.empty()) {
    ERR_clear_error();
    throw CryptoError(what + ": PEM '" + shown + "' is encrypted and no passphrase was given");
  }
  if (passphrase.requested) {
    ERR_clear_error();
    throw CryptoError(what + ": cannot decrypt PEM '" + shown +
                      "' (wrong passphrase or corrupt data)");
  }
  throw_openssl_error(what + ": cannot decode PEM '" + shown + "'");
}

// Runs `load`, leaving OpenSSL's error queue empty whether it succeeds or throws: decoders queue
// errors from the alternatives they tried, which would confuse the next caller.
template <typename Load>
auto with_clean_error_queue(Load load) {
  try {
    auto result = load();
    ERR_clear_error();
    return result;
  } catch (...) {
    ERR_clear_error();
    throw;
  }
}

EvpPkeyPtr load_key(std::string_view spec, Kind kind, std::string_view passphrase) {
  const Source source = read_source(spec);
  const std::string what = std::string("cannot load ") + kind_name(kind) + " from " + source.origin;
  const std::string_view text = trim(source.contents.bytes);
  if (text.empty()) throw CryptoError(what + ": empty");

  EvpPkeyPtr key;
  for (const DerScheme& scheme : kDerSchemes) {
    if (!text.starts_with(scheme.prefix)) continue;
    if (scheme.kind != kind) {
      throw CryptoError(what + ": " + std::string(scheme.prefix) + " holds a " +
                        kind_name(scheme.kind));
    }
    key = load_der_scheme(text, scheme, what);
    break;
  }
  if (!key) {
    const auto block = find_pem_block(text);
    if (!block) {
      throw CryptoError(what + ": not a recognised key spec (expected file://, " +
                        (kind == Kind::kPrivate ? "private.pkcs1://, private.pkcs8://"
                                                : "public.pkcs1://, public.spki://") +
                        " or PEM)");
    }
    key = load_pem(*block, kind, passphrase, what);
  }
  require_rsa(key.get(), what);
  if (kind == Kind::kPrivate) require_private(key.get(), what);
  return key;
}

int bits_of(const EVP_PKEY* key) {
  return key ? EVP_PKEY_get_bits(key) : 0;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::int64_t epoch_seconds(const ASN1_TIME* time, const std::string& what) {
  Asn1TimePtr epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0;
  int seconds = 0;
  if (!epoch || ASN1_TIME_diff(&days, &seconds, epoch.get(), time) != 1) {
    throw_openssl_error(what + ": invalid validity time");
  }
  return std::int64_t{days} * 86400 + seconds;
}

std::string serial_hex(const X509* cert, const std::string& what) {
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) throw_openssl_error(what + ": invalid serial number");
  // BN_bn2hex writes whole bytes in upper case, as `openssl x509 -serial` does, except zero.
  if (BN_is_zero(serial.get())) return "00";
  OpenSslStringPtr hex(BN_bn2hex(serial.get()));
  if (!hex) throw_openssl_error(what + ": invalid serial number");
  return hex.get();
}

}  // namespace

PrivateKey PrivateKey::load(std::string_view spec, std::string_view passphrase) {
  return PrivateKey(
      share(with_clean_error_queue([&] { return load_key(spec, Kind::kPrivate, passphrase); })));
}

int PrivateKey::bits() const {
  return bits_of(key_.get());
}

PublicKey PublicKey::load(std::string_view spec) {
  return PublicKey(
      share(with_clean_error_queue([&] { return load_key(spec, Kind::kPublic, {}); })));
}

PublicKey PublicKey::of(const PrivateKey& key) {
  if (!key) throw CryptoError("PublicKey::of: empty private key");
  // A copy through SubjectPublicKeyInfo, so the public key holds no private material.
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || i2d_PUBKEY_bio(bio.get(), key.get()) != 1) {
    throw_openssl_error("PublicKey::of: cannot extract the public key");
  }
  EvpPkeyPtr pub(d2i_PUBKEY_bio(bio.get(), nullptr));
  if (!pub) throw_openssl_error("PublicKey::of: cannot extract the public key");
  return PublicKey(share(std::move(pub)));
}

int PublicKey::bits() const {
  return bits_of(key_.get());
}

std::string PublicKey::pem() const {
  if (!key_) throw CryptoError("PublicKey::pem: empty key");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    throw_openssl_error("PublicKey::pem: cannot encode the key");
  }
  return bio_text(bio.get());
}

Certificate Certificate::load(std::string_view spec) {
  return with_clean_error_queue([&] {
    const Source source = read_source(spec);
    const std::string what = "cannot load certificate from " + source.origin;
    if (trim(source.contents.bytes).empty()) throw CryptoError(what + ": empty");
    // From the first well-formed BEGIN line, as is_certificate sees it: OpenSSL would also take
    // a label with NUL bytes after "CERTIFICATE" (it compares C strings).
    const auto begin = source.contents.bytes.find(kCertificateBegin);
    if (begin == std::string::npos) {
      throw CryptoError(what + ": no PEM certificate in it");
    }
    const X509Ptr cert =
        parse_certificate(std::string_view(source.contents.bytes).substr(begin), what);
    EvpPkeyPtr key = certificate_key(cert.get(), what);
    require_rsa(key.get(), what);

    Certificate out;
    out.key = PublicKey(share(std::move(key)));
    out.serial = serial_hex(cert.get(), what);
    out.not_before = epoch_seconds(X509_get0_notBefore(cert.get()), what);
    out.not_after = epoch_seconds(X509_get0_notAfter(cert.get()), what);
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
      throw_openssl_error(what + ": cannot encode the certificate");
    }
    out.pem = bio_text(bio.get());
    return out;
  });
}

bool is_certificate(std::string_view spec) {
  try {
    const Source source = read_source(spec);
    return source.contents.bytes.find(kCertificateBegin) != std::string::npos;
  } catch (const CryptoError&) {
    return false;
  }
}

std::string read_spec(std::string_view spec) {
  Source source = read_source(spec);
  return std::move(source.contents.bytes);
}

}  // namespace wechatpay::crypto
