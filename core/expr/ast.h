#pragma once

// The parse trees of DynamoDB's expressions. The parser fills the syntactic
// fields (raw paths, placeholder names, parentheses); the validator then resolves
// the placeholders into `path` and `value`, after which a tree is self-contained
// and can be evaluated any number of times, from any thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/document_path.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

// The five expression parameters, for messages ("Invalid <name>: ...").
enum class ExpressionKind : uint8_t { kCondition, kKeyCondition, kFilter, kUpdate, kProjection };

// "ConditionExpression", "KeyConditionExpression", "FilterExpression",
// "UpdateExpression", "ProjectionExpression".
std::string_view ExpressionKindName(ExpressionKind kind);

// One element of a path as written: an attribute name, a #placeholder or an index.
struct RawPathElement {
  enum class Kind : uint8_t { kName, kPlaceholder, kIndex };
  Kind kind = Kind::kName;
  std::string text;  // the identifier, "#placeholder", or the index digits
};

// An operand: a document path, a :value, a function call, or (in SET actions
// only) the sum or difference of two operands.
struct Operand {
  enum class Kind : uint8_t { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kPath;
  // Parentheses written directly around this operand: "((a))" has 2.
  uint8_t parens = 0;

  std::vector<RawPathElement> raw_path;  // kPath, as written
  DocumentPath path;                     // kPath, resolved by the validator

  std::string name;  // kValue: ":placeholder"; kFunction: the function name, as written
  std::shared_ptr<const AttributeValue> value;  // kValue, resolved by the validator

  std::vector<Operand> args;  // kFunction: its arguments; kPlus/kMinus: {left, right}
};

enum class Comparator : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// "=", "<>", "<", "<=", ">", ">=".
std::string_view ComparatorText(Comparator comparator);

struct Condition {
  enum class Kind : uint8_t { kOr, kAnd, kNot, kCompare, kBetween, kIn, kFunction };
  Kind kind = Kind::kCompare;
  Comparator comparator = Comparator::kEq;  // kCompare
  uint8_t parens = 0;                       // parentheses written directly around it

  std::vector<Condition> children;  // kOr, kAnd: two; kNot: one
  // kCompare: {left, right}; kBetween: {operand, low, high}; kIn: {operand,
  // candidates...}; kFunction: the one function call.
  std::vector<Operand> operands;
};

// A condition, key condition or filter expression.
struct ConditionExpression {
  Condition root;
  bool redundant_parens = false;  // "((...))" somewhere: an error DynamoDB reports
};

enum class UpdateActionKind : uint8_t { kSet, kRemove, kAdd, kDelete };

// "SET", "REMOVE", "ADD", "DELETE".
std::string_view UpdateActionName(UpdateActionKind kind);

struct UpdateAction {
  UpdateActionKind kind = UpdateActionKind::kSet;
  Operand path;   // the target: always a kPath operand
  Operand value;  // SET: the new value; ADD, DELETE: a kValue operand; REMOVE: unused
};

struct UpdateExpression {
  std::vector<UpdateAction> actions;  // in the order written
  // The clause keywords in the order written, repeats included (so that the
  // validator can report "The "SET" section can only be used once").
  std::vector<UpdateActionKind> clauses;
};

struct ProjectionExpression {
  std::vector<Operand> paths;  // kPath operands, in the order written
};

}  // namespace dynemu::expr
