#pragma once

// ReturnItemCollectionMetrics=SIZE on the write operations: for a table with
// local secondary indexes, the size estimate of the item collection (the items
// sharing a partition key, plus their LSI entries) each write touched.

#include <cstdint>
#include <optional>

#include "base/status.h"
#include "json/json.h"
#include "schema/table_description.h"
#include "value/attribute_value.h"

namespace dynemu {

class Engine;

// True when the request asks ReturnItemCollectionMetrics SIZE. The shape check
// has already restricted the member to SIZE | NONE.
bool ParseReturnItemCollectionMetrics(const json::Value& request);

struct ItemCollectionMetrics {
  Item collection_key;  // the table's partition key attribute only
  uint64_t size_bytes = 0;
};

// The metrics of the item collection `key` (a table key) belongs to, measured
// now; nullopt when the table has no local secondary index (DynamoDB then
// returns none). Errors are the store's.
Result<std::optional<ItemCollectionMetrics>> MeasureItemCollection(const Engine& engine,
                                                                   const TableDescription& table,
                                                                   const Item& key);

// Writes {"ItemCollectionKey":{...},"SizeEstimateRangeGB":[lo,hi]}: the size in
// GB rounded down, and one more.
void WriteItemCollectionMetricsObject(const ItemCollectionMetrics& metrics, json::Writer& w);

}  // namespace dynemu
