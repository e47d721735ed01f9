// A torrent's fast-resume data (bt/TorrentResumeData): the file round-trips,
// anything that is not this torrent's or is damaged is refused, and the plan
// trusts exactly the pieces whose files are unchanged since the save.
#include <QtTest>

#include "engine/bt/TorrentResumeData.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

util::Sha1::Digest hashOf(char c) {
  util::Sha1::Digest d{};
  d.fill(static_cast<std::byte>(c));
  return d;
}

// Three files in 16-byte pieces: a (40 bytes: pieces 0-2), padding (8:
// piece 2), b (24: pieces 3-4). Piece 2 holds the end of a and the padding.
storage::TorrentLayout layout() {
  return storage::TorrentLayout::create(
             {{"t/a", 40, false}, {"t/.pad/8", 8, true}, {"t/b", 24, false}}, 16)
      .value();
}

TorrentResumeData sample() {
  TorrentResumeData data;
  data.infoHash = hashOf('h');
  data.have = util::Bitfield(5);
  data.have.set(0);
  data.have.set(2);
  data.have.set(4);
  data.files = {storage::FileStat{40, 1'700'000'000'123'456'789}, storage::FileStat{8, 0},
                storage::FileStat{24, 1'700'000'001'000'000'000}};
  return data;
}

}  // namespace

class TestTorrentResumeData : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip() {
    const TorrentResumeData data = sample();
    Result<TorrentResumeData> back =
        decodeTorrentResume(encodeTorrentResume(data), data.infoHash, 5, 3);
    QVERIFY2(back, back ? "" : back.error().detail.c_str());
    QVERIFY(back.value() == data);
  }

  void missingFileRoundTrips() {
    TorrentResumeData data = sample();
    data.files[2].reset();
    Result<TorrentResumeData> back =
        decodeTorrentResume(encodeTorrentResume(data), data.infoHash, 5, 3);
    QVERIFY(back);
    QVERIFY(!back.value().files[2].has_value());
  }

  void anotherTorrentsIsRefused() {
    const std::string bytes = encodeTorrentResume(sample());
    QVERIFY(!decodeTorrentResume(bytes, hashOf('x'), 5, 3));
    QVERIFY(!decodeTorrentResume(bytes, hashOf('h'), 6, 3));
    QVERIFY(!decodeTorrentResume(bytes, hashOf('h'), 5, 4));
  }

  void everyDamagedByteIsRefused() {
    const std::string bytes = encodeTorrentResume(sample());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
      QVERIFY2(!decodeTorrentResume(damaged, hashOf('h'), 5, 3),
               qPrintable(QString("byte %1").arg(i)));
    }
    for (std::size_t n = 0; n + 1 < bytes.size(); ++n) {
      QVERIFY(!decodeTorrentResume(std::string_view(bytes).substr(0, n), hashOf('h'), 5, 3));
    }
  }

  void unchangedFilesSettleEverything() {
    const TorrentResumeData data = sample();
    const ResumePlan plan = planFromResume(data, data.files, layout());
    QCOMPARE(plan.settled.count(), std::size_t(5));
    QVERIFY(plan.have == data.have);
  }

  // b written since (a crash after the save): its pieces are hashed again,
  // a's are still trusted. Padding never counts as changed.
  void changedFileIsHashedAgain() {
    const TorrentResumeData data = sample();
    auto now = data.files;
    now[2]->modifiedUnixNs += 1;
    now[1] = std::nullopt;  // padding is never on disk
    const ResumePlan plan = planFromResume(data, now, layout());
    QVERIFY(plan.settled.test(0) && plan.settled.test(1) && plan.settled.test(2));
    QVERIFY(!plan.settled.test(3) && !plan.settled.test(4));
    QVERIFY(plan.have.test(0) && plan.have.test(2) && !plan.have.test(4));
  }

  // A piece across two files is trusted only if both are unchanged.
  void pieceAcrossFilesNeedsBoth() {
    storage::TorrentLayout two =
        storage::TorrentLayout::create({{"t/a", 24, false}, {"t/b", 24, false}}, 16).value();
    TorrentResumeData data;
    data.infoHash = hashOf('h');
    data.have = util::Bitfield(3, true);
    data.files = {storage::FileStat{24, 1}, storage::FileStat{24, 2}};
    auto now = data.files;
    now[0]->size = 23;  // truncated by someone
    const ResumePlan plan = planFromResume(data, now, two);
    QVERIFY(!plan.settled.test(0) && !plan.settled.test(1));  // piece 1 = a's end + b's start
    QVERIFY(plan.settled.test(2) && plan.have.test(2));
  }

  // A piece verified in memory but reaching into a skipped (absent) or short
  // file is not claimed: it was written only in part.
  void piecesNotWhollyOnDiskAreNotClaimed() {
    TorrentResumeData data = sample();
    data.have = util::Bitfield(5, true);
    data.files[2].reset();     // b skipped: pieces 3 and 4 were never written
    data.files[0]->size = 20;  // a short: piece 1 (16..32) and 2 reach past it
    dropUnwrittenPieces(data, layout());
    QVERIFY(data.have.test(0));
    QVERIFY(!data.have.test(1) && !data.have.test(2) && !data.have.test(3) && !data.have.test(4));
  }

  // Gone since the save and holding a claimed piece: vanished. Padding, a
  // file that held nothing claimed, or one that was absent already are not.
  void vanishedFilesAreTheOnesThatHeldData() {
    const TorrentResumeData data = sample();  // claims pieces 0, 2 (a) and 4 (b)
    auto now = data.files;
    QVERIFY(vanishedFiles(data, now, layout()).empty());
    now[0].reset();
    now[1].reset();  // padding is never on disk
    QCOMPARE(vanishedFiles(data, now, layout()), std::vector<std::size_t>{0});
    now[2].reset();
    QCOMPARE(vanishedFiles(data, now, layout()), (std::vector<std::size_t>{0, 2}));
    TorrentResumeData nothingInB = data;
    nothingInB.have.reset(4);
    QCOMPARE(vanishedFiles(nothingInB, now, layout()), std::vector<std::size_t>{0});
    TorrentResumeData bAbsentAtSave = data;
    bAbsentAtSave.files[2].reset();
    QCOMPARE(vanishedFiles(bAbsentAtSave, now, layout()), std::vector<std::size_t>{0});
  }

  // A file saved as missing and still missing: its pieces are known absent.
  void stillMissingIsSettledAbsent() {
    TorrentResumeData data = sample();
    data.files[2].reset();
    data.have.reset(4);
    const ResumePlan plan = planFromResume(data, data.files, layout());
    QVERIFY(plan.settled.test(3) && plan.settled.test(4));
    QVERIFY(!plan.have.test(3) && !plan.have.test(4));
    auto appeared = data.files;
    appeared[2] = storage::FileStat{24, 5};  // someone put it there
    QVERIFY(!planFromResume(data, appeared, layout()).settled.test(4));
  }
};

QTEST_GUILESS_MAIN(TestTorrentResumeData)
#include "tst_torrent_resume_data.moc"
