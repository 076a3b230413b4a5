#pragma once

// The legacy AttributeUpdates parameter of UpdateItem: per top-level attribute,
// PUT a value, ADD a number or set members (or list elements), or DELETE the
// attribute or set members.

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

struct AttributeUpdate {
  enum class Action { kPut, kAdd, kDelete };
  std::string attribute;
  Action action = Action::kPut;  // PUT when Action is absent
  std::optional<AttributeValue> value;
};

// Decodes AttributeUpdates (nullptr: absent, no updates), with DynamoDB's checks
// per attribute in request order:
//   value_codec's messages for Value
//   "One or more parameter values were invalid: Only DELETE action is allowed when no
//    attribute value is specified"
//   "One or more parameter values were invalid: DELETE action with value is not
//    supported for the type S"   (only sets may be deleted from)
//   "One or more parameter values were invalid: ADD action is not supported for the
//    type S"                      (N, sets and L only)
// REQUIRES: the request passed the shape check.
Result<std::vector<AttributeUpdate>> DecodeAttributeUpdates(const json::Value* updates);

// The item after the updates. `item` is the current item, empty when absent.
// A value of the wrong type for ADD or DELETE: "Type mismatch for attribute to update".
// Number overflow: Number::Add's messages.
Result<Item> ApplyAttributeUpdates(const std::vector<AttributeUpdate>& updates, const Item& item);

}  // namespace dynemu::expr
