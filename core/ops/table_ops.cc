#include "ops/table_ops.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/java_string.h"
#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/table_ops_internal.h"

namespace dynemu {

using fields::Has;
// The helpers every table operation shares (table_ops_internal.h).
using namespace table_ops_internal;  // NOLINT(build/namespaces): one .cc, its own helpers

namespace {

constexpr size_t kMaxLocalIndexes = 5;
// NonKeyAttributes summed over all the indexes of a table; a name projected into
// two indexes counts twice (CreateTable's GlobalSecondaryIndexes documentation).
constexpr size_t kMaxProjectedAttributes = 100;

// The iteration order of a java.util.HashSet<String> filled with `names` in
// order: by bucket (spread hash masked by the table size), then by insertion.
// DynamoDB lists the "keys used" of its unused-definitions error in this order.
std::vector<std::string> JavaHashSetOrder(const std::vector<std::string>& names) {
  std::vector<std::string> unique;
  for (const std::string& n : names) {
    if (!Contains(unique, n)) unique.push_back(n);
  }
  std::vector<std::string> ordered;
  ordered.reserve(unique.size());
  for (size_t i : JavaHashOrder(unique)) ordered.push_back(unique[i]);
  return ordered;
}

}  // namespace

std::string ResolveTableName(std::string_view name) {
  std::string prefix = "arn:aws:dynamodb:" + std::string(kRegion) + ":" + std::string(kAccountId) +
                       ":table/";
  if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix) {
    std::string_view rest = name.substr(prefix.size());
    if (rest.find('/') == std::string_view::npos) return std::string(rest);
  }
  return std::string(name);
}

// ===========================================================================
// CreateTable

