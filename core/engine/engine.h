#pragma once

// What the operations run on: the catalog of tables and the items in the store,
// with the write path every put, update and delete goes through.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "schema/table_description.h"
#include "value/attribute_value.h"

namespace dynemu {

class HookRegistry;
class Store;

// The account and region that ARNs name.
constexpr std::string_view kRegion = "us-east-1";
constexpr std::string_view kAccountId = "000000000000";

class Engine {
 public:
  // Nothing is owned; everything must outlive the Engine.
  Engine(Env& env, Store& store, const HookRegistry& hooks);
  ~Engine();

  // Loads the catalog. Call once, before anything else. Reads only the catalog
  // (a handful of keys), never the items.
  Status Open();

  Env& env() const { return env_; }
  const HookRegistry& hooks() const { return hooks_; }

  // ---- Tables. All thread-safe.

  // Creates a table from `desc` (name, keys, attributes, billing, indexes, tags as
  // decoded and validated by the caller). Assigns table_id, table_uuid, table_arn,
  // creation time and index ids. Returns the stored description.
  // Errors: ResourceInUseException "Table already exists: <name>".
  Result<std::shared_ptr<const TableDescription>> CreateTable(TableDescription desc);

  // The current description of `name`, or nullptr.
  std::shared_ptr<const TableDescription> FindTable(std::string_view name) const;

  // Removes the table from the catalog and its rows from the store. Returns the
  // description it had. Errors: ResourceNotFoundException
  // "Requested resource not found: Table: <name> not found".
  Result<std::shared_ptr<const TableDescription>> DeleteTable(std::string_view name);

  // Replaces the description of `name` by `mutate`'s edit of a copy, atomically
  // with respect to other table changes. `mutate` may return an error, in which
  // case nothing changes. Returns the new description.
  Result<std::shared_ptr<const TableDescription>> UpdateTable(
      std::string_view name, const std::function<Status(TableDescription&)>& mutate);

  // Every table name, sorted as DynamoDB sorts them (by bytes).
  std::vector<std::string> ListTableNames() const;

  // ItemCount and TableSizeBytes of a table.
  TableStats Stats(const TableDescription& table) const;

  // ---- Items.

  // Checks that `key` has exactly the table's key attributes with their declared
  // types, with DynamoDB's messages ("The provided key element does not match the
  // schema", empty key values, ...).
  Status ValidateKey(const TableDescription& table, const Item& key) const;

  // Checks an item to be stored: key attributes present with their declared types
  // and non-empty, and the size at most 400 KB, with DynamoDB's messages.
  Status ValidateItem(const TableDescription& table, const Item& item) const;

  // The key attributes of `item`. REQUIRES: ValidateItem(table, item) is OK.
  Item ExtractKey(const TableDescription& table, const Item& item) const;

  // Reads one item. REQUIRES: ValidateKey(table, key) is OK.
  Result<std::optional<Item>> GetItem(const TableDescription& table, const Item& key) const;

  // Decides, given the current item (nullopt when absent), what to store under
  // the key: an item, or nullopt to delete it. An error stops the write
  // (ConditionalCheckFailedException, a validation error). Runs with the item's
  // lock held: it must not call back into the Engine.
  using Mutator = std::function<Result<std::optional<Item>>(const std::optional<Item>& current)>;

  struct WriteResult {
    std::optional<Item> old_image;
    std::optional<Item> new_image;
    int64_t delay_ms = 0;  // what write hooks asked to hold the response back
  };

  // The single write path: locks the item, reads it, calls `mutate`, fires
  // write.pre (which may fail or replace the new image), commits the item, index
  // rows and statistics in one batch, fires write.post. Serializable per item.
  // REQUIRES: ValidateKey(table, key) is OK. `operation` and `request_id` are
  // passed to the hooks.
  Result<WriteResult> WriteItem(const TableDescription& table, const Item& key,
                                std::string_view operation, std::string_view request_id,
                                const Mutator& mutate);

  // ---- Range reads (Query and Scan). Each call reads one page from one Store
  // snapshot and returns decoded items; what a page may hold is the caller's
  // business (PageLimits), the engine only stops where it is told to.

  struct ReadRow {
    Item item;
    size_t size = 0;  // ItemSize(item): what the page limit and capacity count
  };

  struct PageLimits {
    size_t max_items = 0;         // 0: no limit
    size_t max_bytes = 1 << 20;   // the page ends with the row that brings it to this many bytes
  };

  struct Page {
    std::vector<ReadRow> rows;  // in the order read
    size_t bytes = 0;           // the sum of the rows' sizes
    // The page stopped on a limit (max_items or max_bytes reached), not at the
    // end of the range: a continuation starts after the last row.
    bool limited = false;
  };

  // The sort key part of a Query: which rows of the partition to read.
  // kBeginsWith applies to S and B keys only.
  struct SortKeyRange {
    enum class Op { kAll, kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };
    Op op = Op::kAll;
    AttributeValue value;  // the operand (the lower bound of kBetween)
    AttributeValue upper;  // kBetween's upper bound
  };

  // Reads rows of the partition `pk` within `range`, ascending by sort key when
  // `forward`, else descending, starting after `exclusive_start` (a table key,
  // which need not be in the range) when not null.
  // REQUIRES: pk has the table's hash key type; range values the sort key type;
  // exclusive_start passed ValidateKey.
  Result<Page> QueryPartition(const TableDescription& table, const AttributeValue& pk,
                              const SortKeyRange& range, bool forward, const Item* exclusive_start,
                              const PageLimits& limits) const;

  // Reads rows of segment `segment` of `total_segments` (the partition hash range
  // [segment * 2^32 / total, (segment + 1) * 2^32 / total)), in key order,
  // starting after `exclusive_start` when not null.
  // REQUIRES: segment < total_segments; exclusive_start passed ValidateKey.
  Result<Page> ScanSegment(const TableDescription& table, uint32_t segment,
                           uint32_t total_segments, const Item* exclusive_start,
                           const PageLimits& limits) const;

  // True when the partition of `key` falls in that segment.
  // REQUIRES: ValidateKey(table, key) is OK.
  bool KeyInSegment(const TableDescription& table, const Item& key, uint32_t segment,
                    uint32_t total_segments) const;

 private:
  struct Rep;
  Env& env_;
  Store& store_;
  const HookRegistry& hooks_;
  std::unique_ptr<Rep> rep_;
};

}  // namespace dynemu
