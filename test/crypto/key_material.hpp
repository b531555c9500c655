// RSA and EC keys and certificates in every form the key loader accepts, generated once per
// test process by the openssl CLI (nothing secret is committed), plus the CLI's own answers
// about them.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl_cli.hpp"

namespace wechatpay::crypto::testing {

struct KeyMaterial {
  TempDir dir;
  const std::string passphrase = "Tr0ub4dor.3-horse-staple";
  // The certificate's serial as given to `openssl req` (lower case on purpose).
  const std::string serial_arg = "0x0a5157f09efdc096de15ebe81a47057a7232f1b8";

  // Paths of PEM files.
  std::string pkcs8_pem, pkcs1_pem, encrypted_pem, spki_pem, rsa_public_pem, cert_pem;
  std::string ec_pkcs8_pem, ec_traditional_pem, ec_public_pem, ec_cert_pem;
  // Base64 of DER encodings, for the private.pkcs1:// ... public.spki:// schemes.
  std::string pkcs1_der64, pkcs8_der64, spki_der64, rsa_public_der64;

  static const KeyMaterial& get() {
    static const KeyMaterial material;
    return material;
  }

  std::string path(const std::string& name) const { return dir / name; }

  // Everything that would be a leak if it showed up in a message: the private key's PEM and
  // DER bodies (as base64) and the passphrase.
  std::vector<std::string> secrets() const {
    std::vector<std::string> out{passphrase, pkcs1_der64, pkcs8_der64};
    for (const std::string* file : {&pkcs8_pem, &pkcs1_pem, &encrypted_pem, &ec_pkcs8_pem}) {
      out.push_back(pem_body(read_file(*file)));
    }
    return out;
  }

  // The base64 body of a PEM file without header lines or line breaks.
  static std::string pem_body(const std::string& pem) {
    std::string body;
    std::size_t start = 0;
    while (start < pem.size()) {
      auto end = pem.find('\n', start);
      if (end == std::string::npos) end = pem.size();
      const std::string line = pem.substr(start, end - start);
      if (line.rfind("-----", 0) != 0) body += line;
      start = end + 1;
    }
    return body;
  }

 private:
  KeyMaterial() {
    const auto p = [this](const char* name) { return dir / name; };
    pkcs8_pem = p("rsa_pkcs8.pem");
    pkcs1_pem = p("rsa_pkcs1.pem");
    encrypted_pem = p("rsa_encrypted.pem");
    spki_pem = p("rsa_spki.pem");
    rsa_public_pem = p("rsa_public_pkcs1.pem");
    cert_pem = p("rsa_cert.pem");
    ec_pkcs8_pem = p("ec_pkcs8.pem");
    ec_traditional_pem = p("ec_traditional.pem");
    ec_public_pem = p("ec_public.pem");
    ec_cert_pem = p("ec_cert.pem");

    openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + pkcs8_pem);
    openssl("rsa -in " + pkcs8_pem + " -traditional -out " + pkcs1_pem);
    openssl("pkcs8 -topk8 -v2 aes-256-cbc -in " + pkcs8_pem + " -passout pass:" + passphrase +
            " -out " + encrypted_pem);
    openssl("rsa -in " + pkcs8_pem + " -pubout -out " + spki_pem);
    openssl("rsa -in " + pkcs8_pem + " -RSAPublicKey_out -out " + rsa_public_pem);
    openssl("req -x509 -new -key " + pkcs8_pem + " -subj /CN=wechatpay-test -days 30 -set_serial " +
            serial_arg + " -out " + cert_pem);

    // (`openssl pkey -outform DER` writes PKCS#1 for RSA in OpenSSL 3.0, so pkcs8 it is.)
    pkcs8_der64 = der64("pkcs8 -topk8 -nocrypt -in " + pkcs8_pem + " -outform DER", "pkcs8.der");
    pkcs1_der64 = der64("rsa -in " + pkcs8_pem + " -traditional -outform DER", "pkcs1.der");
    spki_der64 = der64("pkey -in " + pkcs8_pem + " -pubout -outform DER", "spki.der");
    rsa_public_der64 =
        der64("rsa -in " + pkcs8_pem + " -RSAPublicKey_out -outform DER", "rsa_public.der");

    openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + ec_pkcs8_pem);
    openssl("ecparam -name prime256v1 -genkey -out " + ec_traditional_pem);
    openssl("pkey -in " + ec_pkcs8_pem + " -pubout -out " + ec_public_pem);
    openssl("req -x509 -new -key " + ec_pkcs8_pem + " -subj /CN=ec-test -days 30 -out " +
            ec_cert_pem);
  }

  // Runs an openssl command that writes DER to `name`, and returns that file as base64.
  std::string der64(const std::string& command, const char* name) {
    const std::string file = dir / name;
    openssl(command + " -out " + file);
    std::string text = openssl("base64 -A -in " + file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
  }
};

}  // namespace wechatpay::crypto::testing
