#pragma once

// Every byte layout of a LevelDB key is built here and nowhere else.
//
// Keyspaces (first byte):
//   0x01 'M' ...          meta records (e.g. the next table id)
//   0x01 'C' <name>       catalog: table name -> table description
//   0x01 'S' <id:4>       table statistics (item count, size in bytes)
//   0x01 'S' <id:4> <index:1>  secondary-index statistics
//   0x01 'D' <id:4>       a deleted table whose rows are still being removed
//   0x02 <id:4> 0x00 <hash:4> <pk> [<sk>]           items
//   0x02 <id:4> <index:1> <hash:4> <ipk> [<isk>] <pk> [<sk>]   index entries
//
// <id> is the table id, big-endian, assigned once and never reused, so a deleted
// table's leftover rows can be swept lazily. <index> is 0 for the base table and
// 1..N for the table's secondary indexes. <hash> is PartitionHash(pk), big-endian:
// the table's rows are spread over the 32-bit hash space the way DynamoDB spreads
// partitions, and parallel Scan segment i of n reads the hash range
// [i * 2^32 / n, (i + 1) * 2^32 / n) only. Within one partition key, rows sort by
// the sort key in DynamoDB's order, so a Query is one range scan.
//
// <pk> and <sk> use the order-preserving, self-delimiting encoding of
// AppendKeyValue: a type tag, then
//   S, B: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01;
//   N:    sign class, then exponent and digits, bytes inverted for negatives,
// so that memcmp order on encodings equals DynamoDB's order on values of one type
// (numbers numerically, strings and binaries by unsigned bytes), and an encoding
// is never a prefix of another.

#include <cstdint>
#include <string>
#include <string_view>

#include "value/attribute_value.h"

namespace dynemu::key_codec {

constexpr char kMetaPrefix = 0x01;
constexpr char kDataPrefix = 0x02;

// The catalog key of table `name`; all catalog keys share CatalogPrefix().
std::string CatalogKey(std::string_view table_name);
std::string CatalogPrefix();
// The key holding the next free table id.
std::string NextTableIdKey();
// The marker of a deleted table whose rows are not all removed yet; all such
// markers share DroppedTablePrefix().
std::string DroppedTableKey(uint32_t table_id);
std::string DroppedTablePrefix();
// The table id a DroppedTableKey names. REQUIRES: key is one.
uint32_t DroppedTableId(std::string_view key);
// The prefix shared by every row of a table, base and index rows alike.
std::string TablePrefix(uint32_t table_id);
// The key holding the statistics of table `table_id`.
std::string TableStatsKey(uint32_t table_id);
// The key holding the statistics (entry count, bytes) of one secondary index.
std::string IndexStatsKey(uint32_t table_id, uint8_t index_id);

// Appends the order-preserving encoding of a key value.
// REQUIRES: v.type() is kS, kN or kB.
void AppendKeyValue(const AttributeValue& v, std::string* dst);

// The 32-bit hash of a partition key value, stable across runs and builds
// (computed over AppendKeyValue's encoding).
uint32_t PartitionHash(const AttributeValue& pk);

// The full key of a row. `sk` may be null for tables without a sort key.
std::string RowKey(uint32_t table_id, uint8_t index_id, const AttributeValue& pk,
                   const AttributeValue* sk);

// The key of a secondary-index entry: the index's partition and sort key as in
// RowKey, then the base item's table key (`tpk`, `tsk`), which makes the entry
// unique when many items share index key values and orders such entries by table
// key. `isk` and `tsk` may be null.
std::string IndexRowKey(uint32_t table_id, uint8_t index_id, const AttributeValue& ipk,
                        const AttributeValue* isk, const AttributeValue& tpk,
                        const AttributeValue* tsk);

// The prefix shared by every row of one partition (a Query's range).
std::string PartitionPrefix(uint32_t table_id, uint8_t index_id, const AttributeValue& pk);

// The prefix shared by every row of a table's index (0 = base table).
std::string IndexPrefix(uint32_t table_id, uint8_t index_id);

// The first key of the rows whose hash is >= `hash` (for segment ranges).
std::string HashBoundKey(uint32_t table_id, uint8_t index_id, uint64_t hash);

// The smallest key greater than every key starting with `prefix`
// (the exclusive end of a prefix range). REQUIRES: prefix is not all 0xFF.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace dynemu::key_codec
