#include "ops/batch_ops.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "expr/projection.h"
#include "expr/request_expressions.h"
#include "ops/capacity.h"
#include "ops/item_collection_metrics.h"
#include "ops/shape_check.h"
#include "storage/item_codec.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchWrites = 25;
// What one BatchGetItem answers at most.
constexpr size_t kMaxBatchGetBytes = 16 << 20;

Status TableNotFound() {
  return Status(ErrorCode::kResourceNotFound, "Requested resource not found");
}

// True when `key` equals one of `seen` (numbers compare numerically, so {"N":"1"}
// and {"N":"1.0"} are one key). Batches are small: a linear search is enough.
bool SeenBefore(const std::vector<Item>& seen, const Item& key) {
  for (const Item& k : seen) {
    if (k == key) return true;
  }
  return false;
}

// Writes "ConsumedCapacity":[{...}, ...], one entry per table, in request order.
void WriteCapacityList(ReturnConsumedCapacity mode, const std::vector<CapacityBreakdown>& units,
                       json::Writer& out) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  json::WriteKey(out, "ConsumedCapacity");
  out.StartArray();
  for (const CapacityBreakdown& capacity : units) {
    out.StartObject();
    WriteCapacityMembers(mode, capacity, out);
    out.EndObject();
  }
  out.EndArray();
}

// ---- BatchGetItem

struct TableGets {
  std::string table_name;
  const json::Value* spec = nullptr;  // the KeysAndAttributes, echoed in UnprocessedKeys
  std::vector<Item> keys;
  bool consistent_read = false;
  std::optional<std::vector<expr::DocumentPath>> projection;
};

Result<std::vector<TableGets>> DecodeBatchGet(const json::Value& request) {
  std::vector<TableGets> tables;
  const json::Value* items = json::FindMember(request, "RequestItems");
  if (items == nullptr || !items->IsObject()) return tables;
  size_t total = 0;
  for (const auto& member : items->GetObject()) {
    const json::Value& spec = member.value;
    if (!spec.IsObject()) continue;
    TableGets gets;
    gets.table_name = std::string(json::AsStringView(member.name));
    gets.spec = &spec;
    DYN_RETURN_IF_ERROR(
        expr::CheckExpressionParams(spec, {{"ProjectionExpression"}, {"AttributesToGet"}}));
    // KeysAndAttributes has no ExpressionAttributeValues.
    DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                         expr::CompileExpressions(spec, /*takes_values=*/false));
    DYN_ASSIGN_OR_RETURN(gets.projection, expr::ProjectionPaths(spec, compiled));
    if (const json::Value* keys = json::FindMember(spec, "Keys"); keys && keys->IsArray()) {
      for (const auto& k : keys->GetArray()) {
        DYN_ASSIGN_OR_RETURN(Item key, DecodeItem(k));
        if (SeenBefore(gets.keys, key)) {
          return ValidationError("Provided list of item keys contains duplicates");
        }
        gets.keys.push_back(std::move(key));
        if (++total > kMaxBatchGetKeys) {
          return ValidationError("Too many items requested for the BatchGetItem call");
        }
      }
    }
    if (const json::Value* c = json::FindMember(spec, "ConsistentRead")) {
      gets.consistent_read = ShapeBoolean(*c).value_or(false);
    }
    tables.push_back(std::move(gets));
  }
  return tables;
}

// ---- BatchWriteItem

struct WriteRequest {
  const json::Value* source = nullptr;  // the WriteRequest, echoed in UnprocessedItems
  bool is_put = false;
  Item item;  // the item of a put, the key of a delete
};

struct TableWrites {
  std::string table_name;
  std::vector<WriteRequest> requests;
};

