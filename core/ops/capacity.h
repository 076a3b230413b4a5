#pragma once

// Capacity units as DynamoDB counts them, and the ConsumedCapacity member of
// responses (ReturnConsumedCapacity NONE | TOTAL | INDEXES).

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "json/json.h"

namespace dynemu {

enum class ReturnConsumedCapacity { kNone, kTotal, kIndexes };

// Parses the request member; absent means kNone. The shape check has already
// restricted it to the enum.
ReturnConsumedCapacity ParseReturnConsumedCapacity(const json::Value& request);

// Read units for `bytes` read: one per 4 KB started (at least one), halved for an
// eventually consistent read.
double ReadUnits(size_t bytes, bool consistent);

// Write units for `bytes` written: one per 1 KB started, at least one.
double WriteUnits(size_t bytes);

// Writes "ConsumedCapacity":{...} for one table, when `mode` asks for it.
void WriteConsumedCapacity(ReturnConsumedCapacity mode, std::string_view table, double units,
                           json::Writer& w);

// The capacity one request consumed on one table, split between the table and
// its secondary indexes, as ReturnConsumedCapacity INDEXES reports it. Writes
// add each index's units of the entry changes they caused; the total is the
// table's units plus every index's.
struct CapacityBreakdown {
  std::string table_name;
  double table_units = 0;
  std::map<std::string, double> global_indexes;  // by index name
  std::map<std::string, double> local_indexes;

  void AddIndexUnits(const std::string& index_name, bool global, double units) {
    (global ? global_indexes : local_indexes)[index_name] += units;
  }
  double Total() const;
};

// What one item's write (PutItem, UpdateItem, DeleteItem, a BatchWriteItem
// request) costs on `table_name`: write units of the larger of the old and the
// new item on the table, plus each index entry change of result.index_writes.
CapacityBreakdown ItemWriteCapacity(std::string_view table_name,
                                    const Engine::WriteResult& result);

// Adds `more` (of the same table) to `total`.
void AddCapacity(const CapacityBreakdown& more, CapacityBreakdown* total);

// Writes the members of one ConsumedCapacity object (without the braces):
// TableName and CapacityUnits (the total); with kIndexes also Table and, for
// indexes that consumed capacity, GlobalSecondaryIndexes / LocalSecondaryIndexes
// {"<name>":{"CapacityUnits":u}}. REQUIRES: mode is not kNone.
void WriteCapacityMembers(ReturnConsumedCapacity mode, const CapacityBreakdown& capacity,
                          json::Writer& w);

// Writes "ConsumedCapacity":{...} for one table, when `mode` asks for it.
void WriteConsumedCapacity(ReturnConsumedCapacity mode, const CapacityBreakdown& capacity,
                           json::Writer& w);

}  // namespace dynemu
