#include "ops/read_ops.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/index_rows.h"
#include "expr/evaluator.h"
#include "expr/key_condition.h"
#include "expr/legacy_conditions.h"
#include "expr/projection.h"
#include "expr/request_expressions.h"
#include "ops/capacity.h"
#include "ops/shape_check.h"
#include "storage/item_codec.h"
#include "value/item_size.h"
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
  return table;
}

// The secondary index a read names (nullptr: none), once it may be read.
Result<const SecondaryIndex*> FindReadIndex(const TableDescription& table, const ReadInput& in) {
  if (!in.index_name) return static_cast<const SecondaryIndex*>(nullptr);
  const SecondaryIndex* index = FindIndex(table, *in.index_name);
  // An index being deleted is already gone for readers, as DescribeTable still
  // lists it but reads no longer find it.
  if (index == nullptr || index->status == TableStatus::kDeleting) {
    return ValidationError("The table does not have the specified index: " + *in.index_name);
  }
  // A GSI added by UpdateTable cannot be read until its backfill is done.
  if (index->global && (index->backfilling || index->status == TableStatus::kCreating)) {
    return ValidationError("Cannot read from backfilling global secondary index: " +
                           index->index_name);
  }
  // GSIs are eventually consistent; LSIs share their partition with the table
  // and allow strongly consistent reads.
  if (index->global && in.consistent_read) {
    return ValidationError("Consistent reads are not supported on global secondary indexes");
  }
  return index;
}

const std::vector<KeySchemaElement>& KeySchemaOf(const TableDescription& table,
                                                 const SecondaryIndex* index) {
  return index ? index->key_schema : table.key_schema;
}

// The attributes an ExclusiveStartKey must hold: the table's key, or for an index
// its key and the table's, each once.
size_t StartKeySize(const TableDescription& table, const SecondaryIndex* index) {
  std::set<std::string> names;
  for (const KeySchemaElement& e : table.key_schema) names.insert(e.attribute_name);
  if (index) {
    for (const KeySchemaElement& e : index->key_schema) names.insert(e.attribute_name);
  }
  return names.size();
}

// Checks the values of the `schema` attributes of `key` as keys (types, empty
// values, sizes), with the messages of a table key.
// REQUIRES: key holds each attribute of `schema`.
Status ValidateKeyPieces(Engine& engine, const TableDescription& table,
                         const std::vector<KeySchemaElement>& schema, const Item& key) {
  if (&schema == &table.key_schema && key.size() == schema.size()) {
    return engine.ValidateKey(table, key);
  }
  TableDescription keyed;
  keyed.attribute_definitions = table.attribute_definitions;
  keyed.key_schema = schema;
  Item pieces;
  for (const KeySchemaElement& e : schema) pieces.emplace(e.attribute_name, key.at(e.attribute_name));
  return engine.ValidateKey(keyed, pieces);
}

