#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/util/Log.h"

using tributary::LogLevel;
using tributary::util::Logger;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

}  // namespace

class TstLog : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void cleanup() { Logger::instance().configure(LogLevel::Warning, "", true); }

  void writesLevelledRecordsToTheFile() {
    const std::string file = path("sub/dir/app.log");  // folders are created
    QVERIFY(Logger::instance().configure(LogLevel::Info, file, false));
    TLOG(Info, "test") << "hello " << 42;
    TLOG(Error, "disk") << "full";
    TLOG(Debug, "test") << "hidden";
    Logger::instance().flush();
    const auto got = lines(readFile(file));
    QCOMPARE(got.size(), std::size_t{2});
    QVERIFY2(got[0].find(" INFO ") != std::string::npos, got[0].c_str());
    QVERIFY2(got[0].find("test: hello 42") != std::string::npos, got[0].c_str());
    QVERIFY2(got[1].find(" ERROR ") != std::string::npos, got[1].c_str());
    QVERIFY2(got[1].find("disk: full") != std::string::npos, got[1].c_str());
  }

  void disabledLevelsDoNotBuildTheMessage() {
    QVERIFY(Logger::instance().configure(LogLevel::Warning, "", false));
    int built = 0;
    auto expensive = [&built] {
      ++built;
      return "x";
    };
    TLOG(Debug, "test") << expensive();
    TLOG(Info, "test") << expensive();
    QCOMPARE(built, 0);
    TLOG(Warning, "test") << expensive();
    QCOMPARE(built, 1);
    QVERIFY(!Logger::instance().enabled(LogLevel::Info));
    QVERIFY(Logger::instance().enabled(LogLevel::Error));
    QVERIFY(!Logger::instance().enabled(LogLevel::Off));
  }

  void macroBindsElseToTheCallersIf() {
    QVERIFY(Logger::instance().configure(LogLevel::Off, "", false));
    bool elseRan = false;
    const bool condition = false;
    if (condition)
      TLOG(Error, "test") << "never";
    else
      elseRan = true;
    QVERIFY(elseRan);
  }

  void manyThreadsLoseNothingAndKeepPerThreadOrder() {
    const std::string file = path("threads.log");
    QVERIFY(Logger::instance().configure(LogLevel::Debug, file, false));
    constexpr int kThreads = 4;
    constexpr int kPerThread = 2000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([t] {
        for (int i = 0; i < kPerThread; ++i) {
          TLOG(Debug, "mt") << "thread " << t << " seq " << i;
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
    Logger::instance().flush();
    const auto got = lines(readFile(file));
    QCOMPARE(got.size(), static_cast<std::size_t>(kThreads) * kPerThread);
    std::vector<int> next(kThreads, 0);
    for (const std::string& line : got) {
      int t = -1;
      int seq = -1;
      const auto at = line.find("thread ");
      QVERIFY(at != std::string::npos);
      QCOMPARE(std::sscanf(line.c_str() + at, "thread %d seq %d", &t, &seq), 2);
      QVERIFY(t >= 0 && t < kThreads);
      QCOMPARE(seq, next[t]);
      ++next[t];
    }
    QCOMPARE(Logger::instance().droppedCount(), std::uint64_t{0});
  }

  void unopenableFileIsReported() {
    const std::string plainFile = path("plain");
    std::ofstream(plainFile) << "a file, not a folder";
    QVERIFY(!Logger::instance().configure(LogLevel::Info, plainFile + "/x.log", false));
  }

  void defaultDirectoryFollowsXdg() {
    const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
    const QByteArray oldHome = qgetenv("HOME");
    qputenv("XDG_DATA_HOME", "/tmp/xdg-data");
    QCOMPARE(tributary::util::defaultLogDirectory(), std::string("/tmp/xdg-data/tributary"));
    qputenv("XDG_DATA_HOME", "relative/ignored");
    qputenv("HOME", "/home/someone");
    QCOMPARE(tributary::util::defaultLogDirectory(),
             std::string("/home/someone/.local/share/tributary"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(tributary::util::defaultLogDirectory(),
             std::string("/home/someone/.local/share/tributary"));
    qputenv("XDG_DATA_HOME", oldXdg);
    if (oldXdg.isNull()) {
      qunsetenv("XDG_DATA_HOME");
    }
    qputenv("HOME", oldHome);
  }
};

QTEST_GUILESS_MAIN(TstLog)
#include "tst_log.moc"
