#pragma once

// The pieces shared by the table operations' source files (table_ops.cc:
// CreateTable, DescribeTable, ListTables, DeleteTable; update_table_ops.cc:
// UpdateTable; tag_ops.cc: the tags; ttl_ops.cc: Time to Live). Nothing outside
// core/ops/*_ops.cc of the table operations includes this.
//
// The decoders read requests that passed CheckRequestShape: member types are
// right, so they check only what the model cannot express. Every function that
// returns a Status returns a ValidationException with DynamoDB's message unless
// said otherwise. All are thread-safe (no state of their own).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "schema/table_description.h"

namespace dynemu {

class Engine;

namespace table_ops_internal {

// ---------------------------------------------------------------------------
// Errors and limits.

// "Value null at '<path>' failed to satisfy constraint: Member must not be null",
// for members the model leaves optional but DynamoDB requires; one validation
// error per path, in the order given. REQUIRES: !paths.empty().
Status NullMembers(const std::vector<std::string>& paths);

// "One or more parameter values were invalid: <detail>".
Status Invalid(std::string_view detail);

// Provisioned capacity above this is refused with "out of bounds".
constexpr int64_t kMaxCapacityUnits = 1'000'000'000'000;
constexpr size_t kMaxGlobalIndexes = 20;
constexpr size_t kMaxTags = 50;

// `items` separated by `separator`.
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// The engine clock's time, in microseconds since the epoch.
int64_t NowMicros(Engine& engine);

// ---------------------------------------------------------------------------
// Capacity and billing, of tables and of global indexes.

struct ThroughputInput {
  std::optional<int64_t> read;
  std::optional<int64_t> write;
};

// The ProvisionedThroughput-shaped member `name` of `obj`; nullopt when absent.
std::optional<ThroughputInput> DecodeThroughput(const json::Value& obj, std::string_view name);

struct OnDemandInput {
  std::optional<int64_t> max_read;
  std::optional<int64_t> max_write;
};

// The OnDemandThroughput member of `obj`; nullopt when absent.
std::optional<OnDemandInput> DecodeOnDemand(const json::Value& obj);

// The WarmThroughput member of `obj` (an absent figure reads as 0); nullopt
// when absent.
std::optional<WarmThroughput> DecodeWarm(const json::Value& obj);

// Either capacity above kMaxCapacityUnits is "out of bounds".
Status CheckCapacityBounds(const ThroughputInput& t);

// OnDemandThroughput is for PAY_PER_REQUEST tables only; its ceilings are
// positive (UpdateTable also takes -1, "no ceiling": `allow_clear`). `target`
// names the table or index in the messages ("table", "index : <name>").
Status CheckOnDemand(const OnDemandInput& od, bool pay_per_request, bool allow_clear,
                     std::string_view target);

// Copies the ceilings `od` gives into `*target`, leaving the others.
void ApplyOnDemand(const OnDemandInput& od, OnDemandThroughput* target);

// ---------------------------------------------------------------------------
// Attribute definitions, key schemas and indexes.

struct AttributeInput {
  std::string name;
  ScalarType type = ScalarType::kS;
};

struct KeyInput {
  std::string name;
  KeyType type = KeyType::kHash;
};

// Decodes the AttributeDefinitions list `list`; a member without a name or a
// type is a NullMembers error.
Result<std::vector<AttributeInput>> DecodeAttributes(const json::Value& list);

// Decodes the KeySchema list `list`; `path` ("keySchema",
// "globalSecondaryIndexes.1.member.keySchema") names it in NullMembers errors.
Result<std::vector<KeyInput>> DecodeKeys(const json::Value& list, const std::string& path);

std::vector<std::string> KeyNames(const std::vector<KeyInput>& keys);
std::vector<std::string> AttributeNames(const std::vector<AttributeInput>& attrs);
bool Contains(const std::vector<std::string>& names, const std::string& name);

// Every key attribute must have a definition.
Status CheckKeysDefined(const std::vector<KeyInput>& keys, const std::vector<std::string>& defined);

// The shape of a key schema: one HASH first, then at most one RANGE, all
// different, in DynamoDB's order of checks. REQUIRES: !keys.empty().
Status CheckKeyShape(const std::vector<KeyInput>& keys);

std::vector<KeySchemaElement> ToKeySchema(const std::vector<KeyInput>& keys);

// A secondary index as a request gives it (CreateTable's LocalSecondaryIndexes
// and GlobalSecondaryIndexes, UpdateTable's GlobalSecondaryIndexUpdates).
struct IndexInput {
  std::string name;
  std::vector<KeyInput> keys;
  std::optional<std::string> projection_type;
  std::optional<std::vector<std::string>> non_key_attributes;
  std::optional<ThroughputInput> throughput;
  std::optional<OnDemandInput> on_demand;
};

// Decodes one index element `e`; `path` ("localSecondaryIndexes.1.member")
// names it in the errors. Fails on a missing name, key schema or projection, or
// an empty key schema; the rest is checked by the caller.
Result<IndexInput> DecodeIndex(const json::Value& e, const std::string& path);

// The projection of an index, checked as DynamoDB checks it.
Result<Projection> CheckProjection(const IndexInput& index);

// ---------------------------------------------------------------------------
// Streams, encryption, tags.

struct StreamInput {
  bool enabled = false;
  std::optional<std::string> view_type;
};

// The StreamSpecification of `request`; nullopt when absent.
std::optional<StreamInput> DecodeStream(const json::Value& request);

struct SseInput {
  bool enabled = false;
  std::optional<std::string> sse_type;
  std::optional<std::string> kms_key;
};

// The SSESpecification of `request`; nullopt when absent.
std::optional<SseInput> DecodeSse(const json::Value& request);

// SSEType and KMSMasterKeyId against Enabled and each other.
Status CheckSse(const SseInput& sse);

// The ARN of a KMS key given as a key id, an alias name or an ARN.
std::string KmsKeyArn(const std::string& key);

// The ARN of the AWS managed key (alias/aws/dynamodb) of this emulated account.
std::string ManagedKmsKeyArn();

// The Tags list `list`, unchecked (see CheckTags).
Result<std::vector<Tag>> DecodeTags(const json::Value& list);

// Each key and value made of allowed characters, no key prefixed "aws:".
Status CheckTags(const std::vector<Tag>& tags);

// Merges `tags` into `current` (a later value replaces an earlier one), keeping
// the list sorted by key.
void MergeTags(const std::vector<Tag>& tags, std::vector<Tag>* current);

// LatestStreamLabel: the UTC time of the stream's creation, to the millisecond.
std::string StreamLabel(int64_t micros);

// ---------------------------------------------------------------------------
// Tables.

// The table `name`, or kResourceNotFound with DynamoDB's "Table: <name> not
// found" message.
Result<std::shared_ptr<const TableDescription>> FindTable(Engine& engine, std::string_view name);

// The table the request's TableName designates (see ResolveTableName); empty
// when the member is absent.
std::string TableNameOf(const json::Value& request);

// Writes the response object {"<member>": <description of desc>}.
void WriteDescription(std::string_view member, const TableDescription& desc,
                      const TableStats& stats, json::Writer& out);

}  // namespace table_ops_internal
}  // namespace dynemu
