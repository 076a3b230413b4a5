#pragma once

// The C++ side of the hook points. A HookSubscriber is told about events at the
// points it subscribed to; the plugin host (host/) wraps each loaded C plugin in
// one. Only the code in this file loops over subscribers, and a point without
// subscribers costs one branch (HookRegistry::Has).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "value/attribute_value.h"

namespace dynemu {

enum class HookPoint : uint8_t {
  kRequestPre = 0,
  kResponsePost,
  kWritePre,
  kWritePost,
  kIndexPre,
  kIndexPost,
  kTxnValidatePre,
  kTxnValidatePost,
  kTxnCommitPre,
  kTxnCommitPost,
  kCount,
};

// "request.pre", "response.post", ...
std::string_view HookPointName(HookPoint point);

// True for the points that run in reverse load order (response.post, *.post).
bool IsPostPoint(HookPoint point);

// The bit of `point` in a subscription mask (HookRegistry::Add). The same bits
// as DYNEMU_HOOK_BIT in dynemu/hooks.h.
constexpr uint32_t HookBit(HookPoint point) { return 1u << static_cast<uint32_t>(point); }

// A subscriber's answer to one event.
struct Verdict {
  enum class Kind : uint8_t {
    kContinue,  // go on: next subscriber, then the operation
    kFail,      // stop the operation and answer `error` (a DynamoDB error)
    kDelay,     // go on, but hold the response back `delay_ms` more milliseconds
    kDefer,     // index.pre only: apply the index change `defer_ms` later (and
                // hold the response back `delay_ms`, when positive)
  };
  Kind kind = Kind::kContinue;
  Status error;          // kFail only
  int64_t delay_ms = 0;  // kDelay (and kDefer)
  int64_t defer_ms = 0;  // kDefer only

  static Verdict Continue() { return {}; }
  static Verdict Fail(Status s) { return {Kind::kFail, std::move(s), 0, 0}; }
  static Verdict Delay(int64_t ms) { return {Kind::kDelay, Status(), ms, 0}; }
  static Verdict Defer(int64_t ms) { return {Kind::kDefer, Status(), 0, ms}; }
};

// request.pre: the request before it is decoded. A subscriber may replace the body.
struct RequestEvent {
  std::string_view operation;  // "PutItem" (empty when the target is unknown)
  std::string* body;           // mutable: replacing it replaces the request
  std::string_view request_id;
};

// response.post: the response before it is sent. A subscriber may replace it.
struct ResponseEvent {
  std::string_view operation;
  std::string_view request;  // the request body as executed
  uint16_t* http_status;     // mutable
  std::string* body;         // mutable
  std::string_view request_id;
  bool is_error;
};

// write.pre / write.post: one item written (put, update or delete).
struct WriteEvent {
  std::string_view operation;
  std::string_view table;
  const Item* key;                 // the item's primary key
  const std::optional<Item>* old_image;  // nullopt: the item did not exist
  std::optional<Item>* new_image;  // nullopt: a delete. Mutable at write.pre only.
  std::string_view request_id;
};

// index.pre / index.post: one secondary-index entry changing because of a write
// to its base table. Fired by the index code once indexes exist; index.pre may
// answer kDefer (the entry is applied later, by a queue the host owns).
struct IndexEvent {
  std::string_view operation;
  std::string_view table;                 // the base table
  std::string_view index_name;
  const Item* key;                        // the base item's primary key
  const std::optional<Item>* old_entry;   // the index entry before (nullopt: none)
  const std::optional<Item>* new_entry;   // after (nullopt: the entry is removed)
  std::string_view request_id;
};

// txn.validate.pre/.post, txn.commit.pre/.post: one transaction as a whole.
// Fired by the transaction code once transactions exist. A kFail cancels the
// transaction with that error (at the .post of commit it only changes the answer).
struct TxnEvent {
  std::string_view operation;   // "TransactWriteItems", "TransactGetItems"
  std::string_view request;     // the request body; its TransactItems are the actions
  const Status* outcome;        // txn.validate.post: the result of the condition
                                // checks (OK, or TransactionCanceledException with
                                // its reasons); nullptr at the other points
  std::string_view request_id;
};

// The engine's queue of deferred index changes, as plugins may drive it
// (apply_deferred_index_changes, ABI 1.1). Thread-safe.
class DeferredIndexControl {
 public:
  virtual ~DeferredIndexControl() = default;
  // Applies every deferred change now, in order; returns how many.
  virtual size_t ApplyAllDeferred() = 0;
  virtual size_t PendingDeferred() const = 0;
};

// Receives the events of the points it was added for (HookRegistry::Add). Called
// concurrently from many threads; one event is never shared between threads.
// Each method returns its verdict; the defaults continue.
class HookSubscriber {
 public:
  virtual ~HookSubscriber() = default;
  virtual Verdict OnRequestPre(RequestEvent& event) { return Verdict::Continue(); }
  virtual Verdict OnResponsePost(ResponseEvent& event) { return Verdict::Continue(); }
  virtual Verdict OnWritePre(WriteEvent& event) { return Verdict::Continue(); }
  virtual Verdict OnWritePost(const WriteEvent& event) { return Verdict::Continue(); }
  virtual Verdict OnIndexPre(const IndexEvent& event) { return Verdict::Continue(); }
  virtual Verdict OnIndexPost(const IndexEvent& event) { return Verdict::Continue(); }
  // `point` is one of the four txn.* points.
  virtual Verdict OnTxn(HookPoint point, const TxnEvent& event) { return Verdict::Continue(); }
};

// The subscribers of each point, in call order. Filled at start-up, before the
// first request, and read-only afterwards (so no locking). Subscribers are not owned.
class HookRegistry {
 public:
  // Adds `subscriber` at the end of the lists of `points` (a bit per HookPoint).
  void Add(HookSubscriber* subscriber, uint32_t points);
  bool Has(HookPoint point) const { return !lists_[static_cast<size_t>(point)].empty(); }

  // Pre hooks run in load order, post hooks in reverse (an onion). Each stops at
  // the first kFail and returns it; delays add up into the returned kDelay.
  Verdict RequestPre(RequestEvent& event) const;
  Verdict ResponsePost(ResponseEvent& event) const;
  Verdict WritePre(WriteEvent& event) const;
  Verdict WritePost(const WriteEvent& event) const;
  // As above; when any subscriber defers, the result is kDefer with the longest
  // defer_ms and the summed delay_ms (unless one fails).
  Verdict IndexPre(const IndexEvent& event) const;
  Verdict IndexPost(const IndexEvent& event) const;
  // REQUIRES: `point` is one of the four txn.* points.
  Verdict Txn(HookPoint point, const TxnEvent& event) const;

 private:
  std::array<std::vector<HookSubscriber*>, static_cast<size_t>(HookPoint::kCount)> lists_;
};

}  // namespace dynemu
