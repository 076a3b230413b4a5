#include "ops/transact_ops.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/index_rows.h"
#include "expr/evaluator.h"
#include "expr/projection.h"
#include "expr/request_expressions.h"
#include "expr/update_applier.h"
#include "ops/capacity.h"
#include "ops/item_collection_metrics.h"
#include "ops/item_ops.h"
#include "storage/item_codec.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

// The aggregate size of a write transaction's items (DynamoDB's 4 MB).
constexpr size_t kMaxTransactionBytes = 4 << 20;

Status TableNotFound() {
  return Status(ErrorCode::kResourceNotFound, "Requested resource not found");
}

std::string_view StringMember(const json::Value& obj, std::string_view member,
                              std::string_view fallback = {}) {
  const json::Value* v = json::FindMember(obj, member);
  return v && v->IsString() ? json::AsStringView(*v) : fallback;
}

Result<Item> DecodeItemMember(const json::Value& obj, std::string_view member) {
  const json::Value* v = json::FindMember(obj, member);
  if (v == nullptr) return Item();
  return DecodeItem(*v);
}

// True when (table, key) was seen before. Transactions hold at most 100 actions:
// a linear search is enough. Items compare as DynamoDB compares keys (numbers
// numerically).
bool SeenBefore(const std::vector<std::pair<std::string, Item>>& seen, const std::string& table,
                const Item& key) {
  for (const auto& [t, k] : seen) {
    if (t == table && k == key) return true;
  }
  return false;
}

// ---- Capacity: a transaction costs twice what the same reads and writes cost
// singly (DynamoDB prepares and commits each item).

// The capacity of each table in request order, for "ConsumedCapacity":[...].
class CapacityTally {
 public:
  CapacityBreakdown& For(const std::string& table) {
    for (CapacityBreakdown& t : tables_) {
      if (t.table_name == table) return t;
    }
    tables_.emplace_back();
    tables_.back().table_name = table;
    return tables_.back();
  }

  void Write(ReturnConsumedCapacity mode, json::Writer& out) const {
    if (mode == ReturnConsumedCapacity::kNone) return;
    json::WriteKey(out, "ConsumedCapacity");
    out.StartArray();
    for (const CapacityBreakdown& t : tables_) {
      out.StartObject();
      WriteCapacityMembers(mode, t, out);
      out.EndObject();
    }
    out.EndArray();
  }

 private:
  std::vector<CapacityBreakdown> tables_;
};

// ---- Hash of the parameters a replayed request must repeat.

