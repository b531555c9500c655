#include "wechatpay/v3/certificates.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>

#include "redact.hpp"
#include "v3/sealed_json.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {

namespace {

constexpr std::string_view kSubject = "GET /v3/certificates answer";

bool same_serial(std::string_view a, std::string_view b) {
  return iequals(a, b);
}

// Verifies the download with a trusted key when the store has the signing serial, otherwise
// with the downloaded certificate of that serial (trust on first use; see the header).
void verify_download(const crypto::KeyStore& trusted, const Response& response,
                     const std::vector<crypto::Certificate>& downloaded, std::int64_t now) {
  auto serial = response.headers.value("Wechatpay-Serial");
  if (serial.empty() || trusted.find(serial)) return verify_response(trusted, response, now);
  crypto::KeyStore::Snapshot own;
  for (const auto& certificate : downloaded) {
    if (same_serial(certificate.serial, serial)) {
      own.emplace(serial, crypto::TrustedKey{certificate.key, certificate.not_after});
    }
  }
  verify_response(crypto::KeyStore(std::move(own)), response, now);
}

}  // namespace

std::vector<crypto::Certificate> decrypt_certificates(std::string_view body,
                                                      std::string_view apiv3_key,
                                                      std::int64_t now) {
  auto doc = detail::parse_object(body, kSubject);
  auto data = doc.FindMember("data");
  if (data == doc.MemberEnd() || !data->value.IsArray()) {
    throw Error(std::string(kSubject) + " lacks the data array");
  }
  std::vector<crypto::Certificate> valid;
  for (const auto& entry : data->value.GetArray()) {
    if (!entry.IsObject()) throw Error(std::string(kSubject) + " has a non-object entry");
    auto serial = detail::required_string(entry, "serial_no", kSubject);
    auto pem = detail::open_sealed(
        detail::required_object(entry, "encrypt_certificate", kSubject), apiv3_key,
        "encrypt_certificate of " + ::wechatpay::detail::printable(serial));
    auto certificate = crypto::Certificate::load(pem);
    if (!same_serial(certificate.serial, serial)) {
      throw Error("platform certificate " + certificate.serial + " is listed as " +
                  ::wechatpay::detail::printable(serial));
    }
    // Expired or not yet valid ones are skipped: WeChat Pay lists the next one ahead of time.
    if (certificate.not_before <= now && now <= certificate.not_after) {
      valid.push_back(std::move(certificate));
    }
  }
  if (valid.empty()) throw Error(std::string(kSubject) + " holds no currently valid certificate");
  return valid;
}

struct CertificateManager::State {
  std::shared_ptr<crypto::KeyStore> keys;
  crypto::KeyStore::Snapshot configured;
  CertificateManagerOptions options;

  // Guards fetch_ while a request is handed to it, so stop() never races a fetch in progress;
  // recursive because a fetch that fails at once completes on the calling thread.
  std::recursive_mutex fetch_mutex;
  Fetch fetch;

  mutable std::mutex mutex;
  std::condition_variable changed;
  bool stopped = false;
  bool public_key_mode = false;
  bool told_public_key_mode = false;
  std::vector<crypto::Certificate> certificates;
  std::uint64_t downloads = 0;
  bool unknown_refresh_running = false;
  std::optional<std::chrono::steady_clock::time_point> last_unknown_refresh;
  std::vector<std::function<void()>> waiting;

  void log(LogLevel level, std::string_view message) const {
    if (options.logger) options.logger(level, message);
  }

  // Decrypts, verifies and publishes one answer.
  void apply(const Response& response) {
    auto now = options.now();
    auto downloaded = decrypt_certificates(response.body, options.apiv3_key, now);
    verify_download(*keys, response, downloaded, now);
    auto next = configured;  // configured keys win over downloaded ones of the same serial
    for (const auto& certificate : downloaded) {
      next.emplace(certificate.serial, crypto::TrustedKey{certificate.key, certificate.not_after});
    }
    std::lock_guard lock(mutex);
    if (stopped) return;  // nothing is published after stop()
    keys->publish(std::move(next));
    certificates = std::move(downloaded);
    public_key_mode = false;
  }

  void enter_public_key_mode() {
    bool tell = false;
    {
      std::lock_guard lock(mutex);
      public_key_mode = true;
      tell = !std::exchange(told_public_key_mode, true);
    }
    if (tell) {
      log(LogLevel::info,
          "GET /v3/certificates answered 404 RESOURCE_NOT_EXISTS: this merchant uses a WeChat "
          "Pay public key only; continuing with the configured keys (certs)");
    }
  }

  // Starts one download; `done` gets its outcome (null on success or public-key mode).
  static void download(const std::shared_ptr<State>& self,
                       std::function<void(std::exception_ptr)> done) {
    std::lock_guard fetch_lock(self->fetch_mutex);
    bool stopped = false;
    {
      std::lock_guard lock(self->mutex);
      stopped = self->stopped || !self->fetch;
      if (!stopped) ++self->downloads;
    }
    if (stopped) return done(std::make_exception_ptr(Error("certificate manager is stopped")));
    self->fetch([self, done](std::exception_ptr error, Response response) {
      std::exception_ptr outcome;
      try {
        if (error) std::rethrow_exception(error);
        self->apply(response);
      } catch (const ApiError& e) {
        if (e.status() == 404 && e.code() == "RESOURCE_NOT_EXISTS") {
          self->enter_public_key_mode();
        } else {
          outcome = std::current_exception();
        }
      } catch (...) {
        outcome = std::current_exception();
      }
      done(outcome);
    });
  }

