#include "expr/evaluator.h"

#include <optional>

#include "expr/comparison.h"
#include "expr/document_path.h"
#include "expr/functions.h"

namespace dynemu::expr {
namespace {

// The value of an operand: a pointer into the item or the expression, or a value
// computed for it (size()); empty when a path does not exist.
class OperandValue {
 public:
  OperandValue() = default;
  explicit OperandValue(const AttributeValue* p) : pointer_(p) {}
  explicit OperandValue(AttributeValue v) : owned_(std::move(v)) {}

  const AttributeValue* get() const { return owned_ ? &*owned_ : pointer_; }

 private:
  const AttributeValue* pointer_ = nullptr;
  std::optional<AttributeValue> owned_;
};

OperandValue Resolve(const Operand& op, const Item& item) {
  switch (op.kind) {
    case Operand::Kind::kPath:
      return OperandValue(LookupPath(item, op.path));
    case Operand::Kind::kValue:
      return OperandValue(op.value.get());
    case Operand::Kind::kFunction: {
      // Validation lets only size() be an operand.
      if (op.name != "size" || op.args.empty()) return OperandValue();
      OperandValue arg = Resolve(op.args[0], item);
      if (arg.get() == nullptr) return OperandValue();
      std::optional<AttributeValue> size = Size(*arg.get());
      return size ? OperandValue(std::move(*size)) : OperandValue();
    }
    default:
      return OperandValue();
  }
}

bool Compare(Comparator comparator, const AttributeValue* a, const AttributeValue* b) {
  if (comparator == Comparator::kNe) return a == nullptr || b == nullptr || !ValuesEqual(*a, *b);
  if (a == nullptr || b == nullptr) return false;
  if (comparator == Comparator::kEq) return ValuesEqual(*a, *b);
  std::optional<int> order = CompareOrdered(*a, *b);
  if (!order) return false;
  switch (comparator) {
    case Comparator::kLt:
      return *order < 0;
    case Comparator::kLe:
      return *order <= 0;
    case Comparator::kGt:
      return *order > 0;
    case Comparator::kGe:
      return *order >= 0;
    default:
      return false;
  }
}

bool EvaluateFunction(const Operand& call, const Item& item) {
  const FunctionInfo* info = FindFunction(call.name);
  if (info == nullptr || static_cast<int>(call.args.size()) != info->operands) return false;
  OperandValue first = Resolve(call.args[0], item);
  const AttributeValue* a = first.get();
  switch (info->function) {
    case Function::kAttributeExists:
      return a != nullptr;
    case Function::kAttributeNotExists:
      return a == nullptr;
    default:
      break;
  }
  if (a == nullptr) return false;
  OperandValue second = Resolve(call.args[1], item);
  const AttributeValue* b = second.get();
  if (b == nullptr) return false;
  switch (info->function) {
    case Function::kAttributeType:
      return HasType(*a, *b);
    case Function::kBeginsWith:
      return BeginsWith(*a, *b);
    case Function::kContains:
      return Contains(*a, *b);
    default:
      return false;
  }
}

}  // namespace

bool EvaluateCondition(const Condition& c, const Item& item) {
  switch (c.kind) {
    case Condition::Kind::kOr:
      return EvaluateCondition(c.children[0], item) || EvaluateCondition(c.children[1], item);
    case Condition::Kind::kAnd:
      return EvaluateCondition(c.children[0], item) && EvaluateCondition(c.children[1], item);
    case Condition::Kind::kNot:
      return !EvaluateCondition(c.children[0], item);
    case Condition::Kind::kCompare: {
      OperandValue a = Resolve(c.operands[0], item);
      OperandValue b = Resolve(c.operands[1], item);
      return Compare(c.comparator, a.get(), b.get());
    }
    case Condition::Kind::kBetween: {
      OperandValue v = Resolve(c.operands[0], item);
      OperandValue low = Resolve(c.operands[1], item);
      OperandValue high = Resolve(c.operands[2], item);
      if (v.get() == nullptr || low.get() == nullptr || high.get() == nullptr) return false;
      std::optional<int> above_low = CompareOrdered(*v.get(), *low.get());
      std::optional<int> below_high = CompareOrdered(*v.get(), *high.get());
      return above_low && below_high && *above_low >= 0 && *below_high <= 0;
    }
    case Condition::Kind::kIn: {
      OperandValue v = Resolve(c.operands[0], item);
      if (v.get() == nullptr) return false;
      for (size_t i = 1; i < c.operands.size(); i++) {
        OperandValue candidate = Resolve(c.operands[i], item);
        if (candidate.get() != nullptr && ValuesEqual(*v.get(), *candidate.get())) return true;
      }
      return false;
    }
    case Condition::Kind::kFunction:
      return EvaluateFunction(c.operands[0], item);
  }
  return false;
}

}  // namespace dynemu::expr
