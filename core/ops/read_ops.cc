#include "ops/read_ops.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "expr/evaluator.h"
#include "expr/key_condition.h"
#include "expr/legacy_conditions.h"
#include "expr/projection.h"
#include "expr/request_expressions.h"
#include "ops/capacity.h"
#include "ops/shape_check.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

// DynamoDB's page limit: the data read by one Query or Scan call.
constexpr size_t kPageBytes = 1 << 20;

using expr::ComparisonOperator;

enum class Select { kDefault, kAllAttributes, kAllProjected, kSpecific, kCount };

// What Query and Scan share, decoded and checked as far as possible without the table.
struct ReadInput {
  std::string table_name;
  std::optional<std::string> index_name;
  Select select = Select::kDefault;
  std::optional<int64_t> limit;
  bool consistent_read = false;
  std::optional<Item> exclusive_start;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;

  // The filter: a FilterExpression, or the legacy QueryFilter / ScanFilter.
  std::optional<expr::ConditionExpression> filter;
  expr::LegacyConditions legacy_filter;
  // What to return: the paths of a ProjectionExpression or of AttributesToGet.
  std::optional<std::vector<expr::DocumentPath>> projection;

  // Query only.
  std::vector<expr::AttributeCondition> key_conditions;
  bool forward = true;

  // Scan only.
  uint32_t segment = 0;
  uint32_t total_segments = 1;
};

std::string_view StringOf(const json::Value& request, std::string_view member) {
  const json::Value* v = json::FindMember(request, member);
  return v && v->IsString() ? json::AsStringView(*v) : std::string_view();
}

std::optional<bool> BoolOf(const json::Value& request, std::string_view member) {
  const json::Value* v = json::FindMember(request, member);
  return v ? ShapeBoolean(*v) : std::nullopt;
}

std::optional<int64_t> IntegerOf(const json::Value& request, std::string_view member) {
  const json::Value* v = json::FindMember(request, member);
  return v ? ShapeInteger(*v) : std::nullopt;
}


// ExclusiveStartKey's values. DynamoDB prefixes most value errors with "The
// provided starting key is invalid: " but not those about numbers, number sets and
// duplicates in sets.
Result<std::optional<Item>> DecodeExclusiveStartKey(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ExclusiveStartKey");
  if (v == nullptr) return std::optional<Item>();
  Result<Item> key = DecodeItem(*v);
  if (!key.ok()) {
    const std::string& message = key.status().message();
    for (std::string_view bare : {"contains duplicates", "number set", "numeric value",
                                  "significant digits", "number with magnitude"}) {
      if (message.find(bare) != std::string::npos) return key.status();
    }
    return Status(key.status().code(), "The provided starting key is invalid: " + message);
  }
  return std::optional<Item>(std::move(key).value());
}

Select ParseSelect(std::string_view s) {
  if (s == "ALL_ATTRIBUTES") return Select::kAllAttributes;
  if (s == "ALL_PROJECTED_ATTRIBUTES") return Select::kAllProjected;
  if (s == "SPECIFIC_ATTRIBUTES") return Select::kSpecific;
  if (s == "COUNT") return Select::kCount;
  return Select::kDefault;
}

