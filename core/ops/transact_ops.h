#pragma once

// TransactWriteItems and TransactGetItems. Each handler runs after the
// pipeline's shape check (1 to 100 actions, member types, enums), then
// validates the request in DynamoDB's order: every action decoded (exactly one
// of ConditionCheck, Put, Delete, Update; attribute values; item size;
// expressions), then every table and key, then no two actions on one item and
// the 4 MB total. Those failures are top-level errors. What can only be known
// against the stored items (a failed condition, an update that makes an item
// too large or mistypes an index key, a conflict with another transaction) is a
// cancellation reason: TransactionCanceledException with one reason per action.
// The work itself is Engine::TransactWrite / TransactGet (engine/engine.h).
//
// TransactWriteItems honours ClientRequestToken: the same token with the same
// TransactItems and ReturnItemCollectionMetrics within 10 minutes answers as
// the first request did without writing again (its ConsumedCapacity then
// counts the reads of the items, as DynamoDB's does); other parameters give
// IdempotentParameterMismatchException.

#include "ops/operation_table.h"

namespace dynemu {

Status HandleTransactWriteItems(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleTransactGetItems(OpContext& ctx, const json::Value& request, json::Writer& out);

}  // namespace dynemu
