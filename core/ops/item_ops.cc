#include "ops/item_ops.h"

#include <set>

#include "engine/engine.h"
#include "ops/capacity.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

// The item operations' parameters that belong to the expression language and
// its legacy forms. Until dynemu evaluates them, a request that uses one is
// refused outright: silently ignoring a condition would report writes that
// DynamoDB would have refused.
Status RejectUnsupported(const json::Value& request, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (json::FindMember(request, name) != nullptr) {
      return ValidationError("dynemu does not support the parameter " + std::string(name) +
                             " yet");
    }
  }
  return Status::OK();
}

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

std::string_view ReturnValuesOf(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ReturnValues");
  return v && v->IsString() ? json::AsStringView(*v) : std::string_view("NONE");
}

bool ConsistentReadOf(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ConsistentRead");
  return v && v->IsBool() && v->GetBool();
}

}  // namespace

// ---- PutItem

struct PutItemInput {
  std::string table_name;
  Item item;
  bool return_old = false;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
};

Result<PutItemInput> DecodePutItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(RejectUnsupported(
      request, {"ConditionExpression", "Expected", "ConditionalOperator",
                "ExpressionAttributeNames", "ExpressionAttributeValues"}));
  PutItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.item, DecodeItemMember(request, "Item"));
  std::string_view rv = ReturnValuesOf(request);
  if (rv != "NONE" && rv != "ALL_OLD") {
    return ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  in.return_old = rv == "ALL_OLD";
  if (ItemSize(in.item) > kMaxItemBytes) {
    return ValidationError("Item size has exceeded the maximum allowed size");
  }
  in.return_capacity = ParseReturnConsumedCapacity(request);
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
                           [&](const std::optional<Item>&) -> Result<std::optional<Item>> {
                             return std::optional<Item>(in.item);
                           }));
  ctx.delay_ms += result.delay_ms;

  // A put costs the larger of the old and the new item.
  size_t bytes = result.new_image ? ItemSize(*result.new_image) : 0;
  if (result.old_image) bytes = std::max(bytes, ItemSize(*result.old_image));
  out.StartObject();
  if (in.return_old && result.old_image) {
    json::WriteKey(out, "Attributes");
    EncodeItem(*result.old_image, out);
  }
  WriteConsumedCapacity(in.return_capacity, table->table_name, WriteUnits(bytes), out);
  out.EndObject();
  return Status::OK();
}

// ---- GetItem

struct GetItemInput {
  std::string table_name;
  Item key;
  bool consistent_read = false;
  std::optional<std::vector<std::string>> attributes_to_get;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
};

Result<GetItemInput> DecodeGetItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(
      RejectUnsupported(request, {"ProjectionExpression", "ExpressionAttributeNames"}));
  GetItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.key, DecodeItemMember(request, "Key"));
  if (const json::Value* names = json::FindMember(request, "AttributesToGet")) {
    std::vector<std::string> list;
    std::set<std::string_view> seen;
    for (const auto& name : names->GetArray()) {
      std::string_view s = json::AsStringView(name);
      if (!seen.insert(s).second) {
        return ValidationError(
            "One or more parameter values were invalid: Duplicate value in attribute name: " +
            std::string(s));
      }
      list.emplace_back(s);
    }
    in.attributes_to_get = std::move(list);
  }
  in.consistent_read = ConsistentReadOf(request);
  in.return_capacity = ParseReturnConsumedCapacity(request);
  return in;
}

Status HandleGetItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(GetItemInput in, DecodeGetItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, in.key));
  DYN_ASSIGN_OR_RETURN(std::optional<Item> item, ctx.engine.GetItem(*table, in.key));

  // Capacity is charged on the whole item read, before projection.
  size_t bytes = item ? ItemSize(*item) : 0;
  out.StartObject();
  if (item) {
    json::WriteKey(out, "Item");
    if (in.attributes_to_get) {
      Item projected;
      for (const auto& name : *in.attributes_to_get) {
        auto it = item->find(name);
        if (it != item->end()) projected.emplace(it->first, it->second);
      }
      EncodeItem(projected, out);
    } else {
      EncodeItem(*item, out);
    }
  }
  WriteConsumedCapacity(in.return_capacity, table->table_name,
                        ReadUnits(bytes, in.consistent_read), out);
  out.EndObject();
  return Status::OK();
}

// ---- DeleteItem

struct DeleteItemInput {
  std::string table_name;
  Item key;
  bool return_old = false;
  ReturnConsumedCapacity return_capacity = ReturnConsumedCapacity::kNone;
};

Result<DeleteItemInput> DecodeDeleteItem(const json::Value& request) {
  DYN_RETURN_IF_ERROR(RejectUnsupported(
      request, {"ConditionExpression", "Expected", "ConditionalOperator",
                "ExpressionAttributeNames", "ExpressionAttributeValues"}));
  DeleteItemInput in;
  in.table_name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(in.key, DecodeItemMember(request, "Key"));
  std::string_view rv = ReturnValuesOf(request);
  if (rv != "NONE" && rv != "ALL_OLD") {
    return ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  in.return_old = rv == "ALL_OLD";
  in.return_capacity = ParseReturnConsumedCapacity(request);
  return in;
}

Status HandleDeleteItem(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(DeleteItemInput in, DecodeDeleteItem(request));
  DYN_ASSIGN_OR_RETURN(auto table, FindActiveTable(ctx.engine, in.table_name));
  DYN_RETURN_IF_ERROR(ctx.engine.ValidateKey(*table, in.key));
  DYN_ASSIGN_OR_RETURN(
      Engine::WriteResult result,
      ctx.engine.WriteItem(*table, in.key, ctx.operation, ctx.request_id,
                           [](const std::optional<Item>&) -> Result<std::optional<Item>> {
                             return std::optional<Item>();
                           }));
  ctx.delay_ms += result.delay_ms;

  size_t bytes = result.old_image ? ItemSize(*result.old_image) : 0;
  out.StartObject();
  if (in.return_old && result.old_image) {
    json::WriteKey(out, "Attributes");
    EncodeItem(*result.old_image, out);
  }
  WriteConsumedCapacity(in.return_capacity, table->table_name, WriteUnits(bytes), out);
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
