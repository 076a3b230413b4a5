#include "expr/key_condition.h"

#include <optional>

namespace dynemu::expr {
namespace {

class Extractor {
 public:
  Status Visit(const Condition& c) {
    switch (c.kind) {
      case Condition::Kind::kAnd:
        DYN_RETURN_IF_ERROR(Visit(c.children[0]));
        return Visit(c.children[1]);
      case Condition::Kind::kOr:
        return InvalidOperator("OR");
      case Condition::Kind::kNot:
        return InvalidOperator("NOT");
      case Condition::Kind::kIn:
        return InvalidOperator("IN");
      case Condition::Kind::kCompare:
        if (c.comparator == Comparator::kNe) return InvalidOperator("<>");
        return Leaf(c, c.operands);
      case Condition::Kind::kBetween:
        if (c.operands[0].kind != Operand::Kind::kPath) {
          return ValidationError(
              "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
              "attribute as its first operand");
        }
        return Leaf(c, c.operands);
      case Condition::Kind::kFunction: {
        const Operand& call = c.operands[0];
        if (call.name == "size") {
          return ValidationError("KeyConditionExpressions cannot contain nested operations");
        }
        if (call.name != "begins_with") return InvalidOperator(call.name);
        if (call.args[0].kind != Operand::Kind::kPath) {
          return ValidationError(
              "Invalid condition in KeyConditionExpression: begins_with operator must have the "
              "key attribute as its first operand");
        }
        return Leaf(c, call.args);
      }
    }
    return Status::OK();
  }

  std::vector<KeyCondition> take() { return std::move(conditions_); }

 private:
  static Status InvalidOperator(std::string_view op) {
    return ValidationError("Invalid operator used in KeyConditionExpression: " + std::string(op));
  }

  Status Leaf(const Condition& c, const std::vector<Operand>& operands) {
    const Operand* key = nullptr;
    size_t key_position = 0;
    for (size_t i = 0; i < operands.size(); i++) {
      const Operand& op = operands[i];
      if (op.kind == Operand::Kind::kPath) {
        if (key != nullptr) {
          return ValidationError(
              "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
              "condition");
        }
        if (op.path.size() > 1) {
          return ValidationError(
              "KeyConditionExpressions cannot have conditions on nested attributes");
        }
        key = &op;
        key_position = i;
      } else if (op.kind == Operand::Kind::kFunction) {
        return ValidationError("KeyConditionExpressions cannot contain nested operations");
      }
    }
    if (key == nullptr) {
      return ValidationError(
          "Invalid condition in KeyConditionExpression: No key attribute specified");
    }
    const std::string& name = key->path[0].name;
    for (const KeyCondition& seen : conditions_) {
      if (seen.attribute == name) {
        return ValidationError("KeyConditionExpressions must only contain one condition per key");
      }
    }
    KeyCondition out;
    out.attribute = name;
    if (c.kind == Condition::Kind::kBetween) {
      out.op = KeyOperator::kBetween;
    } else if (c.kind == Condition::Kind::kFunction) {
      out.op = KeyOperator::kBeginsWith;
    } else {
      // ":v < a" is "a > :v".
      bool flipped = key_position != 0;
      switch (c.comparator) {
        case Comparator::kLt:
          out.op = flipped ? KeyOperator::kGt : KeyOperator::kLt;
          break;
        case Comparator::kLe:
          out.op = flipped ? KeyOperator::kGe : KeyOperator::kLe;
          break;
        case Comparator::kGt:
          out.op = flipped ? KeyOperator::kLt : KeyOperator::kGt;
          break;
        case Comparator::kGe:
          out.op = flipped ? KeyOperator::kLe : KeyOperator::kGe;
          break;
        default:
          out.op = KeyOperator::kEq;
          break;
      }
    }
    for (size_t i = 0; i < operands.size(); i++) {
      if (i != key_position && operands[i].value) out.values.push_back(*operands[i].value);
    }
    conditions_.push_back(std::move(out));
    return Status::OK();
  }

  std::vector<KeyCondition> conditions_;
};

}  // namespace

Result<std::vector<KeyCondition>> ExtractKeyConditions(const ConditionExpression& expression) {
  Extractor extractor;
  DYN_RETURN_IF_ERROR(extractor.Visit(expression.root));
  return extractor.take();
}

}  // namespace dynemu::expr
