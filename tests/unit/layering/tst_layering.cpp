// Enforces the dependency rules of DESIGN.md on the real tree, and checks that
// the checker itself catches each kind of violation.
#include <QtTest>

#include "IncludeRules.h"

class TestLayering : public QObject {
  Q_OBJECT

 private slots:
  void treeFollowsTheRules() {
    const QString root = qEnvironmentVariable("TRIBUTARY_SOURCE_DIR");
    QVERIFY2(!root.isEmpty(), "TRIBUTARY_SOURCE_DIR is not set");
    int files = 0;
    const auto violations = checkTree(root, &files);
    QVERIFY2(files > 10, "the checker found almost no sources: wrong root?");
    QStringList report;
    for (const auto& v : violations) {
      report << QStringLiteral("%1:%2: #include %3 — %4")
                    .arg(v.file)
                    .arg(v.line)
                    .arg(v.include, v.rule);
    }
    QVERIFY2(violations.isEmpty(), qPrintable(report.join('\n')));
  }

  void catchesViolations_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("bad");
    QTest::newRow("qt in engine") << "engine/http/X.cpp"
                                  << "#include <QString>" << true;
    QTest::newRow("qtcore in engine") << "engine/util/X.h"
                                      << "#include <QtCore/QObject>" << true;
    QTest::newRow("uv outside loop") << "engine/bt/X.cpp"
                                     << "#include <uv.h>" << true;
    QTest::newRow("uv in loop") << "engine/loop/X.cpp"
                                << "#include <uv.h>" << false;
    QTest::newRow("openssl in http") << "engine/http/X.cpp"
                                     << "#include <openssl/ssl.h>" << true;
    QTest::newRow("openssl in tls") << "engine/net/TlsStream.cpp"
                                    << "#include <openssl/ssl.h>" << false;
    QTest::newRow("upward") << "engine/loop/X.cpp"
                            << "#include \"engine/session/EngineImpl.h\"" << true;
    QTest::newRow("downward") << "engine/session/X.cpp"
                              << "#include \"engine/loop/EventLoop.h\"" << false;
    QTest::newRow("api anywhere") << "engine/util/X.cpp"
                                  << "#include \"engine/api/Error.h\"" << false;
    QTest::newRow("ui internals") << "ui/models/X.cpp"
                                  << "#include \"engine/loop/EventLoop.h\"" << true;
    QTest::newRow("ui model api") << "ui/models/X.cpp"
                                  << "#include \"engine/api/Types.h\"" << true;
    QTest::newRow("bridge api") << "ui/bridge/X.cpp"
                                << "#include \"engine/api/Engine.h\"" << false;
    QTest::newRow("app api") << "app/cli/main.cpp"
                             << "#include \"engine/api/Engine.h\"" << false;
    QTest::newRow("app internals") << "app/cli/main.cpp"
                                   << "#include \"engine/util/Log.h\"" << true;
  }

  void catchesViolations() {
    QFETCH(QString, path);
    QFETCH(QString, text);
    QFETCH(bool, bad);
    QCOMPARE(!checkIncludes(path, text).isEmpty(), bad);
  }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
