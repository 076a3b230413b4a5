#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace dynemu {

// The time source of the whole server. Core code never reads the system clock:
// creation times, TTL, idempotency windows and injected faults all ask a Clock,
// so that tests and replays can drive time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in microseconds since the Unix epoch.
  virtual int64_t NowMicros() const = 0;
  // A monotonic reading in nanoseconds, for durations only (timings, timeouts).
  virtual int64_t MonotonicNanos() const = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  int64_t MonotonicNanos() const override;
};

// A clock that moves only when told to. Both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros = 1'700'000'000'000'000) : now_micros_(start_micros) {}
  int64_t NowMicros() const override { return now_micros_.load(); }
  int64_t MonotonicNanos() const override { return now_micros_.load() * 1000; }
  void SetMicros(int64_t micros) { now_micros_.store(micros); }
  void AdvanceMicros(int64_t delta) { now_micros_.fetch_add(delta); }

 private:
  std::atomic<int64_t> now_micros_;
};

// SplitMix64: advances *state and returns a well-mixed 64-bit value of it. Seeds
// Random; also mixes a hash into independent-looking bits (the key filter).
uint64_t SplitMix64(uint64_t* state);

// The random source of the whole server: a seeded generator (xoshiro256**), so
// that a run with the same seed draws the same numbers. Thread-safe.
class Random {
 public:
  explicit Random(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n);
  // `length` characters from [0-9A-Z], as in DynamoDB request ids.
  std::string AlphanumericId(size_t length);

 private:
  std::mutex mu_;
  uint64_t s_[4];
};

// What the core needs from its surroundings. Owns nothing; outlives the engine.
class Env {
 public:
  Env(Clock& clock, Random& random) : clock_(clock), random_(random) {}
  Clock& clock() const { return clock_; }
  Random& random() const { return random_; }

 private:
  Clock& clock_;
  Random& random_;
};

}  // namespace dynemu
