// The shared test helpers under the name the crypto tests use.
#pragma once

#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"

namespace wechatpay::crypto::testing {

using namespace wechatpay::test;  // NOLINT: TempDir, openssl, run, read_file, write_file, ...

}  // namespace wechatpay::crypto::testing
