#include "expr/request_expressions.h"

#include <algorithm>
#include <set>
#include <string>

#include "expr/parser.h"
#include "expr/substitution.h"
#include "expr/validator.h"

namespace dynemu::expr {
namespace {

bool Present(const json::Value& request, std::string_view member) {
  return json::FindMember(request, member) != nullptr;
}

std::string JoinBraced(const ParamNames& names) {
  std::string out = "{";
  for (size_t i = 0; i < names.size(); i++) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out + "}";
}

// The text of an expression member, or nullopt when absent. The shape check has
// made every present one a string.
std::optional<std::string_view> Text(const json::Value& request, std::string_view member) {
  const json::Value* v = json::FindMember(request, member);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return json::AsStringView(*v);
}

Status Prefixed(ExpressionKind kind, const Status& status) {
  return Status(status.code(),
                "Invalid " + std::string(ExpressionKindName(kind)) + ": " + status.message());
}

Result<ConditionExpression> CompileCondition(ExpressionKind kind, std::string_view text,
                                             ExpressionAttributes& attributes) {
  Result<ConditionExpression> parsed = ParseCondition(text);
  if (!parsed.ok()) return Prefixed(kind, parsed.status());
  Status valid = ValidateCondition(*parsed, attributes);
  if (!valid.ok()) return Prefixed(kind, valid);
  return parsed;
}

}  // namespace

Status CheckExpressionParams(const json::Value& request, const ExpressionParams& params) {
  ParamNames used_expressions;
  for (std::string_view e : params.expressions) {
    if (Present(request, e)) used_expressions.push_back(e);
  }
  if (!used_expressions.empty()) {
    ParamNames used_legacy;
    for (std::string_view n : params.non_expressions) {
      // Query: KeyConditions with FilterExpression or ProjectionExpression is fine
      // as long as there is no KeyConditionExpression.
      if (n == "KeyConditions" && !Present(request, "KeyConditionExpression")) continue;
      if (Present(request, n)) used_legacy.push_back(n);
    }
    if (!used_legacy.empty()) {
      return ValidationError(
          "Can not use both expression and non-expression parameters in the same request: "
          "Non-expression parameters: " +
          JoinBraced(used_legacy) + " Expression parameters: " + JoinBraced(used_expressions));
    }
  }
  if (Present(request, "ExpressionAttributeNames") && used_expressions.empty()) {
    return ValidationError("ExpressionAttributeNames can only be specified when using expressions");
  }
  ParamNames value_expressions;
  for (std::string_view e : params.expressions) {
    if (e != "ProjectionExpression") value_expressions.push_back(e);
  }
  if (!value_expressions.empty() && Present(request, "ExpressionAttributeValues") &&
      std::none_of(value_expressions.begin(), value_expressions.end(),
                   [&](std::string_view e) { return Present(request, e); })) {
    std::string list;
    for (size_t i = 0; i < value_expressions.size(); i++) {
      if (i > 0) list += " and ";
      list += value_expressions[i];
    }
    return ValidationError(
        "ExpressionAttributeValues can only be specified when using "
        "expressions: " +
        list + (value_expressions.size() > 1 ? " are null" : " is null"));
  }
  return Status::OK();
}

Result<CompiledExpressions> CompileExpressions(const json::Value& request, bool takes_values) {
  DYN_ASSIGN_OR_RETURN(
      ExpressionAttributes attributes,
      ExpressionAttributes::Decode(
          json::FindMember(request, "ExpressionAttributeNames"),
          takes_values ? json::FindMember(request, "ExpressionAttributeValues") : nullptr));
  CompiledExpressions out;
  if (auto text = Text(request, "UpdateExpression")) {
    Result<UpdateExpression> parsed = ParseUpdate(*text);
    if (!parsed.ok()) return Prefixed(ExpressionKind::kUpdate, parsed.status());
    Status valid = ValidateUpdate(*parsed, attributes);
    if (!valid.ok()) return Prefixed(ExpressionKind::kUpdate, valid);
    out.update = std::move(parsed).value();
  }
  if (auto text = Text(request, "ConditionExpression")) {
    DYN_ASSIGN_OR_RETURN(out.condition,
                         CompileCondition(ExpressionKind::kCondition, *text, attributes));
  }
  if (auto text = Text(request, "KeyConditionExpression")) {
    DYN_ASSIGN_OR_RETURN(out.key_condition,
                         CompileCondition(ExpressionKind::kKeyCondition, *text, attributes));
  }
  if (auto text = Text(request, "FilterExpression")) {
    DYN_ASSIGN_OR_RETURN(out.filter, CompileCondition(ExpressionKind::kFilter, *text, attributes));
  }
  if (auto text = Text(request, "ProjectionExpression")) {
    Result<ProjectionExpression> parsed = ParseProjection(*text);
    if (!parsed.ok()) return Prefixed(ExpressionKind::kProjection, parsed.status());
    Status valid = ValidateProjection(*parsed, attributes);
    if (!valid.ok()) return Prefixed(ExpressionKind::kProjection, valid);
    out.projection = std::move(parsed).value();
  }
  DYN_RETURN_IF_ERROR(attributes.CheckAllUsed());
  return out;
}

Result<std::optional<std::vector<DocumentPath>>> AttributesToGetPaths(const json::Value& request) {
  const json::Value* names = json::FindMember(request, "AttributesToGet");
  if (names == nullptr || !names->IsArray()) return std::optional<std::vector<DocumentPath>>();
  std::vector<DocumentPath> paths;
  std::set<std::string_view> seen;
  for (const auto& name : names->GetArray()) {
    if (!name.IsString()) continue;
    std::string_view s = json::AsStringView(name);
    if (!seen.insert(s).second) {
      return ValidationError(
          "One or more parameter values were invalid: Duplicate value in attribute name: " +
          std::string(s));
    }
    PathStep step;
    step.name = std::string(s);
    paths.push_back({std::move(step)});
  }
  return std::optional<std::vector<DocumentPath>>(std::move(paths));
}

Result<std::optional<std::vector<DocumentPath>>> ProjectionPaths(const json::Value& request,
                                                                 CompiledExpressions& compiled) {
  DYN_ASSIGN_OR_RETURN(std::optional<std::vector<DocumentPath>> paths,
                       AttributesToGetPaths(request));
  if (paths || !compiled.projection) return paths;
  std::vector<DocumentPath> projected;
  for (Operand& operand : compiled.projection->paths) projected.push_back(std::move(operand.path));
  return std::optional<std::vector<DocumentPath>>(std::move(projected));
}

}  // namespace dynemu::expr
