#include "ui/models/PeerListModel.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>

#include "ui/models/ColumnHeader.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

// Every letter of the legend, in qBittorrent's order, for the header tooltip.
constexpr char kLegend[] = "DdUuK?OSIHXLEeP";

bool isNumeric(int column) {
  return column != PeerListModel::AddressColumn && column != PeerListModel::ClientColumn &&
         column != PeerListModel::ConnectionColumn && column != PeerListModel::FlagsColumn &&
         column != PeerListModel::FilesColumn && column != PeerListModel::SourceColumn &&
         column != PeerListModel::ConnectedColumn;
}

QString connectedText(qint64 unix) {
  if (unix <= 0) {
    return {};
  }
  return QLocale().toString(QDateTime::fromSecsSinceEpoch(unix), QLocale::ShortFormat);
}

QVariant displayText(const PeerInfo& peer, int column) {
  switch (column) {
    case PeerListModel::AddressColumn:
      return peer.address;
    case PeerListModel::ClientColumn:
      return peer.client;
    case PeerListModel::ConnectionColumn:
      return PeerListModel::transportText(peer.transport);
    case PeerListModel::FlagsColumn:
      return PeerListModel::flagsText(peer.flags);
    case PeerListModel::ProgressColumn:
      return Format::percent(peer.progress);
    // Zero rates stay blank, as in the task list: the moving peers stand out.
    case PeerListModel::DownloadRateColumn:
      return peer.downloadRate ? QVariant(Format::rate(peer.downloadRate)) : QVariant();
    case PeerListModel::UploadRateColumn:
      return peer.uploadRate ? QVariant(Format::rate(peer.uploadRate)) : QVariant();
    case PeerListModel::DownloadedColumn:
      return Format::bytes(peer.downloaded);
    case PeerListModel::UploadedColumn:
      return Format::bytes(peer.uploaded);
    case PeerListModel::RelevanceColumn:
      return Format::percent(peer.relevance);
    case PeerListModel::FilesColumn:
      return peer.files;
    case PeerListModel::RttColumn:
      // 0 means no block has come back yet to time it, not an instant peer.
      return peer.rttMs ? QVariant(PeerListModel::tr("%1 ms").arg(peer.rttMs)) : QVariant();
    case PeerListModel::HashFailuresColumn:
      return peer.hashFailures;
    case PeerListModel::RequestsOutColumn:
      return peer.requestsOut;
    case PeerListModel::RequestsInColumn:
      return peer.requestsIn;
    case PeerListModel::SourceColumn:
      return PeerListModel::originText(peer.origin);
    case PeerListModel::ConnectedColumn:
      return connectedText(peer.connectedAtUnix);
    default:
      return {};
  }
}

QVariant sortKey(const PeerInfo& peer, int column) {
  switch (column) {
    case PeerListModel::ProgressColumn:
      return peer.progress;
    case PeerListModel::DownloadRateColumn:
      return QVariant::fromValue(peer.downloadRate);
    case PeerListModel::UploadRateColumn:
      return QVariant::fromValue(peer.uploadRate);
    case PeerListModel::DownloadedColumn:
      return QVariant::fromValue(peer.downloaded);
    case PeerListModel::UploadedColumn:
      return QVariant::fromValue(peer.uploaded);
    case PeerListModel::RelevanceColumn:
      return peer.relevance;
    case PeerListModel::RttColumn:
      return peer.rttMs ? QVariant(peer.rttMs) : QVariant();
    case PeerListModel::ConnectedColumn:
      return peer.connectedAtUnix > 0 ? QVariant::fromValue(peer.connectedAtUnix) : QVariant();
    case PeerListModel::ConnectionColumn:
      return static_cast<int>(peer.transport);
    case PeerListModel::SourceColumn:
      return static_cast<int>(peer.origin);
    default:
      return displayText(peer, column);
  }
}

}  // namespace

PeerListModel::PeerListModel(QObject* parent) : KeyedRowModel<PeerInfo>(parent) {}

int PeerListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant PeerListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const PeerInfo& peer = rows_.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return displayText(peer, index.column());
    case Qt::ToolTipRole:
      if (index.column() == FlagsColumn) {
        return flagsToolTip(peer.flags);
      }
      if (index.column() == ClientColumn && !peer.peerIdPrefix.isEmpty()) {
        return tr("Peer ID: %1").arg(peer.peerIdPrefix);
      }
      if (index.column() == FilesColumn && !peer.files.isEmpty()) {
        return peer.files;
      }
      return {};
    case Qt::TextAlignmentRole:
      return columnAlignment(isNumeric(index.column()));
    case SortRole:
      return sortKey(peer, index.column());
    case ProgressRole:
      return peer.progress;
    default:
      return {};
  }
}

