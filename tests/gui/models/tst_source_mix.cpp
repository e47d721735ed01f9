// The task list's source mix: the model's shares of BT, HTTP and CDN bytes,
// and the delegate's bar painting each share in its colour, in proportion.
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QTest>

#include "ui/bridge/BridgeTypes.h"
#include "ui/delegates/SourceMixDelegate.h"
#include "ui/delegates/TrafficColors.h"
#include "ui/models/TaskListModel.h"

using namespace tributary::ui;

class TestSourceMix : public QObject {
  Q_OBJECT

 private slots:
  void modelGivesTheShares() {
    TaskListModel model;
    TaskRow fresh;
    fresh.id = 1;
    TaskRow mixed;
    mixed.id = 2;
    mixed.traffic.bt = 600;
    mixed.traffic.http = 100;
    mixed.traffic.cdn = 300;
    model.applyUpdate({fresh, mixed}, {}, true);
    const int column = TaskListModel::SourcesColumn;
    QVERIFY(!model.index(model.rowOf(1), column).data(TaskListModel::SourceMixRole).isValid());
    const QVariantList mix =
        model.index(model.rowOf(2), column).data(TaskListModel::SourceMixRole).toList();
    QCOMPARE(mix.size(), 3);
    QCOMPARE(mix[0].toDouble(), 0.6);
    QCOMPARE(mix[1].toDouble(), 0.1);
    QCOMPARE(mix[2].toDouble(), 0.3);
    const QString tip = model.index(model.rowOf(2), column).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("BT:")) && tip.contains(QStringLiteral("CDN:")),
             qPrintable(tip));
  }

  void delegatePaintsEachShareInItsColour() {
    QStandardItemModel model(1, 1);
    constexpr int kRole = Qt::UserRole + 7;
    model.setData(model.index(0, 0), QVariantList{0.75, 0.0, 0.25}, kRole);
    SourceMixDelegate delegate(kRole);
    QImage image(208, 24, QImage::Format_RGB32);
    image.fill(Qt::white);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.state = QStyle::State_Enabled;
    {
      QPainter painter(&image);
      delegate.paint(&painter, option, model.index(0, 0));
    }
    // The bar: 3 px margins, 4 px high, one pixel above the bottom.
    const int y = image.height() - 1 - SourceMixDelegate::kBarHeight / 2 - 1;
    const int width = image.width() - 6;
    QCOMPARE(QColor(image.pixel(3 + width / 4, y)), trafficColor(TrafficKind::Bt));
    QCOMPARE(QColor(image.pixel(3 + width * 7 / 10, y)), trafficColor(TrafficKind::Bt));
    QCOMPARE(QColor(image.pixel(3 + width * 8 / 10, y)), trafficColor(TrafficKind::Cdn));
    QCOMPARE(QColor(image.pixel(image.width() - 4, y)), trafficColor(TrafficKind::Cdn));
    // No HTTP share: no HTTP pixel anywhere on the bar.
    for (int x = 0; x < image.width(); ++x) {
      QVERIFY(QColor(image.pixel(x, y)) != trafficColor(TrafficKind::Http));
    }
    // Above the bar the text area stays background.
    QCOMPARE(QColor(image.pixel(3 + width / 4, 2)), QColor(Qt::white));
  }
};

QTEST_MAIN(TestSourceMix)
#include "tst_source_mix.moc"
