#include "host/hook_dispatch.h"

#include <algorithm>

namespace dynemu {

std::string_view HookPointName(HookPoint point) {
  switch (point) {
    case HookPoint::kRequestPre: return "request.pre";
    case HookPoint::kResponsePost: return "response.post";
    case HookPoint::kWritePre: return "write.pre";
    case HookPoint::kWritePost: return "write.post";
    case HookPoint::kIndexPre: return "index.pre";
    case HookPoint::kIndexPost: return "index.post";
    case HookPoint::kTxnValidatePre: return "txn.validate.pre";
    case HookPoint::kTxnValidatePost: return "txn.validate.post";
    case HookPoint::kTxnCommitPre: return "txn.commit.pre";
    case HookPoint::kTxnCommitPost: return "txn.commit.post";
    case HookPoint::kCount: break;
  }
  return "unknown";
}

bool IsPostPoint(HookPoint point) {
  switch (point) {
    case HookPoint::kResponsePost:
    case HookPoint::kWritePost:
    case HookPoint::kIndexPost:
    case HookPoint::kTxnValidatePost:
    case HookPoint::kTxnCommitPost:
      return true;
    default:
      return false;
  }
}

void HookRegistry::Add(HookSubscriber* subscriber, uint32_t points) {
  for (size_t i = 0; i < lists_.size(); i++) {
    if (points & (1u << i)) lists_[i].push_back(subscriber);
  }
}

namespace {

// Calls `fn` on each subscriber in `order`, stopping at the first failure;
// delays accumulate, and so do defers (the longest wins: the entry is applied
// once, after every subscriber that wanted it later is satisfied).
template <typename Range, typename Fn>
Verdict Dispatch(const Range& subscribers, Fn fn) {
  int64_t delay = 0;
  int64_t defer = -1;
  for (HookSubscriber* s : subscribers) {
    Verdict v = fn(*s);
    if (v.kind == Verdict::Kind::kFail) return v;
    if ((v.kind == Verdict::Kind::kDelay || v.kind == Verdict::Kind::kDefer) && v.delay_ms > 0) {
      delay += v.delay_ms;
    }
    if (v.kind == Verdict::Kind::kDefer) defer = std::max(defer, std::max<int64_t>(v.defer_ms, 0));
  }
  if (defer >= 0) {
    Verdict v = Verdict::Defer(defer);
    v.delay_ms = delay;
    return v;
  }
  return delay > 0 ? Verdict::Delay(delay) : Verdict::Continue();
}

template <typename V>
struct Reversed {
  const V& v;
  auto begin() const { return v.rbegin(); }
  auto end() const { return v.rend(); }
};

}  // namespace

Verdict HookRegistry::RequestPre(RequestEvent& event) const {
  return Dispatch(lists_[static_cast<size_t>(HookPoint::kRequestPre)],
                  [&](HookSubscriber& s) { return s.OnRequestPre(event); });
}

Verdict HookRegistry::ResponsePost(ResponseEvent& event) const {
  const auto& list = lists_[static_cast<size_t>(HookPoint::kResponsePost)];
  return Dispatch(Reversed<decltype(list)>{list},
                  [&](HookSubscriber& s) { return s.OnResponsePost(event); });
}

Verdict HookRegistry::WritePre(WriteEvent& event) const {
  return Dispatch(lists_[static_cast<size_t>(HookPoint::kWritePre)],
                  [&](HookSubscriber& s) { return s.OnWritePre(event); });
}

Verdict HookRegistry::WritePost(const WriteEvent& event) const {
  const auto& list = lists_[static_cast<size_t>(HookPoint::kWritePost)];
  return Dispatch(Reversed<decltype(list)>{list},
                  [&](HookSubscriber& s) { return s.OnWritePost(event); });
}

Verdict HookRegistry::IndexPre(const IndexEvent& event) const {
  return Dispatch(lists_[static_cast<size_t>(HookPoint::kIndexPre)],
                  [&](HookSubscriber& s) { return s.OnIndexPre(event); });
}

Verdict HookRegistry::IndexPost(const IndexEvent& event) const {
  const auto& list = lists_[static_cast<size_t>(HookPoint::kIndexPost)];
  return Dispatch(Reversed<decltype(list)>{list},
                  [&](HookSubscriber& s) { return s.OnIndexPost(event); });
}

Verdict HookRegistry::Txn(HookPoint point, const TxnEvent& event) const {
  DYN_CHECK(point == HookPoint::kTxnValidatePre || point == HookPoint::kTxnValidatePost ||
            point == HookPoint::kTxnCommitPre || point == HookPoint::kTxnCommitPost);
  const auto& list = lists_[static_cast<size_t>(point)];
  auto call = [&](HookSubscriber& s) { return s.OnTxn(point, event); };
  if (IsPostPoint(point)) return Dispatch(Reversed<decltype(list)>{list}, call);
  return Dispatch(list, call);
}

}  // namespace dynemu
