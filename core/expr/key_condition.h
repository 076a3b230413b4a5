#pragma once

// A KeyConditionExpression as the conditions on key attributes it states, for
// Query: "pk = :p AND begins_with(sk, :s)" -> {pk EQ [:p], sk BEGINS_WITH [:s]}.

#include <string>
#include <vector>

#include "base/status.h"
#include "expr/ast.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

enum class KeyOperator { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

struct KeyCondition {
  std::string attribute;               // the key attribute's name (placeholders resolved)
  KeyOperator op = KeyOperator::kEq;   // written with the attribute on the left
  std::vector<AttributeValue> values;  // one operand, two for kBetween
};

// Splits a validated KeyConditionExpression into its key conditions, in the order
// written, refusing what a key condition cannot say, with DynamoDB's messages:
//   "Invalid operator used in KeyConditionExpression: OR" (also NOT, IN, <>,
//      attribute_exists, attribute_not_exists, attribute_type, contains)
//   "KeyConditionExpressions cannot contain nested operations" (size())
//   "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key
//      attribute as its first operand" (and begins_with)
//   "Invalid condition in KeyConditionExpression: Multiple attribute names used in
//      one condition"
//   "KeyConditionExpressions cannot have conditions on nested attributes"
//   "Invalid condition in KeyConditionExpression: No key attribute specified"
//   "KeyConditionExpressions must only contain one condition per key"
// "a > :v" written as ":v < a" is turned around. Which attributes are the table's
// keys is the caller's business (Query's "Query condition missed key schema element").
// REQUIRES: `expression` passed ValidateCondition.
Result<std::vector<KeyCondition>> ExtractKeyConditions(const ConditionExpression& expression);

}  // namespace dynemu::expr
