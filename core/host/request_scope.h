#pragma once

// What the plugin host remembers about the request a thread is running, from one
// hook point of that request to the next: when each point first fired (the
// "timings" field of dynemu/hooks.h) and each plugin's per-request data slot.
//
// The pipeline runs a request from request.pre to response.post on one thread,
// and the engine's write hooks run inside that call; so the scope is
// thread-local and keyed by the request id. An event of another request id
// starts a fresh scope (an empty id always does: writes made outside a request).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/hook_dispatch.h"

namespace dynemu {

class Clock;

class RequestScope {
 public:
  // The calling thread's scope for `request_id`, started (at `clock`'s current
  // time, all marks and slots cleared) unless the thread's scope already belongs
  // to that request. The reference is valid on this thread until the next Enter.
  static RequestScope& Enter(std::string_view request_id, const Clock& clock);

  // Records that `point` fired now, unless it already fired for this request.
  void Mark(HookPoint point, const Clock& clock);

  // {"start_ms":...,"elapsed_us":...,"points_us":{"request.pre":0,...}} into *out.
  void RenderTimings(const Clock& clock, std::string* out) const;

  // The per-request slot `slot` (one per plugin instance); nullptr when unset.
  void* data(size_t slot) const { return slot < data_.size() ? data_[slot] : nullptr; }
  void set_data(size_t slot, void* value);

 private:
  void Reset(std::string_view request_id, const Clock& clock);

  std::string request_id_;
  int64_t start_nanos_ = 0;                                              // monotonic
  int64_t start_micros_ = 0;                                             // wall clock
  std::array<int64_t, static_cast<size_t>(HookPoint::kCount)> marks_{};  // -1: not yet
  std::vector<void*> data_;
};

}  // namespace dynemu
