#pragma once

// A table's definition and state, as DescribeTable reports it. Held immutable by
// the engine (shared_ptr<const TableDescription>); a change builds a new one.

#include <cstdint>
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

struct SecondaryIndex {
  std::string index_name;
  uint8_t index_id = 0;  // the <index> byte of its rows (key_codec.h); never 0
  bool global = true;    // GSI or LSI
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  ProvisionedThroughput throughput;  // GSIs of provisioned tables
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
  int64_t billing_mode_last_update_micros = 0;  // 0: never changed
  ProvisionedThroughput throughput;             // zeros for PAY_PER_REQUEST
  TableStatus status = TableStatus::kActive;
  int64_t creation_micros = 0;
  std::vector<SecondaryIndex> global_secondary_indexes;
  std::vector<SecondaryIndex> local_secondary_indexes;
  std::vector<Tag> tags;
  bool deletion_protection_enabled = false;
  std::string table_class = "STANDARD";
  uint8_t next_index_id = 1;  // the index_id the next new index gets

  const std::string& hash_key() const { return key_schema[0].attribute_name; }
  // The sort key's name, or nullptr when the table has none.
  const std::string* range_key() const {
    return key_schema.size() > 1 ? &key_schema[1].attribute_name : nullptr;
  }
  // The declared type of attribute `name`; nullopt when not in attribute_definitions.
  std::optional<ScalarType> AttributeType(std::string_view name) const;
};

// The table's state counted by the engine, reported as ItemCount and TableSizeBytes.
struct TableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

// The catalog record of a table (our own JSON, versioned), written by the engine.
std::string ToCatalogRecord(const TableDescription& desc);
Result<TableDescription> FromCatalogRecord(std::string_view record);

// Writes the TableDescription object of DescribeTable / CreateTable / DeleteTable
// responses (every member DynamoDB sends for this table's features).
void EncodeTableDescription(const TableDescription& desc, const TableStats& stats,
                            json::Writer& w);

}  // namespace dynemu
