#pragma once

// The grammar of DynamoDB's expressions: text -> parse tree, or the syntax error
// DynamoDB reports. Placeholders are left unresolved (see validator.h).
//
// Each function returns either the tree or a ValidationException whose message is
// what DynamoDB writes after "Invalid <ExpressionName>: ", in this order:
//   "The expression can not be empty;"                    (empty or blank text)
//   "Expression size has exceeded the maximum allowed size; expression size: N"
//                                                          (more than 4 KB of UTF-8)
//   "The expression contains too many operators; number of operators: N"
//                                                          (more than 300)
//   "Syntax error; token: \"<token>\", near: \"<text>\""  (the first token that
//      cannot continue the expression, "<EOF>" at the end; <text> runs from the
//      token before it to the token after it)
//   "The expression has redundant parentheses;"           (condition grammar only,
//      when nesting is too deep to parse: only "((...))" can nest that far)
// Any input is safe: nesting is bounded, so no text can exhaust the stack.

#include <string_view>

#include "base/status.h"
#include "expr/ast.h"

namespace dynemu::expr {

// DynamoDB's limits on one expression.
constexpr size_t kMaxExpressionBytes = 4096;
constexpr int kMaxOperators = 300;

// Condition grammar (ConditionExpression, KeyConditionExpression, FilterExpression):
//   condition := or ; or := and (OR and)* ; and := not (AND not)* ;
//   not := NOT not | primary
//   primary := operand comparator operand | operand BETWEEN operand AND operand
//            | operand IN ( operand, ... ) | function-call | ( condition )
// AND, OR, NOT, BETWEEN and IN are keywords in any case and cannot be names.
Result<ConditionExpression> ParseCondition(std::string_view text);

// Update grammar: clauses SET a = v, ... | REMOVE a, ... | ADD a :v, ... |
// DELETE a :v, ..., in any order; SET values are operands, if_not_exists(...),
// list_append(...), or the sum or difference of two operands. SET, REMOVE, ADD
// and DELETE are keywords in any case and cannot be names.
Result<UpdateExpression> ParseUpdate(std::string_view text);

// Projection grammar: path (, path)*.
Result<ProjectionExpression> ParseProjection(std::string_view text);

}  // namespace dynemu::expr
