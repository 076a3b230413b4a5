#pragma once

// The functions of DynamoDB's expressions: which exist, where each may be used,
// how many operands each takes, and what each computes.
//
// Conditions: attribute_exists(path), attribute_not_exists(path),
// attribute_type(path, :type), begins_with(path, :prefix), contains(path, :operand)
// and, only as an operand of a comparison, size(path).
// Updates (SET values only): if_not_exists(path, value), list_append(list, list).

#include <cstdint>
#include <optional>
#include <string_view>

#include "value/attribute_value.h"

namespace dynemu::expr {

enum class Function : uint8_t {
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  kIfNotExists,
  kListAppend,
};

enum class FunctionPlace : uint8_t {
  kCondition,  // a condition in itself: attribute_exists(a)
  kOperand,    // an operand of a comparison: size(a) > :n
  kUpdate,     // a SET value: if_not_exists(a, :v)
};

struct FunctionInfo {
  Function function;
  std::string_view name;
  int operands;
  FunctionPlace place;
};

// The function named `name` (names are case-sensitive), or nullptr.
const FunctionInfo* FindFunction(std::string_view name);

// The type names attribute_type accepts ("S", "SS", "N", ...); false for others.
bool IsTypeName(std::string_view name);

// begins_with: both strings or both binaries, and `value` starts with `prefix`.
bool BeginsWith(const AttributeValue& value, const AttributeValue& prefix);

// contains: a substring of a string, a byte sequence of a binary, a member of a
// set (of the operand's type), or an element of a list equal to the operand.
bool Contains(const AttributeValue& container, const AttributeValue& operand);

// size: the length of a string (in UTF-16 code units, as DynamoDB counts) or a
// binary (bytes), the number of members of a set, elements of a list or entries
// of a map. nullopt for numbers, booleans and nulls, which have no size.
std::optional<AttributeValue> Size(const AttributeValue& value);

// attribute_type: `value` is of the type named by `type_name` (an S value).
bool HasType(const AttributeValue& value, const AttributeValue& type_name);

}  // namespace dynemu::expr