// The rules tying Select to the projection parameters and to IndexName.
Status CheckSelect(const json::Value& request, const ReadInput& in) {
  std::string_view select = StringOf(request, "Select");
  bool has_projection = json::FindMember(request, "ProjectionExpression") != nullptr;
  bool has_attributes = json::FindMember(request, "AttributesToGet") != nullptr;
  auto what = [&]() -> std::string {
    return in.select == Select::kCount ? "only the Count" : std::string(select);
  };
  if (in.select != Select::kDefault && in.select != Select::kSpecific) {
    if (has_projection) {
      return ValidationError("Cannot specify the ProjectionExpression when choosing to get " +
                             what());
    }
    if (has_attributes) {
      return ValidationError("Cannot specify the AttributesToGet when choosing to get " + what());
    }
  }
  if (in.select == Select::kAllProjected && !in.index_name) {
    // DynamoDB says "Querying" for Scan as well.
    return ValidationError("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                           "IndexName");
  }
  if (in.select == Select::kSpecific && !has_projection && !has_attributes) {
    return ValidationError(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES");
  }
  return Status::OK();
}

// The members every read decodes the same way.
void DecodeCommon(const json::Value& request, ReadInput* in) {
  in->table_name = std::string(StringOf(request, "TableName"));
  if (json::FindMember(request, "IndexName")) {
    in->index_name = std::string(StringOf(request, "IndexName"));
  }
  in->select = ParseSelect(StringOf(request, "Select"));
  in->limit = IntegerOf(request, "Limit");
  in->consistent_read = BoolOf(request, "ConsistentRead").value_or(false);
  in->return_capacity = ParseReturnConsumedCapacity(request);
}

// Takes the compiled filter and projection into `in`.
void TakeExpressions(expr::CompiledExpressions& compiled, ReadInput* in) {
  in->filter = std::move(compiled.filter);
  if (compiled.projection) {
    std::vector<expr::DocumentPath> paths;
    for (expr::Operand& path : compiled.projection->paths) paths.push_back(std::move(path.path));
    in->projection = std::move(paths);
  }
}

ComparisonOperator FromKeyOperator(expr::KeyOperator op) {
  switch (op) {
    case expr::KeyOperator::kEq: return ComparisonOperator::kEq;
    case expr::KeyOperator::kLt: return ComparisonOperator::kLt;
    case expr::KeyOperator::kLe: return ComparisonOperator::kLe;
    case expr::KeyOperator::kGt: return ComparisonOperator::kGt;
    case expr::KeyOperator::kGe: return ComparisonOperator::kGe;
    case expr::KeyOperator::kBetween: return ComparisonOperator::kBetween;
    case expr::KeyOperator::kBeginsWith: return ComparisonOperator::kBeginsWith;
  }
  return ComparisonOperator::kEq;
}

Result<ReadInput> DecodeQuery(const json::Value& request) {
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(
      request, {{"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
                {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}}));
  ReadInput in;
  DecodeCommon(request, &in);
  DYN_ASSIGN_OR_RETURN(in.legacy_filter.conditions,
                       expr::DecodeConditionMap(json::FindMember(request, "QueryFilter")));
  in.legacy_filter.use_or = StringOf(request, "ConditionalOperator") == "OR";
  DYN_ASSIGN_OR_RETURN(in.projection, expr::AttributesToGetPaths(request));
  DYN_ASSIGN_OR_RETURN(in.exclusive_start, DecodeExclusiveStartKey(request));
  bool has_expression = json::FindMember(request, "KeyConditionExpression") != nullptr;
  if (!has_expression && json::FindMember(request, "KeyConditions") == nullptr) {
    return ValidationError(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                       expr::CompileExpressions(request, /*takes_values=*/true));
  if (compiled.key_condition) {
    DYN_ASSIGN_OR_RETURN(std::vector<expr::KeyCondition> conditions,
                         expr::ExtractKeyConditions(*compiled.key_condition));
    for (expr::KeyCondition& c : conditions) {
      in.key_conditions.push_back(
          expr::AttributeCondition{std::move(c.attribute), FromKeyOperator(c.op),
                                   std::move(c.values)});
    }
  } else {
    DYN_ASSIGN_OR_RETURN(in.key_conditions,
                         expr::DecodeConditionMap(json::FindMember(request, "KeyConditions")));
  }
  if (in.key_conditions.size() != 1 && in.key_conditions.size() != 2) {
    return ValidationError("Conditions can be of length 1 or 2 only");
  }
  TakeExpressions(compiled, &in);
  DYN_RETURN_IF_ERROR(CheckSelect(request, in));
  in.forward = BoolOf(request, "ScanIndexForward").value_or(true);
  return in;
}

Result<ReadInput> DecodeScan(const json::Value& request) {
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(
      request, {{"ProjectionExpression", "FilterExpression"},
                {"AttributesToGet", "ScanFilter", "ConditionalOperator"}}));
  ReadInput in;
  DecodeCommon(request, &in);
  DYN_ASSIGN_OR_RETURN(in.projection, expr::AttributesToGetPaths(request));
  DYN_ASSIGN_OR_RETURN(in.legacy_filter.conditions,
                       expr::DecodeConditionMap(json::FindMember(request, "ScanFilter")));
  in.legacy_filter.use_or = StringOf(request, "ConditionalOperator") == "OR";
  DYN_ASSIGN_OR_RETURN(in.exclusive_start, DecodeExclusiveStartKey(request));

  std::optional<int64_t> segment = IntegerOf(request, "Segment");
  std::optional<int64_t> total = IntegerOf(request, "TotalSegments");
  if (segment && !total) {
    return ValidationError(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (total) {
    if (!segment) {
      return ValidationError(
          "The Segment parameter is required but was not present in the request when parameter "
          "TotalSegments is present");
    }
    if (*segment >= *total) {
      return ValidationError(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
          "Segment: " +
          std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
    }
    // The shape check bounds both (Segment 0..999999, TotalSegments 1..1000000).
    in.segment = static_cast<uint32_t>(*segment);
    in.total_segments = static_cast<uint32_t>(*total);
  }
  DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                       expr::CompileExpressions(request, /*takes_values=*/true));
  TakeExpressions(compiled, &in);
  DYN_RETURN_IF_ERROR(CheckSelect(request, in));
  return in;
}

Result<std::shared_ptr<const TableDescription>> FindReadTable(Engine& engine,
                                                              const ReadInput& in) {
  auto table = engine.FindTable(in.table_name);
  if (!table) return Status(ErrorCode::kResourceNotFound, "Requested resource not found");
  if (in.index_name) {
    bool found = false;
    for (const auto* indexes : {&table->local_secondary_indexes, &table->global_secondary_indexes}) {
      for (const auto& index : *indexes) found = found || index.index_name == *in.index_name;
    }
    if (!found) {
      return ValidationError("The table does not have the specified index: " + *in.index_name);
    }
    // Index rows are not maintained yet: refuse rather than answer from the table.
    return ValidationError("dynemu does not support reading secondary indexes yet: IndexName " +
                           *in.index_name);
  }
  return table;
}

// Collects the top-level attributes a condition reads, and those read through a
// nested path.
void CollectPathHeads(const expr::Operand& op, std::set<std::string>* heads,
                      std::set<std::string>* nested) {
  if (op.kind == expr::Operand::Kind::kPath && !op.path.empty() && !op.path[0].is_index) {
    heads->insert(op.path[0].name);
    if (op.path.size() > 1) nested->insert(op.path[0].name);
  }
  for (const expr::Operand& arg : op.args) CollectPathHeads(arg, heads, nested);
}

void CollectPathHeads(const expr::Condition& c, std::set<std::string>* heads,
                      std::set<std::string>* nested) {
  for (const expr::Condition& child : c.children) CollectPathHeads(child, heads, nested);
  for (const expr::Operand& op : c.operands) CollectPathHeads(op, heads, nested);
}

// Key attributes may not be read through a nested path in a projection or filter.
Status CheckKeyPaths(const TableDescription& table, const std::set<std::string>& nested) {
  for (const KeySchemaElement& element : table.key_schema) {
    if (nested.count(element.attribute_name)) {
      return ValidationError(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          element.attribute_name);
    }
  }
  return Status::OK();
}

Status CheckProjectionKeyPaths(const TableDescription& table, const ReadInput& in) {
  if (!in.projection) return Status::OK();
  std::set<std::string> nested;
  for (const expr::DocumentPath& path : *in.projection) {
    if (path.size() > 1 && !path[0].is_index) nested.insert(path[0].name);
  }
  return CheckKeyPaths(table, nested);
}

bool IsIndexable(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kNull:
    case ComparisonOperator::kNotNull:
    case ComparisonOperator::kNe:
    case ComparisonOperator::kContains:
    case ComparisonOperator::kNotContains:
    case ComparisonOperator::kIn:
      return false;
    default:
      return true;
  }
}

const expr::AttributeCondition* FindCondition(const ReadInput& in, const std::string& attribute) {
  for (const auto& c : in.key_conditions) {
    if (c.attribute == attribute) return &c;
  }
  return nullptr;
}

Engine::SortKeyRange ToSortKeyRange(const expr::AttributeCondition* c) {
  Engine::SortKeyRange range;
  if (c == nullptr) return range;
  range.value = c->values[0];
  switch (c->op) {
    case ComparisonOperator::kEq: range.op = Engine::SortKeyRange::Op::kEq; break;
    case ComparisonOperator::kLt: range.op = Engine::SortKeyRange::Op::kLt; break;
    case ComparisonOperator::kLe: range.op = Engine::SortKeyRange::Op::kLe; break;
    case ComparisonOperator::kGt: range.op = Engine::SortKeyRange::Op::kGt; break;
    case ComparisonOperator::kGe: range.op = Engine::SortKeyRange::Op::kGe; break;
    case ComparisonOperator::kBeginsWith: range.op = Engine::SortKeyRange::Op::kBeginsWith; break;
    case ComparisonOperator::kBetween:
      range.op = Engine::SortKeyRange::Op::kBetween;
      range.upper = c->values[1];
      break;
    default: break;  // refused by CheckQueryKeys
  }
  return range;
}

// The key conditions and ExclusiveStartKey of a Query against the table, in
// DynamoDB's order and with its messages.
Status CheckQueryKeys(Engine& engine, const TableDescription& table, const ReadInput& in) {
  const auto& schema = table.key_schema;
  const Item* esk = in.exclusive_start ? &*in.exclusive_start : nullptr;
  if (esk && esk->size() != schema.size()) {
    return ValidationError("The provided starting key is invalid");
  }
  const size_t count = in.key_conditions.size();
  for (size_t i = 0; i < schema.size(); i++) {
    const std::string& attr = schema[i].attribute_name;
    const bool is_hash = i == 0;
    const ValueType type = ToValueType(*table.AttributeType(attr));
    if (esk && is_hash) {
      // Every key attribute must be there; then the values are checked with the
      // key's own messages, unprefixed.
      for (const KeySchemaElement& element : schema) {
        if (esk->find(element.attribute_name) == esk->end()) {
          return ValidationError("The provided starting key is invalid");
        }
      }
      DYN_RETURN_IF_ERROR(engine.ValidateKey(table, *esk));
    }
    if (is_hash && schema.size() == 1 && count > 1) {
      return ValidationError("Query key condition not supported");
    }
    const expr::AttributeCondition* c = FindCondition(in, attr);
    if (c == nullptr) {
      if (is_hash || count > 1) {
        return ValidationError("Query condition missed key schema element: " + attr);
      }
      continue;
    }
    if (!IsIndexable(c->op)) {
      return ValidationError("Attempted conditional constraint is not an indexable operation");
    }
    for (const AttributeValue& v : c->values) {
      if (v.type() != type) {
        return ValidationError(
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
      }
    }
    if (is_hash && c->op != ComparisonOperator::kEq) {
      return ValidationError("Query key condition not supported");
    }
    // The expression and legacy decoders refuse begins_with on a number already;
    // the key range could not express it.
    if (c->op == ComparisonOperator::kBeginsWith && type == ValueType::kN) {
      return ValidationError("Query key condition not supported");
    }
  }
  if (esk) {
    const AttributeValue& hash_value = FindCondition(in, table.hash_key())->values[0];
    const bool same_partition = esk->find(table.hash_key())->second == hash_value;
    const std::string* range_key = table.range_key();
    const expr::AttributeCondition* range = range_key ? FindCondition(in, *range_key) : nullptr;
    if (range == nullptr) {
      if (!same_partition) {
        return ValidationError(
            "The provided starting key is outside query boundaries based on provided conditions");
      }
    } else {
      if (!expr::EvaluateAttributeCondition(*range, *esk)) {
        return ValidationError("The provided starting key does not match the range key predicate");
      }
      if (!same_partition) {
        return ValidationError("The query can return at most one row and cannot be restarted");
      }
    }
  }
  DYN_RETURN_IF_ERROR(CheckProjectionKeyPaths(table, in));
  // A Query's filter may not name a key attribute.
  std::set<std::string> heads, nested;
  std::string_view property;
  if (in.filter) {
    CollectPathHeads(in.filter->root, &heads, &nested);
    property = "Filter Expression";
  } else if (!in.legacy_filter.conditions.empty()) {
    for (const auto& c : in.legacy_filter.conditions) heads.insert(c.attribute);
    property = "QueryFilter";
  }
  for (const KeySchemaElement& element : schema) {
    if (heads.count(element.attribute_name)) {
      return ValidationError(std::string(property) +
                             " can only contain non-primary key attributes: Primary key "
                             "attribute: " +
                             element.attribute_name);
    }
  }
  return CheckKeyPaths(table, nested);
}

// The ExclusiveStartKey of a Scan against the table and the segment.
Status CheckScanKeys(Engine& engine, const TableDescription& table, const ReadInput& in) {
  if (in.exclusive_start) {
    const Item& esk = *in.exclusive_start;
    if (esk.size() != table.key_schema.size()) {
      return ValidationError(
          "The provided starting key is invalid: The provided key element does not match the "
          "schema");
    }
    Status valid = engine.ValidateKey(table, esk);
    if (!valid.ok()) {
      return ValidationError("The provided starting key is invalid: " + valid.message());
    }
    if (in.total_segments > 1 &&
        !engine.KeyInSegment(table, nullptr, esk, in.segment, in.total_segments)) {
      return ValidationError(
          "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
          "ExclusiveStartKey with correct Segment. TotalSegments: " +
          std::to_string(in.total_segments) + " Segment: " + std::to_string(in.segment));
    }
  }
  DYN_RETURN_IF_ERROR(CheckProjectionKeyPaths(table, in));
  if (in.filter) {
    std::set<std::string> heads, nested;
    CollectPathHeads(in.filter->root, &heads, &nested);
    DYN_RETURN_IF_ERROR(CheckKeyPaths(table, nested));
  }
  return Status::OK();
}

// Filters, projects and writes one page as the response.
void WritePage(Engine& engine, const TableDescription& table, const ReadInput& in,
               const Engine::Page& page, json::Writer& out) {
  std::vector<const expr::DocumentPath*> paths;
  if (in.projection) {
    for (const expr::DocumentPath& p : *in.projection) paths.push_back(&p);
  }
  const bool write_items = in.select != Select::kCount;
  size_t count = 0;
  out.StartObject();
  if (write_items) {
    json::WriteKey(out, "Items");
    out.StartArray();
  }
  for (const Engine::ReadRow& row : page.rows) {
    bool keep = in.filter ? expr::EvaluateCondition(in.filter->root, row.item)
                          : expr::EvaluateLegacyConditions(in.legacy_filter, row.item);
    if (!keep) continue;
    count++;
    if (!write_items) continue;
    if (in.projection) {
      EncodeItem(expr::ProjectItem(row.item, paths), out);
    } else {
      EncodeItem(row.item, out);
    }
  }
  if (write_items) out.EndArray();
  json::WriteKey(out, "Count");
  out.Uint64(count);
  json::WriteKey(out, "ScannedCount");
  out.Uint64(page.rows.size());
  if (page.limited && !page.rows.empty()) {
    json::WriteKey(out, "LastEvaluatedKey");
    EncodeItem(engine.ExtractKey(table, page.rows.back().item), out);
  }
  WriteConsumedCapacity(in.return_capacity, table.table_name,
                        ReadUnits(page.bytes, in.consistent_read), out);
  out.EndObject();
}

Engine::PageLimits LimitsOf(const ReadInput& in) {
  Engine::PageLimits limits;
  limits.max_bytes = kPageBytes;
  if (in.limit && *in.limit > 0) limits.max_items = static_cast<size_t>(*in.limit);
  return limits;
}

}  // namespace

Status HandleQuery(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ReadInput in, DecodeQuery(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindReadTable(ctx.engine, in));
  DYN_RETURN_IF_ERROR(CheckQueryKeys(ctx.engine, *table, in));
  const AttributeValue& pk = FindCondition(in, table->hash_key())->values[0];
  const std::string* range_key = table->range_key();
  Engine::SortKeyRange range = ToSortKeyRange(range_key ? FindCondition(in, *range_key) : nullptr);
  DYN_ASSIGN_OR_RETURN(
      Engine::Page page,
      ctx.engine.QueryPartition(*table, nullptr, pk, range, in.forward,
                                in.exclusive_start ? &*in.exclusive_start : nullptr, LimitsOf(in)));
  WritePage(ctx.engine, *table, in, page, out);
  return Status::OK();
}

Status HandleScan(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ReadInput in, DecodeScan(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindReadTable(ctx.engine, in));
  DYN_RETURN_IF_ERROR(CheckScanKeys(ctx.engine, *table, in));
  DYN_ASSIGN_OR_RETURN(
      Engine::Page page,
      ctx.engine.ScanSegment(*table, nullptr, in.segment, in.total_segments,
                             in.exclusive_start ? &*in.exclusive_start : nullptr, LimitsOf(in)));
  WritePage(ctx.engine, *table, in, page, out);
  return Status::OK();
}

}  // namespace dynemu
