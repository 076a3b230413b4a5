#include "expr/ast.h"

namespace dynemu::expr {

std::string_view ExpressionKindName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition:
      return "ConditionExpression";
    case ExpressionKind::kKeyCondition:
      return "KeyConditionExpression";
    case ExpressionKind::kFilter:
      return "FilterExpression";
    case ExpressionKind::kUpdate:
      return "UpdateExpression";
    case ExpressionKind::kProjection:
      return "ProjectionExpression";
  }
  return "Expression";
}

std::string_view ComparatorText(Comparator comparator) {
  switch (comparator) {
    case Comparator::kEq:
      return "=";
    case Comparator::kNe:
      return "<>";
    case Comparator::kLt:
      return "<";
    case Comparator::kLe:
      return "<=";
    case Comparator::kGt:
      return ">";
    case Comparator::kGe:
      return ">=";
  }
  return "?";
}

std::string_view UpdateActionName(UpdateActionKind kind) {
  switch (kind) {
    case UpdateActionKind::kSet:
      return "SET";
    case UpdateActionKind::kRemove:
      return "REMOVE";
    case UpdateActionKind::kAdd:
      return "ADD";
    case UpdateActionKind::kDelete:
      return "DELETE";
  }
  return "?";
}

}  // namespace dynemu::expr
