// tributary: the GUI. The composition root: picks the language, starts the
// engine behind the bridge and shows the main window.
#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>
#include <QUrl>

#include "engine/api/Engine.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/widgets/MainWindow.h"

namespace {

// Qt's own strings (dialog buttons) and ours, in the system language. A
// language without a translation falls back to English without complaint.
void installTranslations(QApplication& app) {
  const QLocale locale;
  auto* qtTranslator = new QTranslator(&app);
  if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QApplication::installTranslator(qtTranslator);
  }
  auto* appTranslator = new QTranslator(&app);
  if (appTranslator->load(locale, QStringLiteral("tributary"), QStringLiteral("_"),
                          QStringLiteral(":/i18n"))) {
    QApplication::installTranslator(appTranslator);
  }
}

tributary::EngineConfig engineConfig() {
  tributary::EngineConfig config;
  const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  if (!dataDir.isEmpty() && QDir().mkpath(dataDir)) {
    config.logFile = QDir(dataDir).filePath(QStringLiteral("tributary.log")).toStdString();
  }
  return config;
}

// The desktop file passes .torrent paths, file:// URLs and magnet links (%U).
QString sourceFromArgument(const QString& argument) {
  const QUrl url(argument);
  return url.isLocalFile() ? url.toLocalFile() : argument;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Tributary"));
  QApplication::setApplicationName(QStringLiteral("tributary"));
  QApplication::setApplicationDisplayName(QStringLiteral("Tributary"));
  QApplication::setApplicationVersion(QStringLiteral(TRIBUTARY_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("tributary"));
  installTranslations(app);

  tributary::ui::EngineBridge bridge(engineConfig());
  tributary::ui::MainWindow window(&bridge);
  QApplication::setWindowIcon(window.windowIcon());
  window.show();
  // Through the same path as a drop, so a bad .torrent opened from the file
  // manager is named in the window's error box, not only in the status bar.
  QStringList sources;
  for (const QString& argument : QApplication::arguments().mid(1)) {
    sources << sourceFromArgument(argument);
  }
  if (!sources.isEmpty()) {
    window.addSources(sources);
  }
  return QApplication::exec();
}
