#include "ops/table_ops.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/table_ops_internal.h"

namespace dynemu {

using fields::Has;
// The helpers every table operation shares (table_ops_internal.h).
using namespace table_ops_internal;  // NOLINT(build/namespaces): one .cc, its own helpers

namespace {

// Resets NumberOfDecreasesToday when the last decrease was on an earlier UTC day.
void RollDecreaseDay(ProvisionedThroughput* t, int64_t now_micros) {
  constexpr int64_t kDayMicros = 86'400'000'000LL;
  if (t->last_decrease_micros / kDayMicros != now_micros / kDayMicros) {
    t->number_of_decreases_today = 0;
  }
}

// Applies new capacity to `t`, with DynamoDB's bookkeeping of increases and
// decreases.
void ApplyCapacity(int64_t read, int64_t write, int64_t now_micros, ProvisionedThroughput* t) {
  RollDecreaseDay(t, now_micros);
  if (read > t->read_capacity_units || write > t->write_capacity_units) {
    t->last_increase_micros = now_micros;
  }
  if (read < t->read_capacity_units || write < t->write_capacity_units) {
    t->last_decrease_micros = now_micros;
    t->number_of_decreases_today++;
  }
  t->read_capacity_units = read;
  t->write_capacity_units = write;
}

struct GsiUpdateInput {
  enum class Kind { kCreate, kUpdate, kDelete } kind = Kind::kUpdate;
  IndexInput index;  // kCreate: everything; kUpdate: name, throughput, on_demand; kDelete: name
};

struct UpdateTableInput {
  std::string table_name;
  std::optional<std::vector<AttributeInput>> attributes;
  std::optional<std::string> billing_mode;
  std::optional<ThroughputInput> throughput;
  std::optional<std::vector<GsiUpdateInput>> gsi_updates;
  std::optional<StreamInput> stream;
  std::optional<SseInput> sse;
  std::optional<std::string> table_class;
  std::optional<bool> deletion_protection;
  std::optional<OnDemandInput> on_demand;
  std::optional<WarmThroughput> warm;
};

Result<UpdateTableInput> DecodeUpdateTable(const json::Value& request) {
  UpdateTableInput in;
  in.table_name = TableNameOf(request);
  in.billing_mode = fields::String(request, "BillingMode");
  in.throughput = DecodeThroughput(request, "ProvisionedThroughput");
  in.stream = DecodeStream(request);
  in.sse = DecodeSse(request);
  in.table_class = fields::String(request, "TableClass");
  in.deletion_protection = fields::Bool(request, "DeletionProtectionEnabled");
  in.on_demand = DecodeOnDemand(request);
  in.warm = DecodeWarm(request);
  const json::Value* gsi_list = fields::Array(request, "GlobalSecondaryIndexUpdates");

  // "At least one of ..." names every member that could make a change, less
  // the ones the request has.
  bool has_replicas = Has(request, "ReplicaUpdates");
  bool has_mrc = Has(request, "MultiRegionConsistency");
  if (!in.throughput && !in.billing_mode && !in.stream && gsi_list == nullptr && !in.sse &&
      !has_replicas && !in.deletion_protection && !in.on_demand && !in.warm && !in.table_class) {
    std::string list =
        "ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
        "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, ";
    if (!has_mrc) list += "MultiRegionConsistency, ";
    list += "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass";
    return ValidationError("At least one of " + list + " is required");
  }
  for (std::string_view unsupported : {"ReplicaUpdates", "MultiRegionConsistency",
                                       "GlobalTableWitnessUpdates",
                                       "GlobalTableSettingsReplicationMode"}) {
    if (Has(request, unsupported)) {
      return ValidationError("dynemu does not support the parameter " + std::string(unsupported) +
                             " yet");
    }
  }

  // Some changes must travel alone.
  int changes = (in.throughput || in.billing_mode || in.on_demand ? 1 : 0) + (in.stream ? 1 : 0) +
                (gsi_list ? 1 : 0) + (in.sse ? 1 : 0) + (in.table_class ? 1 : 0) +
                (in.deletion_protection ? 1 : 0) + (in.warm ? 1 : 0);
  if (in.sse && changes > 1) {
    return Invalid("Server-Side Encryption modification must be the only operation in the request");
  }
  if (in.table_class && changes > 1) {
    return Invalid("TableClass modification must be the only operation in the request");
  }
  if (in.deletion_protection && changes > 1) {
    return Invalid("DeletionProtection modification must be the only operation in the request");
  }
  if (in.warm && changes > 1) {
    return Invalid("WarmThroughput must be the only operation in the request");
  }
  if (in.on_demand && (in.throughput || in.stream || gsi_list)) {
    return Invalid("OnDemandThroughput can only be combined with BillingMode in an UpdateTable "
                   "request");
  }

  if (in.billing_mode && *in.billing_mode == "PROVISIONED" && !in.throughput) {
    return Invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }
  if (in.billing_mode && *in.billing_mode == "PAY_PER_REQUEST" && in.throughput) {
    return Invalid("ProvisionedThroughput cannot be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (in.throughput) {
    if (!in.throughput->read || !in.throughput->write) {
      return Invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                     "BillingMode is PROVISIONED");
    }
    DYN_RETURN_IF_ERROR(CheckCapacityBounds(*in.throughput));
  }
  if (in.on_demand) {
    // Whether the table is on demand is known only later; the range is not.
    auto bad = [](std::optional<int64_t> v) { return v && *v <= 0 && *v != -1; };
    if (bad(in.on_demand->max_read)) {
      return Invalid("Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of "
                     "valid range");
    }
    if (bad(in.on_demand->max_write)) {
      return Invalid("Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside "
                     "of valid range");
    }
  }

  if (const json::Value* attrs = fields::Array(request, "AttributeDefinitions")) {
    DYN_ASSIGN_OR_RETURN(in.attributes, DecodeAttributes(*attrs));
  }

  if (gsi_list != nullptr) {
    if (gsi_list->Empty()) return Invalid("List of GlobalSecondaryIndexUpdates is empty");
    in.gsi_updates.emplace();
    std::set<std::string> names;
    int position = 0;
    for (const json::Value& e : gsi_list->GetArray()) {
      position++;
      std::string path = "globalSecondaryIndexUpdates." + std::to_string(position) + ".member";
      const json::Value* create = fields::Object(e, "Create");
      const json::Value* update = fields::Object(e, "Update");
      const json::Value* del = fields::Object(e, "Delete");
      int actions = (create ? 1 : 0) + (update ? 1 : 0) + (del ? 1 : 0);
      if (actions == 0) {
        return Invalid("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                       "GlobalSecondaryIndexUpdate.Delete must not be null");
      }
      if (actions > 1) {
        return Invalid("Only one global secondary index action is allowed per "
                       "GlobalSecondaryIndexUpdate object");
      }
      GsiUpdateInput u;
      if (create) {
        u.kind = GsiUpdateInput::Kind::kCreate;
        DYN_ASSIGN_OR_RETURN(u.index, DecodeIndex(*create, path + ".create"));
      } else {
        const json::Value& action = update ? *update : *del;
        u.kind = update ? GsiUpdateInput::Kind::kUpdate : GsiUpdateInput::Kind::kDelete;
        std::optional<std::string> name = fields::String(action, "IndexName");
        if (!name) return NullMembers({path + (update ? ".update" : ".delete") + ".indexName"});
        u.index.name = *name;
        if (update) {
          u.index.throughput = DecodeThroughput(action, "ProvisionedThroughput");
          u.index.on_demand = DecodeOnDemand(action);
        }
      }
      if (!names.insert(u.index.name).second) {
        return Invalid("Only one global secondary index update per index is allowed "
                       "simultaneously. Index: " + u.index.name);
      }
      in.gsi_updates->push_back(std::move(u));
    }
  }
  size_t creates_or_deletes = 0;
  if (in.gsi_updates) {
    for (const GsiUpdateInput& u : *in.gsi_updates) {
      if (u.kind != GsiUpdateInput::Kind::kUpdate) creates_or_deletes++;
    }
  }
  if (in.throughput && creates_or_deletes) {
    return Invalid("You cannot create or delete index while updating table IOPS");
  }
  if (in.throughput && in.stream) {
    return Invalid("You cannot modify stream status while updating table IOPS");
  }
  if (in.stream && creates_or_deletes) {
    return Invalid("You cannot create or delete index while changing stream status");
  }
  if (creates_or_deletes > 1) {
    return Status(ErrorCode::kLimitExceeded,
                  "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                  "simultaneously per table");
  }

  if (in.stream) {
    if (in.stream->enabled && !in.stream->view_type) {
      return Invalid("If stream is being enabled then UpdateViewType is required");
    }
    if (!in.stream->enabled && in.stream->view_type) {
      return Invalid("If stream is being disabled, then UpdateViewType must not be specified");
    }
  }
  if (in.sse) DYN_RETURN_IF_ERROR(CheckSse(*in.sse));
  return in;
}

// What UpdateTable did, for its answer.
struct UpdateTableOutput {
  std::shared_ptr<const TableDescription> table;
  bool table_updating = false;
  // Table capacity changed without a billing change: the answer still shows
  // the old figures, as DynamoDB's does while the change is in progress.
  std::optional<std::pair<int64_t, int64_t>> old_capacity;
  std::set<std::string> updating_indexes;
  std::map<std::string, ProvisionedThroughput> old_index_capacity;
  std::string created_index;
  std::optional<SecondaryIndex> deleted_index;
};

std::string ThroughputUnchanged(std::string_view what, int64_t cur_read, int64_t req_read,
                                int64_t cur_write, int64_t req_write) {
  std::string w(what);
  return "The provisioned throughput for the " + w +
         " will not change. The requested value equals the current value. Current "
         "ReadCapacityUnits provisioned for the " + (w == "table" ? w : "index") + ": " +
         std::to_string(cur_read) + ". Requested ReadCapacityUnits: " + std::to_string(req_read) +
         ". Current WriteCapacityUnits provisioned for the " + (w == "table" ? w : "index") + ": " +
         std::to_string(cur_write) + ". Requested WriteCapacityUnits: " +
         std::to_string(req_write) +
         ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
         "higher limits.";
}

// DynamoDB builds or removes one index of a table at a time.
Status CheckNoOnlineIndexChange(const TableDescription& t) {
  for (const SecondaryIndex& index : t.global_secondary_indexes) {
    if (index.status == TableStatus::kCreating || index.status == TableStatus::kDeleting) {
      return Status(ErrorCode::kLimitExceeded,
                    "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                    "simultaneously per table");
    }
  }
  return Status::OK();
}

// Applies the index updates of `in` to `t` (inside the engine's update).
Status ApplyGsiUpdates(const UpdateTableInput& in, bool pay_per_request, int64_t now,
                       TableDescription& t, UpdateTableOutput& result) {
  for (const GsiUpdateInput& u : *in.gsi_updates) {
    auto& gsis = t.global_secondary_indexes;
    auto it = std::find_if(gsis.begin(), gsis.end(),
                           [&](const SecondaryIndex& s) { return s.index_name == u.index.name; });
    switch (u.kind) {
      case GsiUpdateInput::Kind::kDelete: {
        if (it == gsis.end()) {
          return ValidationError("Cannot delete an index that is not a GlobalSecondaryIndex: " +
                                 u.index.name);
        }
        DYN_RETURN_IF_ERROR(CheckNoOnlineIndexChange(t));
        // The engine removes its entries in the background, then the index.
        result.deleted_index = *it;
        it->status = TableStatus::kDeleting;
        it->backfilling = false;
        break;
      }
      case GsiUpdateInput::Kind::kUpdate: {
        if (it == gsis.end()) {
          return ValidationError("Cannot update an index that is not a GlobalSecondaryIndex: " +
                                 u.index.name);
        }
        if (pay_per_request) {
          if (u.index.throughput) {
            return Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
                           "index: " + u.index.name + " when BillingMode is PAY_PER_REQUEST");
          }
          if (!u.index.on_demand) {
            return Invalid("The only Updates for index: " + u.index.name +
                           " when TableThroughputMode is PAY_PER_REQUEST can be to "
                           "OnDemandThroughput, WarmThroughput");
          }
          DYN_RETURN_IF_ERROR(
              CheckOnDemand(*u.index.on_demand, true, true, "index : " + u.index.name));
          ApplyOnDemand(*u.index.on_demand, &it->on_demand);
          break;
        }
        if (u.index.on_demand) DYN_RETURN_IF_ERROR(CheckOnDemand(*u.index.on_demand, false, true, "table"));
        if (!u.index.throughput || !u.index.throughput->read || !u.index.throughput->write) {
          return Invalid("Both ReadCapacityUnits and WriteCapacityUnits must be specified for "
                         "index: " + u.index.name);
        }
        int64_t read = *u.index.throughput->read, write = *u.index.throughput->write;
        if (read > kMaxCapacityUnits || write > kMaxCapacityUnits) {
          return ValidationError(
              "This operation cannot be performed with given input values. Please contact "
              "DynamoDB service team for more info: Action Blocked: IndexUpdate");
        }
        if (read == it->throughput.read_capacity_units &&
            write == it->throughput.write_capacity_units) {
          return ValidationError(ThroughputUnchanged("index " + u.index.name,
                                                     it->throughput.read_capacity_units, read,
                                                     it->throughput.write_capacity_units, write));
        }
        result.old_index_capacity[it->index_name] = it->throughput;
        result.updating_indexes.insert(it->index_name);
        ApplyCapacity(read, write, now, &it->throughput);
        break;
      }
      case GsiUpdateInput::Kind::kCreate: {
        const IndexInput& index = u.index;
        bool exists = it != gsis.end();
        for (const SecondaryIndex& lsi : t.local_secondary_indexes) {
          exists = exists || lsi.index_name == index.name;
        }
        if (exists) return ValidationError("Attempting to create an index which already exists");
        DYN_RETURN_IF_ERROR(CheckNoOnlineIndexChange(t));
        if (!in.attributes) {
          return Invalid("AttributeDefinitions is not specified for index: " + index.name);
        }
        std::vector<std::string> given = AttributeNames(*in.attributes);
        DYN_RETURN_IF_ERROR(CheckKeysDefined(index.keys, given));
        DYN_RETURN_IF_ERROR(CheckKeyShape(index.keys));
        DYN_ASSIGN_OR_RETURN(Projection projection, CheckProjection(index));
        SecondaryIndex si;
        if (pay_per_request) {
          if (index.throughput) {
            return Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
                           "index: " + index.name + " when BillingMode is PAY_PER_REQUEST");
          }
          if (index.on_demand) {
            DYN_RETURN_IF_ERROR(CheckOnDemand(*index.on_demand, true, false, "index : " + index.name));
            ApplyOnDemand(*index.on_demand, &si.on_demand);
          }
        } else {
          if (!index.throughput || !index.throughput->read || !index.throughput->write) {
            return Invalid("Both ReadCapacityUnits and WriteCapacityUnits must be specified for "
                           "index: " + index.name);
          }
          DYN_RETURN_IF_ERROR(CheckCapacityBounds(*index.throughput));
          si.throughput.read_capacity_units = *index.throughput->read;
          si.throughput.write_capacity_units = *index.throughput->write;
        }
        if (gsis.size() >= kMaxGlobalIndexes) {
          return Status(ErrorCode::kLimitExceeded,
                        "One or more parameter values were invalid: GlobalSecondaryIndex count "
                        "exceeds the per-table limit of " + std::to_string(kMaxGlobalIndexes));
        }
        // The new index's key attributes join the definitions; one already
        // defined must keep its type.
        for (const KeyInput& k : index.keys) {
          const AttributeInput& def = *std::find_if(
              in.attributes->begin(), in.attributes->end(),
              [&](const AttributeInput& a) { return a.name == k.name; });
          std::optional<ScalarType> existing = t.AttributeType(k.name);
          if (existing && *existing != def.type) {
            return Invalid("Cannot change the type of attribute " + k.name + " from " +
                           std::string(ScalarTypeName(*existing)) + " to " +
                           std::string(ScalarTypeName(def.type)));
          }
          if (!existing) t.attribute_definitions.push_back(AttributeDefinition{k.name, def.type});
        }
        if (t.next_index_id == 0) {
          return Status(ErrorCode::kLimitExceeded,
                        "Subscriber limit exceeded: this table has had 255 indexes, the most "
                        "dynemu can give one table");
        }
        si.index_name = index.name;
        si.index_id = t.next_index_id++;
        si.global = true;
        si.key_schema = ToKeySchema(index.keys);
        si.projection = std::move(projection);
        // The engine fills it from the table's items in the background, then
        // makes it ACTIVE; writes maintain it from now on.
        si.status = TableStatus::kCreating;
        si.backfilling = true;
        gsis.push_back(std::move(si));
        result.created_index = index.name;
        break;
      }
    }
  }
  PruneAttributeDefinitions(&t);
  return Status::OK();
}

Result<UpdateTableOutput> ExecuteUpdateTable(Engine& engine, const UpdateTableInput& in) {
  UpdateTableOutput result;
  const int64_t now = NowMicros(engine);
  auto mutate = [&](TableDescription& t) -> Status {
    const bool was_ppr = t.billing_mode == BillingMode::kPayPerRequest;
    const bool to_ppr = in.billing_mode && *in.billing_mode == "PAY_PER_REQUEST" && !was_ppr;
    const bool to_provisioned = in.billing_mode && *in.billing_mode == "PROVISIONED" && was_ppr;
    const bool ppr_after = (was_ppr && !to_provisioned) || to_ppr;

    if (in.throughput && ppr_after) {
      return Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                     "BillingMode is PAY_PER_REQUEST");
    }
    if (to_provisioned) {
      std::vector<std::string> missing;
      for (const SecondaryIndex& index : t.global_secondary_indexes) {
        bool given = false;
        if (in.gsi_updates) {
          for (const GsiUpdateInput& u : *in.gsi_updates) {
            given = given || (u.kind == GsiUpdateInput::Kind::kUpdate &&
                              u.index.name == index.index_name && u.index.throughput);
          }
        }
        if (!given) missing.push_back(index.index_name);
      }
      if (!missing.empty()) {
        return Invalid("ProvisionedThroughput must be specified for index: " + Join(missing, ","));
      }
    }
    if (in.on_demand) {
      DYN_RETURN_IF_ERROR(CheckOnDemand(*in.on_demand, ppr_after, true, "table"));
    }

    // Table capacity.
    if (in.throughput) {
      int64_t read = *in.throughput->read, write = *in.throughput->write;
      if (!to_provisioned && read == t.throughput.read_capacity_units &&
          write == t.throughput.write_capacity_units) {
        return ValidationError(ThroughputUnchanged("table", t.throughput.read_capacity_units, read,
                                                   t.throughput.write_capacity_units, write));
      }
      if (!to_provisioned) {
        result.old_capacity = {t.throughput.read_capacity_units, t.throughput.write_capacity_units};
      }
      ApplyCapacity(read, write, now, &t.throughput);
      result.table_updating = true;
    }

    // Billing mode.
    if (to_ppr) {
      t.billing_mode = BillingMode::kPayPerRequest;
      t.billing_mode_last_update_micros = now;
      t.throughput.read_capacity_units = 0;
      t.throughput.write_capacity_units = 0;
      for (SecondaryIndex& index : t.global_secondary_indexes) {
        index.throughput.read_capacity_units = 0;
        index.throughput.write_capacity_units = 0;
        result.updating_indexes.insert(index.index_name);
      }
      result.table_updating = true;
    } else if (to_provisioned) {
      t.billing_mode = BillingMode::kProvisioned;
      t.on_demand = OnDemandThroughput{};
      for (SecondaryIndex& index : t.global_secondary_indexes) index.on_demand = OnDemandThroughput{};
      result.table_updating = true;
    }
    if (in.on_demand) ApplyOnDemand(*in.on_demand, &t.on_demand);

    if (in.gsi_updates) DYN_RETURN_IF_ERROR(ApplyGsiUpdates(in, ppr_after, now, t, result));

    if (in.stream) {
      if (in.stream->enabled) {
        if (t.stream.enabled) {
          return ValidationError("Table already has an enabled stream: TableName: " + t.table_name);
        }
        t.stream.enabled = true;
        t.stream.view_type = *in.stream->view_type;
        t.latest_stream_label = StreamLabel(now);
      } else {
        if (!t.stream.enabled) {
          return ValidationError("Table has no stream to disable: TableName: " + t.table_name);
        }
        t.stream = StreamSpecification{};
      }
      result.table_updating = true;
    }

    if (in.sse) {
      if (!in.sse->enabled) {
        if (!t.sse.enabled) return Invalid("Table is already encrypted by default");
        t.sse = SseDescription{};
      } else {
        std::string arn = in.sse->kms_key ? KmsKeyArn(*in.sse->kms_key) : ManagedKmsKeyArn();
        if (t.sse.enabled && t.sse.kms_master_key_arn == arn) {
          return Invalid("Table is already encrypted with given KMSMasterKeyId. Use "
                         "KMSMasterKeyId parameter if you want to change Master Key");
        }
        t.sse.enabled = true;
        t.sse.kms_master_key_arn = arn;
      }
      result.table_updating = true;
    }

    if (in.table_class) {
      t.table_class = *in.table_class;
      t.table_class_set = true;
      t.table_class_last_update_micros = now;
      result.table_updating = true;
    }
    if (in.deletion_protection) t.deletion_protection_enabled = *in.deletion_protection;

    if (in.warm) {
      if (in.warm->read_units_per_second &&
          in.warm->read_units_per_second < t.warm.read_units_per_second) {
        return Invalid("Requested ReadUnitsPerSecond for WarmThroughput for table is lower than "
                       "current WarmThroughput, decreasing WarmThroughput is not supported");
      }
      if (in.warm->write_units_per_second &&
          in.warm->write_units_per_second < t.warm.write_units_per_second) {
        return Invalid("Requested WriteUnitsPerSecond for WarmThroughput for table is lower than "
                       "current WarmThroughput, decreasing WarmThroughput is not supported");
      }
      if (in.warm->read_units_per_second) t.warm.read_units_per_second = in.warm->read_units_per_second;
      if (in.warm->write_units_per_second) {
        t.warm.write_units_per_second = in.warm->write_units_per_second;
      }
    }
    return Status::OK();
  };
  DYN_ASSIGN_OR_RETURN(result.table, engine.UpdateTable(in.table_name, mutate));
  return result;
}

// The answer shows the change in progress: the table UPDATING when its own
// settings change, indexes UPDATING / CREATING / DELETING.
void EncodeUpdateTable(const UpdateTableOutput& result, const TableStats& stats, json::Writer& out) {
  TableDescription shown = *result.table;
  if (result.table_updating) shown.status = TableStatus::kUpdating;
  if (result.old_capacity) {
    shown.throughput.read_capacity_units = result.old_capacity->first;
    shown.throughput.write_capacity_units = result.old_capacity->second;
  }
  for (SecondaryIndex& index : shown.global_secondary_indexes) {
    if (result.updating_indexes.count(index.index_name)) index.status = TableStatus::kUpdating;
    auto old = result.old_index_capacity.find(index.index_name);
    if (old != result.old_index_capacity.end()) {
      index.throughput.read_capacity_units = old->second.read_capacity_units;
      index.throughput.write_capacity_units = old->second.write_capacity_units;
    }
    if (index.index_name == result.created_index) index.status = TableStatus::kCreating;
  }
  WriteDescription("TableDescription", shown, stats, out);
}

}  // namespace

Status HandleUpdateTable(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(UpdateTableInput in, DecodeUpdateTable(request));
  DYN_ASSIGN_OR_RETURN(UpdateTableOutput result, ExecuteUpdateTable(ctx.engine, in));
  EncodeUpdateTable(result, ctx.engine.Stats(*result.table), out);
  return Status::OK();
}

}  // namespace dynemu
