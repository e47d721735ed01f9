// TlsContext: extra CA files that cannot be used are clear errors naming the
// file; the resumption cache is bounded and drops the least recently used entry;
// one context serves sessions on several threads at once.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/ssl.h>

#include <thread>
#include <vector>

#include "TlsTestUtil.h"
#include "engine/net/TlsContextCache.h"
#include "support/TestCertificates.h"

using namespace tributary;
using namespace tributary::test;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
  QFile file(dir.filePath(name));
  if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
    return {};
  }
  return file.fileName();
}

}  // namespace

class TstTlsContext : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  TestCertificates certs_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const QString failure = certs_.generate(dir_.path());
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
  }

  void defaultsWork() {
    auto context = net::TlsContext::create();
    QVERIFY2(context, context ? "" : context.error().detail.c_str());
    QVERIFY(context.value()->native() != nullptr);
    QCOMPARE(context.value()->cachedSessionCount(), std::size_t{0});
  }

  void unusableCaFilesAreNamedErrors_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << dir_.filePath("no-such-ca.pem") << "No such file or directory";
    QTest::newRow("directory") << dir_.path() << "is a directory";
    QTest::newRow("empty") << writeFile(dir_, "empty.pem", {}) << "no PEM certificate found";
    QTest::newRow("garbage") << writeFile(dir_, "garbage.pem", randomBytes(3000, 9))
                             << "no PEM certificate found";
    QTest::newRow("key only") << certs_.good.key << "no PEM certificate found";
    QTest::newRow("broken base64")
        << writeFile(dir_, "broken.pem",
                     "-----BEGIN CERTIFICATE-----\n!!!!not base64!!!!\n-----END CERTIFICATE-----\n")
        << "bad PEM data";
  }
  void unusableCaFilesAreNamedErrors() {
    QFETCH(QString, path);
    QFETCH(QString, reason);
    QVERIFY(!path.isEmpty());
    net::TlsContextOptions options;
    options.extraCaFiles = {certs_.caCert.toStdString(), path.toStdString()};
    auto context = net::TlsContext::create(options);
    QVERIFY(!context);
    QCOMPARE(context.error().code, ErrorCode::TlsFailure);
    const QString detail = QString::fromStdString(context.error().detail);
    QVERIFY2(detail.startsWith("CA file " + path + ": "), qPrintable(detail));
    QVERIFY2(detail.contains(reason), qPrintable(detail));
  }

  void sessionCacheIsBoundedLru() {
    net::TlsContextOptions options;
    options.useSystemStore = false;
    options.sessionCacheSize = 2;
    auto created = net::TlsContext::create(options);
    QVERIFY(created);
    net::TlsContext& context = *created.value();
    context.storeSession("a:443", SSL_SESSION_new());
    context.storeSession("b:443", SSL_SESSION_new());
    SSL_SESSION* a = context.findSession("a:443");  // a is now more recent than b
    QVERIFY(a != nullptr);
    SSL_SESSION_free(a);
    context.storeSession("c:443", SSL_SESSION_new());
    QCOMPARE(context.cachedSessionCount(), std::size_t{2});
    QVERIFY(context.findSession("b:443") == nullptr);
    SSL_SESSION* c = context.findSession("c:443");
    QVERIFY(c != nullptr);
    SSL_SESSION_free(c);
    context.storeSession("c:443", SSL_SESSION_new());  // replaces, frees the old one
    QCOMPARE(context.cachedSessionCount(), std::size_t{2});
    context.forgetSession("a:443");
    QVERIFY(context.findSession("a:443") == nullptr);
    QCOMPARE(context.cachedSessionCount(), std::size_t{1});
  }

  void oneContextManyThreads() {
    QString error;
    auto client = clientContext({certs_.caCert}, &error);
    auto server = MemoryTlsServerContext::create({certs_.good.cert, certs_.good.key, 0}, &error);
    QVERIFY2(client != nullptr && server != nullptr, qPrintable(error));
    constexpr int kThreads = 4;
    constexpr int kConnectionsEach = 10;
    std::vector<int> done(kThreads, 0);
    std::vector<int> resumed(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kConnectionsEach; ++i) {
          QString ignored;
          Link link = connectInMemory(client, server, "localhost", &ignored,
                                      static_cast<std::uint16_t>(1000 + i % 3));
          const QByteArray down = randomBytes(20000, static_cast<quint32>(t * 100 + i));
          link.server->write(down);
          link.run();
          done[t] += link.result.ok && link.clientReceived == down ? 1 : 0;
          resumed[t] += link.client->sessionReused() ? 1 : 0;
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    for (int t = 0; t < kThreads; ++t) {
      QCOMPARE(done[t], kConnectionsEach);
      QVERIFY(resumed[t] > 0);
    }
    QCOMPARE(client->cachedSessionCount(), std::size_t{3});
  }

  // The engine-wide cache builds one context per set of CA files, however many
  // threads ask at once, and never caches a failure.
  void cacheBuildsOncePerCaSetAndRetriesFailures() {
    net::TlsContextCache cache({{}, false, 8});
    const std::vector<std::string> cas{certs_.caCert.toStdString()};
    QVERIFY(cache.peek(cas) == nullptr);
    std::vector<std::shared_ptr<net::TlsContext>> got(6);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i) {
      threads.emplace_back([&, i] {
        auto context = cache.get(cas);
        got[i] = context ? context.value() : nullptr;
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    for (const auto& context : got) {
      QVERIFY(context != nullptr);
      QCOMPARE(context.get(), got[0].get());
    }
    QCOMPARE(cache.peek(cas).get(), got[0].get());
    QCOMPARE(cache.size(), std::size_t{1});

    const QString later = dir_.filePath("later-ca.pem");
    const std::vector<std::string> missing{later.toStdString()};
    auto failed = cache.get(missing);
    QVERIFY(!failed);
    QVERIFY(cache.peek(missing) == nullptr);
    QVERIFY(QFile::copy(certs_.caCert, later));
    auto fixed = cache.get(missing);
    QVERIFY2(fixed, fixed ? "" : fixed.error().detail.c_str());
    QCOMPARE(cache.size(), std::size_t{2});
  }
};

QTEST_GUILESS_MAIN(TstTlsContext)
#include "tst_tls_context.moc"
