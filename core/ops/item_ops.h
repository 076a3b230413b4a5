#pragma once

// PutItem, GetItem, UpdateItem, DeleteItem. Each handler runs after the
// pipeline's shape check, so member types are already right; it performs the
// operation's own validation in DynamoDB's order (expression and legacy
// parameters included), then the work. Conditions and updates run inside
// Engine::WriteItem's mutator, atomically with the write of the item.

#include <string>
#include <vector>

#include "ops/operation_table.h"

namespace dynemu {

struct TableDescription;
namespace expr {
struct UpdateExpression;
}

Status HandlePutItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleGetItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleUpdateItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDeleteItem(OpContext& ctx, const json::Value& request, json::Writer& out);

// The key checks of an update once its table is known (UpdateItem's, shared by
// TransactWriteItems' Update): no key attribute may be written, by `update` (may
// be null) or by the legacy `attribute_updates` (their attribute names), nor
// reached through a nested path, with DynamoDB's messages.
Status CheckKeyUpdates(const TableDescription& table, const expr::UpdateExpression* update,
                       const std::vector<std::string>& attribute_updates);

}  // namespace dynemu
