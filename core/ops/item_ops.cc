#include "ops/item_ops.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/index_rows.h"
#include "expr/attribute_updates.h"
#include "expr/evaluator.h"
#include "expr/legacy_conditions.h"
#include "expr/projection.h"
#include "expr/request_expressions.h"
#include "expr/update_applier.h"
#include "ops/capacity.h"
#include "ops/item_collection_metrics.h"
#include "storage/item_codec.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

std::string_view TableNameOf(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "TableName");
  return v && v->IsString() ? json::AsStringView(*v) : std::string_view();
}

Result<std::shared_ptr<const TableDescription>> FindActiveTable(Engine& engine,
                                                                std::string_view name) {
  auto table = engine.FindTable(name);
  // Item operations say only this, without naming the table (DescribeTable does).
  if (!table) return Status(ErrorCode::kResourceNotFound, "Requested resource not found");
  return table;
}

// Decodes an attribute map member (Item, Key) that the shape check found to be
// an object; absent decodes to an empty item.
Result<Item> DecodeItemMember(const json::Value& request, std::string_view member) {
  const json::Value* v = json::FindMember(request, member);
  if (v == nullptr) return Item();
  return DecodeItem(*v);
}

std::string_view StringMember(const json::Value& request, std::string_view member,
                              std::string_view fallback) {
  const json::Value* v = json::FindMember(request, member);
  return v && v->IsString() ? json::AsStringView(*v) : fallback;
}

bool ConsistentReadOf(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ConsistentRead");
  return v && v->IsBool() && v->GetBool();
}

// The condition of a write: a ConditionExpression or the legacy Expected (the
// two cannot come together), and whether a failure returns the old item.
struct WriteCondition {
  std::optional<expr::ConditionExpression> expression;
  expr::LegacyConditions expected;
  bool return_old_on_failure = false;

  // OK, or ConditionalCheckFailedException, carrying the current item when asked.
  Status Check(const std::optional<Item>& current) const {
    static const Item kEmpty;
    const Item& item = current ? *current : kEmpty;
    bool ok = expression ? expr::EvaluateCondition(expression->root, item)
                         : expr::EvaluateLegacyConditions(expected, item);
    if (ok) return Status::OK();
    Status failed(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
    if (return_old_on_failure && current) failed.set_extra_members("\"Item\":" + ToJson(*current));
    return failed;
  }
};

// Decodes Expected and ConditionalOperator, then the expressions, as the write
// operations do after their own members.
Result<WriteCondition> DecodeWriteCondition(const json::Value& request,
                                            expr::CompiledExpressions* compiled) {
  WriteCondition condition;
  DYN_ASSIGN_OR_RETURN(condition.expected,
                       expr::DecodeExpected(json::FindMember(request, "Expected"),
                                            json::FindMember(request, "ConditionalOperator")));
  DYN_ASSIGN_OR_RETURN(*compiled, expr::CompileExpressions(request, /*takes_values=*/true));
  condition.expression = std::move(compiled->condition);
  condition.return_old_on_failure =
      StringMember(request, "ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
  return condition;
}

const expr::ExpressionParams kConditionParams{{"ConditionExpression"},
                                              {"Expected", "ConditionalOperator"}};

void WriteAttributes(const std::optional<Item>& item, json::Writer& out) {
  if (!item || item->empty()) return;
  json::WriteKey(out, "Attributes");
  EncodeItem(*item, out);
}

// The ItemCollectionMetrics a write answers with when asked: those of the
// item's collection as it stands after the write; nullopt when not asked or
// when the table has no local secondary index.
Result<std::optional<ItemCollectionMetrics>> CollectionMetricsOf(const Engine& engine,
                                                                 const TableDescription& table,
                                                                 const Item& key, bool asked) {
  if (!asked) return std::optional<ItemCollectionMetrics>();
  return MeasureItemCollection(engine, table, key);
}

// The members every write answers with after its Attributes: ConsumedCapacity
// (table and index units), then ItemCollectionMetrics.
void WriteWriteMetrics(const TableDescription& table, const Engine::WriteResult& result,
                       ReturnConsumedCapacity capacity,
                       const std::optional<ItemCollectionMetrics>& metrics, json::Writer& out) {
  WriteConsumedCapacity(capacity, ItemWriteCapacity(table.table_name, result), out);
  if (metrics) {
    json::WriteKey(out, "ItemCollectionMetrics");
    WriteItemCollectionMetricsObject(*metrics, out);
  }
}

}  // namespace

// ---- PutItem

struct PutItemInput {
  std::string table_name;
  Item item;
  bool return_old = false;
  WriteCondition condition;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
  bool return_collection_metrics = false;
};

Result<PutItemInput> DecodePutItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(request, kConditionParams));
  PutItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.item, DecodeItemMember(request, "Item"));
  std::string_view rv = StringMember(request, "ReturnValues", "NONE");
  if (rv != "NONE" && rv != "ALL_OLD") {
    return ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  in.return_old = rv == "ALL_OLD";
  if (ItemSize(in.item) > kMaxItemBytes) {
    return ValidationError("Item size has exceeded the maximum allowed size");
  }
  expr::CompiledExpressions compiled;
  DYN_ASSIGN_OR_RETURN(in.condition, DecodeWriteCondition(request, &compiled));
  in.return_capacity = ParseReturnConsumedCapacity(request);
  in.return_collection_metrics = ParseReturnItemCollectionMetrics(request);
  return in;
}

