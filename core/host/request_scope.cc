#include "host/request_scope.h"

#include <algorithm>
#include <utility>

#include "base/env.h"
#include "json/json.h"

namespace dynemu {

RequestScope& RequestScope::Enter(std::string_view request_id, const Clock& clock) {
  // One per worker thread, reused: after the first request of a thread no
  // allocation happens here (request ids all have the same length).
  thread_local RequestScope scope;
  if (request_id.empty() || scope.request_id_ != request_id) scope.Reset(request_id, clock);
  return scope;
}

void RequestScope::Reset(std::string_view request_id, const Clock& clock) {
  request_id_.assign(request_id.data(), request_id.size());
  start_nanos_ = clock.MonotonicNanos();
  start_micros_ = clock.NowMicros();
  marks_.fill(-1);
  // The slots of the previous request are forgotten, not freed: the plugin that
  // set one owns what it points to (dynemu/hooks.h, get_request_data).
  std::fill(data_.begin(), data_.end(), nullptr);
}

void RequestScope::Mark(HookPoint point, const Clock& clock) {
  int64_t& mark = marks_[static_cast<size_t>(point)];
  if (mark < 0) mark = clock.MonotonicNanos() - start_nanos_;
}

void RequestScope::set_data(size_t slot, void* value) {
  if (slot >= data_.size()) data_.resize(slot + 1, nullptr);
  data_[slot] = value;
}

void RequestScope::RenderTimings(const Clock& clock, std::string* out) const {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::WriteKey(w, "start_ms");
  w.Int64(start_micros_ / 1000);
  json::WriteKey(w, "elapsed_us");
  w.Int64((clock.MonotonicNanos() - start_nanos_) / 1000);
  json::WriteKey(w, "points_us");
  w.StartObject();
  // In the order the request reached them, which is what a reader of a trace
  // wants (response.post last), not in HookPoint order.
  std::array<std::pair<int64_t, size_t>, static_cast<size_t>(HookPoint::kCount)> passed;
  size_t n = 0;
  for (size_t i = 0; i < marks_.size(); i++) {
    if (marks_[i] >= 0) passed[n++] = {marks_[i], i};
  }
  std::sort(passed.begin(), passed.begin() + n);
  for (size_t i = 0; i < n; i++) {
    json::WriteKey(w, HookPointName(static_cast<HookPoint>(passed[i].second)));
    w.Int64(passed[i].first / 1000);
  }
  w.EndObject();
  w.EndObject();
  out->assign(buffer.GetString(), buffer.GetSize());
}

}  // namespace dynemu
