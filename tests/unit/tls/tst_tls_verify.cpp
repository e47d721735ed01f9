// Certificate checks: each bad certificate fails the handshake with words a
// user can act on, before any application byte leaves the client; an extra CA
// is trusted only when given.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "TlsTestUtil.h"
#include "support/TestCertificates.h"

using namespace tributary;
using namespace tributary::test;

class TstTlsVerify : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  TestCertificates certs_;

  const TestCertificates::Pair& pairNamed(const QString& name) const {
    if (name == "expired") {
      return certs_.expired;
    }
    if (name == "untrusted") {
      return certs_.untrusted;
    }
    if (name == "selfSigned") {
      return certs_.selfSigned;
    }
    if (name == "otherHost") {
      return certs_.otherHost;
    }
    return certs_.good;
  }

  // Connects a client trusting `caFiles` to a server showing `pair`; returns the
  // client's error detail, or an empty string if the handshake succeeded.
  QString handshake(const QStringList& caFiles, const TestCertificates::Pair& pair,
                    const QString& host, bool systemStore = false) {
    QString error;
    auto client = clientContext(caFiles, &error, systemStore);
    auto server = MemoryTlsServerContext::create({pair.cert, pair.key, 0}, &error);
    if (client == nullptr || server == nullptr) {
      return "setup failed: " + error;
    }
    auto session = net::TlsSession::create(client, host.toStdString(), 443);
    if (!session) {
      return "create failed: " + describe(session.error());
    }
    // Queued application data must never reach a server we did not verify.
    if (!session.value()->writePlaintext(std::string_view("secret request"))) {
      return "write failed";
    }
    Link link{std::move(session).value(), std::make_unique<MemoryTlsServer>(server), {}, {}};
    link.run();
    if (link.result.ok) {
      if (!link.client->handshakeDone()) {
        return QStringLiteral("handshake stalled");
      }
      return link.server->received() == "secret request" ? QString()
                                                         : QStringLiteral("request lost");
    }
    if (!link.server->received().isEmpty()) {
      return "LEAK: an unverified server received application data";
    }
    if (link.result.error.code != ErrorCode::TlsFailure) {
      return "wrong code: " + describe(link.result.error);
    }
    if (link.client->handshakeDone() || !link.client->failed()) {
      return "failed but claims a handshake";
    }
    return QString::fromStdString(link.result.error.detail);
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const QString failure = certs_.generate(dir_.path());
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void goodCertificatePasses() {
    QCOMPARE(handshake({certs_.caCert}, certs_.good, "localhost"), QString());
    QCOMPARE(handshake({certs_.caCert}, certs_.good, "127.0.0.1"), QString());
    QCOMPARE(handshake({certs_.caCert}, certs_.good, "LOCALHOST"), QString());
  }

  void badCertificatesFailClearly_data() {
    QTest::addColumn<QString>("pair");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("expected");  // the detail starts with this
    QTest::newRow("expired") << "expired"
                             << "localhost"
                             << "certificate has expired: not valid after ";
    QTest::newRow("unknown issuer")
        << "untrusted"
        << "localhost"
        << "certificate is not trusted (unknown issuer \"Tributary Other CA\")";
    QTest::newRow("self-signed") << "selfSigned"
                                 << "localhost"
                                 << "certificate is not trusted (self-signed)";
    QTest::newRow("wrong host")
        << "otherHost"
        << "localhost"
        << "host name mismatch: certificate is for other.example, www.other.example, not localhost";
    QTest::newRow("wrong ip") << "good"
                              << "127.0.0.2"
                              << "host name mismatch: certificate is for localhost, 127.0.0.1, "
                                 "::1, not 127.0.0.2";
    QTest::newRow("name is not an ip") << "good"
                                       << "127.0.0.1.example"
                                       << "host name mismatch: ";
  }
  void badCertificatesFailClearly() {
    QFETCH(QString, pair);
    QFETCH(QString, host);
    QFETCH(QString, expected);
    const QString detail = handshake({certs_.caCert}, pairNamed(pair), host);
    qInfo("%s", qPrintable(detail));
    QVERIFY2(detail.startsWith(expected), qPrintable("got: " + detail));
  }

  void extraCaIsTrustedOnlyWhenGiven() {
    // With the real system store: it must not already trust our test CA.
    QVERIFY(handshake({}, certs_.good, "localhost", true)
                .startsWith("certificate is not trusted (unknown issuer \"Tributary Test CA\")"));
    QCOMPARE(handshake({certs_.caCert}, certs_.good, "localhost", true), QString());
    // The other CA does not vouch for a certificate the first one issued.
    QVERIFY(handshake({certs_.otherCaCert}, certs_.good, "localhost")
                .startsWith("certificate is not trusted"));
  }

  void caFileWithSeveralCertificates() {
    const QString bundle = dir_.filePath("bundle.pem");
    QFile out(bundle);
    QVERIFY(out.open(QIODevice::WriteOnly));
    for (const QString& path : {certs_.otherCaCert, certs_.caCert}) {
      QFile in(path);
      QVERIFY(in.open(QIODevice::ReadOnly));
      out.write(in.readAll());
    }
    out.close();
    QCOMPARE(handshake({bundle}, certs_.good, "localhost"), QString());
    QCOMPARE(handshake({bundle}, certs_.untrusted, "localhost"), QString());
  }

  void severalCaFiles() {
    QCOMPARE(handshake({certs_.otherCaCert, certs_.caCert}, certs_.good, "localhost"), QString());
    QCOMPARE(handshake({certs_.otherCaCert, certs_.caCert}, certs_.untrusted, "localhost"),
             QString());
  }
};

QTEST_GUILESS_MAIN(TstTlsVerify)
#include "tst_tls_verify.moc"
