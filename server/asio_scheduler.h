#pragma once

// The core's Scheduler on the server's io_context: a delayed call is a
// steady_timer, so a delayed request holds no thread while it waits.

#include <cstdint>
#include <functional>

#include <boost/asio/io_context.hpp>

#include "pipeline/scheduler.h"

namespace dynemu::server {

class AsioScheduler final : public Scheduler {
 public:
  // `ioc` is not owned and must outlive every pending call. Pending calls keep
  // the io_context busy (run() does not return before they have run). A call
  // still pending when the io_context is stopped and destroyed is dropped
  // without running.
  explicit AsioScheduler(boost::asio::io_context& ioc) : ioc_(ioc) {}

  // Thread-safe. `fn` runs on one of the threads running the io_context, after
  // at least `delay_ms` (a delay <= 0 runs it as soon as possible, never inline).
  void RunAfter(int64_t delay_ms, std::function<void()> fn) override;

 private:
  boost::asio::io_context& ioc_;
};

}  // namespace dynemu::server
