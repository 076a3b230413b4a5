#include "expr/update_applier.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "expr/document_path.h"

namespace dynemu::expr {
namespace {

constexpr char kMissingAttribute[] =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr char kIncorrectType[] = "An operand in the update expression has an incorrect data type";
constexpr char kInvalidPath[] =
    "The document path provided in the update expression is invalid for update";
constexpr char kNestingTooDeep[] =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
// An attribute is level 1; a value nested deeper than this is refused (the same
// limit value_codec applies to values in requests).
constexpr int kMaxNestingLevels = 32;

// The value of a SET operand, computed on the old item.
Result<AttributeValue> Evaluate(const Operand& op, const Item& item) {
  switch (op.kind) {
    case Operand::Kind::kPath: {
      const AttributeValue* v = LookupPath(item, op.path);
      if (v == nullptr) return ValidationError(kMissingAttribute);
      return *v;
    }
    case Operand::Kind::kValue:
      return *op.value;
    case Operand::Kind::kFunction: {
      if (op.name == "if_not_exists") {
        const AttributeValue* v = LookupPath(item, op.args[0].path);
        if (v != nullptr) return *v;
        return Evaluate(op.args[1], item);
      }
      // list_append: validation admits no other function here.
      DYN_ASSIGN_OR_RETURN(AttributeValue first, Evaluate(op.args[0], item));
      if (first.type() != ValueType::kL) return ValidationError(kIncorrectType);
      DYN_ASSIGN_OR_RETURN(AttributeValue second, Evaluate(op.args[1], item));
      if (second.type() != ValueType::kL) return ValidationError(kIncorrectType);
      List joined = first.l();
      joined.insert(joined.end(), second.l().begin(), second.l().end());
      return AttributeValue::L(std::move(joined));
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      DYN_ASSIGN_OR_RETURN(AttributeValue left, Evaluate(op.args[0], item));
      if (left.type() != ValueType::kN) return ValidationError(kIncorrectType);
      DYN_ASSIGN_OR_RETURN(AttributeValue right, Evaluate(op.args[1], item));
      if (right.type() != ValueType::kN) return ValidationError(kIncorrectType);
      DYN_ASSIGN_OR_RETURN(Number result, op.kind == Operand::Kind::kPlus
                                              ? Number::Add(left.n(), right.n())
                                              : Number::Subtract(left.n(), right.n()));
      return AttributeValue::N(std::move(result));
    }
  }
  return ValidationError(kIncorrectType);
}

bool IsSet(ValueType t) {
  return t == ValueType::kSS || t == ValueType::kNS || t == ValueType::kBS;
}

// Set union (ADD) or difference (DELETE) of two sets of the same type.
AttributeValue CombineSets(const AttributeValue& a, const AttributeValue& b, bool add) {
  auto combine = [add](const auto& x, const auto& y) {
    using Vector = std::decay_t<decltype(x)>;
    Vector out;
    if (add) {
      std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
    } else {
      std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
    }
    return out;
  };
  switch (a.type()) {
    case ValueType::kSS:
      return AttributeValue::SS(combine(a.ss(), b.ss()));
    case ValueType::kNS:
      return AttributeValue::NS(combine(a.ns(), b.ns()));
    default:
      return AttributeValue::BS(combine(a.bs(), b.bs()));
  }
}

bool IsEmptySet(const AttributeValue& v) {
  switch (v.type()) {
    case ValueType::kSS:
      return v.ss().empty();
    case ValueType::kNS:
      return v.ns().empty();
    case ValueType::kBS:
      return v.bs().empty();
    default:
      return false;
  }
}

// One change to the item, addressed by a path of the old item.
struct Write {
  enum class Kind { kPut, kAppend, kRemove };
  Kind kind;
  const DocumentPath* path;
  AttributeValue value;  // kPut, kAppend
};

// Paths in document order, indexes compared numerically.
bool PathLess(const DocumentPath* a, const DocumentPath* b) {
  size_t n = std::min(a->size(), b->size());
  for (size_t i = 0; i < n; i++) {
    const PathStep& x = (*a)[i];
    const PathStep& y = (*b)[i];
    if (x.is_index != y.is_index) return x.is_index;
    if (x.is_index) {
      if (x.index != y.index) return x.index < y.index;
    } else if (x.name != y.name) {
      return x.name < y.name;
    }
  }
  return a->size() < b->size();
}

// The container holding the last step of `path` in `item`: the item itself for a
// top-level attribute. nullptr when it does not exist.
AttributeValue* MutableParent(Item& item, const DocumentPath& path, Map** map_parent) {
  *map_parent = nullptr;
  if (path.size() == 1) {
    *map_parent = &item;
    return nullptr;
  }
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  AttributeValue* current = &it->second;
  for (size_t i = 1; i + 1 < path.size(); i++) {
    const PathStep& step = path[i];
    if (step.is_index) {
      if (current->type() != ValueType::kL || step.index >= current->l().size()) return nullptr;
      current = &current->mutable_l()[step.index];
    } else {
      if (current->type() != ValueType::kM) return nullptr;
      auto found = current->mutable_m().find(step.name);
      if (found == current->mutable_m().end()) return nullptr;
      current = &found->second;
    }
  }
  if (current->type() == ValueType::kM) *map_parent = &current->mutable_m();
  return current;
}

void ApplyWrite(Item& item, Write& write) {
  const DocumentPath& path = *write.path;
  const PathStep& last = path.back();
  Map* map = nullptr;
  AttributeValue* parent = MutableParent(item, path, &map);
  if (!last.is_index) {
    if (map == nullptr) return;
    if (write.kind == Write::Kind::kRemove) {
      auto it = map->find(last.name);
      if (it != map->end()) map->erase(it);
    } else {
      (*map)[last.name] = std::move(write.value);
    }
    return;
  }
  if (parent == nullptr || parent->type() != ValueType::kL) return;
  List& list = parent->mutable_l();
  switch (write.kind) {
    case Write::Kind::kPut:
      if (last.index < list.size()) list[last.index] = std::move(write.value);
      break;
    case Write::Kind::kAppend:
      list.push_back(std::move(write.value));
      break;
    case Write::Kind::kRemove:
      if (last.index < list.size()) list.erase(list.begin() + last.index);
      break;
  }
}

int NestingLevels(const AttributeValue& v) {
  int deepest = 0;
  if (v.type() == ValueType::kL) {
    for (const AttributeValue& e : v.l()) deepest = std::max(deepest, NestingLevels(e));
  } else if (v.type() == ValueType::kM) {
    for (const auto& [k, e] : v.m()) deepest = std::max(deepest, NestingLevels(e));
  }
  return deepest + 1;
}

}  // namespace

Result<Item> ApplyUpdate(const UpdateExpression& update, const Item& old_item) {
  // Every SET value first, on the old item, in the order written.
  std::vector<std::optional<AttributeValue>> set_values(update.actions.size());
  for (size_t i = 0; i < update.actions.size(); i++) {
    const UpdateAction& action = update.actions[i];
    if (action.kind != UpdateActionKind::kSet) continue;
    DYN_ASSIGN_OR_RETURN(AttributeValue value, Evaluate(action.value, old_item));
    set_values[i] = std::move(value);
  }

  // Then what each action does to its target, still reading the old item.
  std::vector<Write> in_place, appends, removals;
  for (size_t i = 0; i < update.actions.size(); i++) {
    const UpdateAction& action = update.actions[i];
    const DocumentPath& path = action.path.path;
    const PathStep& last = path.back();
    size_t list_size = 0;
    if (path.size() > 1) {
      DocumentPath parent_path(path.begin(), path.end() - 1);
      const AttributeValue* parent = LookupPath(old_item, parent_path);
      if (parent == nullptr || parent->type() != (last.is_index ? ValueType::kL : ValueType::kM)) {
        return ValidationError(kInvalidPath);
      }
      if (last.is_index) list_size = parent->l().size();
    }
    const AttributeValue* existing = LookupPath(old_item, path);
    bool appends_to_list = last.is_index && last.index >= list_size;
    auto put = [&](AttributeValue value) {
      Write w{appends_to_list ? Write::Kind::kAppend : Write::Kind::kPut, &path, std::move(value)};
      (appends_to_list ? appends : in_place).push_back(std::move(w));
    };
    auto remove = [&]() {
      Write w{Write::Kind::kRemove, &path, AttributeValue()};
      (last.is_index ? removals : in_place).push_back(std::move(w));
    };
    switch (action.kind) {
      case UpdateActionKind::kSet:
        put(std::move(*set_values[i]));
        break;
      case UpdateActionKind::kRemove:
        if (existing != nullptr) remove();
        break;
      case UpdateActionKind::kAdd: {
        const AttributeValue& operand = *action.value.value;
        if (existing == nullptr) {
          put(operand);
        } else if (operand.type() == ValueType::kN && existing->type() == ValueType::kN) {
          DYN_ASSIGN_OR_RETURN(Number sum, Number::Add(existing->n(), operand.n()));
          put(AttributeValue::N(std::move(sum)));
        } else if (IsSet(operand.type()) && existing->type() == operand.type()) {
          put(CombineSets(*existing, operand, /*add=*/true));
        } else {
          return ValidationError(kIncorrectType);
        }
        break;
      }
      case UpdateActionKind::kDelete: {
        if (existing == nullptr) break;
        const AttributeValue& operand = *action.value.value;
        if (existing->type() != operand.type()) return ValidationError(kIncorrectType);
        AttributeValue rest = CombineSets(*existing, operand, /*add=*/false);
        if (IsEmptySet(rest)) {
          remove();
        } else {
          put(std::move(rest));
        }
        break;
      }
    }
  }

  // Applied so that list indexes keep naming the old elements: changes that move
  // nothing first, then appends in index order, then removals from the last.
  Item item = old_item;
  for (Write& w : in_place) ApplyWrite(item, w);
  std::stable_sort(appends.begin(), appends.end(),
                   [](const Write& a, const Write& b) { return PathLess(a.path, b.path); });
  for (Write& w : appends) ApplyWrite(item, w);
  std::stable_sort(removals.begin(), removals.end(),
                   [](const Write& a, const Write& b) { return PathLess(b.path, a.path); });
  for (Write& w : removals) ApplyWrite(item, w);

  for (const UpdateAction& action : update.actions) {
    auto it = item.find(action.path.path[0].name);
    if (it != item.end() && NestingLevels(it->second) > kMaxNestingLevels) {
      return ValidationError(kNestingTooDeep);
    }
  }
  return item;
}

}  // namespace dynemu::expr
