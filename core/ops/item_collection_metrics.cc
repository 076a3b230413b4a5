#include "ops/item_collection_metrics.h"

#include <string_view>

#include "engine/engine.h"
#include "value/value_codec.h"

namespace dynemu {

bool ParseReturnItemCollectionMetrics(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ReturnItemCollectionMetrics");
  return v != nullptr && v->IsString() && json::AsStringView(*v) == "SIZE";
}

Result<std::optional<ItemCollectionMetrics>> MeasureItemCollection(const Engine& engine,
                                                                   const TableDescription& table,
                                                                   const Item& key) {
  // "If the table does not have any local secondary indexes, this information
  // is not returned in the response" (ItemCollectionMetrics, API reference).
  if (table.local_secondary_indexes.empty()) return std::optional<ItemCollectionMetrics>();
  const std::string& hash = table.key_schema[0].attribute_name;
  auto it = key.find(hash);
  if (it == key.end()) return std::optional<ItemCollectionMetrics>();
  ItemCollectionMetrics metrics;
  metrics.collection_key.emplace(hash, it->second);
  DYN_ASSIGN_OR_RETURN(metrics.size_bytes, engine.ItemCollectionSize(table, it->second));
  return std::optional<ItemCollectionMetrics>(std::move(metrics));
}

void WriteItemCollectionMetricsObject(const ItemCollectionMetrics& metrics, json::Writer& w) {
  // DynamoDB gives a range a gigabyte wide around its estimate ([0.0, 1.0] for
  // any collection under 1 GB); the exact figure is not part of the API.
  constexpr uint64_t kGigabyte = uint64_t{1} << 30;
  const double lower = static_cast<double>(metrics.size_bytes / kGigabyte);
  w.StartObject();
  json::WriteKey(w, "ItemCollectionKey");
  EncodeItem(metrics.collection_key, w);
  json::WriteKey(w, "SizeEstimateRangeGB");
  w.StartArray();
  w.Double(lower);
  w.Double(lower + 1);
  w.EndArray();
  w.EndObject();
}

}  // namespace dynemu
