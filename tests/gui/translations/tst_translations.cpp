// The Chinese translation covers every tr() string of the GUI, and loading it
// really changes what the window shows (so contexts match the code).
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include "support/FakeEngine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/TaskDetailsPanel.h"

namespace {

struct Message {
  QString context;
  QString source;
  QString comment;
  QString translationType;  // "", "unfinished", "vanished", "obsolete"
  QString translation;      // first numerus form when plural
};

QString keyOf(const Message& m) {
  return m.context + QLatin1Char('\x1f') + m.source + QLatin1Char('\x1f') + m.comment;
}

QList<Message> readTs(const QString& path, QString* error) {
  QList<Message> messages;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot open %1").arg(path);
    return messages;
  }
  QXmlStreamReader xml(&file);
  QString context;
  Message current;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) {
      continue;
    }
    const auto name = xml.name();
    if (name == QLatin1String("context")) {
      context.clear();
    } else if (name == QLatin1String("name")) {
      context = xml.readElementText();
    } else if (name == QLatin1String("message")) {
      current = Message{context, {}, {}, {}, {}};
    } else if (name == QLatin1String("source")) {
      current.source = xml.readElementText();
    } else if (name == QLatin1String("comment")) {
      current.comment = xml.readElementText();
    } else if (name == QLatin1String("translation")) {
      current.translationType = xml.attributes().value(QLatin1String("type")).toString();
      // Either plain text or <numerusform> children; take the first text.
      QString text;
      while (!(xml.isEndElement() && xml.name() == QLatin1String("translation")) && !xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters()) {
          text += xml.text();
        }
      }
      current.translation = text.trimmed();
      messages.append(current);
    }
  }
  if (xml.hasError()) {
    *error = xml.errorString();
  }
  return messages;
}

bool run(const QString& program, const QStringList& arguments, QString* output) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(program, arguments);
  const bool finished = process.waitForFinished(60000);
  *output = QString::fromLocal8Bit(process.readAll());
  return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

}  // namespace

class TestTranslations : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void everyStringHasAFinishedTranslation();
  void chineseChangesWhatTheWindowShows();
};

void TestTranslations::initTestCase() {
  // The window reads QSettings: keep the user's own configuration out of it.
  QStandardPaths::setTestModeEnabled(true);
}

void TestTranslations::everyStringHasAFinishedTranslation() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  const QString fresh = scratch.filePath(QStringLiteral("fresh_zh_CN.ts"));
  QString output;
  QVERIFY2(run(QStringLiteral(TRIBUTARY_LUPDATE),
               {QStringLiteral("@" TRIBUTARY_TR_SOURCE_LIST), QStringLiteral("-locations"),
                QStringLiteral("none"), QStringLiteral("-ts"), fresh},
               &output),
           qPrintable(output));

  QString error;
  const QList<Message> wanted = readTs(fresh, &error);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QVERIFY2(wanted.size() > 50, "lupdate found suspiciously few strings");
  const QList<Message> committed = readTs(QStringLiteral(TRIBUTARY_TS_FILE), &error);
  QVERIFY2(error.isEmpty(), qPrintable(error));

  QHash<QString, Message> byKey;
  for (const Message& m : committed) {
    byKey.insert(keyOf(m), m);
  }
  QStringList missing;
  for (const Message& m : wanted) {
    const auto it = byKey.constFind(keyOf(m));
    if (it == byKey.constEnd() || !it->translationType.isEmpty() || it->translation.isEmpty()) {
      missing << QStringLiteral("%1: \"%2\"").arg(m.context, m.source);
    }
  }
  QVERIFY2(missing.isEmpty(),
           qPrintable(QStringLiteral("untranslated (run the update_translations target and "
                                     "translate):\n") +
                      missing.join(QLatin1Char('\n'))));
}

void TestTranslations::chineseChangesWhatTheWindowShows() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  const QString qm = scratch.filePath(QStringLiteral("tributary_zh_CN.qm"));
  QString output;
  QVERIFY2(run(QStringLiteral(TRIBUTARY_LRELEASE),
               {QStringLiteral(TRIBUTARY_TS_FILE), QStringLiteral("-qm"), qm}, &output),
           qPrintable(output));
  QTranslator translator;
  QVERIFY(translator.load(qm));
  QVERIFY(QApplication::installTranslator(&translator));

  auto fake = std::make_unique<tributary::test::FakeEngine>();
  fake->setAddHandler([](const tributary::AddParams&) -> tributary::Result<tributary::TaskId> {
    return tributary::Error{tributary::ErrorCode::NotSupported, "magnet"};
  });
  tributary::ui::EngineBridge bridge(std::move(fake));
  {
    tributary::ui::MainWindow window(&bridge);
    auto* pause = window.findChild<QAction*>(QStringLiteral("actionPause"));
    QVERIFY(pause);
    QCOMPARE(pause->text(), QStringLiteral("暂停(&P)"));
    QCOMPARE(
        window.taskModel()->headerData(tributary::ui::TaskListModel::NameColumn, Qt::Horizontal),
        QVariant(QStringLiteral("名称")));
    // The details panel and its models are translated too.
    auto* details = window.detailsPanel();
    QCOMPARE(details->tabText(tributary::ui::TaskDetailsPanel::PeersTab), QStringLiteral("用户"));
    QCOMPARE(details->peerModel()->headerData(tributary::ui::PeerListModel::ClientColumn,
                                              Qt::Horizontal),
             QVariant(QStringLiteral("客户端")));
    QCOMPARE(tributary::ui::PeerListModel::flagMeaning(QLatin1Char('I')),
             QStringLiteral("传入连接"));
  }
  const auto result =
      bridge.addSource(QStringLiteral("magnet:?xt=urn:btih:abc"), QStringLiteral("/tmp"));
  QCOMPARE(result.error, QStringLiteral("尚不支持：magnet"));
  QApplication::removeTranslator(&translator);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
