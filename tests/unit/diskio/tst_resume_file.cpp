// The HTTP resume file: round trips, damage detection (every single-byte
// corruption, every truncation), hostile values, the remote-changed check, and
// the async save and load through the worker pool.
#include <QtTest>

#include "engine/http/ResumeFile.h"
#include "engine/storage/Crc32.h"
#include "engine/storage/StateFileWriter.h"
#include "unit/diskio/DiskTestUtil.h"

using namespace tributary;
using namespace tributary::http;
using namespace tributary::diskio::test;

namespace {

ResumeState sampleState() {
  ResumeState s;
  s.url = "https://example.com/files/big%20file.iso?token=a b\\c";
  s.fileName = "big file \xe2\x9c\x93.iso";  // UTF-8 is kept as it is
  s.totalSize = 734003200;
  s.etag = "\"5f3a-1b2c\"";
  s.lastModified = "Tue, 01 Aug 2023 10:00:00 GMT";
  s.done = core::ByteRanges{{0, 1048576}, {2097152, 3145728}, {700000000, 734003200}};
  s.mirrors = {"https://m1.example.org/big.iso", "http://m2.example.net/pub/big.iso"};
  return s;
}

// A body with a correct checksum line, to test what lies behind the CRC.
std::string withChecksum(const std::string& body) {
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", static_cast<unsigned>(storage::crc32(body)));
  return body + "crc32 " + crc + "\n";
}

const std::string kHeader = "tributary-resume 1\n";
const std::string kBasics = "url https://e.com/f\nname f\n";

ResumeError decodeError(const std::string& text, const ResumeLimits& limits = {}) {
  ResumeDecodeError error;
  auto state = decodeResume(text, error, limits);
  return state ? ResumeError::Ok : error.code;
}

}  // namespace

class TstResumeFile : public QObject {
  Q_OBJECT

 private slots:
  void crc32KnownValues() {
    QCOMPARE(storage::crc32(""), 0U);
    QCOMPARE(storage::crc32("123456789"), 0xCBF43926U);
    QCOMPARE(storage::crc32("6789", storage::crc32("12345")), 0xCBF43926U);
  }

