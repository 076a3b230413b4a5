#pragma once

// A table's definition and state, as DescribeTable reports it. Held immutable by
// the engine (shared_ptr<const TableDescription>); a change builds a new one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "value/attribute_value.h"

namespace dynemu {

enum class KeyType : uint8_t { kHash, kRange };
enum class ScalarType : uint8_t { kS, kN, kB };
enum class BillingMode : uint8_t { kProvisioned, kPayPerRequest };
enum class TableStatus : uint8_t { kCreating, kUpdating, kDeleting, kActive };
enum class ProjectionType : uint8_t { kAll, kKeysOnly, kInclude };

std::string_view ScalarTypeName(ScalarType t);  // "S", "N", "B"
ValueType ToValueType(ScalarType t);

struct KeySchemaElement {
  std::string attribute_name;
  KeyType key_type = KeyType::kHash;
};

struct AttributeDefinition {
  std::string attribute_name;
  ScalarType attribute_type = ScalarType::kS;
};

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  int64_t number_of_decreases_today = 0;
  int64_t last_increase_micros = 0;  // 0: never
  int64_t last_decrease_micros = 0;  // 0: never
};

struct Projection {
  ProjectionType type = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // kInclude only
};

// OnDemandThroughput: the request-unit ceilings of a PAY_PER_REQUEST table or
// index; -1 means no ceiling (what DescribeTable shows when none was set).
struct OnDemandThroughput {
  int64_t max_read_request_units = -1;
  int64_t max_write_request_units = -1;
};

// WarmThroughput as requested by CreateTable/UpdateTable; 0: never requested
// (DescribeTable then omits it).
struct WarmThroughput {
  int64_t read_units_per_second = 0;
  int64_t write_units_per_second = 0;
};

// StreamSpecification. `view_type` is NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or
// KEYS_ONLY while enabled.
struct StreamSpecification {
  bool enabled = false;
  std::string view_type;
};

// Server-side encryption with a KMS key (SSEDescription). Disabled means
// DynamoDB's default encryption with an AWS owned key, which DescribeTable does
// not report.
struct SseDescription {
  bool enabled = false;
  std::string kms_master_key_arn;
};

// The TimeToLive setting (DescribeTimeToLive).
struct TimeToLive {
  bool enabled = false;
  std::string attribute_name;  // empty when disabled
};

struct SecondaryIndex {
  std::string index_name;
  uint8_t index_id = 0;  // the <index> byte of its rows (key_codec.h); never 0
  bool global = true;    // GSI or LSI
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  ProvisionedThroughput throughput;  // GSIs of provisioned tables
  OnDemandThroughput on_demand;      // GSIs of PAY_PER_REQUEST tables
  TableStatus status = TableStatus::kActive;
  bool backfilling = false;
};

struct Tag {
  std::string key;
  std::string value;
};

struct TableDescription {
  std::string table_name;
  uint32_t table_id = 0;     // the <id> of its rows (key_codec.h), assigned by the engine
  std::string table_uuid;    // TableId, a UUID assigned by the engine
  std::string table_arn;     // arn:aws:dynamodb:<region>:<account>:table/<name>
  std::vector<AttributeDefinition> attribute_definitions;
  std::vector<KeySchemaElement> key_schema;  // HASH first, then RANGE if any
  BillingMode billing_mode = BillingMode::kProvisioned;
  // When the table last became PAY_PER_REQUEST (LastUpdateToPayPerRequestDateTime);
  // 0: never switched (a table created PAY_PER_REQUEST reports its creation time).
  // A PROVISIONED table with a non-zero value still reports its BillingModeSummary.
  int64_t billing_mode_last_update_micros = 0;
  ProvisionedThroughput throughput;             // zeros for PAY_PER_REQUEST
  TableStatus status = TableStatus::kActive;
  int64_t creation_micros = 0;
  std::vector<SecondaryIndex> global_secondary_indexes;
  std::vector<SecondaryIndex> local_secondary_indexes;
  std::vector<Tag> tags;
  bool deletion_protection_enabled = false;
  std::string table_class = "STANDARD";
  // TableClass was given at creation or changed since: DescribeTable reports
  // TableClassSummary (with LastUpdateDateTime once changed; 0: never changed).
  bool table_class_set = false;
  int64_t table_class_last_update_micros = 0;
  uint8_t next_index_id = 1;  // the index_id the next new index gets
  OnDemandThroughput on_demand;  // PAY_PER_REQUEST tables
  WarmThroughput warm;
  StreamSpecification stream;
  // The label of the latest stream (LatestStreamLabel, "2015-05-11T21:21:33.291"),
  // kept after the stream is disabled; empty: never had a stream.
  std::string latest_stream_label;
  SseDescription sse;
  TimeToLive ttl;

  const std::string& hash_key() const { return key_schema[0].attribute_name; }
  // The sort key's name, or nullptr when the table has none.
  const std::string* range_key() const {
    return key_schema.size() > 1 ? &key_schema[1].attribute_name : nullptr;
  }
  // The declared type of attribute `name`; nullopt when not in attribute_definitions.
  std::optional<ScalarType> AttributeType(std::string_view name) const;
};

// What the engine counts for the base table or one of its indexes.
struct RowCounts {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

// Drops the attribute definitions no key of the table or of an index uses (after
// an index is deleted, its attributes leave the description).
void PruneAttributeDefinitions(TableDescription* t);

// The table's state counted by the engine, reported as ItemCount and
// TableSizeBytes, and per secondary index (by index_id) as the index's ItemCount
// and IndexSizeBytes.
struct TableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
  std::map<uint8_t, RowCounts> indexes;
};

// The catalog record of a table (our own JSON, versioned), written by the engine.
// FromCatalogRecord answers InternalServerError for anything that is not a record
// this or an earlier version wrote (bad JSON, missing or mistyped members, a key
// attribute without a definition, ...); it never crashes on any input.
std::string ToCatalogRecord(const TableDescription& desc);
Result<TableDescription> FromCatalogRecord(std::string_view record);

// The ARN of the table's latest stream: <table_arn>/stream/<latest_stream_label>.
std::string LatestStreamArn(const TableDescription& desc);

// Writes a DynamoDB timestamp (epoch seconds, millisecond precision) as DynamoDB
// renders it: Java's Double.toString, e.g. 1.700000000123E9.
void WriteEpochSeconds(int64_t micros, json::Writer& w);

// Writes the TableDescription object of DescribeTable / CreateTable / DeleteTable
// responses (every member DynamoDB sends for this table's features).
void EncodeTableDescription(const TableDescription& desc, const TableStats& stats,
                            json::Writer& w);

}  // namespace dynemu
