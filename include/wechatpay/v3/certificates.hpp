// WeChat Pay platform certificates: GET /v3/certificates, decrypted with the APIv3 key, checked,
// and published into the client's key store; refreshed on a timer and when a response names a
// serial the store does not know.
//
// Trust: each `encrypt_certificate` is AES-256-GCM sealed under the merchant's APIv3 key, which
// only the merchant and WeChat Pay know, so a certificate that decrypts came from WeChat Pay.
// The download's own signature is verified with a key the store already trusts when it names
// one; otherwise (the first download, or a rotation to a new signing certificate) with the
// downloaded certificate of that serial: trust on first use. To pin WeChat Pay's keys, list
// them in ClientConfig::certs (configured keys are always kept and win over downloaded ones).
//
// A 404 RESOURCE_NOT_EXISTS answer means the merchant uses a WeChat Pay public key
// (PUB_KEY_ID_...) only: the manager logs that once and keeps the configured keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/crypto/keys.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/log.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::v3 {

// The body of GET /v3/certificates, decrypted: each certificate's serial must match its
// `serial_no` and its validity must cover `now`. CryptoError when one does not decrypt (a wrong
// APIv3 key); Error for malformed JSON, a mismatch, or no currently valid certificate.
WECHATPAY_EXPORT std::vector<crypto::Certificate> decrypt_certificates(
    std::string_view body, std::string_view apiv3_key, std::int64_t now = system_now());

struct CertificateManagerOptions {
  std::string apiv3_key;  // never logged
  std::chrono::milliseconds interval = std::chrono::hours(12);
  // Refreshes caused by unknown serials happen at most this often.
  std::chrono::milliseconds unknown_serial_gap = std::chrono::minutes(1);
  Logger logger;
  Clock now = system_now;
};

class WECHATPAY_EXPORT CertificateManager {
 public:
  // Sends GET v3/certificates, signed and not verified (the manager verifies it), and calls
  // `done` exactly once. The client supplies one that goes through its transport.
  using Fetch = std::function<void(Completion done)>;

  // `configured`: the keys from ClientConfig::certs, kept in every snapshot published.
  CertificateManager(std::shared_ptr<crypto::KeyStore> keys, crypto::KeyStore::Snapshot configured,
                     Fetch fetch, CertificateManagerOptions options);
  ~CertificateManager();  // stop()
  CertificateManager(const CertificateManager&) = delete;
  CertificateManager& operator=(const CertificateManager&) = delete;

  // Downloads once and waits (never call it on the transport's I/O thread), then starts the
  // refresh timer. Throws the download's error: ApiError, TransportError, VerificationError,
  // CryptoError (wrong APIv3 key). Public-key mode is not an error.
  void start();
  // Stops the timer and joins its thread; afterwards nothing is downloaded or published.
  void stop();
  // Downloads now and waits; throws like start(). The store keeps its keys on failure.
  void refresh();
  // For the verifier: refreshes now unless a refresh for an unknown serial ran within
  // `unknown_serial_gap` (then `resume` runs at once); requests that arrive while one is under
  // way wait for it. `resume` runs exactly once, on the thread that finishes the refresh.
  void refresh_for_unknown_serial(const std::string& serial, std::function<void()> resume);

  // True after /v3/certificates answered 404 RESOURCE_NOT_EXISTS.
  bool public_key_mode() const;
  // The certificates of the last successful download.
  std::vector<crypto::Certificate> certificates() const;
  // How many downloads were started (for monitoring and tests).
  std::uint64_t downloads() const;

 private:
  struct State;
  void run();  // the timer thread

  std::shared_ptr<State> state_;
  std::thread timer_;
};

}  // namespace wechatpay::v3
