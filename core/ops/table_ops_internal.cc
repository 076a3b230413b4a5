#include "ops/table_ops_internal.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/table_ops.h"

namespace dynemu::table_ops_internal {
namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

// Tag keys and values: letters, digits, spaces and + - = . _ : / @.
// Non-ASCII characters are taken as letters.
bool ValidTagText(std::string_view s) {
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c) || c == ' ') continue;
    if (std::string_view("+-=._:/@").find(ch) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

Status TableNotFound(std::string_view name) {
  return Status(ErrorCode::kResourceNotFound,
                "Requested resource not found: Table: " + std::string(name) + " not found");
}

}  // namespace

// ---------------------------------------------------------------------------
// Reading request members. The shape check has already enforced JSON types, so
// a member of the wrong type cannot reach here; the getters still treat one as
// absent rather than ever reading a value as the wrong type.

Status NullMembers(const std::vector<std::string>& paths) {
  std::string message = std::to_string(paths.size()) + " validation error" +
                        (paths.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < paths.size(); i++) {
    if (i) message += "; ";
    message += "Value null at '" + paths[i] + "' failed to satisfy constraint: Member must not be null";
  }
  return ValidationError(std::move(message));
}

Status Invalid(std::string_view detail) {
  return ValidationError(std::string(kInvalid) + std::string(detail));
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); i++) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

int64_t NowMicros(Engine& engine) { return engine.env().clock().NowMicros(); }

std::optional<ThroughputInput> DecodeThroughput(const json::Value& obj, std::string_view name) {
  const json::Value* v = fields::Object(obj, name);
  if (v == nullptr) return std::nullopt;
  return ThroughputInput{fields::Long(*v, "ReadCapacityUnits"), fields::Long(*v, "WriteCapacityUnits")};
}

std::optional<OnDemandInput> DecodeOnDemand(const json::Value& obj) {
  const json::Value* v = fields::Object(obj, "OnDemandThroughput");
  if (v == nullptr) return std::nullopt;
  return OnDemandInput{fields::Long(*v, "MaxReadRequestUnits"),
                       fields::Long(*v, "MaxWriteRequestUnits")};
}

std::optional<WarmThroughput> DecodeWarm(const json::Value& obj) {
  const json::Value* v = fields::Object(obj, "WarmThroughput");
  if (v == nullptr) return std::nullopt;
  WarmThroughput warm;
  warm.read_units_per_second = fields::Long(*v, "ReadUnitsPerSecond").value_or(0);
  warm.write_units_per_second = fields::Long(*v, "WriteUnitsPerSecond").value_or(0);
  return warm;
}

Status CheckCapacityBounds(const ThroughputInput& t) {
  if (t.read && *t.read > kMaxCapacityUnits) {
    return ValidationError("Given value " + std::to_string(*t.read) +
                           " for ReadCapacityUnits is out of bounds");
  }
  if (t.write && *t.write > kMaxCapacityUnits) {
    return ValidationError("Given value " + std::to_string(*t.write) +
                           " for WriteCapacityUnits is out of bounds");
  }
  return Status::OK();
}

Status CheckOnDemand(const OnDemandInput& od, bool pay_per_request, bool allow_clear,
                     std::string_view target) {
  if (!pay_per_request) {
    if (od.max_read) {
      return Invalid("MaxReadRequestUnits for OnDemandThroughput cannot be specified when the " +
                     std::string(target) + " BillingMode is PROVISIONED");
    }
    if (od.max_write) {
      return Invalid("MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the " +
                     std::string(target) + " BillingMode is PROVISIONED");
    }
    return Status::OK();
  }
  auto bad = [&](std::optional<int64_t> v) {
    return v && *v <= 0 && !(allow_clear && *v == -1);
  };
  if (bad(od.max_read)) {
    return Invalid("Requested MaxReadRequestUnits for OnDemandThroughput for " +
                   std::string(target) + " is outside of valid range");
  }
  if (bad(od.max_write)) {
    return Invalid("Requested MaxWriteRequestUnits for OnDemandThroughput for " +
                   std::string(target) + " is outside of valid range");
  }
  return Status::OK();
}

void ApplyOnDemand(const OnDemandInput& od, OnDemandThroughput* target) {
  if (od.max_read) target->max_read_request_units = *od.max_read;
  if (od.max_write) target->max_write_request_units = *od.max_write;
}

