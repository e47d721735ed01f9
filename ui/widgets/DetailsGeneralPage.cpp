#include "ui/widgets/DetailsGeneralPage.h"

#include <QColor>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>

#include "ui/dialogs/SourcePreferenceCombo.h"
#include "ui/models/Format.h"

namespace tributary::ui {

DetailsGeneralPage::DetailsGeneralPage(QWidget* parent) : QStackedWidget(parent) {
  form_ = new QWidget;
  layout_ = new QGridLayout(form_);
  layout_->setColumnStretch(1, 1);
  savePath_ = addField(QStringLiteral("generalSavePath"), tr("Save path:"));
  source_ = addField(QStringLiteral("generalSource"), tr("Source:"));
  size_ = addField(QStringLiteral("generalSize"), tr("Total size:"));
  done_ = addField(QStringLiteral("generalDone"), tr("Verified:"));
  infoHash_ = addField(QStringLiteral("generalInfoHash"), tr("Info-hash:"));
  pieces_ = addField(QStringLiteral("generalPieces"), tr("Pieces:"));
  comment_ = addField(QStringLiteral("generalComment"), tr("Comment:"));
  createdBy_ = addField(QStringLiteral("generalCreatedBy"), tr("Created by:"));
  private_ = addField(QStringLiteral("generalPrivate"), tr("Private:"));
  wasted_ = addField(QStringLiteral("generalWasted"), tr("Wasted:"));
  sourcePolicy_ = addField(QStringLiteral("generalSourcePolicy"), tr("Sources:"));
  error_ = addField(QStringLiteral("generalError"), tr("Error:"));
  layout_->setRowStretch(static_cast<int>(titles_.size()), 1);  // rows stay at the top
  QPalette errorPalette = error_->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(0xc5, 0x30, 0x30));  // the list's failed red
  error_->setPalette(errorPalette);

  auto* scroll = new QScrollArea(this);
  scroll->setWidget(form_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  empty_ = new QLabel(this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setTextFormat(Qt::PlainText);
  empty_->setForegroundRole(QPalette::PlaceholderText);

  addWidget(scroll);
  addWidget(empty_);
  showEmpty({});
}

QLabel* DetailsGeneralPage::addField(const QString& objectName, const QString& title) {
  auto* value = new QLabel(form_);
  value->setObjectName(objectName);
  // Comments, creators and error details come from .torrent files and
  // servers: plain text, so markup in them is shown, never rendered.
  value->setTextFormat(Qt::PlainText);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  value->setWordWrap(true);
  auto* label = new QLabel(title, form_);
  label->setBuddy(value);
  const int row = static_cast<int>(titles_.size());
  layout_->addWidget(label, row, 0, Qt::AlignRight | Qt::AlignTop);
  layout_->addWidget(value, row, 1, Qt::AlignTop);
  titles_.insert(value, label);
  return value;
}

void DetailsGeneralPage::setRowShown(QLabel* field, bool shown) {
  field->setVisible(shown);
  titles_.value(field)->setVisible(shown);
}

void DetailsGeneralPage::showEmpty(const QString& text) {
  empty_->setText(text);
  setCurrentWidget(empty_);
}

void DetailsGeneralPage::setDetails(const TaskDetails& details) {
  const TaskRow& task = details.task;
  savePath_->setText(task.saveDir);
  source_->setText(task.source);
  size_->setText(task.sizeKnown ? Format::bytes(task.totalBytes) : tr("Not known yet"));
  done_->setText(task.sizeKnown && task.totalBytes > 0
                     ? tr("%1 (%2)").arg(Format::bytes(task.verifiedBytes),
                                         Format::percent(static_cast<double>(task.verifiedBytes) /
                                                         static_cast<double>(task.totalBytes)))
                     : Format::bytes(task.verifiedBytes));
  error_->setText(task.errorText);
  setRowShown(error_, !task.errorText.isEmpty());

  // A magnet has its policy before its metadata, so this goes by kind.
  const bool hasSwarm = task.kind != TaskKind::Http;
  setRowShown(sourcePolicy_, hasSwarm);
  if (hasSwarm) {
    const QString preference = SourcePreferenceCombo::title(task.sourcePolicy.preference);
    sourcePolicy_->setText(task.sourcePolicy.cdnByteCap == 0
                               ? tr("%1, no CDN traffic limit").arg(preference)
                               : tr("%1, CDN traffic up to %2")
                                     .arg(preference, Format::bytes(task.sourcePolicy.cdnByteCap)));
  }

  const bool torrent = details.torrent.has_value();
  for (QLabel* field : {infoHash_, pieces_, comment_, createdBy_, private_, wasted_}) {
    setRowShown(field, torrent);
  }
  if (torrent) {
    const TorrentInfo& info = *details.torrent;
    infoHash_->setText(info.infoHashHex);
    const QLocale locale;
    pieces_->setText(tr("%1 of %2, %3 each")
                         .arg(locale.toString(info.piecesHave), locale.toString(info.pieceCount),
                              Format::bytes(info.pieceLength)));
    comment_->setText(info.comment);
    createdBy_->setText(info.createdBy);
    private_->setText(info.isPrivate ? tr("Yes: peers come from its trackers only") : tr("No"));
    wasted_->setText(Format::bytes(info.wastedBytes));
  }
  setCurrentIndex(0);
}

QString DetailsGeneralPage::fieldText(const QString& field) const {
  auto* label = form_->findChild<QLabel*>(field);
  if (!label || label->isHidden() || currentIndex() != 0) {
    return {};
  }
  return label->text();
}

}  // namespace tributary::ui
