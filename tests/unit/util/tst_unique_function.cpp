#include <QtTest>

#include <array>
#include <functional>
#include <memory>

#include "engine/util/UniqueFunction.h"

using tributary::util::UniqueFunction;

namespace {

// Counts live instances, so a test sees every capture destroyed exactly once.
struct Tracked {
  explicit Tracked(int* live) : live(live) { ++*live; }
  Tracked(Tracked&& o) noexcept : live(o.live) { ++*live; }
  Tracked(const Tracked&) = delete;
  ~Tracked() { --*live; }
  int* live;
};

// A throwing move constructor forces heap storage.
struct ThrowingMove {
  ThrowingMove() = default;
  ThrowingMove(ThrowingMove&&) noexcept(false) {}
  int operator()() const { return 7; }
};

int plusOne(int x) {
  return x + 1;
}

}  // namespace

class TstUniqueFunction : public QObject {
  Q_OBJECT
 private slots:
  void callsSmallAndLargeCallables() {
    int base = 5;
    UniqueFunction<int(int)> small = [base](int x) { return base + x; };
    QCOMPARE(small(2), 7);
    std::array<long, 32> big{};
    big[31] = 40;
    UniqueFunction<long(int)> large = [big](int x) { return big[31] + x; };
    QCOMPARE(large(2), 42L);
    UniqueFunction<int()> heapOnly = ThrowingMove{};
    UniqueFunction<int()> moved = std::move(heapOnly);
    QCOMPARE(moved(), 7);
    QVERIFY(!heapOnly);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  }

  void holdsMoveOnlyCaptures() {
    auto p = std::make_unique<int>(9);
    UniqueFunction<int()> f = [p = std::move(p)] { return *p; };
    UniqueFunction<int()> g = std::move(f);
    QVERIFY(!f);  // NOLINT(bugprone-use-after-move)
    QVERIFY(static_cast<bool>(g));
    QCOMPARE(g(), 9);
  }

  void destroysCapturesExactlyOnce() {
    int live = 0;
    {
      UniqueFunction<void()> inlineFn = [t = Tracked(&live)] {};
      std::array<char, 128> pad{};
      UniqueFunction<void()> heapFn = [t = Tracked(&live), pad] { (void)pad; };
      QCOMPARE(live, 2);
      UniqueFunction<void()> a = std::move(inlineFn);
      UniqueFunction<void()> b = std::move(heapFn);
      QCOMPARE(live, 2);
      a = std::move(b);  // destroys a's old capture
      QCOMPARE(live, 1);
      a = nullptr;
      QCOMPARE(live, 0);
      a = [t = Tracked(&live)] {};
      QCOMPARE(live, 1);
    }
    QCOMPARE(live, 0);
  }

  void emptyStates() {
    UniqueFunction<void()> a;
    QVERIFY(!a);
    UniqueFunction<void()> b = nullptr;
    QVERIFY(!b);
    int (*nullFn)(int) = nullptr;
    UniqueFunction<int(int)> c = nullFn;
    QVERIFY(!c);
    UniqueFunction<int(int)> d = std::function<int(int)>();
    QVERIFY(!d);
    UniqueFunction<int(int)> e = &plusOne;
    QVERIFY(static_cast<bool>(e));
    QCOMPARE(e(1), 2);
  }

  void forwardsMoveOnlyArguments() {
    UniqueFunction<int(std::unique_ptr<int>)> f = [](std::unique_ptr<int> p) { return *p * 2; };
    QCOMPARE(f(std::make_unique<int>(21)), 42);
    int counter = 0;
    UniqueFunction<void(int&)> g = [](int& c) { ++c; };
    g(counter);
    g(counter);
    QCOMPARE(counter, 2);
  }

  void mutableStateIsKeptBetweenCalls() {
    UniqueFunction<int()> counter = [n = 0]() mutable { return ++n; };
    QCOMPARE(counter(), 1);
    QCOMPARE(counter(), 2);
    UniqueFunction<int()> moved = std::move(counter);
    QCOMPARE(moved(), 3);
  }
};

QTEST_GUILESS_MAIN(TstUniqueFunction)
#include "tst_unique_function.moc"
