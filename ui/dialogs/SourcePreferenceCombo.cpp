#include "ui/dialogs/SourcePreferenceCombo.h"

namespace tributary::ui {
namespace {

constexpr SourcePreference kOrder[] = {SourcePreference::Balanced, SourcePreference::PreferP2P,
                                       SourcePreference::PreferCdn};

}  // namespace

SourcePreferenceCombo::SourcePreferenceCombo(QWidget* parent) : QComboBox(parent) {
  for (SourcePreference preference : kOrder) {
    addItem(title(preference), int(preference));
    setItemData(count() - 1, explanation(preference), Qt::ToolTipRole);
  }
  setToolTip(
      tr("How a torrent shares its pieces between its swarm and its web seeds "
         "(CDN mirrors, the origin URL)"));
}

SourcePreference SourcePreferenceCombo::preference() const {
  return SourcePreference(currentData().toInt());
}

void SourcePreferenceCombo::setPreference(SourcePreference preference) {
  const int index = findData(int(preference));
  if (index >= 0) {
    setCurrentIndex(index);
  }
}

QString SourcePreferenceCombo::title(SourcePreference preference, bool mnemonic) {
  switch (preference) {
    case SourcePreference::Balanced:
      return mnemonic ? tr("&Balanced") : tr("Balanced");
    case SourcePreference::PreferP2P:
      return mnemonic ? tr("Prefer &P2P") : tr("Prefer P2P");
    case SourcePreference::PreferCdn:
      return mnemonic ? tr("Prefer &CDN") : tr("Prefer CDN");
  }
  return {};
}

QString SourcePreferenceCombo::explanation(SourcePreference preference) {
  switch (preference) {
    case SourcePreference::Balanced:
      return tr(
          "Web seeds take the pieces peers are least likely to send soon; peers take the "
          "rest.");
    case SourcePreference::PreferP2P:
      return tr("Web seeds fetch only what the swarm cannot give, saving CDN traffic.");
    case SourcePreference::PreferCdn:
      return tr("Web seeds do most of the work; peers help finish the last pieces.");
  }
  return {};
}

}  // namespace tributary::ui
