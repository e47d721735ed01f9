// Public to ui/: a thin bar of the pieces a torrent has. Its input is the
// engine's piece map: the verified share (0..255) of each of N equal
// stretches of the torrent (N is 256 at most today; a per-piece map of 0 and
// 255 works just as well). Each pixel column is shaded by the share of its
// own stretch, so the cost is one pass over the map plus one over the
// width, however many pieces the torrent has.
#pragma once

#include <QList>
#include <QWidget>

namespace tributary::ui {

class PieceBar : public QWidget {
  Q_OBJECT

 public:
  explicit PieceBar(QWidget* parent = nullptr);

  void setPieceMap(const QList<quint8>& map, quint32 pieceCount, quint32 piecesHave);
  void clear();
  const QList<quint8>& pieceMap() const { return map_; }

  // The mean share (0..1) of `map` in each of `bins` equal stretches; an
  // entry that straddles two bins counts in each by the part inside it.
  static QList<double> binShares(const QList<quint8>& map, int bins);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QList<quint8> map_;
};

}  // namespace tributary::ui
