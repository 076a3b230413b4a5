#pragma once

// BatchGetItem and BatchWriteItem. The whole request is validated, in DynamoDB's
// order and with its messages, before anything is read or written: per table the
// expression parameters and values, duplicate keys ("Provided list of item keys
// contains duplicates"), the request-wide counts (100 keys, 25 writes), then the
// tables and every key against its table's schema.
//
// BatchGetItem answers at most 16 MB of items; the keys of items that do not fit
// come back in UnprocessedKeys with their table's projection and ConsistentRead.
// BatchWriteItem writes each request through Engine::WriteItem (each item is
// atomic, the batch is not); a write refused for throughput comes back in
// UnprocessedItems, any other failure fails the call.

#include "ops/operation_table.h"

namespace dynemu {

Status HandleBatchGetItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleBatchWriteItem(OpContext& ctx, const json::Value& request, json::Writer& out);

}  // namespace dynemu
