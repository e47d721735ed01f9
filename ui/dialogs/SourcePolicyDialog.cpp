#include "ui/dialogs/SourcePolicyDialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/dialogs/SourcePreferenceCombo.h"

namespace tributary::ui {
namespace {

constexpr quint64 kMiB = 1024 * 1024;

int capToMiB(quint64 bytes) {
  const quint64 mib = (bytes + kMiB - 1) / kMiB;  // up: never shows less than allowed
  return int(std::clamp<quint64>(mib, 1, SourcePolicyDialog::kMaxCapMiB));
}

}  // namespace

SourcePolicyDialog::SourcePolicyDialog(const SourcePolicy& current, int taskCount, QWidget* parent)
    : QDialog(parent) {
  setObjectName(QStringLiteral("sourcePolicyDialog"));
  setWindowTitle(taskCount <= 1 ? tr("Sources")
                                : tr("Sources of %n Downloads", nullptr, taskCount));
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("How this torrent shares its pieces between its swarm and its web seeds (CDN "
                    "mirrors, the origin URL). Peers and web seeds always race the last pieces."),
                 this);
  intro->setWordWrap(true);
  layout->addWidget(intro);

  preferences_ = new QButtonGroup(this);
  const struct {
    SourcePreference preference;
    const char* objectName;
  } choices[] = {
      {SourcePreference::Balanced, "preferBalanced"},
      {SourcePreference::PreferP2P, "preferP2P"},
      {SourcePreference::PreferCdn, "preferCdn"},
  };
  for (const auto& choice : choices) {
    auto* radio = new QRadioButton(SourcePreferenceCombo::title(choice.preference, true), this);
    radio->setObjectName(QString::fromLatin1(choice.objectName));
    preferences_->addButton(radio, int(choice.preference));
    auto* explanation = new QLabel(SourcePreferenceCombo::explanation(choice.preference), this);
    explanation->setWordWrap(true);
    explanation->setContentsMargins(24, 0, 0, 4);  // under the radio's text, not its circle
    explanation->setEnabled(false);                // greyed: a caption, not a control
    layout->addWidget(radio);
    layout->addWidget(explanation);
  }

  auto* capRow = new QHBoxLayout;
  capEnabled_ = new QCheckBox(tr("&Limit CDN traffic to"), this);
  capEnabled_->setObjectName(QStringLiteral("cdnCapEnabled"));
  capEnabled_->setToolTip(
      tr("Bytes this download may take from CDN web seeds and mirrors; its origin URL counts "
         "as HTTP and is not limited. Unchecked: no limit."));
  capMiB_ = new QSpinBox(this);
  capMiB_->setObjectName(QStringLiteral("cdnCapMiB"));
  capMiB_->setRange(1, kMaxCapMiB);
  capMiB_->setSuffix(QStringLiteral(" MiB"));
  capMiB_->setValue(1024);
  capRow->addWidget(capEnabled_);
  capRow->addWidget(capMiB_);
  capRow->addStretch(1);
  layout->addLayout(capRow);
  connect(capEnabled_, &QCheckBox::toggled, capMiB_, &QSpinBox::setEnabled);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  setPolicy(current);
  // Wide enough that each explanation fits on a line or two.
  setMinimumWidth(fontMetrics().averageCharWidth() * 64);
}

SourcePolicy SourcePolicyDialog::policy() const {
  SourcePolicy out;
  out.preference = SourcePreference(preferences_->checkedId());
  if (capEnabled_->isChecked()) {
    const int mib = capMiB_->value();
    out.cdnByteCap = (shownCap_ != 0 && mib == capToMiB(shownCap_)) ? shownCap_ : mib * kMiB;
  }
  return out;
}

void SourcePolicyDialog::setPolicy(const SourcePolicy& policy) {
  QAbstractButton* button = preferences_->button(int(policy.preference));
  if (!button) {
    button = preferences_->button(int(SourcePreference::Balanced));
  }
  button->setChecked(true);
  shownCap_ = policy.cdnByteCap;
  capEnabled_->setChecked(policy.cdnByteCap != 0);
  capMiB_->setEnabled(policy.cdnByteCap != 0);
  if (policy.cdnByteCap != 0) {
    capMiB_->setValue(capToMiB(policy.cdnByteCap));
  }
}

}  // namespace tributary::ui
