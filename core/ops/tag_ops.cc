#include "ops/table_ops.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/table_ops_internal.h"

namespace dynemu {

// The helpers every table operation shares (table_ops_internal.h).
using namespace table_ops_internal;  // NOLINT(build/namespaces): one .cc, its own helpers

namespace {

bool ValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

// A ResourceArn, checked in two stages as DynamoDB checks it: first its form
// (before the operation's other members are looked at), then whether it can
// name a table of this region.
struct ResourceArn {
  std::string text;
  std::vector<std::string> parts;  // partition ... resource, after "arn"
};

Status InvalidTableArn(const std::string& arn) {
  return ValidationError("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
}

Result<ResourceArn> CheckResourceArnForm(const json::Value& request) {
  std::optional<std::string> arn = fields::String(request, "ResourceArn");
  if (!arn) return ValidationError("Invalid TableArn");
  ResourceArn r;
  r.text = *arn;
  if (r.text.rfind("arn:", 0) != 0) return Invalid("ARNs must start with 'arn:': " + r.text);
  // arn:partition:service:region:account:resource
  size_t start = 4;
  for (int i = 0; i < 4; i++) {
    size_t colon = r.text.find(':', start);
    if (colon == std::string::npos) return InvalidTableArn(r.text);
    r.parts.push_back(r.text.substr(start, colon - start));
    start = colon + 1;
  }
  r.parts.push_back(r.text.substr(start));
  if (r.parts[1] != "dynamodb") {
    return Invalid("Provided Arn is not a DynamoDB resource arn: " + r.text);
  }
  return r;
}

// The table the ARN names; empty when it is another account's (never found here).
Result<std::string> TableOfResourceArn(const ResourceArn& r) {
  const std::string& a = r.text;
  if (r.parts[2] != kRegion) return InvalidTableArn(a);
  const std::string& resource = r.parts[4];
  if (resource.rfind("table/", 0) != 0) {
    return Invalid("Invalid resource arn provided, only table or stream is accepted. Provided "
                   "resource arn: " + a);
  }
  std::string rest = resource.substr(6);
  size_t slash = rest.find('/');
  std::string name = rest.substr(0, slash);
  if (slash != std::string::npos) {
    // table/<name>/stream/<label> is a stream; anything else (an index) is not taggable.
    std::string tail = rest.substr(slash + 1);
    if (tail.rfind("stream/", 0) != 0 || tail.size() == 7) {
      return Invalid("Invalid resource arn provided, only table or stream is accepted. Provided "
                     "resource arn: " + a);
    }
  }
  if (!ValidTableName(name)) return InvalidTableArn(a);
  if (r.parts[3] != kAccountId) return std::string();
  return name;
}

Status ResourceNotFound(std::string_view arn) {
  return Status(ErrorCode::kResourceNotFound,
                "Requested resource not found: ResourcArn: " + std::string(arn) + " not found");
}

}  // namespace

Status HandleTagResource(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ResourceArn resource, CheckResourceArnForm(request));
  const std::string& arn = resource.text;
  const json::Value* list = fields::Array(request, "Tags");
  if (list == nullptr) return NullMembers({"tags"});
  DYN_ASSIGN_OR_RETURN(std::string name, TableOfResourceArn(resource));
  if (list->Empty()) return ValidationError("Atleast one Tag needs to be provided as Input.");
  DYN_ASSIGN_OR_RETURN(std::vector<Tag> tags, DecodeTags(*list));
  DYN_RETURN_IF_ERROR(CheckTags(tags));
  if (name.empty() || !ctx.engine.FindTable(name)) return ResourceNotFound(arn);
  auto updated = ctx.engine.UpdateTable(name, [&](TableDescription& t) -> Status {
    std::vector<Tag> merged = t.tags;
    MergeTags(tags, &merged);
    if (merged.size() > kMaxTags) {
      return ValidationError("Number of Tags exceed the current limit for the provided ResourceArn");
    }
    t.tags = std::move(merged);
    return Status::OK();
  });
  if (!updated.ok()) {
    if (updated.status().code() == ErrorCode::kResourceNotFound) return ResourceNotFound(arn);
    return std::move(updated).take_status();
  }
  // DynamoDB answers TagResource with an empty body.
  (void)out;
  return Status::OK();
}

Status HandleUntagResource(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ResourceArn resource, CheckResourceArnForm(request));
  const json::Value* list = fields::Array(request, "TagKeys");
  if (list == nullptr) return NullMembers({"tagKeys"});
  DYN_ASSIGN_OR_RETURN(std::string name, TableOfResourceArn(resource));
  if (list->Empty()) return ValidationError("Atleast one Tag Key needs to be provided as Input.");
  std::set<std::string> keys;
  for (const json::Value& k : list->GetArray()) {
    if (k.IsString()) keys.emplace(json::AsStringView(k));
  }
  auto not_found = Status(ErrorCode::kResourceNotFound, "Requested resource not found");
  if (name.empty() || !ctx.engine.FindTable(name)) return not_found;
  auto updated = ctx.engine.UpdateTable(name, [&](TableDescription& t) -> Status {
    auto& tags = t.tags;
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [&](const Tag& tag) { return keys.count(tag.key) > 0; }),
               tags.end());
    return Status::OK();
  });
  if (!updated.ok()) {
    if (updated.status().code() == ErrorCode::kResourceNotFound) return not_found;
    return std::move(updated).take_status();
  }
  (void)out;  // an empty body, as DynamoDB's
  return Status::OK();
}

Status HandleListTagsOfResource(OpContext& ctx, const json::Value& request, json::Writer& out) {
  DYN_ASSIGN_OR_RETURN(ResourceArn resource, CheckResourceArnForm(request));
  DYN_ASSIGN_OR_RETURN(std::string name, TableOfResourceArn(resource));
  auto table = name.empty() ? nullptr : ctx.engine.FindTable(name);
  if (!table) return ResourceNotFound(resource.text);
  out.StartObject();
  json::WriteKey(out, "Tags");
  out.StartArray();
  for (const Tag& tag : table->tags) {
    out.StartObject();
    json::WriteKey(out, "Key");
    json::WriteString(out, tag.key);
    json::WriteKey(out, "Value");
    json::WriteString(out, tag.value);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return Status::OK();
}

}  // namespace dynemu
