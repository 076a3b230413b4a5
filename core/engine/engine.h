#pragma once

// What the operations run on: the catalog of tables and the items in the store,
// with the write path every put, update and delete goes through.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "schema/table_description.h"
#include "storage/store.h"
#include "value/attribute_value.h"

namespace dynemu {

class HookRegistry;

// The account and region that ARNs name.
constexpr std::string_view kRegion = "us-east-1";
constexpr std::string_view kAccountId = "000000000000";

class Engine {
 public:
  struct Options {
    // A background thread backfills new indexes, removes deleted ones and
    // applies deferred index changes when due. Off, nothing happens until
    // RunIndexWorkForTesting or ApplyDeferredIndexChanges is called (tests).
    bool background_index_work = true;
  };

  // Nothing is owned; everything must outlive the Engine.
  Engine(Env& env, Store& store, const HookRegistry& hooks);
  Engine(Env& env, Store& store, const HookRegistry& hooks, const Options& options);
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

  // Removes the table from the catalog at once; its rows become unreachable and
  // are removed from the store in the background. Returns the description it
  // had. Errors: ResourceNotFoundException "Requested resource not found: Table:
  // <name> not found".
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
  // The same, as stored (item_codec.h): for answers written straight from the
  // bytes (item_codec::WriteJson) rather than from the decoded item.
  Result<std::optional<std::string>> GetItemBytes(const TableDescription& table,
                                                  const Item& key) const;

  // Decides, given the current item (nullopt when absent), what to store under
  // the key: an item, or nullopt to delete it. An error stops the write
  // (ConditionalCheckFailedException, a validation error). Runs with the item's
  // lock held: it must not call back into the Engine.
  using Mutator = std::function<Result<std::optional<Item>>(const std::optional<Item>& current)>;

  // What one item's write did to one secondary index, for ConsumedCapacity: the
  // write units of the entry change (a put, a delete, or both when the entry
  // moved), counted even when the change was deferred.
  struct IndexWrite {
    std::string index_name;
    bool global = true;
    double units = 0;
  };

  struct WriteResult {
    std::optional<Item> old_image;
    std::optional<Item> new_image;
    int64_t delay_ms = 0;  // what write and index hooks asked to hold the response back
    std::vector<IndexWrite> index_writes;  // one per index whose entry changed
  };

  // The single write path: locks the item, reads it, calls `mutate`, then
  // CommitItems. Serializable per item.
  // REQUIRES: ValidateKey(table, key) is OK. `operation` and `request_id` are
  // passed to the hooks.
  Result<WriteResult> WriteItem(const TableDescription& table, const Item& key,
                                std::string_view operation, std::string_view request_id,
                                const Mutator& mutate);

  // ---- Writes of several items at once (transactions).

  // The per-item locks of a set of items, taken in one fixed order (ascending
  // stripe), so two callers never deadlock; released when destroyed.
  class ItemLocks {
   public:
    ItemLocks() = default;
    ItemLocks(ItemLocks&&) noexcept = default;
    ItemLocks& operator=(ItemLocks&&) noexcept = default;

   private:
    friend class Engine;
    std::vector<std::unique_lock<std::mutex>> locks_;
  };

  // Locks the items named by (table, key) pairs. Duplicates are fine.
  // REQUIRES: each key passed ValidateKey for its table.
  ItemLocks LockItems(const std::vector<std::pair<const TableDescription*, const Item*>>& items);

  // One item's change: old_image as read under its lock, new_image to store
  // (nullopt: delete). WriteResult-like outputs are filled by CommitItems.
  struct ItemChange {
    const TableDescription* table = nullptr;
    Item key;
    std::optional<Item> old_image;
    std::optional<Item> new_image;
    std::vector<IndexWrite> index_writes;  // filled by CommitItems
    // The key's base row key when the caller already made it (WriteItem does, to
    // read and lock the item); empty, CommitItems makes it.
    std::string row_key;
  };

  // Commits `changes` all or nothing: fires write.pre for each (which may fail,
  // or replace a new image), computes every secondary-index entry change (firing
  // index.pre, which may fail, delay or defer), writes base rows, index rows and
  // the statistics of every table touched in one batch, then fires index.post and
  // write.post. A failure before the batch commits writes nothing. Changes whose
  // old and new images are both absent are skipped. Returns the summed delay.
  // REQUIRES: the caller holds the locks of every changed item (LockItems or
  // WriteItem), has read old_image under them, and no two changes share a key.
  Result<int64_t> CommitItems(std::vector<ItemChange>& changes, std::string_view operation,
                              std::string_view request_id);

  // Reads several items from one snapshot: a view no concurrent commit is half
  // applied in. REQUIRES: each key passed ValidateKey for its table.
  Result<std::vector<std::optional<Item>>> GetItems(
      const std::vector<std::pair<const TableDescription*, const Item*>>& items) const;
  // As GetItems, each item as stored (item_codec's encoding).
  Result<std::vector<std::optional<std::string>>> GetItemsBytes(
      const std::vector<std::pair<const TableDescription*, const Item*>>& items) const;