// The table key part of an index's ExclusiveStartKey. DynamoDB checks it after
// the index's own key, with the prefix the index key errors lack.
Status ValidateTableStartKey(Engine& engine, const TableDescription& table, const Item& esk) {
  Item key;
  for (const KeySchemaElement& e : table.key_schema) {
    auto it = esk.find(e.attribute_name);
    if (it != esk.end()) key.emplace(it->first, it->second);
  }
  Status valid = engine.ValidateKey(table, key);
  if (!valid.ok()) return ValidationError("The provided starting key is invalid: " + valid.message());
  return Status::OK();
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

// Key attributes may not be read through a nested path in a projection or
// filter: the table's keys first, then every index key of the table (GSIs, then
// LSIs), whichever index the read names.
Status CheckKeyPaths(const TableDescription& table, const std::set<std::string>& nested) {
  if (nested.empty()) return Status::OK();
  for (const KeySchemaElement& element : table.key_schema) {
    if (nested.count(element.attribute_name)) {
      return ValidationError(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          element.attribute_name);
    }
  }
  for (const auto* indexes : {&table.global_secondary_indexes, &table.local_secondary_indexes}) {
    for (const SecondaryIndex& index : *indexes) {
      for (const KeySchemaElement& element : index.key_schema) {
        if (nested.count(element.attribute_name)) {
          return ValidationError(
              "Key attributes must be scalars; list random access '[]' and map lookup '.' are "
              "not allowed: IndexKey: " +
              element.attribute_name);
        }
      }
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

bool Projects(const std::vector<std::string>& projected, const std::string& name) {
  return std::binary_search(projected.begin(), projected.end(), name);
}

// The top-level attributes the projection asks for that `index` does not hold,
// in the order first named. Empty for an ALL projection.
std::vector<std::string> UnprojectedNames(const TableDescription& table,
                                          const SecondaryIndex& index, const ReadInput& in) {
  std::vector<std::string> missing;
  if (!in.projection || index.projection.type == ProjectionType::kAll) return missing;
  std::vector<std::string> projected = ProjectedAttributeNames(table, index);
  for (const expr::DocumentPath& path : *in.projection) {
    if (path.empty() || path[0].is_index) continue;
    const std::string& name = path[0].name;
    if (Projects(projected, name)) continue;
    if (std::find(missing.begin(), missing.end(), name) == missing.end()) missing.push_back(name);
  }
  return missing;
}

// What a GSI can answer: ALL_ATTRIBUTES only with an ALL projection, and a
// projection only of projected attributes (a GSI never fetches from its table).
Status CheckGlobalIndexSelect(const TableDescription& table, const SecondaryIndex* index,
                              const ReadInput& in) {
  if (index == nullptr || !index->global || index->projection.type == ProjectionType::kAll) {
    return Status::OK();
  }
  if (in.select == Select::kAllAttributes) {
    return ValidationError(
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
        "for global secondary index " +
        index->index_name + " because its projection type is not ALL");
  }
  std::vector<std::string> missing = UnprojectedNames(table, *index, in);
  if (!missing.empty()) {
    std::string list;
    for (const std::string& name : missing) list += (list.empty() ? "" : ", ") + name;
    return ValidationError("One or more parameter values were invalid: Global secondary index " +
                           index->index_name + " does not project [" + list + "]");
  }
  return Status::OK();
}

// True when a read of LSI `index` must fetch each item from the table: it asks
// for all attributes, or names one the index does not project.
bool FetchesFromTable(const TableDescription& table, const SecondaryIndex* index,
                      const ReadInput& in) {
  if (index == nullptr || index->global || index->projection.type == ProjectionType::kAll) {
    return false;
  }
  if (in.select == Select::kCount) return false;
  if (in.select == Select::kAllAttributes) return true;
  return !UnprojectedNames(table, *index, in).empty();
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

// The key conditions and ExclusiveStartKey of a Query against the table or
// `index`, in DynamoDB's order and with its messages. Against an index the
// conditions name the index's keys, and the ExclusiveStartKey holds the index's
// keys (checked first, errors unprefixed) and the table's (errors prefixed).
Status CheckQueryKeys(Engine& engine, const TableDescription& table, const SecondaryIndex* index,
                      const ReadInput& in) {
  const auto& schema = KeySchemaOf(table, index);
  const Item* esk = in.exclusive_start ? &*in.exclusive_start : nullptr;
  if (esk && esk->size() != StartKeySize(table, index)) {
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
      DYN_RETURN_IF_ERROR(ValidateKeyPieces(engine, table, schema, *esk));
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
    if (index) DYN_RETURN_IF_ERROR(ValidateTableStartKey(engine, table, *esk));
    const std::string& hash_key = schema[0].attribute_name;
    const AttributeValue& hash_value = FindCondition(in, hash_key)->values[0];
    const bool same_partition = esk->find(hash_key)->second == hash_value;
    const std::string* range_key = schema.size() > 1 ? &schema[1].attribute_name : nullptr;
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
  // A Query's filter may not name a key attribute of what it reads.
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
  DYN_RETURN_IF_ERROR(CheckGlobalIndexSelect(table, index, in));
  return CheckKeyPaths(table, nested);
}

// The ExclusiveStartKey of a Scan against the table or `index`, and the segment.
Status CheckScanKeys(Engine& engine, const TableDescription& table, const SecondaryIndex* index,
                     const ReadInput& in) {
  const Item* esk = in.exclusive_start ? &*in.exclusive_start : nullptr;
  if (esk && esk->size() != StartKeySize(table, index)) {
    return ValidationError(index ? "The provided starting key is invalid"
                                 : "The provided starting key is invalid: The provided key "
                                   "element does not match the schema");
  }
  if (esk && index) {
    for (const KeySchemaElement& element : index->key_schema) {
      if (esk->find(element.attribute_name) == esk->end()) {
        return ValidationError("The provided starting key is invalid");
      }
    }
    DYN_RETURN_IF_ERROR(ValidateKeyPieces(engine, table, index->key_schema, *esk));
  }
  DYN_RETURN_IF_ERROR(CheckGlobalIndexSelect(table, index, in));
  if (esk) {
    DYN_RETURN_IF_ERROR(ValidateTableStartKey(engine, table, *esk));
    if (in.total_segments > 1 &&
        !engine.KeyInSegment(table, index, *esk, in.segment, in.total_segments)) {
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

// Replaces each row of a page read from an LSI by its item in the table (one
// snapshot), for the attributes the index does not project. Returns the read
// units of those fetches: DynamoDB charges a whole item read, rounded up to 4 KB,
// for every item it fetches. A row whose item is gone meanwhile keeps its entry.
Result<double> FetchFromTable(Engine& engine, const TableDescription& table, bool consistent,
                              std::vector<Engine::ReadRow>* rows) {
  std::vector<Item> keys;
  keys.reserve(rows->size());
  for (const Engine::ReadRow& row : *rows) keys.push_back(engine.ExtractKey(table, row.item));
  std::vector<std::pair<const TableDescription*, const Item*>> wanted;
  wanted.reserve(keys.size());
  for (const Item& key : keys) wanted.emplace_back(&table, &key);
  DYN_ASSIGN_OR_RETURN(std::vector<std::optional<Item>> items, engine.GetItems(wanted));
  double units = 0;
  for (size_t i = 0; i < rows->size(); i++) {
    if (!items[i]) continue;
    Engine::ReadRow& row = (*rows)[i];
    row.item = std::move(*items[i]);
    row.size = ItemSize(row.item);
    units += ReadUnits(row.size, consistent);
  }
  return units;
}

// Filters, projects and writes one page as the response. A page of an index
// holds its projected entries, or (FetchesFromTable) their items in the table.
Status WritePage(Engine& engine, const TableDescription& table, const SecondaryIndex* index,
                 const ReadInput& in, Engine::Page& page, json::Writer& out) {
  std::optional<Item> last_key;
  if (page.limited && !page.rows.empty()) {
    const Item& last = page.rows.back().item;
    last_key = index ? IndexEntryKey(table, *index, last) : engine.ExtractKey(table, last);
  }
  double table_units = 0;
  if (FetchesFromTable(table, index, in)) {
    DYN_ASSIGN_OR_RETURN(table_units,
                         FetchFromTable(engine, table, in.consistent_read, &page.rows));
  }
  std::vector<const expr::DocumentPath*> paths;
  std::optional<std::vector<std::string_view>> top_names;
  if (in.projection) {
    for (const expr::DocumentPath& p : *in.projection) paths.push_back(&p);
    top_names = expr::TopLevelNames(*in.projection);
  }
  const bool write_items = in.select != Select::kCount;
  size_t count = 0;
  out.StartObject();
  if (write_items) {
    json::WriteKey(out, "Items");
    out.StartArray();
  }
  for (const Engine::ReadRow& row : page.rows) {
    if (!row.stored.empty()) {
      // Read as stored (ReadsAsStored): no filter, and no projection or one on
      // whole top-level attributes.
      count++;
      if (write_items) {
        DYN_RETURN_IF_ERROR(
            item_codec::WriteJson(row.stored, out, top_names ? &*top_names : nullptr).status());
      }
      continue;
    }
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
  if (last_key) {
    json::WriteKey(out, "LastEvaluatedKey");
    EncodeItem(*last_key, out);
  }
  // Rounded once over the bytes read from the table or the index (the projected
  // entries' sizes), as for a table.
  const double read_units = ReadUnits(page.bytes, in.consistent_read);
  if (index) {
    // INDEXES names the table even when nothing was fetched from it (0.0).
    CapacityBreakdown capacity;
    capacity.table_name = table.table_name;
    capacity.table_units = table_units;
    capacity.AddIndexUnits(index->index_name, index->global, read_units);
    WriteConsumedCapacity(in.return_capacity, capacity, out);
  } else {
    WriteConsumedCapacity(in.return_capacity, table.table_name, read_units, out);
  }
  out.EndObject();
  return Status::OK();
}

// Whether the page's rows go out as they are stored: no filter, no projection
// but on whole top-level attributes, and no fetch from the table need them
// decoded, so WritePage writes them from their bytes (item_codec::WriteJson).
bool ReadsAsStored(const TableDescription& table, const SecondaryIndex* index,
                   const ReadInput& in) {
  return !in.filter && in.legacy_filter.conditions.empty() &&
         (!in.projection || expr::TopLevelNames(*in.projection)) &&
         !FetchesFromTable(table, index, in);
}

Engine::PageLimits LimitsOf(const TableDescription& table, const SecondaryIndex* index,
                            const ReadInput& in) {
  Engine::PageLimits limits;
  limits.max_bytes = kPageBytes;
  if (in.limit && *in.limit > 0) limits.max_items = static_cast<size_t>(*in.limit);
  limits.stored = ReadsAsStored(table, index, in);
  return limits;
}

}  // namespace

Status HandleQuery(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ReadInput in, DecodeQuery(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindReadTable(ctx.engine, in));
  DYN_ASSIGN_OR_RETURN(const SecondaryIndex* index, FindReadIndex(*table, in));
  DYN_RETURN_IF_ERROR(CheckQueryKeys(ctx.engine, *table, index, in));
  const auto& schema = KeySchemaOf(*table, index);
  const AttributeValue& pk = FindCondition(in, schema[0].attribute_name)->values[0];
  Engine::SortKeyRange range = ToSortKeyRange(
      schema.size() > 1 ? FindCondition(in, schema[1].attribute_name) : nullptr);
  DYN_ASSIGN_OR_RETURN(
      Engine::Page page,
      ctx.engine.QueryPartition(*table, index, pk, range, in.forward,
                                in.exclusive_start ? &*in.exclusive_start : nullptr,
                                LimitsOf(*table, index, in)));
  return WritePage(ctx.engine, *table, index, in, page, out);
}

Status HandleScan(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ReadInput in, DecodeScan(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindReadTable(ctx.engine, in));
  DYN_ASSIGN_OR_RETURN(const SecondaryIndex* index, FindReadIndex(*table, in));
  DYN_RETURN_IF_ERROR(CheckScanKeys(ctx.engine, *table, index, in));
  DYN_ASSIGN_OR_RETURN(
      Engine::Page page,
      ctx.engine.ScanSegment(*table, index, in.segment, in.total_segments,
                             in.exclusive_start ? &*in.exclusive_start : nullptr,
                             LimitsOf(*table, index, in)));
  return WritePage(ctx.engine, *table, index, in, page, out);
}

}  // namespace dynemu
