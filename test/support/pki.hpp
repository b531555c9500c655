// Test keys and certificates: the sandbox's PKI generator, with the process-wide test CA.
#pragma once

#include "pki/pki.hpp"
#include "support/temp_dir.hpp"

namespace wechatpay::test {

using namespace wechatpay::pki;  // NOLINT: tests name these as test::cached_rsa_key, ...

inline const CertificateAuthority& test_ca() {
  return shared_ca();
}

}  // namespace wechatpay::test