  // ---- Transactions (engine_txn.cc). Serializable with each other and with
  // WriteItem: a transaction claims all its items at once (or none), so two
  // transactions meeting on an item never wait for each other: the later one is
  // cancelled with reason TransactionConflict, and a WriteItem meeting a claimed
  // item fails with TransactionConflictException, as DynamoDB does.

  // One action of a write transaction. `decide` runs under the item's lock with
  // its current image and returns the image to store (nullopt: delete), or the
  // error that becomes this action's cancellation reason
  // (ConditionalCheckFailedException, whose extra members may hold "Item";
  // ValidationException: reason ValidationError; ...). It must not call back
  // into the Engine. A ConditionCheck (writes = false) is decided, never written.
  struct TxnAction {
    const TableDescription* table = nullptr;
    Item key;
    bool writes = true;
    Mutator decide;
  };

  // What the txn.* hook points are told about a transaction.
  struct TxnInfo {
    std::string_view operation;   // "TransactWriteItems", "TransactGetItems"
    std::string_view request;     // the request body (may be empty when !HasTxnHooks())
    std::string_view request_id;
  };

  struct TxnWriteResult {
    // One per action, in order: old_image as read, new_image as decided
    // (ConditionCheck: the current image, unchanged) and index_writes of the
    // committed ones.
    std::vector<ItemChange> changes;
    int64_t delay_ms = 0;  // what the txn, write and index hooks asked for
  };

  // Runs a write transaction: fires txn.validate.pre, claims every item (an item
  // already claimed cancels the transaction, reason TransactionConflict for that
  // action and None for the others), locks them (LockItems), reads them and runs
  // every `decide`; fires txn.validate.post with the outcome (OK, or
  // TransactionCanceledException with one reason per action), txn.commit.pre,
  // commits the writes all or nothing (CommitItems), releases the locks and
  // claims, and fires txn.commit.post. A kFail verdict at any point but
  // commit.post cancels: nothing is written and the verdict's error is returned
  // (a TransactionCanceledException without a message gets DynamoDB's, listing
  // the codes of its CancellationReasons).
  // REQUIRES: every key passed ValidateKey for its table; no two actions share
  // an item.
  Result<TxnWriteResult> TransactWrite(const std::vector<TxnAction>& actions,
                                       const TxnInfo& info);

  struct TxnGetResult {
    // One per key, in order: the item as stored (item_codec's encoding).
    std::vector<std::optional<std::string>> items;
    int64_t delay_ms = 0;
  };

  // Reads the items of a TransactGetItems from one snapshot. An item claimed by
  // an in-flight write transaction cancels the read (reason TransactionConflict).
  // Fires the four txn.* points (commit = the read).
  // REQUIRES: each key passed ValidateKey for its table.
  Result<TxnGetResult> TransactGet(
      const std::vector<std::pair<const TableDescription*, const Item*>>& items,
      const TxnInfo& info);

  // True when a plugin subscribes to any txn.* point (the caller then renders
  // TxnInfo::request).
  bool HasTxnHooks() const;

  // TransactionCanceledException with one reason per action, shaped as DynamoDB
  // shapes it: OK is {"Code":"None"}; an error is {"Code":<reason>,"Message":<its
  // message>} plus its extra members ("Item"). The message lists the codes:
  // "Transaction cancelled, please refer cancellation reasons for specific
  // reasons [ConditionalCheckFailed, None]".
  static Status TransactionCanceled(const std::vector<Status>& reasons);

  // ---- Idempotency of write transactions (ClientRequestToken). Thread-safe.
  // A token is remembered from the moment BeginIdempotent accepts it until 10
  // minutes (by env().clock()) after EndIdempotent stored a success; failures
  // are forgotten at once (they changed nothing, a retry runs again). At most
  // kMaxIdempotencyTokens are kept: beyond, the oldest finished ones go first.

  static constexpr size_t kMaxIdempotencyTokens = 100'000;
  static constexpr int64_t kIdempotencyWindowMicros = 10LL * 60 * 1'000'000;

  // Registers a request under `token`, identified by `fingerprint` (a digest of
  // the parameters that must match). Returns nullopt when the caller must run
  // the request and then call EndIdempotent; or the `outcome` stored by the
  // earlier success with the same token and fingerprint (run nothing).
  // Errors: IdempotentParameterMismatchException (same token, other
  // fingerprint), TransactionInProgressException (the token's request is still
  // running).
  Result<std::optional<std::string>> BeginIdempotent(std::string_view token,
                                                     std::string_view fingerprint);
  // Finishes the request BeginIdempotent accepted: on success `outcome` is kept
  // for replays; on failure the token is forgotten.
  void EndIdempotent(std::string_view token, bool success, std::string outcome);

