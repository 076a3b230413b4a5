#pragma once

// The legacy condition parameters: Expected (+ ConditionalOperator) of PutItem,
// UpdateItem and DeleteItem, and the condition maps QueryFilter, ScanFilter and
// KeyConditions, which state conditions per attribute with a ComparisonOperator.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

enum class ComparisonOperator {
  kEq,
  kNe,
  kLe,
  kLt,
  kGe,
  kGt,
  kNotNull,
  kNull,
  kContains,
  kNotContains,
  kBeginsWith,
  kIn,
  kBetween,
};

// "EQ", "NE", ...
std::string_view ComparisonOperatorName(ComparisonOperator op);

struct AttributeCondition {
  std::string attribute;  // a top-level attribute name
  ComparisonOperator op = ComparisonOperator::kEq;
  std::vector<AttributeValue> values;  // the AttributeValueList
};

struct LegacyConditions {
  std::vector<AttributeCondition> conditions;  // in request order
  bool use_or = false;                         // ConditionalOperator OR
};

// Decodes Expected and ConditionalOperator (either may be nullptr), with the
// checks and messages of DynamoDB, per attribute in request order:
//   "One or more parameter values were invalid: Value and AttributeValueList cannot be
//    used together for Attribute: a"
//   "... Exists and ComparisonOperator cannot be used together for Attribute: a"
//   "... Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a"
//   "... Invalid number of argument(s) for the EQ ComparisonOperator"
//   "... AttributeValues inside AttributeValueList must be of same type"
//   "The BETWEEN condition was provided a range where the lower bound is greater than the
//    upper bound"
//   "... AttributeValueList can only be used with a ComparisonOperator for Attribute: a"
//   "... Value must be provided when Exists is null for Attribute: a" (also "is true")
//   "... Value cannot be used when Exists is false for Attribute: a"
//   value_codec's messages for the values.
// A Value without ComparisonOperator means EQ (Exists true or absent) and Exists
// false means NULL. REQUIRES: the request passed the shape check.
Result<LegacyConditions> DecodeExpected(const json::Value* expected,
                                        const json::Value* conditional_operator);

// Decodes a QueryFilter, ScanFilter or KeyConditions map, with DynamoDB's checks:
// value_codec's messages, then "... Invalid number of argument(s) for the OP
// ComparisonOperator", "... AttributeValues inside AttributeValueList must be of
// same type", "... ComparisonOperator OP is not valid for T AttributeValue type",
// and the BETWEEN range message.
Result<std::vector<AttributeCondition>> DecodeConditionMap(const json::Value* conditions);

// True when `item` satisfies the condition. A missing attribute satisfies only
// NULL, NE and NOT_CONTAINS.
bool EvaluateAttributeCondition(const AttributeCondition& condition, const Item& item);

// All conditions (or, with use_or, any of them); true when there are none.
bool EvaluateLegacyConditions(const LegacyConditions& conditions, const Item& item);

}  // namespace dynemu::expr
