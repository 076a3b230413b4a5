#pragma once

// Capacity units as DynamoDB counts them, and the ConsumedCapacity member of
// responses (ReturnConsumedCapacity NONE | TOTAL | INDEXES).

#include <cstddef>
#include <string_view>

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

}  // namespace dynemu
