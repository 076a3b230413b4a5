#pragma once

// How DynamoDB compares attribute values in conditions: equality of any two
// values (sets as sets), and ordering of numbers (numerically), strings and
// binaries (by unsigned bytes). Values of different types are never equal and
// never ordered: a comparison between them is false, not an error.

#include <optional>

#include "value/attribute_value.h"

namespace dynemu::expr {

// True for the types that <, <=, >, >= and BETWEEN can order: N, S and B.
bool IsOrderedType(ValueType type);

// -1, 0 or 1 when a and b have the same ordered type; nullopt otherwise.
std::optional<int> CompareOrdered(const AttributeValue& a, const AttributeValue& b);

// Equality: same type and same value (sets compare as sets, numbers numerically).
inline bool ValuesEqual(const AttributeValue& a, const AttributeValue& b) { return a == b; }

}  // namespace dynemu::expr
