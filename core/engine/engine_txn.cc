// The Engine's transactions: TransactWriteItems and TransactGetItems on the
// engine's items, the claims that make concurrent transactions cancel each other
// instead of waiting, and the ClientRequestToken idempotency window.
//
// Isolation. A write transaction claims all its items in one step under
// claims_mu: all of them, or none when one is already claimed (the transaction
// is then cancelled with reason TransactionConflict, as DynamoDB cancels a
// transaction that meets another in flight). Claims never wait, so they cannot
// deadlock; the per-item locks taken after them (LockItems, ascending stripe
// order) only ever wait for single-item writes, which hold one stripe and never
// wait for a claim. Reads of the current images, the conditions and the commit
// (one LevelDB batch) all happen under those locks, so a transaction sees and
// replaces a state no other write changes meanwhile: transactions are
// serializable with each other and with WriteItem, which fails with
// TransactionConflictException on a claimed item (engine_write.cc).

#include <algorithm>
#include <cstdio>

#include "engine/engine.h"
#include "engine/engine_rep.h"
#include "host/hook_dispatch.h"
#include "json/json.h"
#include "storage/item_codec.h"
#include "storage/store.h"

namespace dynemu {
namespace {

constexpr std::string_view kConflictMessage = "Transaction is ongoing for the item";
constexpr std::string_view kCanceledPrefix =
    "Transaction cancelled, please refer cancellation reasons for specific reasons [";

// The CancellationReason code DynamoDB gives an action that failed with `code`.
std::string_view ReasonCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "None";
    case ErrorCode::kConditionalCheckFailed:
      return "ConditionalCheckFailed";
    case ErrorCode::kTransactionConflict:
      return "TransactionConflict";
    case ErrorCode::kItemCollectionSizeLimitExceeded:
      return "ItemCollectionSizeLimitExceeded";
    case ErrorCode::kProvisionedThroughputExceeded:
      return "ProvisionedThroughputExceeded";
    case ErrorCode::kThrottling:
    case ErrorCode::kRequestLimitExceeded:
      return "ThrottlingError";
    default:
      return "ValidationError";
  }
}

std::string JsonString(std::string_view s) {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  json::WriteString(w, s);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A plugin may cancel with TransactionCanceledException and its own reasons but
// no message: it gets the message DynamoDB would give those reasons.
Status NormalizeCancellation(Status status) {
  if (status.code() != ErrorCode::kTransactionCanceled || !status.message().empty()) {
    return status;
  }
  std::string message(kCanceledPrefix);
  json::Document doc;
  if (!status.extra_members().empty() &&
      json::Parse("{" + status.extra_members() + "}", &doc).ok() && doc.IsObject()) {
    const json::Value* reasons = json::FindMember(doc, "CancellationReasons");
    if (reasons != nullptr && reasons->IsArray()) {
      bool first = true;
      for (const auto& r : reasons->GetArray()) {
        const json::Value* code = r.IsObject() ? json::FindMember(r, "Code") : nullptr;
        if (!first) message += ", ";
        first = false;
        message += code && code->IsString() ? json::AsStringView(*code) : "None";
      }
    }
  }
  message += "]";
  return Status(ErrorCode::kTransactionCanceled, std::move(message), status.extra_members());
}

// Fires one txn.* point. Returns the error of a kFail verdict (normalized), else
// OK; delays add to *delay_ms.
Status FireTxn(const HookRegistry& hooks, HookPoint point, const Engine::TxnInfo& info,
               const Status* outcome, int64_t* delay_ms) {
  if (!hooks.Has(point)) return Status::OK();
  TxnEvent event{info.operation, info.request, outcome, info.request_id};
  Verdict verdict = hooks.Txn(point, event);
  if (verdict.kind == Verdict::Kind::kFail) return NormalizeCancellation(std::move(verdict.error));
  if (verdict.kind == Verdict::Kind::kDelay) *delay_ms += verdict.delay_ms;
  return Status::OK();
}

// The claims of one transaction (on the Engine's claim table: its mutex, set
// and count), released when destroyed.
class Claims {
 public:
  Claims(std::mutex& mu, std::unordered_set<std::string>& claimed, std::atomic<size_t>& count)
      : mu_(mu), claimed_(claimed), count_(count) {}
  Claims(const Claims&) = delete;
  Claims& operator=(const Claims&) = delete;
  ~Claims() { Release(); }

  // Claims every key of `row_keys`, or none: returns the indexes of those
  // already claimed by another transaction (empty on success). `row_keys` must
  // outlive the claims.
  std::vector<size_t> ClaimAll(const std::vector<std::string>& row_keys) {
    std::vector<size_t> taken;
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < row_keys.size(); i++) {
      if (claimed_.count(row_keys[i]) > 0) taken.push_back(i);
    }
    if (!taken.empty()) return taken;
    for (const std::string& key : row_keys) claimed_.insert(key);
    count_.store(claimed_.size(), std::memory_order_release);
    held_ = &row_keys;
    return taken;
  }

  void Release() {
    if (held_ == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& key : *held_) claimed_.erase(key);
    count_.store(claimed_.size(), std::memory_order_release);
    held_ = nullptr;
  }

 private:
  std::mutex& mu_;
  std::unordered_set<std::string>& claimed_;
  std::atomic<size_t>& count_;
  const std::vector<std::string>* held_ = nullptr;
};

