#include "expr/functions.h"

#include <algorithm>
#include <array>
#include <string>

#include "base/java_string.h"

namespace dynemu::expr {
namespace {

constexpr std::array<FunctionInfo, 8> kFunctions = {{
    {Function::kAttributeExists, "attribute_exists", 1, FunctionPlace::kCondition},
    {Function::kAttributeNotExists, "attribute_not_exists", 1, FunctionPlace::kCondition},
    {Function::kAttributeType, "attribute_type", 2, FunctionPlace::kCondition},
    {Function::kBeginsWith, "begins_with", 2, FunctionPlace::kCondition},
    {Function::kContains, "contains", 2, FunctionPlace::kCondition},
    {Function::kSize, "size", 1, FunctionPlace::kOperand},
    {Function::kIfNotExists, "if_not_exists", 2, FunctionPlace::kUpdate},
    {Function::kListAppend, "list_append", 2, FunctionPlace::kUpdate},
}};

constexpr std::array<std::string_view, 10> kTypeNames = {"S",  "SS",   "N",    "NS", "B",
                                                         "BS", "BOOL", "NULL", "L",  "M"};


}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool IsTypeName(std::string_view name) {
  return std::find(kTypeNames.begin(), kTypeNames.end(), name) != kTypeNames.end();
}

bool BeginsWith(const AttributeValue& value, const AttributeValue& prefix) {
  if (value.type() != prefix.type()) return false;
  if (value.type() == ValueType::kS) {
    return std::string_view(value.s()).substr(0, prefix.s().size()) == prefix.s();
  }
  if (value.type() == ValueType::kB) {
    return std::string_view(value.b()).substr(0, prefix.b().size()) == prefix.b();
  }
  return false;
}

bool Contains(const AttributeValue& container, const AttributeValue& operand) {
  switch (container.type()) {
    case ValueType::kS:
      return operand.type() == ValueType::kS &&
             container.s().find(operand.s()) != std::string::npos;
    case ValueType::kB:
      return operand.type() == ValueType::kB &&
             container.b().find(operand.b()) != std::string::npos;
    case ValueType::kSS:
      return operand.type() == ValueType::kS &&
             std::binary_search(container.ss().begin(), container.ss().end(), operand.s());
    case ValueType::kNS:
      return operand.type() == ValueType::kN &&
             std::binary_search(container.ns().begin(), container.ns().end(), operand.n());
    case ValueType::kBS:
      return operand.type() == ValueType::kB &&
             std::binary_search(container.bs().begin(), container.bs().end(), operand.b());
    case ValueType::kL:
      return std::any_of(container.l().begin(), container.l().end(),
                         [&](const AttributeValue& e) { return e == operand; });
    default:
      return false;
  }
}

std::optional<AttributeValue> Size(const AttributeValue& value) {
  size_t size;
  switch (value.type()) {
    case ValueType::kS:
      size = Utf16Length(value.s());
      break;
    case ValueType::kB:
      size = value.b().size();
      break;
    case ValueType::kSS:
      size = value.ss().size();
      break;
    case ValueType::kNS:
      size = value.ns().size();
      break;
    case ValueType::kBS:
      size = value.bs().size();
      break;
    case ValueType::kL:
      size = value.l().size();
      break;
    case ValueType::kM:
      size = value.m().size();
      break;
    default:
      return std::nullopt;
  }
  return AttributeValue::N(Number::FromInt64(static_cast<int64_t>(size)));
}

bool HasType(const AttributeValue& value, const AttributeValue& type_name) {
  return type_name.type() == ValueType::kS && ValueTypeName(value.type()) == type_name.s();
}

}  // namespace dynemu::expr