Status HandlePutItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(PutItemInput in, DecodePutItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  DYN_RETURN_IF_ERROR(ctx.engine.ValidateItem(*table, in.item));
  Item key = ctx.engine.ExtractKey(*table, in.item);
  DYN_ASSIGN_OR_RETURN(
      Engine::WriteResult result,
      ctx.engine.WriteItem(*table, key, ctx.operation, ctx.request_id,
                           [&](const std::optional<Item>& current) -> Result<std::optional<Item>> {
                             DYN_RETURN_IF_ERROR(in.condition.Check(current));
                             return std::optional<Item>(in.item);
                           }));
  ctx.delay_ms += result.delay_ms;

  DYN_ASSIGN_OR_RETURN(
      std::optional<ItemCollectionMetrics> metrics,
      CollectionMetricsOf(ctx.engine, *table, key, in.return_collection_metrics));
  out.StartObject();
  if (in.return_old) WriteAttributes(result.old_image, out);
  WriteWriteMetrics(*table, result, in.return_capacity, metrics, out);
  out.EndObject();
  return Status::OK();
}

// ---- GetItem

struct GetItemInput {
  std::string table_name;
  Item key;
  bool consistent_read = false;
  // What to return: the paths of a ProjectionExpression, or of AttributesToGet.
  std::optional<std::vector<expr::DocumentPath>> projection;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
};

Result<GetItemInput> DecodeGetItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(
      expr::CheckExpressionParams(request, {{"ProjectionExpression"}, {"AttributesToGet"}}));
  GetItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.key, DecodeItemMember(request, "Key"));
  // GetItem has no ExpressionAttributeValues: DynamoDB ignores the member.
  DYN_ASSIGN_OR_RETURN(expr::CompiledExpressions compiled,
                       expr::CompileExpressions(request, /*takes_values=*/false));
  DYN_ASSIGN_OR_RETURN(in.projection, expr::ProjectionPaths(request, compiled));
  in.consistent_read = ConsistentReadOf(request);
  in.return_capacity = ParseReturnConsumedCapacity(request);
  return in;
}

Status HandleGetItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(GetItemInput in, DecodeGetItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, in.key));

  // Capacity is charged on the whole item read, before projection.
  size_t bytes = 0;
  out.StartObject();
  const std::optional<std::vector<std::string_view>> top_names =
      in.projection ? expr::TopLevelNames(*in.projection) : std::nullopt;
  if (!in.projection || top_names) {
    // The whole item, or whole top-level attributes of it: written from its
    // stored bytes, never decoded.
    DYN_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                         ctx.engine.GetItemBytes(*table, in.key));
    if (stored) {
      json::WriteKey(out, "Item");
      DYN_ASSIGN_OR_RETURN(
          bytes, item_codec::WriteJson(*stored, out, top_names ? &*top_names : nullptr));
    }
  } else {
    DYN_ASSIGN_OR_RETURN(std::optional<Item> item, ctx.engine.GetItem(*table, in.key));
    if (item) {
      bytes = ItemSize(*item);
      json::WriteKey(out, "Item");
      std::vector<const expr::DocumentPath*> paths;
      for (const expr::DocumentPath& p : *in.projection) paths.push_back(&p);
      EncodeItem(expr::ProjectItem(*item, paths), out);
    }
  }
  WriteConsumedCapacity(in.return_capacity, table->table_name, ReadUnits(bytes, in.consistent_read),
                        out);
  out.EndObject();
  return Status::OK();
}

