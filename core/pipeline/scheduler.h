#pragma once

#include <cstdint>
#include <functional>

namespace dynemu {

// Runs work later without blocking the calling thread. The server implements it
// on its I/O context (timers); the core uses it for the "delay" verdict of hooks.
// Thread-safe.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Calls `fn` once, on some worker thread, after at least `delay_ms` milliseconds.
  virtual void RunAfter(int64_t delay_ms, std::function<void()> fn) = 0;
};

}  // namespace dynemu
