#pragma once

// The threads that run the server's io_context, and the bounded wait of a
// graceful shutdown: after RequestStop, Wait gives in-flight work a grace period
// to finish, then stops the io_context.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace dynemu::server {

class IoThreads {
 public:
  explicit IoThreads(boost::asio::io_context& ioc) : ioc_(ioc) {}
  // Stops the io_context if it still runs, and joins.
  ~IoThreads();

  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // Starts `count` (at least 1) threads, each running ioc.run(). A thread returns
  // when the io_context runs out of work or is stopped, so queue the first work
  // (the accept loop, the signal wait) before. Call once.
  void Start(int count);

  // Thread-safe; may be called from a handler. Starts the grace period of Wait.
  void RequestStop();

  // Blocks until every thread has returned. After RequestStop, waits at most
  // `grace` more, then stops the io_context (abandoning what is left) and joins.
  // Returns true when the threads ran out of work by themselves. Call once, from
  // a thread that is not one of these.
  bool Wait(std::chrono::milliseconds grace);

 private:
  boost::asio::io_context& ioc_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;             // guarded by mu_
  bool stop_requested_ = false;  // guarded by mu_
};

}  // namespace dynemu::server
