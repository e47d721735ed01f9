// Test PKI made at test time with the `openssl` command line (EC P-256 keys):
// a CA the client is told to trust, a second CA it is not, and server
// certificates that are good or bad in one way each. Files go into a directory
// the caller owns (a QTemporaryDir).
#pragma once

#include <QString>

namespace tributary::test {

class TestCertificates {
 public:
  struct Pair {
    QString cert;  // PEM certificate
    QString key;   // PEM private key, unencrypted
  };

  // Runs openssl to fill every field below. Returns an empty string on
  // success, or what failed (the command and its output).
  QString generate(const QString& dir);

  QString caCert;       // "Tributary Test CA": what --ca-cert would name
  QString otherCaCert;  // "Tributary Other CA": never trusted by the tests
  Pair good;            // by caCert, for DNS:localhost, IP:127.0.0.1, IP:::1
  Pair expired;         // like good, but its validity ended yesterday
  Pair otherHost;       // by caCert, for DNS:other.example, DNS:www.other.example only
  Pair selfSigned;      // for DNS:localhost, IP:127.0.0.1, signed by its own key
  Pair untrusted;       // like good, but issued by otherCaCert
};

}  // namespace tributary::test
