// Engine::ItemCollectionSize: the size of one partition key's item collection.

#include "engine/engine.h"
#include "engine/index_rows.h"

namespace dynemu {
namespace {

// Sums the sizes of the rows of partition `pk` of the table (`index` null) or of
// one of its indexes, reading one page at a time and resuming after the last row.
Result<uint64_t> PartitionBytes(const Engine& engine, const TableDescription& table,
                                const SecondaryIndex* index, const AttributeValue& pk) {
  uint64_t bytes = 0;
  Engine::PageLimits limits;
  std::optional<Item> start;
  for (;;) {
    DYN_ASSIGN_OR_RETURN(
        Engine::Page page,
        engine.QueryPartition(table, index, pk, Engine::SortKeyRange{}, /*forward=*/true,
                              start ? &*start : nullptr, limits));
    for (const Engine::ReadRow& row : page.rows) bytes += row.size;
    if (!page.limited || page.rows.empty()) return bytes;
    const Item& last = page.rows.back().item;
    start = index ? IndexEntryKey(table, *index, last) : engine.ExtractKey(table, last);
  }
}

}  // namespace

Result<uint64_t> Engine::ItemCollectionSize(const TableDescription& table,
                                            const AttributeValue& pk) const {
  // DynamoDB's estimate covers the items and the attributes projected into the
  // local secondary indexes; global indexes are partitioned apart and do not count.
  DYN_ASSIGN_OR_RETURN(uint64_t bytes, PartitionBytes(*this, table, nullptr, pk));
  for (const SecondaryIndex& index : table.local_secondary_indexes) {
    DYN_ASSIGN_OR_RETURN(uint64_t index_bytes, PartitionBytes(*this, table, &index, pk));
    bytes += index_bytes;
  }
  return bytes;
}

}  // namespace dynemu
