// tributary: the GUI. The composition root: hands the arguments to an instance
// already running (and exits) or becomes the instance, picks the language,
// starts the engine behind the bridge and shows the main window.
#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QStandardPaths>

#include "engine/api/Engine.h"
#include "ui/bridge/AppDataFiles.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/bridge/EngineOptions.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/QuitOnSignal.h"
#include "ui/widgets/SingleInstance.h"
#include "ui/widgets/TranslationLoader.h"

namespace {

// Engine-wide settings take effect here, when the engine is created: the
// Settings dialog says they apply at the next start.
tributary::EngineConfig engineConfig(const tributary::ui::AppSettings& settings) {
  tributary::EngineConfig config;
  tributary::ui::applyEngineOptions(settings.engineOptions(), config);
  tributary::ui::applyAppDataFiles(
      QStandardPaths::writableLocation(QStandardPaths::AppDataLocation), config);
  return config;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Tributary"));
  QApplication::setApplicationName(QStringLiteral("tributary"));
  QApplication::setApplicationDisplayName(QStringLiteral("Tributary"));
  QApplication::setApplicationVersion(QStringLiteral(TRIBUTARY_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("tributary"));

  // Before the engine starts: a second launch only passes its arguments on.
  // The desktop file passes .torrent paths, file:// URLs and links (%U).
  const QStringList sources = tributary::ui::SingleInstance::sourcesFromArguments(
      QApplication::arguments().mid(1), QDir::currentPath());
  tributary::ui::SingleInstance instance;
  if (instance.tryHandOff(sources)) {
    return 0;
  }
  // Losing the name to an instance that started at the same moment: hand over
  // to it after all. If even that fails, run without taking other launches.
  if (!instance.listen() && instance.tryHandOff(sources)) {
    return 0;
  }
  // Qt's strings (dialog buttons) and ours, in the chosen language or else
  // the system's; a language without a translation shows English.
  const tributary::ui::AppSettings settings;
  tributary::ui::TranslationLoader::install(app, settings.language());

  tributary::ui::EngineBridge bridge(engineConfig(settings));
  tributary::ui::MainWindow window(&bridge);
  QApplication::setWindowIcon(window.windowIcon());
  window.show();
  // Later launches: the window comes to the front first, so the add dialogs
  // their sources open are not hidden behind another application.
  QObject::connect(&instance, &tributary::ui::SingleInstance::activationRequested, &window,
                   [&window] { tributary::ui::SingleInstance::bringToFront(&window); });
  QObject::connect(&instance, &tributary::ui::SingleInstance::sourcesReceived, &window,
                   [&window](const QStringList& received) { window.addSources(received); });
  // Through the same path as a drop, so a bad .torrent opened from the file
  // manager is named in the window's error box, not only in the status bar.
  if (!sources.isEmpty()) {
    window.addSources(sources);
  }
  // A logout or `kill` quits like the menu does: the engine saves on the way out.
  tributary::ui::QuitOnSignal::install(&app);
  return QApplication::exec();
}
