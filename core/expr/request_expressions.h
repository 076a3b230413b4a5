#pragma once

// The expression parameters of one request, checked and compiled the way DynamoDB
// does it for every operation that takes them (PutItem, UpdateItem, DeleteItem,
// GetItem, Query, Scan, and the transaction and batch forms).

#include <array>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "expr/ast.h"
#include "json/json.h"

namespace dynemu::expr {

// A few parameter names, held in place: the checks below run on every request
// and would otherwise allocate for each list they build.
class ParamNames {
 public:
  static constexpr size_t kCapacity = 4;

  constexpr ParamNames() = default;
  constexpr ParamNames(std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) push_back(n);
  }

  constexpr void push_back(std::string_view name) {
    if (size_ == kCapacity) std::abort();  // a list is written in the code, never from input
    names_[size_++] = name;
  }
  constexpr const std::string_view* begin() const { return names_.data(); }
  constexpr const std::string_view* end() const { return names_.data() + size_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr std::string_view operator[](size_t i) const { return names_[i]; }

 private:
  std::array<std::string_view, kCapacity> names_{};
  size_t size_ = 0;
};

// Which expression parameters an operation has, and its legacy parameters that
// cannot be mixed with them, each in the order DynamoDB lists them in messages.
struct ExpressionParams {
  ParamNames expressions;      // e.g. {"UpdateExpression", "ConditionExpression"}
  ParamNames non_expressions;  // e.g. {"AttributeUpdates", "Expected"}
};

// The first of the checks of expression and legacy parameters, with DynamoDB's
// messages:
//   "Can not use both expression and non-expression parameters in the same request:
//    Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
//   "ExpressionAttributeNames can only be specified when using expressions"
//   "ExpressionAttributeValues can only be specified when using expressions:
//    ConditionExpression is null"   ("UpdateExpression and ConditionExpression are null")
// KeyConditions used with KeyConditionExpression absent is not a mix (Query).
// ProjectionExpression alone does not allow ExpressionAttributeValues.
Status CheckExpressionParams(const json::Value& request, const ExpressionParams& params);

// A request's expressions, parsed, validated and with their placeholders
// resolved: self-contained, usable after the request is gone.
struct CompiledExpressions {
  std::optional<UpdateExpression> update;
  std::optional<ConditionExpression> condition;
  std::optional<ConditionExpression> key_condition;
  std::optional<ConditionExpression> filter;
  std::optional<ProjectionExpression> projection;
};

// Compiles every expression member of `request` (UpdateExpression,
// ConditionExpression, KeyConditionExpression, FilterExpression,
// ProjectionExpression, in that order) against its ExpressionAttributeNames and,
// when `takes_values`, ExpressionAttributeValues (GetItem has none and ignores
// the member), then checks that every placeholder was used. Errors are
// substitution.h's for the maps, "Invalid <ExpressionName>: <parser.h or
// validator.h message>" for an expression, then the unused-placeholder messages.
// REQUIRES: the request passed the shape check.
Result<CompiledExpressions> CompileExpressions(const json::Value& request, bool takes_values);

// A request's AttributesToGet as projection paths (top-level names), or nullopt
// when absent. A name given twice is refused: "One or more parameter values were
// invalid: Duplicate value in attribute name: <name>".
Result<std::optional<std::vector<DocumentPath>>> AttributesToGetPaths(const json::Value& request);

// The paths a read projects onto: AttributesToGet's, else the compiled
// ProjectionExpression's (moved out of `compiled`), else nullopt (the whole item).
// The two cannot both be present: CheckExpressionParams refuses the mix.
Result<std::optional<std::vector<DocumentPath>>> ProjectionPaths(const json::Value& request,
                                                                 CompiledExpressions& compiled);

}  // namespace dynemu::expr