Status Conflict() { return Status(ErrorCode::kTransactionConflict, std::string(kConflictMessage)); }

}  // namespace

Status Engine::TransactionCanceled(const std::vector<Status>& reasons) {
  std::string message(kCanceledPrefix);
  std::string array = "[";
  for (size_t i = 0; i < reasons.size(); i++) {
    const Status& r = reasons[i];
    std::string_view code = ReasonCode(r.code());
    if (i > 0) {
      message += ", ";
      array += ',';
    }
    message += code;
    array += "{\"Code\":";
    array += JsonString(code);
    if (!r.ok()) {
      array += ",\"Message\":";
      array += JsonString(r.message());
      if (!r.extra_members().empty()) {
        array += ',';
        array += r.extra_members();
      }
    }
    array += '}';
  }
  message += "]";
  array += "]";
  return Status(ErrorCode::kTransactionCanceled, std::move(message),
                "\"CancellationReasons\":" + array);
}

bool Engine::HasTxnHooks() const {
  return hooks_.Has(HookPoint::kTxnValidatePre) || hooks_.Has(HookPoint::kTxnValidatePost) ||
         hooks_.Has(HookPoint::kTxnCommitPre) || hooks_.Has(HookPoint::kTxnCommitPost);
}

Result<Engine::TxnWriteResult> Engine::TransactWrite(const std::vector<TxnAction>& actions,
                                                     const TxnInfo& info) {
  TxnWriteResult result;
  DYN_RETURN_IF_ERROR(
      FireTxn(hooks_, HookPoint::kTxnValidatePre, info, nullptr, &result.delay_ms));

  const size_t n = actions.size();
  std::vector<std::string> row_keys;
  std::vector<std::pair<const TableDescription*, const Item*>> items;
  row_keys.reserve(n);
  items.reserve(n);
  for (const TxnAction& action : actions) {
    row_keys.push_back(BaseRowKey(*action.table, action.key));
    items.emplace_back(action.table, &action.key);
  }

  Claims claims(rep_->claims_mu, rep_->claimed, rep_->claim_count);
  std::vector<size_t> taken = claims.ClaimAll(row_keys);
  if (!taken.empty()) {
    // Cancelled before anything was read: the other actions were not evaluated.
    std::vector<Status> reasons(n);
    for (size_t i : taken) reasons[i] = Conflict();
    Status outcome = TransactionCanceled(reasons);
    DYN_RETURN_IF_ERROR(
        FireTxn(hooks_, HookPoint::kTxnValidatePost, info, &outcome, &result.delay_ms));
    return outcome;
  }

  {
    ItemLocks locks = LockItems(items);
    result.changes.resize(n);
    std::vector<Status> reasons(n);
    bool failed = false;
    for (size_t i = 0; i < n; i++) {
      ItemChange& change = result.changes[i];
      change.table = actions[i].table;
      change.key = actions[i].key;
      DYN_ASSIGN_OR_RETURN(auto bytes, store_.Get(row_keys[i]));
      if (bytes) {
        DYN_ASSIGN_OR_RETURN(Item current, item_codec::Decode(*bytes));
        change.old_image = std::move(current);
      }
      // Every action is evaluated, so that each one's reason is reported, as
      // DynamoDB reports them.
      Result<std::optional<Item>> decided = actions[i].decide(change.old_image);
      if (!decided.ok()) {
        reasons[i] = decided.status();
        failed = true;
        continue;
      }
      change.new_image = actions[i].writes ? std::move(decided).value() : change.old_image;
    }
    Status outcome = failed ? TransactionCanceled(reasons) : Status::OK();
    DYN_RETURN_IF_ERROR(
        FireTxn(hooks_, HookPoint::kTxnValidatePost, info, &outcome, &result.delay_ms));
    DYN_RETURN_IF_ERROR(outcome);
    DYN_RETURN_IF_ERROR(
        FireTxn(hooks_, HookPoint::kTxnCommitPre, info, nullptr, &result.delay_ms));

    // Only the writes are committed; ConditionChecks leave their item alone.
    std::vector<ItemChange> writes;
    std::vector<size_t> where;
    for (size_t i = 0; i < n; i++) {
      if (!actions[i].writes) continue;
      writes.push_back(std::move(result.changes[i]));
      where.push_back(i);
    }
    Result<int64_t> committed = CommitItems(writes, info.operation, info.request_id);
    for (size_t k = 0; k < where.size(); k++) result.changes[where[k]] = std::move(writes[k]);
    if (!committed.ok()) return std::move(committed).take_status();
    result.delay_ms += *committed;
  }
  claims.Release();

  // Committed: a failure here only changes the answer.
  DYN_RETURN_IF_ERROR(
      FireTxn(hooks_, HookPoint::kTxnCommitPost, info, nullptr, &result.delay_ms));
  return result;
}