Result<std::vector<TableWrites>> DecodeBatchWrite(const json::Value& request) {
  std::vector<TableWrites> tables;
  const json::Value* items = json::FindMember(request, "RequestItems");
  if (items == nullptr || !items->IsObject()) return tables;
  size_t total = 0;
  for (const auto& member : items->GetObject()) {
    if (!member.value.IsArray()) continue;
    TableWrites writes;
    writes.table_name = std::string(json::AsStringView(member.name));
    for (const auto& r : member.value.GetArray()) {
      const json::Value* put = r.IsObject() ? json::FindMember(r, "PutRequest") : nullptr;
      const json::Value* del = r.IsObject() ? json::FindMember(r, "DeleteRequest") : nullptr;
      if (put == nullptr && del == nullptr) {
        // DynamoDB words an empty WriteRequest as an empty AttributeValue; one with
        // both members is taken as its PutRequest.
        return ValidationError(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      WriteRequest w;
      w.source = &r;
      w.is_put = put != nullptr;
      const json::Value* map = put ? json::FindMember(*put, "Item") : json::FindMember(*del, "Key");
      if (map != nullptr) {
        DYN_ASSIGN_OR_RETURN(w.item, DecodeItem(*map));
      }
      if (w.is_put && ItemSize(w.item) > kMaxItemBytes) {
        return ValidationError("Item size has exceeded the maximum allowed size");
      }
      writes.requests.push_back(std::move(w));
      if (++total > kMaxBatchWrites) {
        return ValidationError("Too many items requested for the BatchWriteItem call");
      }
    }
    tables.push_back(std::move(writes));
  }
  return tables;
}

}  // namespace

Status HandleBatchGetItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(std::vector<TableGets> tables, DecodeBatchGet(request));
  ReturnConsumedCapacity mode = ParseReturnConsumedCapacity(request);

  // Every table and key is checked before the first read.
  std::vector<std::shared_ptr<const TableDescription>> descs;
  for (const TableGets& gets : tables) {
    auto table = ctx.engine.FindTable(gets.table_name);
    if (!table) return TableNotFound();
    for (const Item& key : gets.keys) DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, key));
    descs.push_back(std::move(table));
  }

  size_t response_bytes = 0;
  std::vector<CapacityBreakdown> units;
  // An item answered: projected, or (without a projection) as stored, to be
  // written from its bytes (item_codec::WriteJson) without being decoded.
  struct Found {
    Item item;
    std::string stored;
  };
  // Per table: the items answered, and the indexes of the keys left unprocessed.
  std::vector<std::vector<Found>> found(tables.size());
  std::vector<std::vector<size_t>> unprocessed(tables.size());
  for (size_t t = 0; t < tables.size(); t++) {
    const TableGets& gets = tables[t];
    std::vector<const expr::DocumentPath*> paths;
    if (gets.projection) {
      for (const expr::DocumentPath& p : *gets.projection) paths.push_back(&p);
    }
    double capacity = 0;
    for (size_t k = 0; k < gets.keys.size(); k++) {
      if (response_bytes >= kMaxBatchGetBytes) {
        unprocessed[t].push_back(k);
        continue;
      }
      Found answer;
      size_t size = 0;
      if (gets.projection) {
        DYN_ASSIGN_OR_RETURN(std::optional<Item> item,
                             ctx.engine.GetItem(*descs[t], gets.keys[k]));
        // Each read is charged as a GetItem: on the whole item, rounded per item.
        capacity += ReadUnits(item ? ItemSize(*item) : 0, gets.consistent_read);
        if (!item) continue;
        answer.item = expr::ProjectItem(*item, paths);
        size = ItemSize(answer.item);
      } else {
        DYN_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                             ctx.engine.GetItemBytes(*descs[t], gets.keys[k]));
        if (stored) {
          DYN_ASSIGN_OR_RETURN(size, item_codec::ItemSizeOf(*stored));
        }
        capacity += ReadUnits(size, gets.consistent_read);
        if (!stored) continue;
        answer.stored = std::move(*stored);
      }
      if (response_bytes + size > kMaxBatchGetBytes) {
        // Does not fit: the key goes back, and so does every later one.
        response_bytes = kMaxBatchGetBytes;
        unprocessed[t].push_back(k);
        continue;
      }
      response_bytes += size;
      found[t].push_back(std::move(answer));
    }
    CapacityBreakdown table_capacity;
    table_capacity.table_name = gets.table_name;
    table_capacity.table_units = capacity;
    units.push_back(std::move(table_capacity));
  }

  out.StartObject();
  json::WriteKey(out, "Responses");
  out.StartObject();
  for (size_t t = 0; t < tables.size(); t++) {
    json::WriteKey(out, tables[t].table_name);
    out.StartArray();
    for (const Found& f : found[t]) {
      if (f.stored.empty()) {
        EncodeItem(f.item, out);
      } else {
        DYN_RETURN_IF_ERROR(item_codec::WriteJson(f.stored, out).status());
      }
    }
    out.EndArray();
  }
  out.EndObject();
  json::WriteKey(out, "UnprocessedKeys");
  out.StartObject();
  for (size_t t = 0; t < tables.size(); t++) {
    if (unprocessed[t].empty()) continue;
    json::WriteKey(out, tables[t].table_name);
    out.StartObject();
    json::WriteKey(out, "Keys");
    out.StartArray();
    for (size_t k : unprocessed[t]) EncodeItem(tables[t].keys[k], out);
    out.EndArray();
    // The rest of the table's KeysAndAttributes, as sent.
    for (const auto& member : tables[t].spec->GetObject()) {
      std::string_view name = json::AsStringView(member.name);
      if (name == "Keys" || member.value.IsNull()) continue;
      json::WriteKey(out, name);
      member.value.Accept(out);
    }
    out.EndObject();
  }
  out.EndObject();
  WriteCapacityList(mode, units, out);
  out.EndObject();
  return Status::OK();
}

