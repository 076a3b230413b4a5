#include "ops/table_ops.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/java_string.h"
#include "engine/engine.h"
#include "ops/request_fields.h"
#include "ops/shape_check.h"

namespace dynemu {
namespace {

// ---------------------------------------------------------------------------
// Reading request members. The shape check has already enforced JSON types, so
// a member of the wrong type cannot reach here; the getters still treat one as
// absent rather than ever reading a value as the wrong type.

using fields::Has;
using fields::Member;


// "Value null at '<path>' failed to satisfy constraint: Member must not be null",
// for members the model leaves optional but DynamoDB requires.
Status NullMembers(const std::vector<std::string>& paths) {
  std::string message = std::to_string(paths.size()) + " validation error" +
                        (paths.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < paths.size(); i++) {
    if (i) message += "; ";
    message += "Value null at '" + paths[i] + "' failed to satisfy constraint: Member must not be null";
  }
  return ValidationError(std::move(message));
}

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

Status Invalid(std::string_view detail) {
  return ValidationError(std::string(kInvalid) + std::string(detail));
}

// Provisioned capacity above this is refused with "out of bounds".
constexpr int64_t kMaxCapacityUnits = 1'000'000'000'000;
constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;
// NonKeyAttributes summed over all the indexes of a table; a name projected into
// two indexes counts twice (CreateTable's GlobalSecondaryIndexes documentation).
constexpr size_t kMaxProjectedAttributes = 100;
constexpr size_t kMaxTags = 50;

std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); i++) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

int64_t NowMicros(Engine& engine) { return engine.env().clock().NowMicros(); }

// ---------------------------------------------------------------------------
// Shared pieces of CreateTable and UpdateTable.

struct ThroughputInput {
  std::optional<int64_t> read;
  std::optional<int64_t> write;
};

std::optional<ThroughputInput> DecodeThroughput(const json::Value& obj, std::string_view name) {
  const json::Value* v = fields::Object(obj, name);
  if (v == nullptr) return std::nullopt;
  return ThroughputInput{fields::Long(*v, "ReadCapacityUnits"), fields::Long(*v, "WriteCapacityUnits")};
}

struct OnDemandInput {
  std::optional<int64_t> max_read;
  std::optional<int64_t> max_write;
};

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

// OnDemandThroughput is for PAY_PER_REQUEST tables only; its ceilings are
// positive (UpdateTable also takes -1, "no ceiling").
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

struct AttributeInput {
  std::string name;
  ScalarType type = ScalarType::kS;
};

struct KeyInput {
  std::string name;
  KeyType type = KeyType::kHash;
};

// Decodes AttributeDefinitions; `path` names the member for null errors.
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

// Every key attribute must have a definition.
Status CheckKeysDefined(const std::vector<KeyInput>& keys, const std::vector<std::string>& defined) {
  for (const KeyInput& k : keys) {
    if (!Contains(defined, k.name)) {
      return Invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
                     Join(KeyNames(keys)) + "], AttributeDefinitions: [" + Join(defined) + "]");
    }
  }
  return Status::OK();
}

// The shape of a key schema: one HASH first, then at most one RANGE, all
// different, in DynamoDB's order of checks.
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

struct IndexInput {
  std::string name;
  std::vector<KeyInput> keys;
  std::optional<std::string> projection_type;
  std::optional<std::vector<std::string>> non_key_attributes;
  std::optional<ThroughputInput> throughput;
  std::optional<OnDemandInput> on_demand;
};

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

// The projection of an index, checked as DynamoDB checks it.
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

// ---- Streams, encryption, tags.

struct StreamInput {
  bool enabled = false;
  std::optional<std::string> view_type;
};

std::optional<StreamInput> DecodeStream(const json::Value& request) {
  const json::Value* v = fields::Object(request, "StreamSpecification");
  if (v == nullptr) return std::nullopt;
  return StreamInput{fields::Bool(*v, "StreamEnabled").value_or(false),
                     fields::String(*v, "StreamViewType")};
}

struct SseInput {
  bool enabled = false;
  std::optional<std::string> sse_type;
  std::optional<std::string> kms_key;
};

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

// The ARN of a KMS key given as a key id, an alias name or an ARN.
std::string KmsKeyArn(const std::string& key) {
  if (key.rfind("arn:", 0) == 0) return key;
  std::string prefix = "arn:aws:kms:" + std::string(kRegion) + ":" + std::string(kAccountId) + ":";
  if (key.rfind("alias/", 0) == 0) return prefix + key;
  return prefix + "key/" + key;
}

// The ARN of the AWS managed key (alias/aws/dynamodb) of this emulated account:
// a fixed key id, as the account has one such key.
std::string ManagedKmsKeyArn() {
  return KmsKeyArn("5b1e4e7e-8c5b-4f3a-9d0e-d9a2f0d1b6c3");
}

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

// Merges `tags` into `current` (a later value replaces an earlier one), keeping
// the list sorted by key.
void MergeTags(const std::vector<Tag>& tags, std::vector<Tag>* current) {
  std::map<std::string, std::string> merged;
  for (const Tag& t : *current) merged[t.key] = t.value;
  for (const Tag& t : tags) merged[t.key] = t.value;
  current->clear();
  for (auto& [k, v] : merged) current->push_back(Tag{k, v});
}

// LatestStreamLabel: the UTC time of the stream's creation, to the millisecond.
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

bool ValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

Status TableNotFound(std::string_view name) {
  return Status(ErrorCode::kResourceNotFound,
                "Requested resource not found: Table: " + std::string(name) + " not found");
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

// ===========================================================================
// UpdateTable

namespace {

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

// Applies the index updates of `in` to `t` (inside the engine's update).
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

// ===========================================================================
// Tags

namespace {

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

// ===========================================================================
// Time to Live

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