Result<std::vector<AttributeInput>> DecodeAttributes(const json::Value& list) {
  std::vector<AttributeInput> out;
  int position = 0;
  for (const json::Value& e : list.GetArray()) {
    position++;
    std::optional<std::string> name = fields::String(e, "AttributeName");
    std::optional<std::string> type = fields::String(e, "AttributeType");
    std::string prefix = "attributeDefinitions." + std::to_string(position) + ".member.";
    if (!name) return NullMembers({prefix + "attributeName"});
    if (!type) return NullMembers({prefix + "attributeType"});
    AttributeInput a;
    a.name = *name;
    a.type = *type == "N" ? ScalarType::kN : *type == "B" ? ScalarType::kB : ScalarType::kS;
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<KeyInput>> DecodeKeys(const json::Value& list, const std::string& path) {
  std::vector<KeyInput> out;
  int position = 0;
  for (const json::Value& e : list.GetArray()) {
    position++;
    std::optional<std::string> name = fields::String(e, "AttributeName");
    std::optional<std::string> type = fields::String(e, "KeyType");
    std::string prefix = path + "." + std::to_string(position) + ".member.";
    if (!name) return NullMembers({prefix + "attributeName"});
    if (!type) return NullMembers({prefix + "keyType"});
    out.push_back(KeyInput{*name, *type == "RANGE" ? KeyType::kRange : KeyType::kHash});
  }
  return out;
}

std::vector<std::string> KeyNames(const std::vector<KeyInput>& keys) {
  std::vector<std::string> names;
  for (const KeyInput& k : keys) names.push_back(k.name);
  return names;
}

std::vector<std::string> AttributeNames(const std::vector<AttributeInput>& attrs) {
  std::vector<std::string> names;
  for (const AttributeInput& a : attrs) names.push_back(a.name);
  return names;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}


Status CheckKeysDefined(const std::vector<KeyInput>& keys, const std::vector<std::string>& defined) {
  for (const KeyInput& k : keys) {
    if (!Contains(defined, k.name)) {
      return Invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
                     Join(KeyNames(keys)) + "], AttributeDefinitions: [" + Join(defined) + "]");
    }
  }
  return Status::OK();
}

Status CheckKeyShape(const std::vector<KeyInput>& keys) {
  if (keys.size() == 2 && keys[0].name == keys[1].name) {
    return ValidationError("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (keys.size() > 2) {
    std::set<std::string> seen;
    for (const KeyInput& k : keys) {
      if (!seen.insert(k.name).second) {
        return ValidationError("The KeySchema contains multiple key attributes with the same name");
      }
    }
  }
  if (keys[0].type != KeyType::kHash) {
    return ValidationError("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (keys.size() == 2 && keys[1].type != KeyType::kRange) {
    return ValidationError("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  if (keys.size() > 2) {
    size_t hashes = 0, ranges = 0;
    bool range_seen = false;
    for (const KeyInput& k : keys) {
      if (k.type == KeyType::kHash) {
        if (range_seen) {
          return Invalid("All HASH key attributes must precede RANGE key attributes in the KeySchema");
        }
        hashes++;
      } else {
        range_seen = true;
        ranges++;
      }
    }
    if (hashes > 1) {
      return Invalid("The KeySchema exceeds the maximum allowed number of HASH key attributes");
    }
    if (ranges > 1) {
      return Invalid("The KeySchema exceeds the maximum allowed number of RANGE key attributes");
    }
  }
  return Status::OK();
}

std::vector<KeySchemaElement> ToKeySchema(const std::vector<KeyInput>& keys) {
  std::vector<KeySchemaElement> out;
  for (const KeyInput& k : keys) out.push_back(KeySchemaElement{k.name, k.type});
  return out;
}

Result<IndexInput> DecodeIndex(const json::Value& e, const std::string& path) {
  IndexInput index;
  std::optional<std::string> name = fields::String(e, "IndexName");
  if (!name) return NullMembers({path + ".indexName"});
  index.name = *name;
  const json::Value* keys = fields::Array(e, "KeySchema");
  if (keys == nullptr) return NullMembers({path + ".keySchema"});
  DYN_ASSIGN_OR_RETURN(index.keys, DecodeKeys(*keys, path + ".keySchema"));
  if (index.keys.empty()) {
    return ValidationError("1 validation error detected: Value '[]' at '" + path +
                           ".keySchema' failed to satisfy constraint: Member must have length "
                           "greater than or equal to 1");
  }
  const json::Value* projection = fields::Object(e, "Projection");
  if (projection == nullptr) return NullMembers({path + ".projection"});
  index.projection_type = fields::String(*projection, "ProjectionType");
  if (const json::Value* nka = fields::Array(*projection, "NonKeyAttributes")) {
    std::vector<std::string> names;
    for (const json::Value& a : nka->GetArray()) {
      if (a.IsString()) names.emplace_back(json::AsStringView(a));
    }
    index.non_key_attributes = std::move(names);
  }
  index.throughput = DecodeThroughput(e, "ProvisionedThroughput");
  index.on_demand = DecodeOnDemand(e);
  return index;
}

Result<Projection> CheckProjection(const IndexInput& index) {
  if (!index.projection_type) return Invalid("Unknown ProjectionType: null");
  const std::string& type = *index.projection_type;
  if (index.non_key_attributes && type != "INCLUDE") {
    return Invalid("ProjectionType is " + type + ", but NonKeyAttributes is specified");
  }
  if (!index.non_key_attributes && type == "INCLUDE") {
    return Invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  Projection p;
  p.type = type == "INCLUDE"     ? ProjectionType::kInclude
           : type == "KEYS_ONLY" ? ProjectionType::kKeysOnly
                                 : ProjectionType::kAll;
  if (index.non_key_attributes) p.non_key_attributes = *index.non_key_attributes;
  return p;
}

std::optional<StreamInput> DecodeStream(const json::Value& request) {
  const json::Value* v = fields::Object(request, "StreamSpecification");
  if (v == nullptr) return std::nullopt;
  return StreamInput{fields::Bool(*v, "StreamEnabled").value_or(false),
                     fields::String(*v, "StreamViewType")};
}

std::optional<SseInput> DecodeSse(const json::Value& request) {
  const json::Value* v = fields::Object(request, "SSESpecification");
  if (v == nullptr) return std::nullopt;
  return SseInput{fields::Bool(*v, "Enabled").value_or(false), fields::String(*v, "SSEType"),
                  fields::String(*v, "KMSMasterKeyId")};
}

Status CheckSse(const SseInput& sse) {
  if (!sse.enabled) {
    if (sse.sse_type) return Invalid("SSEType can not be specified if Enabled is false");
    if (sse.kms_key) return Invalid("KMSMasterKeyId can not be specified if Enabled is false");
    return Status::OK();
  }
  if (sse.sse_type && *sse.sse_type == "AES256") return Invalid("SSEType AES256 is not supported");
  if (sse.kms_key && (!sse.sse_type || *sse.sse_type != "KMS")) {
    return Invalid("SSEType KMS is required if KMSMasterKeyId is specified");
  }
  return Status::OK();
}

std::string KmsKeyArn(const std::string& key) {
  if (key.rfind("arn:", 0) == 0) return key;
  std::string prefix = "arn:aws:kms:" + std::string(kRegion) + ":" + std::string(kAccountId) + ":";
  if (key.rfind("alias/", 0) == 0) return prefix + key;
  return prefix + "key/" + key;
}

// A fixed key id, as the account has one such key.
std::string ManagedKmsKeyArn() {
  return KmsKeyArn("5b1e4e7e-8c5b-4f3a-9d0e-d9a2f0d1b6c3");
}

Result<std::vector<Tag>> DecodeTags(const json::Value& list) {
  std::vector<Tag> tags;
  for (const json::Value& e : list.GetArray()) {
    Tag tag;
    tag.key = fields::String(e, "Key").value_or("");
    tag.value = fields::String(e, "Value").value_or("");
    tags.push_back(std::move(tag));
  }
  return tags;
}

Status CheckTags(const std::vector<Tag>& tags) {
  for (const Tag& tag : tags) {
    if (!ValidTagText(tag.key)) return ValidationError("The Tag Key provided is invalid, Key: " + tag.key);
    if (!ValidTagText(tag.value)) {
      return ValidationError("The Tag Value provided is invalid, Value: " + tag.value);
    }
    if (tag.key.rfind("aws:", 0) == 0) {
      return ValidationError("Tag Key cannot be prefixed with aws:, Key: " + tag.key);
    }
  }
  return Status::OK();
}

void MergeTags(const std::vector<Tag>& tags, std::vector<Tag>* current) {
  std::map<std::string, std::string> merged;
  for (const Tag& t : *current) merged[t.key] = t.value;
  for (const Tag& t : tags) merged[t.key] = t.value;
  current->clear();
  for (auto& [k, v] : merged) current->push_back(Tag{k, v});
}

std::string StreamLabel(int64_t micros) {
  time_t seconds = static_cast<time_t>(micros / 1'000'000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  char buffer[80];
  snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
           static_cast<int>((micros / 1000) % 1000));
  return buffer;
}

Result<std::shared_ptr<const TableDescription>> FindTable(Engine& engine, std::string_view name) {
  auto table = engine.FindTable(name);
  if (!table) return TableNotFound(name);
  return table;
}

std::string TableNameOf(const json::Value& request) {
  return ResolveTableName(fields::String(request, "TableName").value_or(""));
}

void WriteDescription(std::string_view member, const TableDescription& desc,
                      const TableStats& stats, json::Writer& out) {
  out.StartObject();
  json::WriteKey(out, member);
  EncodeTableDescription(desc, stats, out);
  out.EndObject();
}

}  // namespace dynemu::table_ops_internal
