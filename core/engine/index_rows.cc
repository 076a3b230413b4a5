#include "engine/index_rows.h"

#include <algorithm>

#include "base/check.h"
#include "storage/key_codec.h"
#include "value/item_size.h"

namespace dynemu {
namespace {

const AttributeValue* Find(const Item& item, const std::string& name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : &it->second;
}

const AttributeValue& Require(const Item& item, const std::string& name) {
  const AttributeValue* v = Find(item, name);
  DYN_CHECK(v != nullptr);
  return *v;
}

// The index's key value `name` in `item` when present with its declared type.
const AttributeValue* IndexKeyValue(const TableDescription& table, const Item& item,
                                    const std::string& name) {
  const AttributeValue* v = Find(item, name);
  if (v == nullptr) return nullptr;
  std::optional<ScalarType> type = table.AttributeType(name);
  if (!type || v->type() != ToValueType(*type)) return nullptr;
  // An empty string or binary is never an index key; writes refuse it, and an
  // item stored before the index existed is simply not in the index.
  if (v->type() == ValueType::kS && v->s().empty()) return nullptr;
  if (v->type() == ValueType::kB && v->b().empty()) return nullptr;
  return v;
}

std::string RowKeyFrom(const TableDescription& table, const SecondaryIndex& index,
                       const AttributeValue& ipk, const AttributeValue* isk, const Item& item) {
  const AttributeValue& tpk = Require(item, table.hash_key());
  const AttributeValue* tsk = nullptr;
  if (const std::string* range = table.range_key()) tsk = &Require(item, *range);
  return key_codec::IndexRowKey(table.table_id, index.index_id, ipk, isk, tpk, tsk);
}

}  // namespace

std::optional<IndexEntry> MakeIndexEntry(const TableDescription& table,
                                         const SecondaryIndex& index, const Item& item) {
  const AttributeValue* ipk = IndexKeyValue(table, item, index.key_schema[0].attribute_name);
  if (ipk == nullptr) return std::nullopt;
  const AttributeValue* isk = nullptr;
  if (index.key_schema.size() > 1) {
    isk = IndexKeyValue(table, item, index.key_schema[1].attribute_name);
    if (isk == nullptr) return std::nullopt;
  }
  IndexEntry entry;
  entry.row_key = RowKeyFrom(table, index, *ipk, isk, item);
  if (index.projection.type == ProjectionType::kAll) {
    entry.item = item;
  } else {
    for (const std::string& name : ProjectedAttributeNames(table, index)) {
      if (const AttributeValue* v = Find(item, name)) entry.item.emplace(name, *v);
    }
  }
  entry.size = ItemSize(entry.item);
  return entry;
}

std::string IndexRowKeyOf(const TableDescription& table, const SecondaryIndex& index,
                          const Item& key) {
  const AttributeValue& ipk = Require(key, index.key_schema[0].attribute_name);
  const AttributeValue* isk = nullptr;
  if (index.key_schema.size() > 1) isk = &Require(key, index.key_schema[1].attribute_name);
  return RowKeyFrom(table, index, ipk, isk, key);
}

Item IndexEntryKey(const TableDescription& table, const SecondaryIndex& index,
                   const Item& entry) {
  Item key;
  for (const auto* schema : {&index.key_schema, &table.key_schema}) {
    for (const KeySchemaElement& element : *schema) {
      if (const AttributeValue* v = Find(entry, element.attribute_name)) {
        key.emplace(element.attribute_name, *v);
      }
    }
  }
  return key;
}

std::vector<std::string> ProjectedAttributeNames(const TableDescription& table,
                                                 const SecondaryIndex& index) {
  std::vector<std::string> names;
  if (index.projection.type == ProjectionType::kAll) return names;
  for (const auto* schema : {&index.key_schema, &table.key_schema}) {
    for (const KeySchemaElement& element : *schema) names.push_back(element.attribute_name);
  }
  if (index.projection.type == ProjectionType::kInclude) {
    for (const std::string& name : index.projection.non_key_attributes) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Status ValidateIndexKeys(const TableDescription& table, const Item& item, IndexKeyOrigin origin) {
  if (table.global_secondary_indexes.empty() && table.local_secondary_indexes.empty()) {
    return Status::OK();
  }
  std::vector<const SecondaryIndex*> indexes;
  for (const auto* list : {&table.global_secondary_indexes, &table.local_secondary_indexes}) {
    for (const SecondaryIndex& index : *list) indexes.push_back(&index);
  }
  // When one attribute keys several indexes, DynamoDB names the first by name.
  std::sort(indexes.begin(), indexes.end(), [](const SecondaryIndex* a, const SecondaryIndex* b) {
    return a->index_name < b->index_name;
  });
  for (const SecondaryIndex* index : indexes) {
    for (const KeySchemaElement& element : index->key_schema) {
      const std::string& name = element.attribute_name;
      const AttributeValue* v = Find(item, name);
      if (v == nullptr) continue;
      std::optional<ScalarType> type = table.AttributeType(name);
      DYN_CHECK(type.has_value());
      if (v->type() != ToValueType(*type)) {
        return ValidationError(
            "One or more parameter values were invalid: Type mismatch for Index Key " + name +
            " Expected: " + std::string(ScalarTypeName(*type)) +
            " Actual: " + std::string(ValueTypeName(v->type())) +
            " IndexName: " + index->index_name);
      }
      bool empty = (v->type() == ValueType::kS && v->s().empty()) ||
                   (v->type() == ValueType::kB && v->b().empty());
      if (empty) {
        std::string kind = v->type() == ValueType::kS ? "string" : "binary";
        std::string what = origin == IndexKeyOrigin::kPut
                               ? "A value specified for a secondary index key is not supported."
                               : "The update expression attempted to update a secondary index "
                                 "key to a value that is not supported.";
        return ValidationError("One or more parameter values are not valid. " + what +
                               " The AttributeValue for a key attribute cannot contain an empty " +
                               kind + " value. IndexName: " + index->index_name +
                               ", IndexKey: " + name);
      }
    }
  }
  return Status::OK();
}

const SecondaryIndex* FindIndex(const TableDescription& table, std::string_view name) {
  for (const auto* list : {&table.global_secondary_indexes, &table.local_secondary_indexes}) {
    for (const SecondaryIndex& index : *list) {
      if (index.index_name == name) return &index;
    }
  }
  return nullptr;
}

}  // namespace dynemu
