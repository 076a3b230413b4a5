#pragma once

// Evaluation of conditions (ConditionExpression, FilterExpression) on an item,
// with DynamoDB's semantics: a path that does not exist makes a comparison false
// (and <> true), values of different types are unequal and unordered, sets
// compare as sets, and no item content can make evaluation fail.

#include "expr/ast.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

// True when `item` satisfies `condition`. An absent item is an empty Item.
// REQUIRES: `condition` passed ValidateCondition. Thread-safe (reads only).
bool EvaluateCondition(const Condition& condition, const Item& item);

}  // namespace dynemu::expr
