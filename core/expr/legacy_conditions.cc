#include "expr/legacy_conditions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "expr/comparison.h"
#include "expr/functions.h"
#include "value/value_codec.h"

namespace dynemu::expr {
namespace {

constexpr char kInvalid[] = "One or more parameter values were invalid: ";

struct OperatorInfo {
  ComparisonOperator op;
  std::string_view name;
  int min_values;
  int max_values;
  // The AttributeValueList types the filters accept for it.
  std::array<ValueType, 6> types;
  int type_count;
};

constexpr ValueType S = ValueType::kS, N = ValueType::kN, B = ValueType::kB, SS = ValueType::kSS,
                    NS = ValueType::kNS, BS = ValueType::kBS;

constexpr std::array<OperatorInfo, 13> kOperators = {{
    {ComparisonOperator::kEq, "EQ", 1, 1, {S, N, B, SS, NS, BS}, 6},
    {ComparisonOperator::kNe, "NE", 1, 1, {S, N, B, SS, NS, BS}, 6},
    {ComparisonOperator::kLe, "LE", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kLt, "LT", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kGe, "GE", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kGt, "GT", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kNotNull, "NOT_NULL", 0, 0, {}, 0},
    {ComparisonOperator::kNull, "NULL", 0, 0, {}, 0},
    {ComparisonOperator::kContains, "CONTAINS", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kNotContains, "NOT_CONTAINS", 1, 1, {S, N, B}, 3},
    {ComparisonOperator::kBeginsWith, "BEGINS_WITH", 1, 1, {S, B}, 2},
    {ComparisonOperator::kIn, "IN", 1, 1 << 30, {S, N, B}, 3},
    {ComparisonOperator::kBetween, "BETWEEN", 2, 2, {S, N, B}, 3},
}};

const OperatorInfo* FindOperator(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const OperatorInfo& InfoOf(ComparisonOperator op) {
  for (const OperatorInfo& info : kOperators) {
    if (info.op == op) return info;
  }
  return kOperators[0];
}

// Coral's reading of a Boolean member: a JSON boolean, or the strings true/1/yes
// and false/0/no in any case (the shape check refused anything else).
std::optional<bool> BooleanOf(const json::Value& v) {
  if (v.IsBool()) return v.GetBool();
  if (!v.IsString()) return std::nullopt;
  std::string s(json::AsStringView(v));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "no") return false;
  return std::nullopt;
}

Status InvalidCount(std::string_view op) {
  return ValidationError(std::string(kInvalid) + "Invalid number of argument(s) for the " +
                         std::string(op) + " ComparisonOperator");
}

Status BetweenRange() {
  return ValidationError(
      "The BETWEEN condition was provided a range where the lower bound is greater than the upper "
      "bound");
}

bool MixedTypes(const std::vector<AttributeValue>& values) {
  return std::any_of(values.begin(), values.end(),
                     [&](const AttributeValue& v) { return v.type() != values[0].type(); });
}

Result<std::vector<AttributeValue>> DecodeList(const json::Value* list) {
  std::vector<AttributeValue> out;
  if (list == nullptr || !list->IsArray()) return out;
  out.reserve(list->Size());
  for (const json::Value& element : list->GetArray()) {
    Result<AttributeValue> decoded = DecodeAttributeValue(element);
    if (!decoded.ok()) return std::move(decoded).take_status();
    out.emplace_back(std::move(decoded).value());
  }
  return out;
}

bool Satisfies(ComparisonOperator op, const AttributeValue* attr,
               const std::vector<AttributeValue>& values) {
  switch (op) {
    case ComparisonOperator::kNotNull:
      return attr != nullptr;
    case ComparisonOperator::kNull:
      return attr == nullptr;
    case ComparisonOperator::kNe:
      return attr == nullptr || values.empty() || !ValuesEqual(*attr, values[0]);
    case ComparisonOperator::kNotContains:
      return attr == nullptr || values.empty() || !Contains(*attr, values[0]);
    default:
      break;
  }
  if (attr == nullptr || values.empty()) return false;
  const AttributeValue& v = values[0];
  switch (op) {
    case ComparisonOperator::kEq:
      return ValuesEqual(*attr, v);
    case ComparisonOperator::kLe:
    case ComparisonOperator::kLt:
    case ComparisonOperator::kGe:
    case ComparisonOperator::kGt: {
      std::optional<int> order = CompareOrdered(*attr, v);
      if (!order) return false;
      if (op == ComparisonOperator::kLe) return *order <= 0;
      if (op == ComparisonOperator::kLt) return *order < 0;
      if (op == ComparisonOperator::kGe) return *order >= 0;
      return *order > 0;
    }
    case ComparisonOperator::kContains:
      return Contains(*attr, v);
    case ComparisonOperator::kBeginsWith:
      return BeginsWith(*attr, v);
    case ComparisonOperator::kIn:
      return std::any_of(values.begin(), values.end(),
                         [&](const AttributeValue& c) { return ValuesEqual(*attr, c); });
    case ComparisonOperator::kBetween: {
      if (values.size() < 2) return false;
      std::optional<int> low = CompareOrdered(*attr, values[0]);
      std::optional<int> high = CompareOrdered(*attr, values[1]);
      return low && high && *low >= 0 && *high <= 0;
    }
    default:
      return false;
  }
}

}  // namespace

std::string_view ComparisonOperatorName(ComparisonOperator op) { return InfoOf(op).name; }

Result<LegacyConditions> DecodeExpected(const json::Value* expected,
                                        const json::Value* conditional_operator) {
  LegacyConditions out;
  out.use_or = conditional_operator != nullptr && conditional_operator->IsString() &&
               json::AsStringView(*conditional_operator) == "OR";
  if (expected == nullptr || !expected->IsObject()) return out;
  for (auto it = expected->MemberBegin(); it != expected->MemberEnd(); ++it) {
    std::string key(json::AsStringView(it->name));
    const json::Value& entry = it->value;
    if (!entry.IsObject()) continue;
    const json::Value* value = json::FindMember(entry, "Value");
    const json::Value* list = json::FindMember(entry, "AttributeValueList");
    const json::Value* exists = json::FindMember(entry, "Exists");
    const json::Value* op_member = json::FindMember(entry, "ComparisonOperator");
    AttributeCondition condition;
    condition.attribute = key;
    if (list != nullptr && value != nullptr) {
      return ValidationError(
          std::string(kInvalid) +
          "Value and AttributeValueList cannot be used together for Attribute: " + key);
    }
    if (op_member != nullptr && op_member->IsString()) {
      std::string_view op_name = json::AsStringView(*op_member);
      if (exists != nullptr) {
        return ValidationError(std::string(kInvalid) +
                               "Exists and ComparisonOperator cannot be used together for "
                               "Attribute: " +
                               key);
      }
      const OperatorInfo* info = FindOperator(op_name);
      if (info == nullptr) continue;  // the shape check restricts it to the enum
      if (info->min_values > 0 && list == nullptr && value == nullptr) {
        return ValidationError(
            std::string(kInvalid) +
            "Value or AttributeValueList must be used with ComparisonOperator: " +
            std::string(op_name) + " for Attribute: " + key);
      }
      int count = list != nullptr && list->IsArray() ? static_cast<int>(list->Size())
                                                     : (value != nullptr ? 1 : 0);
      if (count < info->min_values || count > info->max_values) return InvalidCount(op_name);
      if (list != nullptr) {
        DYN_ASSIGN_OR_RETURN(condition.values, DecodeList(list));
      } else if (value != nullptr) {
        DYN_ASSIGN_OR_RETURN(AttributeValue v, DecodeAttributeValue(*value));
        condition.values.push_back(std::move(v));
      }
      if (!condition.values.empty() && MixedTypes(condition.values)) {
        return ValidationError(std::string(kInvalid) +
                               "AttributeValues inside AttributeValueList must be of same type");
      }
      if (info->op == ComparisonOperator::kBetween) {
        std::optional<int> order = CompareOrdered(condition.values[0], condition.values[1]);
        if (order && *order > 0) return BetweenRange();
      }
      condition.op = info->op;
    } else if (list != nullptr) {
      return ValidationError(std::string(kInvalid) +
                             "AttributeValueList can only be used with a ComparisonOperator for "
                             "Attribute: " +
                             key);
    } else {
      std::optional<bool> exists_flag = exists ? BooleanOf(*exists) : std::nullopt;
      bool must_exist = !exists_flag.has_value() || *exists_flag;
      if (must_exist && value == nullptr) {
        return ValidationError(std::string(kInvalid) + "Value must be provided when Exists is " +
                               (exists_flag ? "true" : "null") + " for Attribute: " + key);
      }
      if (!must_exist && value != nullptr) {
        return ValidationError(std::string(kInvalid) +
                               "Value cannot be used when Exists is false for Attribute: " + key);
      }
      if (value != nullptr) {
        DYN_ASSIGN_OR_RETURN(AttributeValue v, DecodeAttributeValue(*value));
        condition.values.push_back(std::move(v));
        condition.op = ComparisonOperator::kEq;
      } else {
        condition.op = ComparisonOperator::kNull;
      }
    }
    out.conditions.push_back(std::move(condition));
  }
  return out;
}

Result<std::vector<AttributeCondition>> DecodeConditionMap(const json::Value* conditions) {
  std::vector<AttributeCondition> out;
  if (conditions == nullptr || !conditions->IsObject()) return out;
  for (auto it = conditions->MemberBegin(); it != conditions->MemberEnd(); ++it) {
    const json::Value& entry = it->value;
    if (!entry.IsObject()) continue;
    AttributeCondition condition;
    condition.attribute = std::string(json::AsStringView(it->name));
    DYN_ASSIGN_OR_RETURN(condition.values,
                         DecodeList(json::FindMember(entry, "AttributeValueList")));
    const json::Value* op_member = json::FindMember(entry, "ComparisonOperator");
    const OperatorInfo* info = op_member != nullptr && op_member->IsString()
                                   ? FindOperator(json::AsStringView(*op_member))
                                   : nullptr;
    if (info == nullptr) continue;  // the shape check requires it, from the enum
    int count = static_cast<int>(condition.values.size());
    if (count < info->min_values || count > info->max_values) return InvalidCount(info->name);
    if (!condition.values.empty() && MixedTypes(condition.values)) {
      return ValidationError(std::string(kInvalid) +
                             "AttributeValues inside AttributeValueList must be of same type");
    }
    for (const AttributeValue& v : condition.values) {
      bool allowed = std::find(info->types.begin(), info->types.begin() + info->type_count,
                               v.type()) != info->types.begin() + info->type_count;
      if (!allowed) {
        return ValidationError(std::string(kInvalid) + "ComparisonOperator " +
                               std::string(info->name) + " is not valid for " +
                               std::string(ValueTypeName(v.type())) + " AttributeValue type");
      }
    }
    if (info->op == ComparisonOperator::kBetween) {
      std::optional<int> order = CompareOrdered(condition.values[0], condition.values[1]);
      if (order && *order > 0) return BetweenRange();
    }
    condition.op = info->op;
    out.push_back(std::move(condition));
  }
  return out;
}

bool EvaluateAttributeCondition(const AttributeCondition& condition, const Item& item) {
  auto it = item.find(condition.attribute);
  return Satisfies(condition.op, it == item.end() ? nullptr : &it->second, condition.values);
}

bool EvaluateLegacyConditions(const LegacyConditions& conditions, const Item& item) {
  if (conditions.conditions.empty()) return true;
  for (const AttributeCondition& c : conditions.conditions) {
    bool ok = EvaluateAttributeCondition(c, item);
    if (conditions.use_or && ok) return true;
    if (!conditions.use_or && !ok) return false;
  }
  return !conditions.use_or;
}

}  // namespace dynemu::expr