  // ---- Secondary indexes: deferred (lagging) entries and background work.

  // Applies every deferred index change now, due or not, in order. Returns how
  // many were applied. Callable from any thread, including inside a hook
  // callback (it takes no item lock).
  size_t ApplyDeferredIndexChanges();

  // How many deferred index changes wait to be applied.
  size_t PendingIndexChanges() const;

  // Runs pending background index work (backfill of CREATING indexes, removal of
  // DELETING ones, due deferred changes) on the calling thread until none is
  // left. For tests; the background thread does the same on its own.
  Status RunIndexWorkForTesting();

  // ---- Range reads (Query and Scan). Each call reads one page from one Store
  // snapshot and returns decoded items; what a page may hold is the caller's
  // business (PageLimits), the engine only stops where it is told to.

  struct ReadRow {
    Item item;
    size_t size = 0;  // ItemSize(item): what the page limit and capacity count
    // With PageLimits::stored, the row as stored (item_codec.h), and `item` is
    // left empty, except for the last row of a limited page.
    std::string stored;
  };

  struct PageLimits {
    size_t max_items = 0;         // 0: no limit
    size_t max_bytes = 1 << 20;   // the page ends with the row that brings it to this many bytes
    // Rows keep their stored bytes instead of being decoded, for a caller that
    // writes them as they are (item_codec::WriteJson). The last row of a
    // limited page is decoded as well: its key continues the read.
    bool stored = false;
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
  // `forward`, else descending, starting after `exclusive_start` (which need not
  // be in the range) when not null.
  // `index` null reads the table: pk and range are of the table's keys and
  // exclusive_start is a table key (it passed ValidateKey). `index` not null
  // reads that secondary index of `table`: pk and range are of the index's keys,
  // rows are the projected entries (entries sharing a sort key value come in
  // table key order), and exclusive_start holds the index's and the table's key
  // attributes with their declared types.
  Result<Page> QueryPartition(const TableDescription& table, const SecondaryIndex* index,
                              const AttributeValue& pk, const SortKeyRange& range, bool forward,
                              const Item* exclusive_start, const PageLimits& limits) const;

  // Reads rows of segment `segment` of `total_segments` (the partition hash range
  // [segment * 2^32 / total, (segment + 1) * 2^32 / total)), in key order,
  // starting after `exclusive_start` when not null. `index` and exclusive_start
  // as for QueryPartition (for an index, segments divide the index's partitions).
  // REQUIRES: segment < total_segments.
  Result<Page> ScanSegment(const TableDescription& table, const SecondaryIndex* index,
                           uint32_t segment, uint32_t total_segments,
                           const Item* exclusive_start, const PageLimits& limits) const;

  // True when the partition of `key` falls in that segment: the table's hash key
  // when `index` is null, else the index's.
  // REQUIRES: key holds that hash key attribute.
  bool KeyInSegment(const TableDescription& table, const SecondaryIndex* index, const Item& key,
                    uint32_t segment, uint32_t total_segments) const;

  // ---- Item collections (engine_collection.cc).

  // The size in bytes of the item collection of partition key value `pk`: the
  // sizes of the table's items with that partition key plus those of their
  // entries in the table's local secondary indexes (what ReturnItemCollectionMetrics
  // estimates). Reads page by page, each from its own snapshot: with concurrent
  // writes to the partition the sum is an estimate, as DynamoDB's is.
  // REQUIRES: pk has the type of the table's hash key.
  Result<uint64_t> ItemCollectionSize(const TableDescription& table,
                                      const AttributeValue& pk) const;

 private:
  struct Rep;
  struct DeferredChange;
  friend struct Rep;

  // The table's current description when it is still the table `table` names
  // (same id), else nullptr (dropped meanwhile).
  std::shared_ptr<const TableDescription> Current(const TableDescription& table) const;
  // Background index work, one bounded step; true when more is left.
  Result<bool> IndexWorkStep(bool apply_all_deferred);
  struct DeferredStep {
    size_t applied = 0;
    bool more = false;  // changes that could have been applied are left
  };
  Result<DeferredStep> ApplyDeferredStep(bool all);
  Result<bool> BackfillStep(const TableDescription& table, const SecondaryIndex& index);
  Result<bool> SweepStep(const TableDescription& table, const SecondaryIndex& index);
  Result<bool> DroppedTableStep(uint32_t table_id);
  Status ApplyDeferred(DeferredChange& change);
  // Commits `batch` (index rows of one index) with that index's statistics
  // moved by `delta`, under the table's stats lock.
  Status CommitIndexRows(uint32_t table_id, uint8_t index_id, Store::Batch& batch,
                         const RowCounts& delta);
  void WorkerLoop();
  void NotifyWorker();
  void StopWorker();

  Env& env_;
  Store& store_;
  const Options options_;
  const HookRegistry& hooks_;
  std::unique_ptr<Rep> rep_;
};

}  // namespace dynemu