// ---- UpdateItem

struct UpdateItemInput {
  std::string table_name;
  Item key;
  std::optional<expr::UpdateExpression> update;
  std::vector<expr::AttributeUpdate> attribute_updates;
  WriteCondition condition;
  std::string return_values = "NONE";
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
  bool return_collection_metrics = false;

  // The paths the update writes: what UPDATED_OLD and UPDATED_NEW return.
  std::vector<expr::DocumentPath> TouchedPaths() const {
    std::vector<expr::DocumentPath> paths;
    if (update) {
      for (const expr::UpdateAction& action : update->actions) paths.push_back(action.path.path);
    }
    for (const expr::AttributeUpdate& u : attribute_updates) {
      expr::PathStep step;
      step.name = u.attribute;
      paths.push_back({std::move(step)});
    }
    return paths;
  }

  // The top-level attributes written, and those read or written through a
  // nested path, as the key checks need them.
};

Result<UpdateItemInput> DecodeUpdateItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(
      request, {{"UpdateExpression", "ConditionExpression"},
                {"AttributeUpdates", "Expected", "ConditionalOperator"}}));
  UpdateItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.key, DecodeItemMember(request, "Key"));
  DYN_ASSIGN_OR_RETURN(in.attribute_updates,
                       expr::DecodeAttributeUpdates(json::FindMember(request, "AttributeUpdates")));
  expr::CompiledExpressions compiled;
  DYN_ASSIGN_OR_RETURN(in.condition, DecodeWriteCondition(request, &compiled));
  in.update = std::move(compiled.update);
  in.return_values = std::string(StringMember(request, "ReturnValues", "NONE"));
  in.return_capacity = ParseReturnConsumedCapacity(request);
  in.return_collection_metrics = ParseReturnItemCollectionMetrics(request);
  return in;
}

Status CheckKeyUpdates(const TableDescription& table, const expr::UpdateExpression* update,
                       const std::vector<std::string>& attribute_updates) {
  std::vector<std::string> written = attribute_updates;
  std::set<std::string> nested;
  if (update) {
    std::vector<const expr::Operand*> pending;
    for (const expr::UpdateAction& action : update->actions) {
      written.push_back(action.path.path[0].name);
      pending.push_back(&action.path);
      pending.push_back(&action.value);
    }
    while (!pending.empty()) {
      const expr::Operand* op = pending.back();
      pending.pop_back();
      if (op->kind == expr::Operand::Kind::kPath && op->path.size() > 1) {
        nested.insert(op->path[0].name);
      }
      for (const expr::Operand& arg : op->args) pending.push_back(&arg);
    }
  }
  for (const KeySchemaElement& element : table.key_schema) {
    if (std::find(written.begin(), written.end(), element.attribute_name) != written.end()) {
      return ValidationError("One or more parameter values were invalid: Cannot update attribute " +
                             element.attribute_name + ". This attribute is part of the key");
    }
  }
  for (const KeySchemaElement& element : table.key_schema) {
    if (nested.count(element.attribute_name) > 0) {
      return ValidationError(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          element.attribute_name);
    }
  }
  return Status::OK();
}

