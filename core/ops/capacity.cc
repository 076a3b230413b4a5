#include "ops/capacity.h"

#include <algorithm>

#include "value/item_size.h"

namespace dynemu {

ReturnConsumedCapacity ParseReturnConsumedCapacity(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ReturnConsumedCapacity");
  if (v == nullptr || !v->IsString()) return ReturnConsumedCapacity::kNone;
  std::string_view s = json::AsStringView(*v);
  if (s == "TOTAL") return ReturnConsumedCapacity::kTotal;
  if (s == "INDEXES") return ReturnConsumedCapacity::kIndexes;
  return ReturnConsumedCapacity::kNone;
}

double ReadUnits(size_t bytes, bool consistent) {
  double units = bytes == 0 ? 1.0 : static_cast<double>((bytes + 4095) / 4096);
  return consistent ? units : units / 2;
}

double WriteUnits(size_t bytes) {
  return bytes == 0 ? 1.0 : static_cast<double>((bytes + 1023) / 1024);
}

void WriteConsumedCapacity(ReturnConsumedCapacity mode, std::string_view table, double units,
                           json::Writer& w) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  json::WriteKey(w, "ConsumedCapacity");
  w.StartObject();
  json::WriteKey(w, "TableName");
  json::WriteString(w, table);
  json::WriteKey(w, "CapacityUnits");
  w.Double(units);
  if (mode == ReturnConsumedCapacity::kIndexes) {
    json::WriteKey(w, "Table");
    w.StartObject();
    json::WriteKey(w, "CapacityUnits");
    w.Double(units);
    w.EndObject();
  }
  w.EndObject();
}

double CapacityBreakdown::Total() const {
  double total = table_units;
  for (const auto& [name, units] : global_indexes) total += units;
  for (const auto& [name, units] : local_indexes) total += units;
  return total;
}

CapacityBreakdown ItemWriteCapacity(std::string_view table_name,
                                    const Engine::WriteResult& result) {
  CapacityBreakdown capacity;
  capacity.table_name = std::string(table_name);
  // A write costs the larger of the item before and after it (a delete of an
  // absent item still costs one unit).
  size_t bytes = result.new_image ? ItemSize(*result.new_image) : 0;
  if (result.old_image) bytes = std::max(bytes, ItemSize(*result.old_image));
  capacity.table_units = WriteUnits(bytes);
  for (const Engine::IndexWrite& write : result.index_writes) {
    capacity.AddIndexUnits(write.index_name, write.global, write.units);
  }
  return capacity;
}

void AddCapacity(const CapacityBreakdown& more, CapacityBreakdown* total) {
  total->table_units += more.table_units;
  for (const auto& [name, units] : more.global_indexes) total->global_indexes[name] += units;
  for (const auto& [name, units] : more.local_indexes) total->local_indexes[name] += units;
}

namespace {

void WriteIndexUnits(std::string_view member, const std::map<std::string, double>& indexes,
                     json::Writer& w) {
  // DynamoDB names only the indexes the operation touched: an index a write
  // left alone (sparse, or its entry unchanged) is absent, not zero.
  if (indexes.empty()) return;
  json::WriteKey(w, member);
  w.StartObject();
  for (const auto& [name, units] : indexes) {
    json::WriteKey(w, name);
    w.StartObject();
    json::WriteKey(w, "CapacityUnits");
    w.Double(units);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

void WriteCapacityMembers(ReturnConsumedCapacity mode, const CapacityBreakdown& capacity,
                          json::Writer& w) {
  json::WriteKey(w, "TableName");
  json::WriteString(w, capacity.table_name);
  json::WriteKey(w, "CapacityUnits");
  w.Double(capacity.Total());
  if (mode != ReturnConsumedCapacity::kIndexes) return;
  json::WriteKey(w, "Table");
  w.StartObject();
  json::WriteKey(w, "CapacityUnits");
  w.Double(capacity.table_units);
  w.EndObject();
  WriteIndexUnits("GlobalSecondaryIndexes", capacity.global_indexes, w);
  WriteIndexUnits("LocalSecondaryIndexes", capacity.local_indexes, w);
}

void WriteConsumedCapacity(ReturnConsumedCapacity mode, const CapacityBreakdown& capacity,
                           json::Writer& w) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  json::WriteKey(w, "ConsumedCapacity");
  w.StartObject();
  WriteCapacityMembers(mode, capacity, w);
  w.EndObject();
}

}  // namespace dynemu
