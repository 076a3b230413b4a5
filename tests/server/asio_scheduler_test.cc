#include "server/asio_scheduler.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace dynemu::server {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

TEST(AsioSchedulerTest, RunsAfterTheDelayOnAnIoThread) {
  boost::asio::io_context ioc;
  AsioScheduler scheduler(ioc);
  std::atomic<int> ran{0};
  std::thread::id ran_on;
  SteadyClock::time_point ran_at;
  const auto start = SteadyClock::now();
  scheduler.RunAfter(80, [&] {
    ran_on = std::this_thread::get_id();
    ran_at = SteadyClock::now();
    ++ran;
  });
  EXPECT_EQ(ran.load(), 0);
  std::thread io([&] { ioc.run(); });  // returns once the call has run: it was work
  io.join();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_GE(ran_at - start, 80ms);
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(AsioSchedulerTest, ZeroDelayIsNeverInline) {
  boost::asio::io_context ioc;
  AsioScheduler scheduler(ioc);
  int ran = 0;
  scheduler.RunAfter(0, [&] { ++ran; });
  scheduler.RunAfter(-5, [&] { ++ran; });
  EXPECT_EQ(ran, 0);
  ioc.run();
  EXPECT_EQ(ran, 2);
}

TEST(AsioSchedulerTest, ShorterDelaysRunFirst) {
  boost::asio::io_context ioc;
  AsioScheduler scheduler(ioc);
  std::string order;
  scheduler.RunAfter(60, [&] { order += 'b'; });
  scheduler.RunAfter(10, [&] { order += 'a'; });
  ioc.run();
  EXPECT_EQ(order, "ab");
}

}  // namespace
}  // namespace dynemu::server
