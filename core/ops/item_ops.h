#pragma once

// PutItem, GetItem, DeleteItem. Each handler runs after the pipeline's shape
// check, so member types are already right; it performs the operation's own
// validation in DynamoDB's order, then the work.

#include "ops/operation_table.h"

namespace dynemu {

Status HandlePutItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleGetItem(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDeleteItem(OpContext& ctx, const json::Value& request, json::Writer& out);

}  // namespace dynemu