QVariant PeerListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == FlagsColumn) {
    return flagsToolTip(QString::fromLatin1(kLegend));
  }
  if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == RelevanceColumn) {
    return tr("Pieces the peer has that this download lacks, over all pieces it lacks");
  }
  return columnHeader(orientation, role, isNumeric(section), [section] {
    switch (section) {
      case AddressColumn:
        return tr("Address");
      case ClientColumn:
        return tr("Client");
      case ConnectionColumn:
        return tr("Connection");
      case FlagsColumn:
        return tr("Flags");
      case ProgressColumn:
        return tr("Progress");
      case DownloadRateColumn:
        return tr("Down Speed");
      case UploadRateColumn:
        return tr("Up Speed");
      case DownloadedColumn:
        return tr("Downloaded");
      case UploadedColumn:
        return tr("Uploaded");
      case RelevanceColumn:
        return tr("Relevance");
      case FilesColumn:
        return tr("Files");
      case RttColumn:
        return tr("RTT");
      case HashFailuresColumn:
        return tr("Hash Fails");
      case RequestsOutColumn:
        return tr("Requests Out");
      case RequestsInColumn:
        return tr("Requests In");
      case SourceColumn:
        return tr("Source");
      case ConnectedColumn:
        return tr("Connected Since");
      default:
        return QString();
    }
  });
}

QString PeerListModel::flagMeaning(QChar flag) {
  switch (flag.unicode()) {
    case 'D':
      return tr("Interested (local) and unchoked (peer)");
    case 'd':
      return tr("Interested (local) and choked (peer)");
    case 'U':
      return tr("Interested (peer) and unchoked (local)");
    case 'u':
      return tr("Interested (peer) and choked (local)");
    case 'K':
      return tr("Not interested (local) and unchoked (peer)");
    case '?':
      return tr("Not interested (peer) and unchoked (local)");
    case 'O':
      return tr("Optimistic unchoke");
    case 'S':
      return tr("Peer snubbed");
    case 'I':
      return tr("Incoming connection");
    case 'H':
      return tr("Peer from DHT");
    case 'X':
      return tr("Peer from PEX");
    case 'L':
      return tr("Peer from LSD");
    case 'E':
      return tr("Encrypted traffic");
    case 'e':
      return tr("Encrypted handshake");
    case 'P':
      return tr("μTP connection");
    default:
      return {};
  }
}

QString PeerListModel::flagsText(const QString& flags) {
  QStringList letters;
  for (QChar flag : flags) {
    letters << QString(flag);
  }
  return letters.join(QLatin1Char(' '));
}

QString PeerListModel::flagsToolTip(const QString& flags) {
  QStringList lines;
  for (QChar flag : flags) {
    const QString meaning = flagMeaning(flag);
    // A letter this build does not know is still shown, not hidden.
    lines << tr("%1: %2", "flag letter: meaning")
                 .arg(QString(flag), meaning.isEmpty() ? tr("unknown flag") : meaning);
  }
  return lines.join(QLatin1Char('\n'));
}

QString PeerListModel::originText(PeerOrigin origin) {
  switch (origin) {
    case PeerOrigin::Tracker:
      return tr("Tracker");
    // Protocol names are the same in every language.
    case PeerOrigin::Dht:
      return QStringLiteral("DHT");
    case PeerOrigin::Pex:
      return QStringLiteral("PEX");
    case PeerOrigin::Lsd:
      return QStringLiteral("LSD");
    case PeerOrigin::Incoming:
      return tr("Incoming");
    case PeerOrigin::WebSeed:
      return tr("Web seed");
    case PeerOrigin::Manual:
      return tr("Added by you");
  }
  return {};
}

QString PeerListModel::transportText(PeerTransport transport) {
  switch (transport) {
    case PeerTransport::Tcp:
      return QStringLiteral("BT");
    case PeerTransport::Utp:
      return QStringLiteral("μTP");
    case PeerTransport::Web:
      return tr("Web");
  }
  return {};
}

}  // namespace tributary::ui