  // Downloads and waits for the outcome or for stop(); the outcome lives in shared state so a
  // late completion after stop() touches nothing that is gone.
  static std::exception_ptr download_and_wait(const std::shared_ptr<State>& self) {
    struct Outcome {
      bool finished = false;
      std::exception_ptr error;
    };
    auto outcome = std::make_shared<Outcome>();
    download(self, [self, outcome](std::exception_ptr error) {
      std::lock_guard lock(self->mutex);
      outcome->finished = true;
      outcome->error = error;
      self->changed.notify_all();
    });
    std::unique_lock lock(self->mutex);
    self->changed.wait(lock, [&] { return outcome->finished || self->stopped; });
    if (!outcome->finished) {
      return std::make_exception_ptr(Error("certificate manager is stopped"));
    }
    return outcome->error;
  }
};

CertificateManager::CertificateManager(std::shared_ptr<crypto::KeyStore> keys,
                                       crypto::KeyStore::Snapshot configured, Fetch fetch,
                                       CertificateManagerOptions options)
    : state_(std::make_shared<State>()) {
  state_->keys = std::move(keys);
  state_->configured = std::move(configured);
  state_->fetch = std::move(fetch);
  state_->options = std::move(options);
}

CertificateManager::~CertificateManager() {
  stop();
}

void CertificateManager::start() {
  refresh();
  std::lock_guard lock(state_->mutex);
  if (state_->public_key_mode && state_->configured.empty()) {
    state_->log(LogLevel::warning,
                "no WeChat Pay key to verify with: configure the public key in certs");
  }
  if (!state_->stopped && !timer_.joinable()) timer_ = std::thread([this] { run(); });
}

void CertificateManager::stop() {
  {
    std::lock_guard fetch_lock(state_->fetch_mutex);
    std::lock_guard lock(state_->mutex);
    state_->stopped = true;
    state_->fetch = nullptr;  // it may refer to a client that is going away
    state_->changed.notify_all();
  }
  if (timer_.joinable()) {
    if (timer_.get_id() == std::this_thread::get_id()) {
      timer_.detach();  // stop() from a logger on the timer thread: it exits on its own
    } else {
      timer_.join();
    }
  }
}

void CertificateManager::refresh() {
  if (auto error = State::download_and_wait(state_)) std::rethrow_exception(error);
}

void CertificateManager::run() {
  auto state = state_;
  for (;;) {
    {
      std::unique_lock lock(state->mutex);
      if (state->changed.wait_for(lock, state->options.interval, [&] { return state->stopped; })) {
        return;
      }
    }
    if (auto error = State::download_and_wait(state)) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        std::lock_guard lock(state->mutex);
        if (state->stopped) return;
        state->log(LogLevel::warning,
                   std::string("platform certificate refresh failed; keeping the current keys: ") +
                       e.what());
      }
    }
  }
}

void CertificateManager::refresh_for_unknown_serial(const std::string& serial,
                                                    std::function<void()> resume) {
  auto state = state_;
  bool queued = false;
  {
    std::lock_guard lock(state->mutex);
    auto now = std::chrono::steady_clock::now();
    if (state->unknown_refresh_running) {
      state->waiting.push_back(std::move(resume));
      return;
    }
    bool recent = state->last_unknown_refresh &&
                  now - *state->last_unknown_refresh < state->options.unknown_serial_gap;
    if (!state->stopped && !recent) {
      state->unknown_refresh_running = true;
      state->last_unknown_refresh = now;
      state->waiting.push_back(std::move(resume));
      queued = true;
    }
  }
  if (!queued) return resume();  // stopped, or refreshed within the gap
  state->log(LogLevel::info, "Wechatpay-Serial " + ::wechatpay::detail::printable(serial) +
                                 " is unknown: downloading the platform certificates");
  State::download(state, [state](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        state->log(LogLevel::warning,
                   std::string("platform certificate refresh failed: ") + e.what());
      }
    }
    std::vector<std::function<void()>> waiting;
    {
      std::lock_guard lock(state->mutex);
      state->unknown_refresh_running = false;
      waiting.swap(state->waiting);
    }
    for (auto& resume_one : waiting) resume_one();
  });
}

bool CertificateManager::public_key_mode() const {
  std::lock_guard lock(state_->mutex);
  return state_->public_key_mode;
}

std::vector<crypto::Certificate> CertificateManager::certificates() const {
  std::lock_guard lock(state_->mutex);
  return state_->certificates;
}

std::uint64_t CertificateManager::downloads() const {
  std::lock_guard lock(state_->mutex);
  return state_->downloads;
}

}  // namespace wechatpay::v3