Status HandleBatchWriteItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(std::vector<TableWrites> tables, DecodeBatchWrite(request));
  ReturnConsumedCapacity mode = ParseReturnConsumedCapacity(request);

  // The whole batch is checked before the first write.
  std::vector<std::shared_ptr<const TableDescription>> descs;
  std::vector<std::vector<Item>> keys(tables.size());
  for (size_t t = 0; t < tables.size(); t++) {
    auto table = ctx.engine.FindTable(tables[t].table_name);
    if (!table) return TableNotFound();
    for (const WriteRequest& w : tables[t].requests) {
      if (w.is_put) {
        Status valid = ctx.engine.ValidateItem(*table, w.item);
        if (!valid.ok()) {
          // BatchWriteItem words a missing or mistyped key as a key mismatch.
          const std::string& m = valid.message();
          if (m.find("Missing the key") != std::string::npos ||
              m.find("Type mismatch for key") != std::string::npos) {
            return ValidationError("The provided key element does not match the schema");
          }
          return valid;
        }
      } else {
        DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, w.item));
      }
      Item key = w.is_put ? ctx.engine.ExtractKey(*table, w.item) : w.item;
      if (SeenBefore(keys[t], key)) {
        return ValidationError("Provided list of item keys contains duplicates");
      }
      keys[t].push_back(std::move(key));
    }
    descs.push_back(std::move(table));
  }

  const bool collection_metrics = ParseReturnItemCollectionMetrics(request);
  std::vector<CapacityBreakdown> units;
  std::vector<std::vector<const json::Value*>> unprocessed(tables.size());
  // Per table: the keys of the items written, one per item collection.
  std::vector<std::vector<Item>> collections(tables.size());
  for (size_t t = 0; t < tables.size(); t++) {
    CapacityBreakdown capacity;
    capacity.table_name = tables[t].table_name;
    for (size_t i = 0; i < tables[t].requests.size(); i++) {
      const WriteRequest& w = tables[t].requests[i];
      Result<Engine::WriteResult> result = ctx.engine.WriteItem(
          *descs[t], keys[t][i], ctx.operation, ctx.request_id,
          [&](const std::optional<Item>&) -> Result<std::optional<Item>> {
            return w.is_put ? std::optional<Item>(w.item) : std::optional<Item>();
          });
      if (!result.ok()) {
        // A request that could not be done now (throttled by a plugin, or its
        // item held by a transaction in flight) is handed back for a retry, as
        // BatchWriteItem hands back whatever it did not process; the batch as a
        // whole was never atomic.
        ErrorCode code = result.status().code();
        if (code == ErrorCode::kProvisionedThroughputExceeded ||
            code == ErrorCode::kThrottling || code == ErrorCode::kRequestLimitExceeded ||
            code == ErrorCode::kTransactionConflict) {
          unprocessed[t].push_back(w.source);
          continue;
        }
        return result.status();
      }
      ctx.delay_ms += result->delay_ms;
      // Each request costs what the PutItem or DeleteItem would.
      AddCapacity(ItemWriteCapacity(tables[t].table_name, *result), &capacity);
      if (collection_metrics && !descs[t]->local_secondary_indexes.empty()) {
        const std::string& hash = descs[t]->key_schema[0].attribute_name;
        Item collection{{hash, keys[t][i].at(hash)}};
        if (!SeenBefore(collections[t], collection)) collections[t].push_back(std::move(collection));
      }
    }
    units.push_back(std::move(capacity));
  }

  // ItemCollectionMetrics lists, per table with local secondary indexes, each
  // item collection the batch wrote to, measured once all writes are done.
  std::vector<std::vector<ItemCollectionMetrics>> metrics(tables.size());
  for (size_t t = 0; t < tables.size(); t++) {
    for (const Item& collection : collections[t]) {
      DYN_ASSIGN_OR_RETURN(std::optional<ItemCollectionMetrics> m,
                           MeasureItemCollection(ctx.engine, *descs[t], collection));
      if (m) metrics[t].push_back(std::move(*m));
    }
  }

  out.StartObject();
  json::WriteKey(out, "UnprocessedItems");
  out.StartObject();
  for (size_t t = 0; t < tables.size(); t++) {
    if (unprocessed[t].empty()) continue;
    json::WriteKey(out, tables[t].table_name);
    out.StartArray();
    for (const json::Value* source : unprocessed[t]) source->Accept(out);
    out.EndArray();
  }
  out.EndObject();
  WriteCapacityList(mode, units, out);
  if (collection_metrics) {
    json::WriteKey(out, "ItemCollectionMetrics");
    out.StartObject();
    for (size_t t = 0; t < tables.size(); t++) {
      if (metrics[t].empty()) continue;
      json::WriteKey(out, tables[t].table_name);
      out.StartArray();
      for (const ItemCollectionMetrics& m : metrics[t]) WriteItemCollectionMetricsObject(m, out);
      out.EndArray();
    }
    out.EndObject();
  }
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
