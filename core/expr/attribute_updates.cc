#include "expr/attribute_updates.h"

#include <algorithm>
#include <iterator>

#include "value/value_codec.h"

namespace dynemu::expr {
namespace {

constexpr char kInvalid[] = "One or more parameter values were invalid: ";
constexpr char kTypeMismatch[] = "Type mismatch for attribute to update";

bool IsSet(ValueType t) {
  return t == ValueType::kSS || t == ValueType::kNS || t == ValueType::kBS;
}

template <typename Vector>
Vector Merge(const Vector& a, const Vector& b, bool add) {
  Vector out;
  if (add) {
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  } else {
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  }
  return out;
}

// Union (add) or difference of two sets of one type; nullopt when the result is empty.
std::optional<AttributeValue> MergeSets(const AttributeValue& a, const AttributeValue& b,
                                        bool add) {
  switch (a.type()) {
    case ValueType::kSS: {
      auto v = Merge(a.ss(), b.ss(), add);
      if (v.empty()) return std::nullopt;
      return AttributeValue::SS(std::move(v));
    }
    case ValueType::kNS: {
      auto v = Merge(a.ns(), b.ns(), add);
      if (v.empty()) return std::nullopt;
      return AttributeValue::NS(std::move(v));
    }
    default: {
      auto v = Merge(a.bs(), b.bs(), add);
      if (v.empty()) return std::nullopt;
      return AttributeValue::BS(std::move(v));
    }
  }
}

}  // namespace

Result<std::vector<AttributeUpdate>> DecodeAttributeUpdates(const json::Value* updates) {
  std::vector<AttributeUpdate> out;
  if (updates == nullptr || !updates->IsObject()) return out;
  for (auto it = updates->MemberBegin(); it != updates->MemberEnd(); ++it) {
    if (!it->value.IsObject()) continue;
    AttributeUpdate update;
    update.attribute = std::string(json::AsStringView(it->name));
    const json::Value* action = json::FindMember(it->value, "Action");
    if (action != nullptr && action->IsString()) {
      std::string_view a = json::AsStringView(*action);
      if (a == "ADD") update.action = AttributeUpdate::Action::kAdd;
      if (a == "DELETE") update.action = AttributeUpdate::Action::kDelete;
    }
    if (const json::Value* value = json::FindMember(it->value, "Value")) {
      Result<AttributeValue> decoded = DecodeAttributeValue(*value);
      if (!decoded.ok()) return std::move(decoded).take_status();
      update.value = std::move(decoded).value();
    }
    if (!update.value && update.action != AttributeUpdate::Action::kDelete) {
      return ValidationError(std::string(kInvalid) +
                             "Only DELETE action is allowed when no attribute value is specified");
    }
    if (update.value) {
      ValueType type = update.value->type();
      std::string name(ValueTypeName(type));
      if (update.action == AttributeUpdate::Action::kDelete && !IsSet(type)) {
        return ValidationError(std::string(kInvalid) +
                               "DELETE action with value is not supported for the type " + name);
      }
      if (update.action == AttributeUpdate::Action::kAdd && !IsSet(type) && type != ValueType::kN &&
          type != ValueType::kL) {
        return ValidationError(std::string(kInvalid) + "ADD action is not supported for the type " +
                               name);
      }
    }
    out.push_back(std::move(update));
  }
  return out;
}

Result<Item> ApplyAttributeUpdates(const std::vector<AttributeUpdate>& updates, const Item& item) {
  Item out = item;
  for (const AttributeUpdate& update : updates) {
    auto existing = out.find(update.attribute);
    bool exists = existing != out.end();
    switch (update.action) {
      case AttributeUpdate::Action::kPut:
        out[update.attribute] = *update.value;
        break;
      case AttributeUpdate::Action::kAdd: {
        const AttributeValue& v = *update.value;
        if (!exists) {
          out[update.attribute] = v;
        } else if (existing->second.type() != v.type()) {
          return ValidationError(kTypeMismatch);
        } else if (v.type() == ValueType::kN) {
          Result<Number> sum = Number::Add(existing->second.n(), v.n());
          if (!sum.ok()) return std::move(sum).take_status();
          existing->second = AttributeValue::N(std::move(sum).value());
        } else if (v.type() == ValueType::kL) {
          existing->second.mutable_l().insert(existing->second.mutable_l().end(), v.l().begin(),
                                              v.l().end());
        } else {
          existing->second = *MergeSets(existing->second, v, /*add=*/true);
        }
        break;
      }
      case AttributeUpdate::Action::kDelete:
        if (!update.value) {
          if (exists) out.erase(existing);
        } else if (exists) {
          if (existing->second.type() != update.value->type()) {
            return ValidationError(kTypeMismatch);
          }
          std::optional<AttributeValue> rest =
              MergeSets(existing->second, *update.value, /*add=*/false);
          if (rest) {
            existing->second = std::move(*rest);
          } else {
            out.erase(existing);
          }
        }
        break;
    }
  }
  return out;
}

}  // namespace dynemu::expr
