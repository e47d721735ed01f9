// Public to ui/: the Peers tab. One row per connected peer of the task shown,
// keyed by address, so a peer keeps its row (and the view its selection)
// while its figures change at every tick.
#pragma once

#include "ui/bridge/TaskDetails.h"
#include "ui/models/KeyedRowModel.h"

namespace tributary::ui {

class PeerListModel : public KeyedRowModel<PeerInfo> {
  Q_OBJECT

 public:
  enum Column {
    AddressColumn,
    ClientColumn,
    ConnectionColumn,
    FlagsColumn,
    ProgressColumn,
    DownloadRateColumn,
    UploadRateColumn,
    DownloadedColumn,
    UploadedColumn,
    RelevanceColumn,
    FilesColumn,
    RttColumn,
    HashFailuresColumn,
    RequestsOutColumn,
    RequestsInColumn,
    SourceColumn,
    ConnectedColumn,
    ColumnCount,
  };

  enum Role {
    SortRole = Qt::UserRole + 1,  // orders the column; invalid when unknown
    ProgressRole,                 // double in [0, 1]
  };

  explicit PeerListModel(QObject* parent = nullptr);

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // What one letter of qBittorrent's flag legend means; empty for an unknown letter.
  static QString flagMeaning(QChar flag);
  // The letters spaced out, as qBittorrent shows them ("D U I").
  static QString flagsText(const QString& flags);
  // One line per letter of `flags`: "D: Interested (local) and unchoked (peer)".
  static QString flagsToolTip(const QString& flags);
  static QString originText(PeerOrigin origin);
  static QString transportText(PeerTransport transport);

 protected:
  QString keyOf(const PeerInfo& peer) const override { return peer.address; }
};

}  // namespace tributary::ui