Result<CreateTableInput> DecodeCreateTable(const json::Value& request) {
  for (std::string_view unsupported : {"GlobalTableSourceArn", "GlobalTableSettingsReplicationMode",
                                       "ResourcePolicy"}) {
    if (Has(request, unsupported)) {
      return ValidationError("dynemu does not support the parameter " + std::string(unsupported) +
                             " yet");
    }
  }
  const json::Value* attr_list = fields::Array(request, "AttributeDefinitions");
  const json::Value* key_list = fields::Array(request, "KeySchema");
  {
    // The model marks these optional (a table may be created from a global
    // table source), but a table of one's own needs both.
    std::vector<std::string> nulls;
    if (attr_list == nullptr) nulls.push_back("attributeDefinitions");
    if (key_list == nullptr) nulls.push_back("keySchema");
    if (!nulls.empty()) return NullMembers(nulls);
  }
  DYN_ASSIGN_OR_RETURN(std::vector<AttributeInput> attrs, DecodeAttributes(*attr_list));
  DYN_ASSIGN_OR_RETURN(std::vector<KeyInput> keys, DecodeKeys(*key_list, "keySchema"));
  if (keys.empty()) {
    return ValidationError(
        "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  }

  std::optional<std::string> billing = fields::String(request, "BillingMode");
  const bool pay_per_request = billing && *billing == "PAY_PER_REQUEST";
  std::optional<ThroughputInput> throughput = DecodeThroughput(request, "ProvisionedThroughput");
  std::optional<OnDemandInput> on_demand = DecodeOnDemand(request);

  std::optional<std::vector<IndexInput>> lsis, gsis;
  if (const json::Value* list = fields::Array(request, "LocalSecondaryIndexes")) {
    lsis.emplace();
    int i = 0;
    for (const json::Value& e : list->GetArray()) {
      DYN_ASSIGN_OR_RETURN(IndexInput index,
                           DecodeIndex(e, "localSecondaryIndexes." + std::to_string(++i) + ".member"));
      lsis->push_back(std::move(index));
    }
  }
  if (const json::Value* list = fields::Array(request, "GlobalSecondaryIndexes")) {
    gsis.emplace();
    int i = 0;
    for (const json::Value& e : list->GetArray()) {
      DYN_ASSIGN_OR_RETURN(IndexInput index,
                           DecodeIndex(e, "globalSecondaryIndexes." + std::to_string(++i) + ".member"));
      gsis->push_back(std::move(index));
    }
  }

  // Billing and capacity come first.
  if (pay_per_request) {
    if (throughput) {
      return Invalid(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          "PAY_PER_REQUEST");
    }
  } else {
    if (!throughput || !throughput->read || !throughput->write || *throughput->read == 0 ||
        *throughput->write == 0) {
      return Invalid(
          "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
          "PROVISIONED");
    }
    DYN_RETURN_IF_ERROR(CheckCapacityBounds(*throughput));
  }
  if (on_demand) DYN_RETURN_IF_ERROR(CheckOnDemand(*on_demand, pay_per_request, false, "table"));

  // Then the table's keys against the definitions.
  const std::vector<std::string> defined = AttributeNames(attrs);
  {
    std::set<std::string> seen;
    for (const std::string& name : defined) {
      if (!seen.insert(name).second) return ValidationError("Attribute Name is duplicated: " + name);
    }
  }
  if (keys.size() > attrs.size()) {
    return ValidationError("Invalid KeySchema: Some index key attribute have no definition");
  }
  DYN_RETURN_IF_ERROR(CheckKeysDefined(keys, defined));
  DYN_RETURN_IF_ERROR(CheckKeyShape(keys));
  if (!lsis && !gsis && keys.size() != attrs.size()) {
    return Invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined in "
        "AttributeDefinitions");
  }

  TableDescription desc;
  desc.table_name = fields::String(request, "TableName").value_or("");
  for (const AttributeInput& a : attrs) {
    desc.attribute_definitions.push_back(AttributeDefinition{a.name, a.type});
  }
  desc.key_schema = ToKeySchema(keys);
  desc.billing_mode = pay_per_request ? BillingMode::kPayPerRequest : BillingMode::kProvisioned;
  if (!pay_per_request) {
    desc.throughput.read_capacity_units = *throughput->read;
    desc.throughput.write_capacity_units = *throughput->write;
  } else if (on_demand) {
    ApplyOnDemand(*on_demand, &desc.on_demand);
  }

  std::set<std::string> index_names;
  std::vector<std::string> keys_used = KeyNames(keys);
  if (lsis) {
    if (lsis->empty()) return Invalid("List of LocalSecondaryIndexes is empty");
    if (keys.size() != 2) {
      return Invalid(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex");
    }
    for (const IndexInput& index : *lsis) {
      DYN_RETURN_IF_ERROR(CheckKeysDefined(index.keys, defined));
      DYN_RETURN_IF_ERROR(CheckKeyShape(index.keys));
      if (index.keys.size() != 2) {
        return Invalid("Index KeySchema does not have a range key for index: " + index.name);
      }
      if (index.keys[0].name != keys[0].name) {
        return Invalid("Index KeySchema does not have the same leading hash key as table KeySchema "
                       "for index: " + index.name + ". index hash key: " + index.keys[0].name +
                       ", table hash key: " + keys[0].name);
      }
      DYN_ASSIGN_OR_RETURN(Projection projection, CheckProjection(index));
      if (!index_names.insert(index.name).second) {
        return Invalid("Duplicate index name: " + index.name);
      }
      SecondaryIndex si;
      si.index_name = index.name;
      si.global = false;
      si.key_schema = ToKeySchema(index.keys);
      si.projection = std::move(projection);
      desc.local_secondary_indexes.push_back(std::move(si));
      for (const KeyInput& k : index.keys) keys_used.push_back(k.name);
    }
    if (lsis->size() > kMaxLocalIndexes) {
      return Invalid("Number of LocalSecondaryIndexes exceeds per-table limit of " +
                     std::to_string(kMaxLocalIndexes));
    }
  }
  if (gsis) {
    if (gsis->empty()) return Invalid("List of GlobalSecondaryIndexes is empty");
    for (const IndexInput& index : *gsis) {
      DYN_RETURN_IF_ERROR(CheckKeysDefined(index.keys, defined));
      DYN_RETURN_IF_ERROR(CheckKeyShape(index.keys));
      DYN_ASSIGN_OR_RETURN(Projection projection, CheckProjection(index));
      SecondaryIndex si;
      if (pay_per_request) {
        if (index.throughput) {
          return Invalid("ProvisionedThroughput should not be specified for index: " + index.name +
                         " when BillingMode is PAY_PER_REQUEST");
        }
        if (index.on_demand) {
          DYN_RETURN_IF_ERROR(CheckOnDemand(*index.on_demand, true, false, "index : " + index.name));
          ApplyOnDemand(*index.on_demand, &si.on_demand);
        }
      } else {
        if (!index.throughput || !index.throughput->read || !index.throughput->write) {
          return Invalid("ProvisionedThroughput is not specified for index: " + index.name);
        }
        DYN_RETURN_IF_ERROR(CheckCapacityBounds(*index.throughput));
        if (index.on_demand) DYN_RETURN_IF_ERROR(CheckOnDemand(*index.on_demand, false, false, "table"));
        si.throughput.read_capacity_units = *index.throughput->read;
        si.throughput.write_capacity_units = *index.throughput->write;
      }
      if (!index_names.insert(index.name).second) {
        return Invalid("Duplicate index name: " + index.name);
      }
      si.index_name = index.name;
      si.global = true;
      si.key_schema = ToKeySchema(index.keys);
      si.projection = std::move(projection);
      desc.global_secondary_indexes.push_back(std::move(si));
      for (const KeyInput& k : index.keys) keys_used.push_back(k.name);
    }
    if (gsis->size() > kMaxGlobalIndexes) {
      return Invalid("GlobalSecondaryIndex count exceeds the per-table limit of " +
                     std::to_string(kMaxGlobalIndexes));
    }
  }
  {
    size_t projected = 0;
    for (const auto* list : {&lsis, &gsis}) {
      if (!*list) continue;
      for (const IndexInput& index : **list) {
        if (index.non_key_attributes) projected += index.non_key_attributes->size();
      }
    }
    if (projected > kMaxProjectedAttributes) {
      return Invalid("Number of projected attributes in all indexes exceeds limit of " +
                     std::to_string(kMaxProjectedAttributes));
    }
  }
  for (const std::string& name : defined) {
    if (!Contains(keys_used, name)) {
      return Invalid("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
                     Join(defined) + "], keys used: [" + Join(JavaHashSetOrder(keys_used)) + "]");
    }
  }

  if (std::optional<StreamInput> stream = DecodeStream(request)) {
    if (stream->enabled && !stream->view_type) {
      return Invalid("Table is being created with a stream enabled, UpdateViewType is required");
    }
    if (!stream->enabled && stream->view_type) {
      return Invalid("Table is being created with a stream disabled, UpdateViewType should not be "
                     "specified");
    }
    if (stream->enabled) {
      desc.stream.enabled = true;
      desc.stream.view_type = *stream->view_type;
    }
  }
  CreateTableInput in;
  if (std::optional<SseInput> sse = DecodeSse(request)) {
    DYN_RETURN_IF_ERROR(CheckSse(*sse));
    if (sse->enabled) {
      desc.sse.enabled = true;
      desc.sse.kms_master_key_arn = sse->kms_key ? KmsKeyArn(*sse->kms_key) : ManagedKmsKeyArn();
    }
  }
  if (std::optional<std::string> table_class = fields::String(request, "TableClass")) {
    desc.table_class = *table_class;
    desc.table_class_set = true;
  }
  desc.deletion_protection_enabled = fields::Bool(request, "DeletionProtectionEnabled").value_or(false);
  if (std::optional<WarmThroughput> warm = DecodeWarm(request)) desc.warm = *warm;
  if (const json::Value* tags = fields::Array(request, "Tags")) {
    DYN_ASSIGN_OR_RETURN(std::vector<Tag> list, DecodeTags(*tags));
    DYN_RETURN_IF_ERROR(CheckTags(list));
    MergeTags(list, &desc.tags);
    if (desc.tags.size() > kMaxTags) {
      return ValidationError("Number of Tags exceed the current limit for the provided ResourceArn");
    }
  }
  in.desc = std::move(desc);
  return in;
}

namespace {

Result<std::shared_ptr<const TableDescription>> ExecuteCreateTable(Engine& engine,
                                                                   CreateTableInput in) {
  if (in.desc.stream.enabled) in.desc.latest_stream_label = StreamLabel(NowMicros(engine));
  return engine.CreateTable(std::move(in.desc));
}

// CreateTable answers with the table CREATING (and its GSIs CREATING), though
// it is ACTIVE by the time anyone can ask again.
void EncodeCreateTable(const TableDescription& table, json::Writer& out) {
  TableDescription shown = table;
  shown.status = TableStatus::kCreating;
  for (SecondaryIndex& index : shown.global_secondary_indexes) index.status = TableStatus::kCreating;
  WriteDescription("TableDescription", shown, TableStats{}, out);
}

}  // namespace

Status HandleCreateTable(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(CreateTableInput in, DecodeCreateTable(request));
  DYN_ASSIGN_OR_RETURN(auto table, ExecuteCreateTable(ctx.engine, std::move(in)));
  EncodeCreateTable(*table, out);
  return Status::OK();
}

// ===========================================================================
// DescribeTable

Status HandleDescribeTable(OpContext& ctx, const json::Value& request, json::Writer& out) {
  std::string name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(auto table, FindTable(ctx.engine, name));
  WriteDescription("Table", *table, ctx.engine.Stats(*table), out);
  return Status::OK();
}

// ===========================================================================
// ListTables

namespace {

struct ListTablesInput {
  size_t limit = 100;
  std::optional<std::string> exclusive_start;
};

struct ListTablesOutput {
  std::vector<std::string> names;
  std::optional<std::string> last_evaluated;
};

ListTablesInput DecodeListTables(const json::Value& request) {
  ListTablesInput in;
  // The shape check holds Limit to 1..100.
  if (std::optional<int64_t> limit = fields::Long(request, "Limit")) {
    in.limit = static_cast<size_t>(std::clamp<int64_t>(*limit, 1, 100));
  }
  in.exclusive_start = fields::String(request, "ExclusiveStartTableName");
  return in;
}

ListTablesOutput ExecuteListTables(const Engine& engine, const ListTablesInput& in) {
  ListTablesOutput result;
  for (std::string& name : engine.ListTableNames()) {
    if (in.exclusive_start && !(name > *in.exclusive_start)) continue;
    // LastEvaluatedTableName appears only when more names remain.
    if (result.names.size() == in.limit) {
      result.last_evaluated = result.names.back();
      break;
    }
    result.names.push_back(std::move(name));
  }
  return result;
}

void EncodeListTables(const ListTablesOutput& result, json::Writer& out) {
  out.StartObject();
  if (result.last_evaluated) {
    json::WriteKey(out, "LastEvaluatedTableName");
    json::WriteString(out, *result.last_evaluated);
  }
  json::WriteKey(out, "TableNames");
  out.StartArray();
  for (const std::string& name : result.names) json::WriteString(out, name);
  out.EndArray();
  out.EndObject();
}

}  // namespace

Status HandleListTables(OpContext& ctx, const json::Value& request, json::Writer& out) {
  ListTablesInput in = DecodeListTables(request);
  EncodeListTables(ExecuteListTables(ctx.engine, in), out);
  return Status::OK();
}

// ===========================================================================
// DeleteTable

Status HandleDeleteTable(OpContext& ctx, const json::Value& request, json::Writer& out) {
  std::string name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(auto table, FindTable(ctx.engine, name));
  if (table->deletion_protection_enabled) {
    return ValidationError(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  }
  // The figures as they were: the table's statistics go with it.
  TableStats stats = ctx.engine.Stats(*table);
  DYN_ASSIGN_OR_RETURN(auto deleted, ctx.engine.DeleteTable(name));
  // DynamoDB's answer shows the table DELETING, without its global indexes.
  TableDescription shown = *deleted;
  shown.status = TableStatus::kDeleting;
  shown.global_secondary_indexes.clear();
  WriteDescription("TableDescription", shown, stats, out);
  return Status::OK();
}

}  // namespace dynemu