Result<Engine::TxnGetResult> Engine::TransactGet(
    const std::vector<std::pair<const TableDescription*, const Item*>>& items,
    const TxnInfo& info) {
  TxnGetResult result;
  DYN_RETURN_IF_ERROR(
      FireTxn(hooks_, HookPoint::kTxnValidatePre, info, nullptr, &result.delay_ms));

  // A read that meets an item a write transaction has claimed is cancelled,
  // as DynamoDB cancels a TransactGetItems conflicting with an ongoing write
  // transaction. Without claims it reads one snapshot, in which a committed
  // transaction is whole and an uncommitted one absent.
  Status outcome;
  if (rep_->claim_count.load(std::memory_order_acquire) > 0) {
    std::vector<Status> reasons(items.size());
    bool conflict = false;
    {
      std::lock_guard<std::mutex> lock(rep_->claims_mu);
      for (size_t i = 0; i < items.size(); i++) {
        if (rep_->claimed.count(BaseRowKey(*items[i].first, *items[i].second)) > 0) {
          reasons[i] = Conflict();
          conflict = true;
        }
      }
    }
    if (conflict) outcome = TransactionCanceled(reasons);
  }
  DYN_RETURN_IF_ERROR(
      FireTxn(hooks_, HookPoint::kTxnValidatePost, info, &outcome, &result.delay_ms));
  DYN_RETURN_IF_ERROR(outcome);
  DYN_RETURN_IF_ERROR(FireTxn(hooks_, HookPoint::kTxnCommitPre, info, nullptr, &result.delay_ms));
  DYN_ASSIGN_OR_RETURN(result.items, GetItemsBytes(items));
  DYN_RETURN_IF_ERROR(
      FireTxn(hooks_, HookPoint::kTxnCommitPost, info, nullptr, &result.delay_ms));
  return result;
}

// ---- Idempotency

Result<std::optional<std::string>> Engine::BeginIdempotent(std::string_view token,
                                                           std::string_view fingerprint) {
  const int64_t now = env_.clock().NowMicros();
  std::lock_guard<std::mutex> lock(rep_->tokens_mu);
  auto& tokens = rep_->tokens;
  auto& finished = rep_->finished;
  // Expired entries leave from the front (finish order is expiry order, give or
  // take a clock set back), and the oldest go when there are too many.
  while (!finished.empty()) {
    auto it = tokens.find(finished.front().first);
    bool stale = it == tokens.end() || it->second.generation != finished.front().second ||
                 it->second.in_flight;
    if (stale) {
      finished.pop_front();
      continue;
    }
    if (it->second.expires_micros > now && tokens.size() < kMaxIdempotencyTokens) break;
    tokens.erase(it);
    finished.pop_front();
  }

  std::string key(token);
  auto it = tokens.find(key);
  if (it != tokens.end() && !it->second.in_flight && it->second.expires_micros <= now) {
    tokens.erase(it);
    it = tokens.end();
  }
  if (it != tokens.end()) {
    const Rep::IdempotencyEntry& entry = it->second;
    if (entry.fingerprint != fingerprint) {
      return Status(ErrorCode::kIdempotentParameterMismatch,
                    "Request parameters do not match those of the request first made with this "
                    "ClientRequestToken");
    }
    if (entry.in_flight) {
      return Status(ErrorCode::kTransactionInProgress,
                    "Transaction from previous request is still in progress");
    }
    return std::optional<std::string>(entry.outcome);
  }
  Rep::IdempotencyEntry entry;
  entry.fingerprint = std::string(fingerprint);
  entry.generation = rep_->next_generation++;
  tokens.emplace(std::move(key), std::move(entry));
  return std::optional<std::string>();
}

void Engine::EndIdempotent(std::string_view token, bool success, std::string outcome) {
  std::lock_guard<std::mutex> lock(rep_->tokens_mu);
  auto it = rep_->tokens.find(std::string(token));
  if (it == rep_->tokens.end()) return;
  if (!success) {
    rep_->tokens.erase(it);
    return;
  }
  // The window runs from the end of the first request, as DynamoDB's does.
  it->second.in_flight = false;
  it->second.outcome = std::move(outcome);
  it->second.expires_micros = env_.clock().NowMicros() + kIdempotencyWindowMicros;
  rep_->finished.emplace_back(it->first, it->second.generation);
}

}  // namespace dynemu
