#include "server/io_threads.h"

#include <algorithm>

namespace dynemu::server {

void IoThreads::Start(int count) {
  count = std::max(count, 1);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = count;
  }
  threads_.reserve(count);
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      // Handlers throw nothing (our code throws no exceptions, and Beast's are
      // caught at the call sites), so run() returns only when the work is done or
      // the context is stopped.
      ioc_.run();
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
      cv_.notify_all();
    });
  }
}

IoThreads::~IoThreads() {
  ioc_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void IoThreads::RequestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_requested_ = true;
  cv_.notify_all();
}

bool IoThreads::Wait(std::chrono::milliseconds grace) {
  bool clean = true;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return running_ == 0 || stop_requested_; });
    if (running_ > 0) {
      clean = cv_.wait_for(lock, grace, [this] { return running_ == 0; });
    }
  }
  if (!clean) ioc_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  return clean;
}

}  // namespace dynemu::server
