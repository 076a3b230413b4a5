#include "ops/table_ops.h"

#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/table_ops_internal.h"

namespace dynemu {

// The helpers every table operation shares (table_ops_internal.h).
using namespace table_ops_internal;  // NOLINT(build/namespaces): one .cc, its own helpers

Status HandleDescribeTimeToLive(OpContext& ctx, const json::Value& request, json::Writer& out) {
  std::string name = TableNameOf(request);
  DYN_ASSIGN_OR_RETURN(auto table, FindTable(ctx.engine, name));
  out.StartObject();
  json::WriteKey(out, "TimeToLiveDescription");
  out.StartObject();
  if (table->ttl.enabled) {
    json::WriteKey(out, "AttributeName");
    json::WriteString(out, table->ttl.attribute_name);
  }
  json::WriteKey(out, "TimeToLiveStatus");
  json::WriteString(out, table->ttl.enabled ? "ENABLED" : "DISABLED");
  out.EndObject();
  out.EndObject();
  return Status::OK();
}

Status HandleUpdateTimeToLive(OpContext& ctx, const json::Value& request, json::Writer& out) {
  std::string name = TableNameOf(request);
  const json::Value* spec = fields::Object(request, "TimeToLiveSpecification");
  std::optional<bool> enabled = spec ? fields::Bool(*spec, "Enabled") : std::nullopt;
  std::optional<std::string> attribute = spec ? fields::String(*spec, "AttributeName") : std::nullopt;
  {
    std::vector<std::string> nulls;
    if (spec == nullptr) nulls.push_back("timeToLiveSpecification");
    if (spec != nullptr && !enabled) nulls.push_back("timeToLiveSpecification.enabled");
    if (spec != nullptr && !attribute) nulls.push_back("timeToLiveSpecification.attributeName");
    if (!nulls.empty()) return NullMembers(nulls);
  }
  DYN_ASSIGN_OR_RETURN(auto table, ctx.engine.UpdateTable(name, [&](TableDescription& t) -> Status {
    if (t.ttl.enabled && t.ttl.attribute_name != *attribute) {
      return ValidationError("TimeToLive is active on a different AttributeName: current "
                             "AttributeName is " + t.ttl.attribute_name);
    }
    if (*enabled) {
      if (t.ttl.enabled) return ValidationError("TimeToLive is already enabled");
      t.ttl = TimeToLive{true, *attribute};
    } else {
      if (!t.ttl.enabled) return ValidationError("TimeToLive is already disabled");
      t.ttl = TimeToLive{};
    }
    return Status::OK();
  }));
  (void)table;
  out.StartObject();
  json::WriteKey(out, "TimeToLiveSpecification");
  out.StartObject();
  json::WriteKey(out, "AttributeName");
  json::WriteString(out, *attribute);
  json::WriteKey(out, "Enabled");
  out.Bool(*enabled);
  out.EndObject();
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
