// Public to ui/: a torrent's "Sources" settings (engine SourcePolicy): how it
// shares pieces between its swarm and its web seeds, and a cap on the bytes it
// may take from CDN web seeds and mirrors. It shows the values it is given and
// hands the chosen ones back through policy() once accepted; it sends nothing
// itself. Open it with open() and act on accepted().
#pragma once

#include <QDialog>

#include "ui/bridge/BridgeTypes.h"

class QButtonGroup;
class QCheckBox;
class QSpinBox;

namespace tributary::ui {

class SourcePolicyDialog : public QDialog {
  Q_OBJECT

 public:
  // `taskCount` only words the title ("… of 3 Downloads").
  explicit SourcePolicyDialog(const SourcePolicy& current, int taskCount = 1,
                              QWidget* parent = nullptr);

  SourcePolicy policy() const;
  void setPolicy(const SourcePolicy& policy);

  // The cap is edited in whole MiB, up to this many.
  static constexpr int kMaxCapMiB = 64 * 1024 * 1024;  // 64 TiB

 private:
  QButtonGroup* preferences_ = nullptr;
  QCheckBox* capEnabled_ = nullptr;
  QSpinBox* capMiB_ = nullptr;
  // The cap as given, in bytes: handed back unchanged while the box still
  // shows it, so a cap set in bytes (the CLI's --cdn-cap) is not rounded.
  quint64 shownCap_ = 0;
};

}  // namespace tributary::ui
