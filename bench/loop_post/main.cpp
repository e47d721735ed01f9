// bench_loop_post: how fast closures cross threads into an EventLoop.
//   throughput: posts per second with 1 and 4 producer threads
//   latency:    one post from an idle producer until it runs (median, p99)
//   ping-pong:  round trip of a closure bounced between two loops
// Prints a Markdown table. Usage: bench_loop_post [posts-per-run]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/loop/EventLoop.h"

using tributary::loop::EventLoop;
using Clock = std::chrono::steady_clock;

namespace {

struct Row {
  std::string what;
  std::string value;
  std::string unit;
};

double postsPerSecond(unsigned producers, long total) {
  EventLoop loop("bench");
  loop.start();
  const long perThread = total / producers;
  const long expected = perThread * producers;
  auto ran = std::make_shared<long>(0);
  std::promise<void> done;
  std::future<void> doneFuture = done.get_future();
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < producers; ++t) {
    threads.emplace_back([&loop, &done, ran, perThread, expected] {
      for (long i = 0; i < perThread; ++i) {
        loop.post([&done, counter = ran.get(), expected] {
          if (++*counter == expected) {
            done.set_value();
          }
        });
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  doneFuture.wait();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  loop.stop();
  return static_cast<double>(expected) / seconds;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

// One post at a time from an otherwise idle thread, so each sample includes
// the wake-up of a sleeping loop (eventfd write, epoll return).
std::vector<double> singlePostLatencyUs(int samples) {
  EventLoop loop("bench");
  loop.start();
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    std::promise<Clock::time_point> ranAt;
    auto f = ranAt.get_future();
    const auto sent = Clock::now();
    loop.post([&ranAt] { ranAt.set_value(Clock::now()); });
    const auto at = f.get();
    us.push_back(std::chrono::duration<double, std::micro>(at - sent).count());
  }
  loop.stop();
  return us;
}

// A closure bounces A -> B -> A; each sample is one round trip (two posts).
struct Rally {
  EventLoop* a;
  EventLoop* b;
  std::vector<double> us;
  std::promise<void> finished;
  int left;
  Clock::time_point sent;
};

void volley(const std::shared_ptr<Rally>& rally);

void returned(const std::shared_ptr<Rally>& rally) {
  rally->us.push_back(
      std::chrono::duration<double, std::micro>(Clock::now() - rally->sent).count());
  if (--rally->left == 0) {
    rally->finished.set_value();
  } else {
    volley(rally);
  }
}

// Runs on loop A.
void volley(const std::shared_ptr<Rally>& rally) {
  rally->sent = Clock::now();
  rally->b->post([rally] { rally->a->post([rally] { returned(rally); }); });
}

std::vector<double> pingPongRoundTripUs(int samples) {
  EventLoop a("ping");
  EventLoop b("pong");
  a.start();
  b.start();
  auto rally = std::make_shared<Rally>();
  rally->a = &a;
  rally->b = &b;
  rally->left = samples;
  rally->us.reserve(static_cast<std::size_t>(samples));
  auto finished = rally->finished.get_future();
  a.post([rally] { volley(rally); });
  finished.wait();
  b.stop();
  a.stop();
  return std::move(rally->us);
}

std::string fmt(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  const long posts = argc > 1 ? std::atol(argv[1]) : 2000000;
  std::vector<Row> rows;
  rows.push_back({"posts/s, 1 producer", fmt(postsPerSecond(1, posts) / 1e6, "%.2f"), "M/s"});
  rows.push_back({"posts/s, 4 producers", fmt(postsPerSecond(4, posts) / 1e6, "%.2f"), "M/s"});
  const auto latency = singlePostLatencyUs(20000);
  rows.push_back({"one post, median", fmt(percentile(latency, 0.5), "%.1f"), "us"});
  rows.push_back({"one post, p99", fmt(percentile(latency, 0.99), "%.1f"), "us"});
  const auto rally = pingPongRoundTripUs(20000);
  rows.push_back({"ping-pong round trip, median", fmt(percentile(rally, 0.5), "%.1f"), "us"});
  rows.push_back({"ping-pong round trip, p99", fmt(percentile(rally, 0.99), "%.1f"), "us"});

  std::printf("| EventLoop::post (%ld posts per throughput run, %u hw threads) | value | unit |\n",
              posts, std::thread::hardware_concurrency());
  std::printf("| --- | ---: | --- |\n");
  for (const Row& r : rows) {
    std::printf("| %s | %s | %s |\n", r.what.c_str(), r.value.c_str(), r.unit.c_str());
  }
  return 0;
}
