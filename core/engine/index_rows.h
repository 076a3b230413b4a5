#pragma once

// What a base-table item becomes in each of its table's secondary indexes: the
// entry's row key and the projected item stored there. Pure functions of the
// table description and the item, shared by the write path, the backfill of a
// new index, transactions and the index reads.

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table_description.h"
#include "value/attribute_value.h"

namespace dynemu {

// One entry of one index.
struct IndexEntry {
  std::string row_key;  // key_codec::IndexRowKey
  Item item;            // the projected attributes, as a read of the index returns them
  size_t size = 0;      // ItemSize(item): what IndexSizeBytes and read capacity count
};

// The entry `item` has in `index`, or nullopt when the item is not in it: an
// index is sparse, so an item lacking one of the index's key attributes (or, for
// an item stored before the index existed, holding one with another type) has no
// entry. The entry holds the index keys, the table keys and the projected
// attributes (all of them for ALL, NonKeyAttributes for INCLUDE).
// REQUIRES: item holds the table's key attributes.
std::optional<IndexEntry> MakeIndexEntry(const TableDescription& table,
                                         const SecondaryIndex& index, const Item& item);

// The row key of the index entry named by `key`, which holds the index's key
// attributes and the table's (an index's ExclusiveStartKey / LastEvaluatedKey).
// REQUIRES: key holds those attributes, each of its declared type.
std::string IndexRowKeyOf(const TableDescription& table, const SecondaryIndex& index,
                          const Item& key);

// The key attributes of an index entry (index keys plus table keys): what a page
// of an index read names as its LastEvaluatedKey.
Item IndexEntryKey(const TableDescription& table, const SecondaryIndex& index, const Item& entry);

// Every attribute name an entry of `index` holds when present in the item (index
// keys, table keys, NonKeyAttributes); empty for an ALL projection, which holds all.
std::vector<std::string> ProjectedAttributeNames(const TableDescription& table,
                                                 const SecondaryIndex& index);

// Where the index key check of an item to be written comes from: the item of a
// put (PutItem, BatchWriteItem, a transaction's Put) or the result of an update
// expression or AttributeUpdates; DynamoDB words the empty-value message apart.
enum class IndexKeyOrigin { kPut, kUpdate };

// Checks the index key attributes an item holds against their declared types,
// with DynamoDB's messages: a value of another type (or a non-scalar) is
// "Type mismatch for Index Key <attr> Expected: <T> Actual: <U> IndexName: <name>";
// an empty string or binary is refused. Absent attributes are fine (sparse).
// Indexes are checked in the order of their names.
Status ValidateIndexKeys(const TableDescription& table, const Item& item, IndexKeyOrigin origin);

// The index named `name` of `table` (GSI or LSI), or nullptr.
const SecondaryIndex* FindIndex(const TableDescription& table, std::string_view name);

}  // namespace dynemu
