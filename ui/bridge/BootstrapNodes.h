// Public to ui/: the DHT bootstrap nodes as a user types them in the
// settings: "host:port" or "[v6]:port" (what tributary-cli's --dht-bootstrap
// accepts), separated by commas. An empty list means the engine's usual
// public routers (EngineConfig::dhtBootstrap).
#pragma once

#include <QString>
#include <QStringList>

namespace tributary::ui {

struct BootstrapNodes {
  QStringList nodes;    // the valid entries, trimmed, in order, without repeats
  QStringList invalid;  // the others, as typed (trimmed)

  // Splits at commas (and at white space, so a pasted list one a line works).
  static BootstrapNodes parse(const QString& text);
  static bool isValidNode(const QString& node);
  // The list as the settings field shows it.
  static QString join(const QStringList& nodes);
};

}  // namespace tributary::ui
