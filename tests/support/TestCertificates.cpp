#include "support/TestCertificates.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>

namespace tributary::test {

namespace {

// Our own config, so the system openssl.cnf (extensions, prompts) plays no part.
constexpr char kConfig[] = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_localhost]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[leaf_other]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example,DNS:www.other.example
[leaf_self]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
)";

constexpr int kTimeoutMs = 30000;

class Generator {
 public:
  explicit Generator(const QString& dir) : dir_(dir) {}

  QString path(const QString& name) const { return QDir(dir_).filePath(name); }

  // Returns an empty string on success, else the command and its output.
  QString run(const QStringList& args) const {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(dir_);
    process.start(QStringLiteral("openssl"), args);
    const bool finished = process.waitForStarted(kTimeoutMs) && process.waitForFinished(kTimeoutMs);
    if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0) {
      return {};
    }
    return QStringLiteral("openssl %1 failed: %2 %3")
        .arg(args.join(' '), process.errorString(), QString::fromLocal8Bit(process.readAll()));
  }

  QStringList newKeyArgs(const QString& key) const {
    return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key};
  }

  QString selfSignedCert(const QString& name, const QString& subject, const QString& extensions,
                         TestCertificates::Pair* pair) const {
    pair->cert = path(name + ".pem");
    pair->key = path(name + ".key");
    return run(QStringList{"req", "-x509", "-config", path("openssl.cnf"), "-extensions",
                           extensions, "-days", "30", "-subj", subject, "-out", pair->cert} +
               newKeyArgs(pair->key));
  }

  // A certificate issued by the CA whose files are caName.pem / caName.key.
  QString issuedCert(const QString& name, const QString& caName, const QString& extensions,
                     int days, int serial, TestCertificates::Pair* pair) const {
    pair->cert = path(name + ".pem");
    pair->key = path(name + ".key");
    const QString csr = path(name + ".csr");
    QString failure = run(QStringList{"req", "-new", "-config", path("openssl.cnf"), "-subj",
                                      "/CN=" + name, "-out", csr} +
                          newKeyArgs(pair->key));
    if (!failure.isEmpty()) {
      return failure;
    }
    // A negative -days puts notAfter before now: an already expired certificate.
    return run({"x509", "-req", "-in", csr, "-CA", path(caName + ".pem"), "-CAkey",
                path(caName + ".key"), "-set_serial", QString::number(serial), "-days",
                QString::number(days), "-extfile", path("openssl.cnf"), "-extensions", extensions,
                "-out", pair->cert});
  }

 private:
  QString dir_;
};

}  // namespace

QString TestCertificates::generate(const QString& dir) {
  Generator gen(dir);
  QFile config(gen.path("openssl.cnf"));
  if (!config.open(QIODevice::WriteOnly) || config.write(kConfig) < 0) {
    return QStringLiteral("cannot write %1").arg(config.fileName());
  }
  config.close();

  Pair ca;
  Pair otherCa;
  QString failure = gen.selfSignedCert("ca", "/CN=Tributary Test CA", "ca_ext", &ca);
  if (failure.isEmpty()) {
    failure = gen.selfSignedCert("other-ca", "/CN=Tributary Other CA", "ca_ext", &otherCa);
  }
  if (failure.isEmpty()) {
    failure = gen.issuedCert("good", "ca", "leaf_localhost", 30, 1001, &good);
  }
  if (failure.isEmpty()) {
    failure = gen.issuedCert("expired", "ca", "leaf_localhost", -1, 1002, &expired);
  }
  if (failure.isEmpty()) {
    failure = gen.issuedCert("other-host", "ca", "leaf_other", 30, 1003, &otherHost);
  }
  if (failure.isEmpty()) {
    failure = gen.issuedCert("untrusted", "other-ca", "leaf_localhost", 30, 1004, &untrusted);
  }
  if (failure.isEmpty()) {
    failure = gen.selfSignedCert("self-signed", "/CN=localhost", "leaf_self", &selfSigned);
  }
  caCert = ca.cert;
  otherCaCert = otherCa.cert;
  return failure;
}

}  // namespace tributary::test
