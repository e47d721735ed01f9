#include "CliBtFixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <random>

#include "support/TestFiles.h"

#ifndef TRIBUTARY_CLI
#error "TRIBUTARY_CLI is set by tests/interop/cli_bt/CMakeLists.txt"
#endif

namespace tributary::test {
namespace {

const char* const kViewScript = R"(
import libtorrent as lt, sys
raw = open(sys.argv[1], 'rb').read()
ti = lt.torrent_info(lt.bdecode(raw))
print(ti.info_hash())
print(ti.files().num_files())
print(lt.bencode(lt.bdecode(raw)[b'info']).hex())
print(repr(lt.bdecode(raw).get(b'announce-list')))
)";

}  // namespace

ProgramRun runProgram(const QString& program, const QStringList& args, int timeoutMs) {
  QProcess process;
  process.start(program, args);
  ProgramRun run;
  if (!process.waitForStarted(timeoutMs) || !process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished(10000);
    qWarning("%s did not finish: %s", qPrintable(program), qPrintable(args.join(' ')));
    return run;
  }
  if (process.exitStatus() == QProcess::NormalExit) {
    run.exitCode = process.exitCode();
  }
  run.out = process.readAllStandardOutput();
  run.err = process.readAllStandardError();
  return run;
}

ProgramRun runCli(const QStringList& args, int timeoutMs) {
  return runProgram(QStringLiteral(TRIBUTARY_CLI), args, timeoutMs);
}

LibtorrentView libtorrentView(const QString& torrentFile, QString* error) {
  const ProgramRun run = runProgram("/usr/bin/python3", {"-c", kViewScript, torrentFile}, 60000);
  LibtorrentView view;
  const QList<QByteArray> lines = run.out.split('\n');
  if (run.exitCode != 0 || lines.size() < 4) {
    *error = "libtorrent refused " + torrentFile + ": " + QString::fromUtf8(run.err);
    return view;
  }
  view.infoHash = QString::fromLatin1(lines[0].trimmed());
  view.files = lines[1].trimmed().toInt();
  view.infoHex = lines[2].trimmed();
  view.announceList = lines[3].trimmed();
  return view;
}

QString CliBtContent::create(int totalMiB, unsigned seed) {
  if (!dir_.isValid()) {
    return QStringLiteral("no temporary folder");
  }
  const qint64 total = qint64{totalMiB} << 20;
  // Odd sizes so pieces straddle file boundaries; names that sort differently
  // by byte and by folder ("a-x" < "a.txt" < "a/...").
  const QList<QPair<QString, qint64>> files = {
      {"a/deeper/c.bin", total / 2 + 3},
      {"a.txt", 1000},
      {"a-x", 77},
      {".hidden", 5},
      {"empty.dat", 0},
      {"B/upper.bin", total / 4 - 1},
      {"z.bin", total / 4 - 1084},
  };
  std::mt19937_64 rng(seed);
  for (const auto& [path, size] : files) {
    const QString relative = name() + '/' + path;
    const QString full = parent() + '/' + relative;
    QDir().mkpath(QFileInfo(full).path());
    const QByteArray sha256 = writePayload(full, size, rng);
    if (sha256.isEmpty()) {
      return "cannot write " + full;
    }
    hashes_[relative] = sha256;
    total_ += size;
  }
  return {};
}

QString CliBtContent::verify(const QString& parent) const {
  for (auto it = hashes_.begin(); it != hashes_.end(); ++it) {
    const QString full = parent + '/' + it.key();
    if (!QFile::exists(full)) {
      return it.key() + " is missing";
    }
    if (sha256Of(full) != it.value()) {
      return it.key() + " differs";
    }
  }
  return {};
}

}  // namespace tributary::test