Status HandleUpdateItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(UpdateItemInput in, DecodeUpdateItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  Status key_status = ctx.engine.ValidateKey(*table, in.key);
  if (!key_status.ok()) {
    // UpdateItem words the empty key value message as PutItem does.
    constexpr std::string_view kWere = "One or more parameter values were invalid:";
    const std::string& message = key_status.message();
    if (message.rfind(kWere, 0) == 0 &&
        message.find("cannot contain an empty") != std::string::npos) {
      return ValidationError("One or more parameter values are not valid." +
                             message.substr(kWere.size()));
    }
    return key_status;
  }
  std::vector<std::string> legacy_names;
  for (const expr::AttributeUpdate& u : in.attribute_updates) legacy_names.push_back(u.attribute);
  DYN_RETURN_IF_ERROR(
      CheckKeyUpdates(*table, in.update ? &*in.update : nullptr, legacy_names));

  DYN_ASSIGN_OR_RETURN(
      Engine::WriteResult result,
      ctx.engine.WriteItem(
          *table, in.key, ctx.operation, ctx.request_id,
          [&](const std::optional<Item>& current) -> Result<std::optional<Item>> {
            DYN_RETURN_IF_ERROR(in.condition.Check(current));
            // A new item starts as its key, which the update expression can read.
            const Item& base = current ? *current : in.key;
            Item updated;
            if (in.update) {
              DYN_ASSIGN_OR_RETURN(updated, expr::ApplyUpdate(*in.update, base));
            } else {
              DYN_ASSIGN_OR_RETURN(updated,
                                   expr::ApplyAttributeUpdates(in.attribute_updates, base));
            }
            if (ItemSize(updated) > kMaxItemBytes) {
              return ValidationError("Item size to update has exceeded the maximum allowed size");
            }
            DYN_RETURN_IF_ERROR(ValidateIndexKeys(*table, updated, IndexKeyOrigin::kUpdate));
            return std::optional<Item>(std::move(updated));
          }));
  ctx.delay_ms += result.delay_ms;

  DYN_ASSIGN_OR_RETURN(
      std::optional<ItemCollectionMetrics> metrics,
      CollectionMetricsOf(ctx.engine, *table, in.key, in.return_collection_metrics));
  out.StartObject();
  const std::string& rv = in.return_values;
  if (rv == "ALL_OLD") {
    WriteAttributes(result.old_image, out);
  } else if (rv == "ALL_NEW") {
    WriteAttributes(result.new_image, out);
  } else if (rv == "UPDATED_OLD" || rv == "UPDATED_NEW") {
    const std::optional<Item>& image = rv == "UPDATED_OLD" ? result.old_image : result.new_image;
    if (image) {
      std::vector<expr::DocumentPath> touched = in.TouchedPaths();
      std::vector<const expr::DocumentPath*> paths;
      for (const expr::DocumentPath& p : touched) paths.push_back(&p);
      WriteAttributes(expr::ProjectItem(*image, paths), out);
    }
  }
  WriteWriteMetrics(*table, result, in.return_capacity, metrics, out);
  out.EndObject();
  return Status::OK();
}

// ---- DeleteItem

struct DeleteItemInput {
  std::string table_name;
  Item key;
  bool return_old = false;
  WriteCondition condition;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
  bool return_collection_metrics = false;
};

Result<DeleteItemInput> DecodeDeleteItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(expr::CheckExpressionParams(request, kConditionParams));
  DeleteItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.key, DecodeItemMember(request, "Key"));
  std::string_view rv = StringMember(request, "ReturnValues", "NONE");
  if (rv != "NONE" && rv != "ALL_OLD") {
    return ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  in.return_old = rv == "ALL_OLD";
  expr::CompiledExpressions compiled;
  DYN_ASSIGN_OR_RETURN(in.condition, DecodeWriteCondition(request, &compiled));
  in.return_capacity = ParseReturnConsumedCapacity(request);
  in.return_collection_metrics = ParseReturnItemCollectionMetrics(request);
  return in;
}

Status HandleDeleteItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(DeleteItemInput in, DecodeDeleteItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, in.key));
  DYN_ASSIGN_OR_RETURN(
      Engine::WriteResult result,
      ctx.engine.WriteItem(*table, in.key, ctx.operation, ctx.request_id,
                           [&](const std::optional<Item>& current) -> Result<std::optional<Item>> {
                             DYN_RETURN_IF_ERROR(in.condition.Check(current));
                             return std::optional<Item>();
                           }));
  ctx.delay_ms += result.delay_ms;

  DYN_ASSIGN_OR_RETURN(
      std::optional<ItemCollectionMetrics> metrics,
      CollectionMetricsOf(ctx.engine, *table, in.key, in.return_collection_metrics));
  out.StartObject();
  if (in.return_old) WriteAttributes(result.old_image, out);
  WriteWriteMetrics(*table, result, in.return_capacity, metrics, out);
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
