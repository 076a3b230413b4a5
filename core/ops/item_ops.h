#pragma once

// PutItem, GetItem, UpdateItem, DeleteItem. Each handler runs after the
// pipeline's shape check, so member types are already right; it performs the
// operation's own validation in DynamoDB's order (expression and legacy
// parameters included), then the work. Conditions and updates run inside
// Engine::WriteItem's mutator, atomically with the write of the item.

#include "ops/operation_table.h"

namespace dynemu {

Status HandlePutItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleGetItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleUpdateItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDeleteItem(OpContext& ctx, const json::Value& request, json::Writer& out);

}  // namespace dynemu
