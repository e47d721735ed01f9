// Public to ui/: a compact "Sources:" choice for the add dialogs (Balanced,
// Prefer P2P, Prefer CDN), and the texts every view uses for a preference, so
// the add dialogs, the task's Sources dialog and the settings say the same.
#pragma once

#include <QComboBox>
#include <QString>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

class SourcePreferenceCombo : public QComboBox {
  Q_OBJECT

 public:
  explicit SourcePreferenceCombo(QWidget* parent = nullptr);

  SourcePreference preference() const;
  void setPreference(SourcePreference preference);

  // "Balanced", "Prefer P2P", "Prefer CDN" (translated, with a mnemonic when
  // `mnemonic`), and the one-line explanation of each.
  static QString title(SourcePreference preference, bool mnemonic = false);
  static QString explanation(SourcePreference preference);
};

}  // namespace tributary::ui
