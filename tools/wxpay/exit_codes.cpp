#include "exit_codes.hpp"

#include <string>

#include "args.hpp"
#include "wechatpay/contracts/validation_error.hpp"
#include "wechatpay/errors.hpp"

namespace wxpay {
namespace {

// Messages can quote server text; keep the report on one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string describe(const wechatpay::ApiError& e) {
  std::string line = "HTTP " + std::to_string(e.status());
  if (!e.code().empty()) line += " " + e.code();
  line += ": " + (e.message().empty() ? std::string(e.what()) : e.message());
  if (!e.detail().empty()) line += " " + e.detail();
  if (auto id = e.request_id(); !id.empty()) line += " (Request-ID " + id + ")";
  return line;
}

struct Failure {
  int code;
  const char* kind;
  std::string message;
};

Failure classify(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    std::string help = e.command().empty() ? "wxpay --help" : "wxpay " + e.command() + " --help";
    return {kUsage, "usage", std::string(e.what()) + " (see " + help + ")"};
  } catch (const wechatpay::ValidationError& e) {
    // The request as given breaks the endpoint's contract (an unfilled placeholder, a missing
    // field): nothing was sent, the command line needs fixing.
    return {kUsage, "invalid request", e.what()};
  } catch (const InputError& e) {
    return {kFormat, "input", e.what()};
  } catch (const wechatpay::ConfigError& e) {
    return {kConfig, "config", e.what()};
  } catch (const wechatpay::TimeoutError& e) {
    return {kTimeout, "timeout", e.what()};
  } catch (const wechatpay::TransportError& e) {
    return {kTransport, "transport", e.what()};
  } catch (const wechatpay::VerificationError& e) {
    return {kVerification, "verification", e.what()};
  } catch (const wechatpay::ApiError& e) {
    return {kApi, "api error", describe(e)};
  } catch (const wechatpay::CryptoError& e) {
    return {kCrypto, "crypto", e.what()};
  } catch (const wechatpay::XmlError& e) {
    return {kFormat, "xml", e.what()};
  } catch (const std::exception& e) {
    return {kOtherError, "error", e.what()};
  } catch (...) {
    return {kOtherError, "error", "unknown failure"};
  }
}

}  // namespace

int report_failure(std::exception_ptr error, std::ostream& err) {
  Failure failure = classify(error);
  err << "wxpay: " << failure.kind << ": " << one_line(failure.message) << '\n' << std::flush;
  return failure.code;
}

}  // namespace wxpay