uint64_t Fnv1a(std::string_view data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string Fingerprint(const json::Value& request) {
  std::string canonical;
  if (const json::Value* items = json::FindMember(request, "TransactItems")) {
    canonical = json::ToString(*items);
  }
  canonical += '\x1f';
  canonical += StringMember(request, "ReturnItemCollectionMetrics", "NONE");
  char out[33];
  std::snprintf(out, sizeof(out), "%016llx%016llx",
                static_cast<unsigned long long>(Fnv1a(canonical, 0xcbf29ce484222325ULL)),
                static_cast<unsigned long long>(Fnv1a(canonical, 0x84222325cbf29ce4ULL)));
  return std::string(out, 32);
}

// ---- TransactWriteItems

enum class ActionKind { kConditionCheck, kPut, kDelete, kUpdate };

struct WriteAction {
  ActionKind kind = ActionKind::kPut;
  std::string table_name;
  Item item;  // Put
  Item key;   // every kind (a Put's is extracted once the table is known)
  std::optional<expr::ConditionExpression> condition;
  std::optional<expr::UpdateExpression> update;
  bool return_old_on_failure = false;
  std::shared_ptr<const TableDescription> table;
  // A Put whose item mistypes an index key: decided as a cancellation reason.
  Status deferred_error;

  // OK, or ConditionalCheckFailedException carrying the current item when asked.
  Status CheckCondition(const std::optional<Item>& current) const {
    if (!condition) return Status::OK();
    static const Item kEmpty;
    if (expr::EvaluateCondition(condition->root, current ? *current : kEmpty)) {
      return Status::OK();
    }
    Status failed(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
    if (return_old_on_failure && current) failed.set_extra_members("\"Item\":" + ToJson(*current));
    return failed;
  }

  // What the action stores, given the current item (under its lock).
  Result<std::optional<Item>> Decide(const std::optional<Item>& current) const {
    DYN_RETURN_IF_ERROR(CheckCondition(current));
    switch (kind) {
      case ActionKind::kConditionCheck:
        return current;
      case ActionKind::kDelete:
        return std::optional<Item>();
      case ActionKind::kPut:
        DYN_RETURN_IF_ERROR(deferred_error);
        return std::optional<Item>(item);
      case ActionKind::kUpdate: {
        // A new item starts as its key, which the update expression can read.
        const Item& base = current ? *current : key;
        Item updated = base;
        if (update) {
          DYN_ASSIGN_OR_RETURN(updated, expr::ApplyUpdate(*update, base));
        }
        if (ItemSize(updated) > kMaxItemBytes) {
          return ValidationError("Item size to update has exceeded the maximum allowed size");
        }
        DYN_RETURN_IF_ERROR(ValidateIndexKeys(*table, updated, IndexKeyOrigin::kUpdate));
        return std::optional<Item>(std::move(updated));
      }
    }
    return InternalError("unknown transaction action");
  }
};

// Decodes one action's member (`body` is the Put, Update, ... object).
Status DecodeAction(ActionKind kind, const json::Value& body, WriteAction* action) {
  action->kind = kind;
  const bool is_update = kind == ActionKind::kUpdate;
  expr::ExpressionParams params;
  params.expressions = is_update ? expr::ParamNames{"UpdateExpression", "ConditionExpression"}
                                 : expr::ParamNames{"ConditionExpression"};
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(body, params));
  action->table_name = std::string(StringMember(body, "TableName"));
  if (kind == ActionKind::kPut) {
    DYN_ASSIGN_OR_RETURN(action->item, DecodeItemMember(body, "Item"));
    if (ItemSize(action->item) > kMaxItemBytes) {
      return ValidationError("Item size has exceeded the maximum allowed size");
    }
  } else {
    DYN_ASSIGN_OR_RETURN(action->key, DecodeItemMember(body, "Key"));
  }
  DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                       expr::CompileExpressions(body, /*takes_values=*/true));
  action->condition = std::move(compiled.condition);
  action->update = std::move(compiled.update);
  action->return_old_on_failure =
      StringMember(body, "ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
  return Status::OK();
}

Result<std::vector<WriteAction>> DecodeTransactWrite(const json::Value& request) {
  std::vector<WriteAction> actions;
  const json::Value* items = json::FindMember(request, "TransactItems");
  if (items == nullptr || !items->IsArray()) return actions;
  static constexpr std::pair<std::string_view, ActionKind> kKinds[] = {
      {"ConditionCheck", ActionKind::kConditionCheck},
      {"Put", ActionKind::kPut},
      {"Delete", ActionKind::kDelete},
      {"Update", ActionKind::kUpdate}};
  for (const auto& entry : items->GetArray()) {
    const json::Value* body = nullptr;
    ActionKind kind = ActionKind::kPut;
    int count = 0;
    for (const auto& [name, k] : kKinds) {
      const json::Value* v = entry.IsObject() ? json::FindMember(entry, name) : nullptr;
      if (v == nullptr || v->IsNull()) continue;
      body = v;
      kind = k;
      count++;
    }
    if (count != 1 || !body->IsObject()) {
      return ValidationError("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    WriteAction action;
    DYN_RETURN_IF_ERROR(DecodeAction(kind, *body, &action));
    actions.push_back(std::move(action));
  }
  return actions;
}

// Tables, keys, duplicates and the total size, after every action decoded.
Status ResolveWriteActions(Engine& engine, std::vector<WriteAction>& actions) {
  std::vector<std::pair<std::string, Item>> seen;
  size_t total_bytes = 0;
  for (WriteAction& action : actions) {
    action.table = engine.FindTable(action.table_name);
    if (!action.table) return TableNotFound();
    const TableDescription& table = *action.table;
    if (action.kind == ActionKind::kPut) {
      Status valid = engine.ValidateItem(table, action.item);
      if (!valid.ok()) {
        // The table's own key is checked up front; an index key of the wrong
        // type is a cancellation reason (ValidationError), as in DynamoDB.
        Status index = ValidateIndexKeys(table, action.item, IndexKeyOrigin::kPut);
        if (index.ok() || index.message() != valid.message()) return valid;
        action.deferred_error = std::move(index);
      }
      action.key = engine.ExtractKey(table, action.item);
      total_bytes += ItemSize(action.item);
    } else {
      DYN_RETURN_IF_ERROR(engine.ValidateKey(table, action.key));
      total_bytes += ItemSize(action.key);
      if (action.kind == ActionKind::kUpdate && action.update) {
        DYN_RETURN_IF_ERROR(CheckKeyUpdates(table, &*action.update, {}));
      }
    }
    if (SeenBefore(seen, table.table_name, action.key)) {
      return ValidationError("Transaction request cannot include multiple operations on one item");
    }
    seen.emplace_back(table.table_name, action.key);
  }
  if (total_bytes > kMaxTransactionBytes) {
    return ValidationError("Transaction request size has exceeded the maximum allowed size");
  }
  return Status::OK();
}

bool HasLocalIndexes(const TableDescription& table) {
  return !table.local_secondary_indexes.empty();
}

// The value of "ItemCollectionMetrics": {table:[{ItemCollectionKey,
// SizeEstimateRangeGB}, ...]} for the items written in tables with local
// secondary indexes (the only tables with item collections), measured after the
// commit; nullopt when no action wrote such a table.
Result<std::optional<json::Document>> ItemCollectionMetricsOf(
    const Engine& engine, const std::vector<WriteAction>& actions) {
  std::vector<std::string> tables;
  for (const WriteAction& a : actions) {
    if (a.kind == ActionKind::kConditionCheck || !HasLocalIndexes(*a.table)) continue;
    if (std::find(tables.begin(), tables.end(), a.table->table_name) == tables.end()) {
      tables.push_back(a.table->table_name);
    }
  }
  if (tables.empty()) return std::optional<json::Document>();
  json::StringBuffer buffer;
  json::Writer out(buffer);
  out.StartObject();
  for (const std::string& name : tables) {
    json::WriteKey(out, name);
    out.StartArray();
    for (const WriteAction& a : actions) {
      if (a.kind == ActionKind::kConditionCheck || a.table->table_name != name) continue;
      DYN_ASSIGN_OR_RETURN(std::optional<ItemCollectionMetrics> m,
                           MeasureItemCollection(engine, *a.table, a.key));
      if (m) WriteItemCollectionMetricsObject(*m, out);
    }
    out.EndArray();
  }
  out.EndObject();
  json::Document doc;
  DYN_RETURN_IF_ERROR(json::Parse(std::string_view(buffer.GetString(), buffer.GetSize()), &doc));
  return std::optional<json::Document>(std::move(doc));
}

// Answers a replayed request from the outcome the first one stored:
// {"reads":[[table, units], ...], "metrics":{...ItemCollectionMetrics...}}.
Status WriteReplay(const std::string& outcome, ReturnConsumedCapacity mode, json::Writer& out) {
  json::Document doc;
  if (!json::Parse(outcome, &doc).ok() || !doc.IsObject()) {
    return InternalError("corrupt idempotency record");
  }
  out.StartObject();
  CapacityTally tally;
  if (const json::Value* reads = json::FindMember(doc, "reads"); reads && reads->IsArray()) {
    for (const auto& r : reads->GetArray()) {
      if (!r.IsArray() || r.Size() != 2 || !r[0].IsString() || !r[1].IsNumber()) continue;
      tally.For(std::string(json::AsStringView(r[0]))).table_units += r[1].GetDouble();
    }
  }
  tally.Write(mode, out);
  if (const json::Value* metrics = json::FindMember(doc, "metrics");
      metrics && metrics->IsObject()) {
    json::WriteKey(out, "ItemCollectionMetrics");
    metrics->Accept(out);
  }
  out.EndObject();
  return Status::OK();
}

// The outcome kept for replays of a committed transaction.
std::string ReplayOutcome(const std::vector<WriteAction>& actions,
                          const std::vector<Engine::ItemChange>& changes,
                          const std::optional<json::Document>& metrics) {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::WriteKey(w, "reads");
  w.StartArray();
  for (size_t i = 0; i < actions.size(); i++) {
    const Engine::ItemChange& c = changes[i];
    const std::optional<Item>& image = c.new_image ? c.new_image : c.old_image;
    w.StartArray();
    json::WriteString(w, actions[i].table->table_name);
    w.Double(ReadUnits(image ? ItemSize(*image) : 0, /*consistent=*/true));
    w.EndArray();
  }
  w.EndArray();
  if (metrics) {
    json::WriteKey(w, "metrics");
    metrics->Accept(w);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Ends an idempotent request on every path out of the handler.
class IdempotencyScope {
 public:
  IdempotencyScope(Engine& engine, std::string token) : engine_(engine), token_(std::move(token)) {}
  IdempotencyScope(const IdempotencyScope&) = delete;
  IdempotencyScope& operator=(const IdempotencyScope&) = delete;
  ~IdempotencyScope() {
    if (active_) engine_.EndIdempotent(token_, false, {});
  }
  void Succeed(std::string outcome) {
    engine_.EndIdempotent(token_, true, std::move(outcome));
    active_ = false;
  }

 private:
  Engine& engine_;
  std::string token_;
  bool active_ = true;
};

}  // namespace

Status HandleTransactWriteItems(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(std::vector<WriteAction> actions, DecodeTransactWrite(request));
  const ReturnConsumedCapacity mode = ParseReturnConsumedCapacity(request);
  const bool metrics = StringMember(request, "ReturnItemCollectionMetrics", "NONE") == "SIZE";
  DYN_RETURN_IF_ERROR(ResolveWriteActions(ctx.engine, actions));

  std::unique_ptr<IdempotencyScope> idempotency;
  const std::string_view token = StringMember(request, "ClientRequestToken");
  if (!token.empty()) {
    DYN_ASSIGN_OR_RETURN(std::optional<std::string> replay,
                         ctx.engine.BeginIdempotent(token, Fingerprint(request)));
    if (replay) return WriteReplay(*replay, mode, out);
    idempotency = std::make_unique<IdempotencyScope>(ctx.engine, std::string(token));
  }

  std::vector<Engine::TxnAction> txn(actions.size());
  for (size_t i = 0; i < actions.size(); i++) {
    const WriteAction& a = actions[i];
    txn[i].table = a.table.get();
    txn[i].key = a.key;
    txn[i].writes = a.kind != ActionKind::kConditionCheck;
    txn[i].decide = [&a](const std::optional<Item>& current) { return a.Decide(current); };
  }
  std::string body;
  if (ctx.engine.HasTxnHooks()) body = json::ToString(request);
  DYN_ASSIGN_OR_RETURN(
      Engine::TxnWriteResult result,
      ctx.engine.TransactWrite(txn, Engine::TxnInfo{ctx.operation, body, ctx.request_id}));
  ctx.delay_ms += result.delay_ms;

  CapacityTally tally;
  for (size_t i = 0; i < actions.size(); i++) {
    const Engine::ItemChange& c = result.changes[i];
    CapacityBreakdown& units = tally.For(actions[i].table->table_name);
    if (actions[i].kind == ActionKind::kConditionCheck) {
      units.table_units += 2 * ReadUnits(c.old_image ? ItemSize(*c.old_image) : 0, true);
      continue;
    }
    // As the single-item writes: the larger of the old and the new item.
    size_t bytes = c.new_image ? ItemSize(*c.new_image) : 0;
    if (c.old_image) bytes = std::max(bytes, ItemSize(*c.old_image));
    units.table_units += 2 * WriteUnits(bytes);
    for (const Engine::IndexWrite& w : c.index_writes) {
      units.AddIndexUnits(w.index_name, w.global, 2 * w.units);
    }
  }
  std::optional<json::Document> collections;
  if (metrics) {
    DYN_ASSIGN_OR_RETURN(collections, ItemCollectionMetricsOf(ctx.engine, actions));
  }
  if (idempotency) idempotency->Succeed(ReplayOutcome(actions, result.changes, collections));

  out.StartObject();
  tally.Write(mode, out);
  if (collections) {
    json::WriteKey(out, "ItemCollectionMetrics");
    collections->Accept(out);
  }
  out.EndObject();
  return Status::OK();
}

// ---- TransactGetItems

namespace {

struct GetAction {
  std::string table_name;
  Item key;
  std::optional<std::vector<expr::DocumentPath>> projection;
  std::shared_ptr<const TableDescription> table;
};

Result<std::vector<GetAction>> DecodeTransactGet(const json::Value& request) {
  std::vector<GetAction> gets;
  const json::Value* items = json::FindMember(request, "TransactItems");
  if (items == nullptr || !items->IsArray()) return gets;
  for (const auto& entry : items->GetArray()) {
    const json::Value* get = entry.IsObject() ? json::FindMember(entry, "Get") : nullptr;
    if (get == nullptr || !get->IsObject()) {
      return ValidationError("TransactItems can only contain Get");
    }
    DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(*get, {{"ProjectionExpression"}, {}}));
    GetAction g;
    g.table_name = std::string(StringMember(*get, "TableName"));
    DYN_ASSIGN_OR_RETURN(g.key, DecodeItemMember(*get, "Key"));
    // A Get has no ExpressionAttributeValues.
    DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                         expr::CompileExpressions(*get, /*takes_values=*/false));
    DYN_ASSIGN_OR_RETURN(g.projection, expr::ProjectionPaths(*get, compiled));
    gets.push_back(std::move(g));
  }
  return gets;
}

}  // namespace

Status HandleTransactGetItems(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(std::vector<GetAction> gets, DecodeTransactGet(request));
  const ReturnConsumedCapacity mode = ParseReturnConsumedCapacity(request);

  std::vector<std::pair<std::string, Item>> seen;
  std::vector<std::pair<const TableDescription*, const Item*>> items;
  for (GetAction& g : gets) {
    g.table = ctx.engine.FindTable(g.table_name);
    if (!g.table) return TableNotFound();
    DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*g.table, g.key));
    if (SeenBefore(seen, g.table->table_name, g.key)) {
      return ValidationError("Transaction request cannot include multiple operations on one item");
    }
    seen.emplace_back(g.table->table_name, g.key);
    items.emplace_back(g.table.get(), &g.key);
  }

  std::string body;
  if (ctx.engine.HasTxnHooks()) body = json::ToString(request);
  DYN_ASSIGN_OR_RETURN(
      Engine::TxnGetResult result,
      ctx.engine.TransactGet(items, Engine::TxnInfo{ctx.operation, body, ctx.request_id}));
  ctx.delay_ms += result.delay_ms;

  CapacityTally tally;
  out.StartObject();
  json::WriteKey(out, "Responses");
  out.StartArray();
  for (size_t i = 0; i < gets.size(); i++) {
    const std::optional<std::string>& stored = result.items[i];
    const std::optional<std::vector<std::string_view>> top_names =
        gets[i].projection ? expr::TopLevelNames(*gets[i].projection) : std::nullopt;
    // The whole item's size, which the read is charged on.
    size_t size = 0;
    out.StartObject();
    if (stored) {
      json::WriteKey(out, "Item");
      if (!gets[i].projection || top_names) {
        // Written from its stored bytes, as GetItem's.
        DYN_ASSIGN_OR_RETURN(
            size, item_codec::WriteJson(*stored, out, top_names ? &*top_names : nullptr));
      } else {
        DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*stored));
        size = ItemSize(item);
        std::vector<const expr::DocumentPath*> paths;
        for (const expr::DocumentPath& p : *gets[i].projection) paths.push_back(&p);
        EncodeItem(expr::ProjectItem(item, paths), out);
      }
    }
    out.EndObject();
    // Twice a consistent read.
    tally.For(gets[i].table->table_name).table_units += 2 * ReadUnits(size, /*consistent=*/true);
  }
  out.EndArray();
  tally.Write(mode, out);
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
