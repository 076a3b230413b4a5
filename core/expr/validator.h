#pragma once

// The checks DynamoDB makes on a parsed expression before it touches any item,
// and the resolution of its placeholders. After a successful check every path
// and value of the tree is resolved (Operand::path, Operand::value) and the
// placeholders it used are marked used in `attributes`.
//
// Each function returns OK or a ValidationException whose message is what
// DynamoDB writes after "Invalid <ExpressionName>: ". When an expression has
// several problems, the one reported is DynamoDB's choice:
//
// Conditions, in this order of precedence:
//   "The expression has redundant parentheses;"
//   "Invalid function name; function: f"
//   "The function is not allowed in a condition expression; function: if_not_exists"
//   "The function is not allowed to be used this way in an expression; function: f"
//   "Attribute name is a reserved keyword; reserved keyword: w"
//   "The document path has too many nesting levels; nesting levels: N" (over 32)
//   "List index is not within the allowable range; index: [N]"
//   then the first simple condition (comparison, BETWEEN, IN, function) that
//   has a problem, reporting in this order:
//     "An expression attribute name used in the document path is not defined; attribute name: #n"
//     "An expression attribute value used in expression is not defined; attribute value: :v"
//     "Incorrect number of operands for operator or function; operator or function: f, number of
//     operands: N" "The first operand must be distinct from the remaining operands for this
//     operator or function; operator: =, first operand: [a]" "Operator or function requires a
//     document path; operator or function: f" "Incorrect operand type for operator or function;
//     operator or function: f, operand type: T" "Invalid attribute type name found; type: X, valid
//     types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}" "The BETWEEN operator requires same data type for
//     lower and upper bounds; ..." "The BETWEEN operator requires upper bound to be greater than or
//     equal to lower bound; ..." "The IN operator is provided with too many operands; number of
//     operands: N" (over 100)
//
// Updates: reserved words; unknown functions and functions not allowed in an
// update ("The function is not allowed in an update expression; function: size");
// 'The "SET" section can only be used once in an update expression;'; undefined
// names; undefined values; path limits; "Two document paths overlap with each
// other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]";
// "Two document paths conflict with each other; ..."; the operand type of ADD and
// DELETE ("Incorrect operand type for operator or function; operator: ADD,
// operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"); function operands.
//
// Projections: reserved words; undefined names; path limits; overlaps; conflicts.

#include "base/status.h"
#include "expr/ast.h"
#include "expr/substitution.h"

namespace dynemu::expr {

// DynamoDB's limits checked here.
constexpr size_t kMaxPathDepth = 32;
constexpr size_t kMaxInOperands = 100;

Status ValidateCondition(ConditionExpression& expression, ExpressionAttributes& attributes);
Status ValidateUpdate(UpdateExpression& expression, ExpressionAttributes& attributes);
Status ValidateProjection(ProjectionExpression& expression, ExpressionAttributes& attributes);

}  // namespace dynemu::expr