  void roundTrip() {
    const ResumeState state = sampleState();
    auto text = encodeResume(state);
    QVERIFY(text.ok());
    auto back = decodeResume(text.value());
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().detail.c_str());
    QVERIFY(back.value() == state);
    QVERIFY(text.value().starts_with("tributary-resume 1\n"));
    QVERIFY(text.value().find("\ndone 0-1048576,2097152-3145728,700000000-734003200\n") !=
            std::string::npos);
  }

  void roundTripOfUnusualValues() {
    ResumeState state;
    state.url = "http://h/\n\r\t\\x\x01\x7f end";
    state.fileName = "name with\nnewline";
    state.totalSize = std::nullopt;  // unknown length
    state.etag = "\"e\\\"t\"";
    auto text = encodeResume(state);
    QVERIFY(text.ok());
    QCOMPARE(std::count(text.value().begin(), text.value().end(), '\n'), 7);  // one per line
    auto back = decodeResume(text.value());
    QVERIFY(back.ok());
    QVERIFY(back.value() == state);
    QVERIFY(!back.value().totalSize);
    QVERIFY(back.value().mirrors.empty());
    QVERIFY(back.value().lastModified.empty());
  }

  void everySingleByteCorruptionIsDetected() {
    const std::string good = encodeResume(sampleState()).value();
    std::size_t tried = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
      for (int v = 0; v < 256; ++v) {
        if (static_cast<char>(v) == good[i]) {
          continue;
        }
        std::string bad = good;
        bad[i] = static_cast<char>(v);
        ResumeDecodeError error;
        if (decodeResume(bad, error)) {
          QFAIL(qPrintable(QStringLiteral("byte %1 set to %2 was accepted").arg(i).arg(v)));
        }
        ++tried;
      }
    }
    QCOMPARE(tried, good.size() * 255);
  }

  void everyTruncationIsRejected() {
    const std::string good = encodeResume(sampleState()).value();
    for (std::size_t n = 0; n < good.size(); ++n) {
      ResumeDecodeError error;
      QVERIFY2(!decodeResume(std::string_view(good).substr(0, n), error),
               qPrintable(QString::number(n)));
    }
    QCOMPARE(decodeError(good.substr(0, good.size() - 1)), ResumeError::Truncated);
    // Whole lines missing at the end: the checksum line is gone.
    QCOMPARE(decodeError(good.substr(0, good.rfind("crc32"))), ResumeError::Truncated);
  }

  void hostileValuesAreRejected() {
    const std::string total = "total 1000\n";
    struct Case {
      const char* what;
      std::string text;
      ResumeError expected;
    };
    const std::vector<Case> cases = {
        {"huge total", kHeader + kBasics + "total 99999999999999999999999\ndone \n",
         ResumeError::BadNumber},
        {"total past 2^63", kHeader + kBasics + "total 9223372036854775808\ndone \n",
         ResumeError::BadNumber},
        {"leading zero", kHeader + kBasics + "total 0100\ndone \n", ResumeError::BadNumber},
        {"negative", kHeader + kBasics + "total -1\ndone \n", ResumeError::BadNumber},
        {"range past total", kHeader + kBasics + total + "done 0-1001\n", ResumeError::BadRanges},
        {"huge range", kHeader + kBasics + total + "done 0-99999999999999999999999\n",
         ResumeError::BadRanges},
        {"overlapping ranges", kHeader + kBasics + total + "done 0-10,5-20\n",
         ResumeError::BadRanges},
        {"no header", kBasics + total + "done \n", ResumeError::BadHeader},
        {"other version", "tributary-resume 2\n" + kBasics + total + "done \n",
         ResumeError::UnsupportedVersion},
        {"unknown key", kHeader + kBasics + total + "done \nsecret x\n", ResumeError::UnknownKey},
        {"duplicate key", kHeader + kBasics + "url https://x/\n" + total + "done \n",
         ResumeError::DuplicateKey},
        {"missing done", kHeader + kBasics + total, ResumeError::MissingKey},
        {"missing url", kHeader + "name f\n" + total + "done \n", ResumeError::MissingKey},
        {"no space", kHeader + kBasics + total + "done \nmirror\n", ResumeError::Syntax},
        {"bad escape", kHeader + "url https://e.com/\\q\nname f\n" + total + "done \n",
         ResumeError::BadEscape},
        {"short hex escape", kHeader + "url https://e.com/\\x4\nname f\n" + total + "done \n",
         ResumeError::BadEscape},
        {"raw control byte", kHeader + "url https://e.com/\x01\nname f\n" + total + "done \n",
         ResumeError::BadEscape},
        {"empty name", kHeader + "url https://e.com/\nname \n" + total + "done \n",
         ResumeError::BadValue},
        {"long line",
         kHeader + "url https://e.com/" + std::string(20000, 'a') + "\nname f\n" + total +
             "done \n",
         ResumeError::LineTooLong},
    };
    for (const Case& c : cases) {
      const ResumeError got = decodeError(withChecksum(c.text));
      QVERIFY2(got == c.expected,
               qPrintable(QStringLiteral("%1: got %2, expected %3")
                              .arg(c.what)
                              .arg(QString::fromUtf8(resumeErrorName(got).data()))
                              .arg(QString::fromUtf8(resumeErrorName(c.expected).data()))));
    }
    // The same texts are fine once corrected: the cases fail for the stated reason.
    QCOMPARE(decodeError(withChecksum(kHeader + kBasics + total + "done 0-1000\n")),
             ResumeError::Ok);
    QCOMPARE(decodeError(withChecksum(kHeader + kBasics + "total unknown\ndone 0-5\n")),
             ResumeError::Ok);
  }

  void millionRangesAreRejected() {
    std::string ranges;
    ranges.reserve(20'000'000);
    for (std::uint64_t i = 0; i < 1'000'000; ++i) {
      if (i != 0) {
        ranges += ',';
      }
      ranges += std::to_string(2 * i) + '-' + std::to_string(2 * i + 1);
    }
    const std::string text =
        withChecksum(kHeader + kBasics + "total unknown\ndone " + ranges + "\n");
    QCOMPARE(decodeError(text), ResumeError::TooLarge);  // over 4 MiB
    ResumeLimits generous;
    generous.maxFileBytes = 64u << 20;
    generous.ranges.maxLength = 64u << 20;
    ResumeDecodeError error;
    QVERIFY(!decodeResume(text, error, generous));
    QCOMPARE(error.code, ResumeError::BadRanges);
    QCOMPARE(error.rangesError, core::RangesError::TooManyRanges);

    std::string mirrors;
    for (int i = 0; i < 300; ++i) {
      mirrors += "mirror https://m" + std::to_string(i) + "/\n";
    }
    QCOMPARE(decodeError(withChecksum(kHeader + kBasics + mirrors + "total 1\ndone \n")),
             ResumeError::TooManyMirrors);
  }

  void encoderRefusesWhatTheDecoderWouldRefuse() {
    ResumeState state = sampleState();
    state.done.add(734003200, 734003300);  // past the total
    QVERIFY(!encodeResume(state).ok());
    state = sampleState();
    state.url.clear();
    QVERIFY(!encodeResume(state).ok());
    state = sampleState();
    state.url = "https://e.com/" + std::string(20000, 'a');
    QVERIFY(!encodeResume(state).ok());
    state = sampleState();
    state.totalSize = std::nullopt;
    for (std::uint64_t i = 0; i < 70'000; ++i) {
      state.done.add(800'000'000 + 10 * i, 800'000'000 + 10 * i + 5);
    }
    QVERIFY(!encodeResume(state).ok());  // over the 64 Ki ranges limit
    ResumeLimits small;
    small.maxFileBytes = 100;
    QVERIFY(!encodeResume(sampleState(), small).ok());
  }

  void remoteChangesAreNoticed() {
    const ResumeState saved = sampleState();
    RemoteIdentity same{saved.totalSize, saved.etag, saved.lastModified};
    QVERIFY(checkSameRemote(saved, same).ok());

    RemoteIdentity resized = same;
    resized.totalSize = 734003201;
    auto r = checkSameRemote(saved, resized);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::RemoteChanged);

    RemoteIdentity unknownSize = same;
    unknownSize.totalSize = std::nullopt;
    QVERIFY(!checkSameRemote(saved, unknownSize).ok());

    RemoteIdentity retagged = same;
    retagged.etag = "\"other\"";
    QCOMPARE(checkSameRemote(saved, retagged).error().code, ErrorCode::RemoteChanged);

    RemoteIdentity touched = same;
    touched.lastModified = "Wed, 02 Aug 2023 10:00:00 GMT";
    QCOMPARE(checkSameRemote(saved, touched).error().code, ErrorCode::RemoteChanged);

    // A validator the server no longer sends cannot be compared; the others decide.
    RemoteIdentity noEtag = same;
    noEtag.etag.clear();
    QVERIFY(checkSameRemote(saved, noEtag).ok());
  }

  void resumePathSitsBesideThePart() {
    QCOMPARE(resumePathFor("/d/big.iso.part"), std::string("/d/big.iso.part.tributary"));
  }

  void saveAndLoadThroughThePool() {
    QTemporaryDir dir;
    Harness h;
    const std::string path = resumePathFor(dir.filePath("big.iso.part").toStdString());
    std::unique_ptr<storage::StateFileWriter> writer;
    std::unique_ptr<storage::JobSubmitter> jobs;
    std::promise<Result<void>> saved;
    Result<void> encoded = Error{ErrorCode::Internal, "not run"};
    runOn(h.loop, [&] {
      writer =
          std::make_unique<storage::StateFileWriter>(h.loop, h.pool, storage::systemFileIo(), path);
      jobs = std::make_unique<storage::JobSubmitter>(h.loop, h.pool);
      encoded = saveResumeFile(*writer, sampleState(),
                               [&saved](Result<void> r) { saved.set_value(std::move(r)); });
    });
    QVERIFY(encoded.ok());
    auto s = saved.get_future();
    QVERIFY(waitReady(s));
    QVERIFY(s.get().ok());

    auto load = [&](const std::string& from) {
      auto promise = std::make_shared<std::promise<Result<ResumeState>>>();
      auto future = promise->get_future();
      runOn(h.loop, [&] {
        loadResumeFile(*jobs, storage::systemFileIo(), from,
                       [promise](Result<ResumeState> r) { promise->set_value(std::move(r)); });
      });
      if (!waitReady(future)) {
        qFatal("load did not complete");
      }
      return future.get();
    };
    auto loaded = load(path);
    QVERIFY(loaded.ok());
    QVERIFY(loaded.value() == sampleState());

    auto missing = load(path + ".nothing");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::FileMissing);

    // Damage one byte on disk: the load reports it instead of resuming wrongly.
    {
      auto file = storage::systemFileIo()->open(path, storage::FileIo::OpenMode::ReadWrite);
      QVERIFY(file.ok());
      const char x = 'X';
      QVERIFY(file.value()->writeAt(40, std::as_bytes(std::span<const char>(&x, 1))).ok());
    }
    auto damaged = load(path);
    QVERIFY(!damaged.ok());
    QCOMPARE(damaged.error().code, ErrorCode::InvalidArgument);
    QVERIFY(damaged.error().detail.find("bad_checksum") != std::string::npos);

    // A state that cannot be encoded is refused before anything is written.
    ResumeState broken = sampleState();
    broken.fileName.clear();
    runOn(h.loop, [&] { encoded = saveResumeFile(*writer, broken); });
    QVERIFY(!encoded.ok());

    runOn(h.loop, [&] {
      writer.reset();
      jobs.reset();
    });
    QCOMPARE(h.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TstResumeFile)
#include "tst_resume_file.moc"
