// The Engine's write path: single items, sets of items (transactions), and the
// secondary-index maintenance every write carries, including the deferred
// (lagging) index changes and the background backfill and removal of indexes.

#include <algorithm>
#include <chrono>
#include <cmath>

#include "base/log.h"
#include "engine/engine.h"
#include "engine/engine_rep.h"
#include "host/hook_dispatch.h"
#include "storage/item_codec.h"
#include "storage/key_codec.h"
#include "storage/store.h"
#include "value/item_size.h"

namespace dynemu {
namespace {

// Rows a backfill or a sweep handles per step, between which other work runs.
constexpr size_t kBackfillStepRows = 512;
constexpr size_t kSweepStepRows = 1000;
// Deferred changes applied per step at most.
constexpr size_t kDeferredStepChanges = 1000;

// Write units of storing or removing `bytes` (1 KB each, at least one).
double WriteUnits(size_t bytes) {
  return std::max<double>(1.0, std::ceil(static_cast<double>(bytes) / 1024.0));
}

// The write units one index entry change costs, as DynamoDB counts them: a put
// or a delete of the entry, an in-place rewrite, or both a delete and a put when
// the entry moves (its index key changed).
double IndexChangeUnits(const std::optional<IndexEntry>& old_entry,
                        const std::optional<IndexEntry>& new_entry) {
  if (old_entry && new_entry) {
    if (old_entry->row_key == new_entry->row_key) return WriteUnits(new_entry->size);
    return WriteUnits(old_entry->size) + WriteUnits(new_entry->size);
  }
  return old_entry ? WriteUnits(old_entry->size) : WriteUnits(new_entry->size);
}

// Adds an entry change to `batch` and to `delta`.
void ApplyEntryChange(const std::optional<IndexEntry>& old_entry,
                      const std::optional<IndexEntry>& new_entry, Store::Batch* batch,
                      RowCounts* delta) {
  if (old_entry) {
    if (!new_entry || new_entry->row_key != old_entry->row_key) batch->Delete(old_entry->row_key);
    delta->item_count -= 1;
    delta->size_bytes -= static_cast<int64_t>(old_entry->size);
  }
  if (new_entry) {
    std::string value;
    item_codec::Encode(new_entry->item, &value);
    batch->Put(new_entry->row_key, value);
    delta->item_count += 1;
    delta->size_bytes += static_cast<int64_t>(new_entry->size);
  }
}

// Adds to `batch` the deletion of the first `max_rows` keys starting with
// `prefix` (or all, when fewer). Returns how many.
Result<size_t> DeleteRows(const Store& store, const std::string& prefix, size_t max_rows,
                          Store::Batch* batch) {
  auto it = store.NewIterator(prefix, key_codec::PrefixSuccessor(prefix));
  size_t rows = 0;
  for (it->SeekToFirst(); it->Valid() && rows < max_rows; it->Next()) {
    batch->Delete(it->key());
    rows++;
  }
  DYN_RETURN_IF_ERROR(it->status());
  return rows;
}

std::optional<Item> EntryItem(const std::optional<IndexEntry>& entry) {
  if (!entry) return std::nullopt;
  return entry->item;
}

// Every index of a table whose entries writes maintain: all but those being
// removed.
std::vector<const SecondaryIndex*> MaintainedIndexes(const TableDescription& table) {
  std::vector<const SecondaryIndex*> out;
  for (const auto* list : {&table.local_secondary_indexes, &table.global_secondary_indexes}) {
    for (const SecondaryIndex& index : *list) {
      if (index.status != TableStatus::kDeleting) out.push_back(&index);
    }
  }
  return out;
}

}  // namespace

Result<Engine::WriteResult> Engine::WriteItem(const TableDescription& table, const Item& key,
                                              std::string_view operation,
                                              std::string_view request_id, const Mutator& mutate) {
  const std::string row_key = BaseRowKey(table, key);
  // An item claimed by an in-flight transaction (engine_txn.cc) is not written:
  // DynamoDB answers a write that meets a transaction this way, at once. A
  // transaction that claims the item after this check waits for the item's lock
  // below, so it sees this write.
  if (rep_->claim_count.load(std::memory_order_acquire) > 0) {
    std::lock_guard<std::mutex> claims_lock(rep_->claims_mu);
    if (rep_->claimed.count(row_key) > 0) {
      return Status(ErrorCode::kTransactionConflict, "Transaction is ongoing for the item");
    }
  }
  std::lock_guard<std::mutex> item_lock(rep_->stripes[StripeOf(row_key)]);

  std::vector<ItemChange> changes(1);
  ItemChange& change = changes[0];
  change.table = &table;
  change.key = key;
  change.row_key = row_key;
  DYN_ASSIGN_OR_RETURN(auto old_bytes, store_.Get(row_key));
  if (old_bytes) {
    DYN_ASSIGN_OR_RETURN(Item old_item, item_codec::Decode(*old_bytes));
    change.old_image = std::move(old_item);
  }
  DYN_ASSIGN_OR_RETURN(change.new_image, mutate(change.old_image));
  DYN_ASSIGN_OR_RETURN(int64_t delay_ms, CommitItems(changes, operation, request_id));

  WriteResult result;
  result.old_image = std::move(change.old_image);
  result.new_image = std::move(change.new_image);
  result.index_writes = std::move(change.index_writes);
  result.delay_ms = delay_ms;
  return result;
}

Engine::ItemLocks Engine::LockItems(
    const std::vector<std::pair<const TableDescription*, const Item*>>& items) {
  std::vector<size_t> stripes;
  stripes.reserve(items.size());
  for (const auto& [table, key] : items) stripes.push_back(StripeOf(BaseRowKey(*table, *key)));
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  ItemLocks locks;
  locks.locks_.reserve(stripes.size());
  for (size_t stripe : stripes) locks.locks_.emplace_back(rep_->stripes[stripe]);
  return locks;
}

Result<std::vector<std::optional<std::string>>> Engine::GetItemsBytes(
    const std::vector<std::pair<const TableDescription*, const Item*>>& items) const {
  auto snapshot = store_.GetSnapshot();
  std::vector<std::optional<std::string>> out;
  out.reserve(items.size());
  for (const auto& [table, key] : items) {
    DYN_ASSIGN_OR_RETURN(auto bytes, store_.Get(BaseRowKey(*table, *key), snapshot.get()));
    out.push_back(std::move(bytes));
  }
  return out;
}

Result<std::vector<std::optional<Item>>> Engine::GetItems(
    const std::vector<std::pair<const TableDescription*, const Item*>>& items) const {
  DYN_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> stored, GetItemsBytes(items));
  std::vector<std::optional<Item>> out;
  out.reserve(stored.size());
  for (const std::optional<std::string>& bytes : stored) {
    if (!bytes) {
      out.emplace_back();
      continue;
    }
    DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*bytes));
    out.emplace_back(std::move(item));
  }
  return out;
}

Result<int64_t> Engine::CommitItems(std::vector<ItemChange>& changes, std::string_view operation,
                                    std::string_view request_id) {
  int64_t delay_ms = 0;

  // write.pre, per item: may fail the whole commit or replace a new image.
  if (hooks_.Has(HookPoint::kWritePre)) {
    for (ItemChange& change : changes) {
      WriteEvent event{operation, change.table->table_name, &change.key, &change.old_image,
                       &change.new_image, request_id};
      Verdict verdict = hooks_.WritePre(event);
      if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
      if (verdict.kind == Verdict::Kind::kDelay) delay_ms += verdict.delay_ms;
      // A subscriber may have replaced the new image: it must still be an item of
      // this table under the same key.
      if (change.new_image) {
        Status valid = ValidateItem(*change.table, *change.new_image);
        if (!valid.ok() || ExtractKey(*change.table, *change.new_image) != change.key) {
          return InternalError("a write.pre hook replaced the new image with an invalid item");
        }
      }
    }
  }

  // What each table's statistics change by, keyed (and later locked) by table id.
  struct TableDelta {
    RowCounts base;
    std::map<uint8_t, RowCounts> indexes;
  };
  std::map<uint32_t, TableDelta> deltas;
  // Index entry changes applied in this batch, for index.post.
  struct AppliedEntry {
    const ItemChange* change;
    std::shared_ptr<const TableDescription> table;
    std::string index_name;
    std::optional<Item> old_entry;
    std::optional<Item> new_entry;
  };
  std::vector<AppliedEntry> applied;
  std::vector<DeferredChange> deferred;
  const bool index_pre = hooks_.Has(HookPoint::kIndexPre);
  Store::Batch batch;

  for (ItemChange& change : changes) {
    if (!change.old_image && !change.new_image) continue;
    // The description as of now, under the item's lock: an index created or
    // dropped since the request looked the table up is maintained (or not) here.
    std::shared_ptr<const TableDescription> table = Current(*change.table);
    if (!table) {
      return Status(ErrorCode::kResourceNotFound, "Requested resource not found");
    }
    TableDelta& delta = deltas[table->table_id];
    // A table keeps its id and key schema for life: a row key made from the
    // request's description holds for the current one.
    if (change.row_key.empty()) change.row_key = BaseRowKey(*table, change.key);
    const std::string& row_key = change.row_key;
    if (change.old_image) {
      delta.base.item_count -= 1;
      delta.base.size_bytes -= static_cast<int64_t>(ItemSize(*change.old_image));
    }
    if (change.new_image) {
      std::string value;
      item_codec::Encode(*change.new_image, &value);
      batch.Put(row_key, value);
      delta.base.item_count += 1;
      delta.base.size_bytes += static_cast<int64_t>(ItemSize(*change.new_image));
    } else {
      batch.Delete(row_key);
    }

    for (const SecondaryIndex* index : MaintainedIndexes(*table)) {
      std::optional<IndexEntry> old_entry, new_entry;
      if (change.old_image) old_entry = MakeIndexEntry(*table, *index, *change.old_image);
      if (change.new_image) new_entry = MakeIndexEntry(*table, *index, *change.new_image);
      if (old_entry && index->backfilling) {
        // The backfill may not have reached this item yet: only an entry that
        // exists can be removed (and counted out).
        DYN_ASSIGN_OR_RETURN(auto existing, store_.Get(old_entry->row_key));
        if (!existing) old_entry.reset();
      }
      if (!old_entry && !new_entry) continue;
      if (old_entry && new_entry && old_entry->row_key == new_entry->row_key &&
          old_entry->item == new_entry->item) {
        continue;  // the write left this index's entry as it was
      }
      change.index_writes.push_back(
          IndexWrite{index->index_name, index->global, IndexChangeUnits(old_entry, new_entry)});

      bool defer = false;
      int64_t defer_ms = 0;
      if (index_pre) {
        std::optional<Item> old_item = EntryItem(old_entry), new_item = EntryItem(new_entry);
        IndexEvent event{operation, table->table_name, index->index_name, &change.key,
                         &old_item, &new_item, request_id};
        Verdict verdict = hooks_.IndexPre(event);
        if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
        delay_ms += verdict.delay_ms;
        if (verdict.kind == Verdict::Kind::kDefer) {
          // Local secondary indexes are strongly consistent in DynamoDB: their
          // entries never lag, whatever a plugin asks.
          if (index->global) {
            defer = true;
            defer_ms = verdict.defer_ms;
          } else {
            log::Get("engine")->debug("index.pre deferred an entry of local index {}; applied now",
                                      index->index_name);
          }
        }
      }
      if (!defer) {
        // Changes queue behind earlier deferred ones of the same index, so the
        // index replays its changes in order.
        std::lock_guard<std::mutex> lock(rep_->queue_mu);
        auto it = rep_->deferred.find({table->table_id, index->index_id});
        defer = it != rep_->deferred.end() && !it->second.empty();
      }
      if (defer) {
        DeferredChange d;
        d.table_id = table->table_id;
        d.index_id = index->index_id;
        d.table_name = table->table_name;
        d.index_name = index->index_name;
        d.operation = std::string(operation);
        d.key = change.key;
        d.old_entry = std::move(old_entry);
        d.new_entry = std::move(new_entry);
        d.due_micros = env_.clock().NowMicros() + defer_ms * 1000;
        deferred.push_back(std::move(d));
        continue;
      }
      ApplyEntryChange(old_entry, new_entry, &batch, &delta.indexes[index->index_id]);
      if (hooks_.Has(HookPoint::kIndexPost)) {
        applied.push_back(AppliedEntry{&change, table, index->index_name, EntryItem(old_entry),
                                       EntryItem(new_entry)});
      }
    }
  }

  if (!deltas.empty()) {
    // The statistics records are written in the same batch, under each table's
    // stats lock (taken in table id order), so the persisted figures always
    // match the rows.
    std::vector<std::shared_ptr<Rep::StatsSlot>> slots;
    std::vector<std::unique_lock<std::mutex>> stats_locks;
    for (const auto& [table_id, delta] : deltas) {
      slots.push_back(rep_->Slot(table_id));
      stats_locks.emplace_back(slots.back()->mu);
    }
    std::vector<TableStats> next;
    size_t i = 0;
    for (const auto& [table_id, delta] : deltas) {
      TableStats stats;
      stats.item_count = slots[i]->stats.item_count + delta.base.item_count;
      stats.size_bytes = slots[i]->stats.size_bytes + delta.base.size_bytes;
      batch.Put(key_codec::TableStatsKey(table_id),
                EncodeRowCounts(RowCounts{stats.item_count, stats.size_bytes}));
      for (const auto& [index_id, d] : delta.indexes) {
        RowCounts counts = slots[i]->stats.indexes[index_id];
        counts.item_count += d.item_count;
        counts.size_bytes += d.size_bytes;
        stats.indexes[index_id] = counts;
        batch.Put(key_codec::IndexStatsKey(table_id, index_id), EncodeRowCounts(counts));
      }
      next.push_back(std::move(stats));
      i++;
    }
    DYN_RETURN_IF_ERROR(store_.Commit(batch));
    for (i = 0; i < slots.size(); i++) {
      slots[i]->stats.item_count = next[i].item_count;
      slots[i]->stats.size_bytes = next[i].size_bytes;
      for (const auto& [index_id, counts] : next[i].indexes) {
        slots[i]->stats.indexes[index_id] = counts;
      }
    }
  }

  if (!deferred.empty()) {
    {
      std::lock_guard<std::mutex> lock(rep_->queue_mu);
      for (DeferredChange& d : deferred) {
        rep_->deferred[{d.table_id, d.index_id}].push_back(std::move(d));
        rep_->deferred_count++;
      }
    }
    NotifyWorker();
  }

  for (const AppliedEntry& a : applied) {
    IndexEvent event{operation,       a.table->table_name, a.index_name, &a.change->key,
                     &a.old_entry,    &a.new_entry,        request_id};
    Verdict verdict = hooks_.IndexPost(event);
    if (verdict.kind == Verdict::Kind::kDelay) delay_ms += verdict.delay_ms;
    if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
  }

  if (hooks_.Has(HookPoint::kWritePost)) {
    for (ItemChange& change : changes) {
      WriteEvent event{operation, change.table->table_name, &change.key, &change.old_image,
                       &change.new_image, request_id};
      Verdict verdict = hooks_.WritePost(event);
      if (verdict.kind == Verdict::Kind::kDelay) delay_ms += verdict.delay_ms;
      // The write is committed: a failure verdict after it can only change the answer.
      if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
    }
  }
  return delay_ms;
}

// ---- Deferred index changes

size_t Engine::PendingIndexChanges() const {
  std::lock_guard<std::mutex> lock(rep_->queue_mu);
  return rep_->deferred_count;
}

size_t Engine::ApplyDeferredIndexChanges() {
  size_t applied = 0;
  while (true) {
    Result<DeferredStep> step = ApplyDeferredStep(/*all=*/true);
    if (!step.ok()) {
      log::Get("engine")->error("applying deferred index changes: {}", step.status().message());
      break;
    }
    applied += step->applied;
    if (!step->more) break;
  }
  return applied;
}

Result<Engine::DeferredStep> Engine::ApplyDeferredStep(bool all) {
  // Only the queue's lock: this runs on the background thread and on any thread
  // a plugin asks from (even inside a hook, with an item locked), so it must not
  // wait for item locks or for the background work.
  DeferredStep result;
  std::vector<DeferredChange> done;
  {
    std::lock_guard<std::mutex> lock(rep_->queue_mu);
    const int64_t now = env_.clock().NowMicros();
    for (auto it = rep_->deferred.begin(); it != rep_->deferred.end();) {
      auto& queue = it->second;
      while (!queue.empty() && done.size() < kDeferredStepChanges &&
             (all || queue.front().due_micros <= now)) {
        // Applied before it leaves the queue, under the queue's lock: a write
        // that finds the queue empty finds it applied.
        DYN_RETURN_IF_ERROR(ApplyDeferred(queue.front()));
        done.push_back(std::move(queue.front()));
        queue.pop_front();
        rep_->deferred_count--;
      }
      if (!queue.empty() && (all || queue.front().due_micros <= now)) result.more = true;
      it = queue.empty() ? rep_->deferred.erase(it) : std::next(it);
    }
  }
  result.applied = done.size();
  if (hooks_.Has(HookPoint::kIndexPost)) {
    for (const DeferredChange& d : done) {
      std::optional<Item> old_item = EntryItem(d.old_entry), new_item = EntryItem(d.new_entry);
      IndexEvent event{d.operation, d.table_name, d.index_name, &d.key, &old_item, &new_item, ""};
      hooks_.IndexPost(event);  // applied in the background: no answer to change
    }
  }
  return result;
}

Status Engine::ApplyDeferred(DeferredChange& change) {
  // The index may have been dropped (or its table) since: its change goes too.
  std::shared_ptr<const TableDescription> table = FindTable(change.table_name);
  if (!table || table->table_id != change.table_id) return Status::OK();
  const SecondaryIndex* index = FindIndex(*table, change.index_name);
  if (!index || index->index_id != change.index_id || index->status == TableStatus::kDeleting) {
    return Status::OK();
  }
  // Counted against the rows as they are, not as they were when the change was
  // made: a backfill running meanwhile may already have put the new entry.
  auto existing_size = [&](const std::string& row_key) -> Result<std::optional<int64_t>> {
    DYN_ASSIGN_OR_RETURN(auto bytes, store_.Get(row_key));
    if (!bytes) return std::optional<int64_t>();
    DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*bytes));
    return std::optional<int64_t>(static_cast<int64_t>(ItemSize(item)));
  };
  Store::Batch batch;
  RowCounts delta;
  if (change.old_entry &&
      (!change.new_entry || change.new_entry->row_key != change.old_entry->row_key)) {
    DYN_ASSIGN_OR_RETURN(std::optional<int64_t> size, existing_size(change.old_entry->row_key));
    if (size) {
      batch.Delete(change.old_entry->row_key);
      delta.item_count -= 1;
      delta.size_bytes -= *size;
    }
  }
  if (change.new_entry) {
    DYN_ASSIGN_OR_RETURN(std::optional<int64_t> size, existing_size(change.new_entry->row_key));
    std::string value;
    item_codec::Encode(change.new_entry->item, &value);
    batch.Put(change.new_entry->row_key, value);
    if (!size) delta.item_count += 1;
    delta.size_bytes += static_cast<int64_t>(change.new_entry->size) - size.value_or(0);
  }
  return CommitIndexRows(table->table_id, index->index_id, batch, delta);
}

Status Engine::CommitIndexRows(uint32_t table_id, uint8_t index_id, Store::Batch& batch,
                               const RowCounts& delta) {
  auto slot = rep_->Slot(table_id);
  std::lock_guard<std::mutex> lock(slot->mu);
  RowCounts counts = slot->stats.indexes[index_id];
  counts.item_count += delta.item_count;
  counts.size_bytes += delta.size_bytes;
  batch.Put(key_codec::IndexStatsKey(table_id, index_id), EncodeRowCounts(counts));
  DYN_RETURN_IF_ERROR(store_.Commit(batch));
  slot->stats.indexes[index_id] = counts;
  return Status::OK();
}

Result<bool> Engine::IndexWorkStep(bool apply_all_deferred) {
  std::lock_guard<std::mutex> work_lock(rep_->work_mu);
  DYN_ASSIGN_OR_RETURN(DeferredStep deferred, ApplyDeferredStep(apply_all_deferred));
  bool more = deferred.more;

  // Rows of deleted tables.
  std::vector<uint32_t> dropped;
  {
    std::lock_guard<std::mutex> lock(rep_->queue_mu);
    dropped.assign(rep_->dropped_tables.begin(), rep_->dropped_tables.end());
  }
  for (uint32_t table_id : dropped) {
    DYN_ASSIGN_OR_RETURN(bool left, DroppedTableStep(table_id));
    more = more || left;
  }

  // Backfills and removals.
  std::vector<std::shared_ptr<const TableDescription>> tables;
  {
    std::shared_lock<std::shared_mutex> lock(rep_->catalog_mu);
    for (const auto& [name, table] : rep_->tables) tables.push_back(table);
  }
  for (const auto& table : tables) {
    for (const SecondaryIndex& index : table->global_secondary_indexes) {
      if (index.status == TableStatus::kCreating) {
        DYN_ASSIGN_OR_RETURN(bool left, BackfillStep(*table, index));
        more = more || left;
      } else if (index.status == TableStatus::kDeleting) {
        DYN_ASSIGN_OR_RETURN(bool left, SweepStep(*table, index));
        more = more || left;
      }
    }
  }
  return more;
}

Result<bool> Engine::BackfillStep(const TableDescription& table, const SecondaryIndex& index) {
  std::string& cursor = rep_->cursors[{table.table_id, index.index_id}];
  const std::string prefix = key_codec::IndexPrefix(table.table_id, 0);
  std::vector<std::string> row_keys;
  {
    auto it = store_.NewIterator(prefix, key_codec::PrefixSuccessor(prefix));
    if (cursor.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(cursor);
      if (it->Valid() && it->key() == cursor) it->Next();
    }
    for (; it->Valid() && row_keys.size() < kBackfillStepRows; it->Next()) {
      row_keys.emplace_back(it->key());
    }
    DYN_RETURN_IF_ERROR(it->status());
  }

  for (const std::string& row_key : row_keys) {
    // Under the item's lock, against the item as it is now: a write that raced
    // ahead has already put the entry (writes maintain a CREATING index), which
    // is then left alone and not counted twice.
    std::lock_guard<std::mutex> item_lock(rep_->stripes[StripeOf(row_key)]);
    std::shared_ptr<const TableDescription> current = Current(table);
    if (!current) return false;
    const SecondaryIndex* now = FindIndex(*current, index.index_name);
    if (!now || now->index_id != index.index_id || now->status != TableStatus::kCreating) {
      return false;
    }
    DYN_ASSIGN_OR_RETURN(auto bytes, store_.Get(row_key));
    if (!bytes) continue;
    DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*bytes));
    std::optional<IndexEntry> entry = MakeIndexEntry(*current, *now, item);
    if (!entry) continue;
    DYN_ASSIGN_OR_RETURN(auto existing, store_.Get(entry->row_key));
    if (existing) continue;
    Store::Batch batch;
    RowCounts delta;
    ApplyEntryChange(std::nullopt, entry, &batch, &delta);
    DYN_RETURN_IF_ERROR(CommitIndexRows(table.table_id, index.index_id, batch, delta));
  }
  if (!row_keys.empty()) cursor = row_keys.back();
  if (row_keys.size() == kBackfillStepRows) return true;

  // Every item was visited: the index is ACTIVE.
  rep_->cursors.erase({table.table_id, index.index_id});
  const std::string index_name = index.index_name;
  const uint8_t index_id = index.index_id;
  Result<std::shared_ptr<const TableDescription>> updated =
      UpdateTable(table.table_name, [&](TableDescription& t) -> Status {
        if (t.table_id != table.table_id) return Status::OK();
        for (SecondaryIndex& si : t.global_secondary_indexes) {
          if (si.index_id == index_id && si.status == TableStatus::kCreating) {
            si.status = TableStatus::kActive;
            si.backfilling = false;
          }
        }
        return Status::OK();
      });
  if (!updated.ok() && updated.status().code() != ErrorCode::kResourceNotFound) {
    return updated.status();
  }
  log::Get("engine")->info("index {} of table {} is ACTIVE", index_name, table.table_name);
  return false;
}

Result<bool> Engine::SweepStep(const TableDescription& table, const SecondaryIndex& index) {
  const std::string prefix = key_codec::IndexPrefix(table.table_id, index.index_id);
  auto sweep = [&](size_t max_rows) -> Result<size_t> {
    Store::Batch batch;
    DYN_ASSIGN_OR_RETURN(size_t rows, DeleteRows(store_, prefix, max_rows, &batch));
    if (rows > 0) DYN_RETURN_IF_ERROR(store_.Commit(batch));
    return rows;
  };
  DYN_ASSIGN_OR_RETURN(size_t rows, sweep(kSweepStepRows));
  if (rows == kSweepStepRows) return true;

  // Every entry is gone: the index leaves the description, its statistics and
  // any change still queued for it with it.
  const uint8_t index_id = index.index_id;
  Result<std::shared_ptr<const TableDescription>> updated =
      UpdateTable(table.table_name, [&](TableDescription& t) -> Status {
        if (t.table_id != table.table_id) return Status::OK();
        auto& gsis = t.global_secondary_indexes;
        gsis.erase(std::remove_if(gsis.begin(), gsis.end(),
                                  [&](const SecondaryIndex& si) {
                                    return si.index_id == index_id &&
                                           si.status == TableStatus::kDeleting;
                                  }),
                   gsis.end());
        PruneAttributeDefinitions(&t);
        return Status::OK();
      });
  if (!updated.ok() && updated.status().code() != ErrorCode::kResourceNotFound) {
    return updated.status();
  }
  {
    Store::Batch batch;
    batch.Delete(key_codec::IndexStatsKey(table.table_id, index_id));
    DYN_RETURN_IF_ERROR(store_.Commit(batch));
    auto slot = rep_->Slot(table.table_id);
    std::lock_guard<std::mutex> lock(slot->mu);
    slot->stats.indexes.erase(index_id);
  }
  rep_->DropDeferred(table.table_id, index_id);
  // A write that read the description before the index was marked DELETING may
  // have put an entry behind the sweep: one last pass removes it.
  while (true) {
    DYN_ASSIGN_OR_RETURN(size_t left, sweep(kSweepStepRows));
    if (left < kSweepStepRows) break;
  }
  log::Get("engine")->info("index {} of table {} deleted", index.index_name, table.table_name);
  return false;
}

Result<bool> Engine::DroppedTableStep(uint32_t table_id) {
  Store::Batch batch;
  DYN_ASSIGN_OR_RETURN(size_t rows,
                       DeleteRows(store_, key_codec::TablePrefix(table_id), kSweepStepRows, &batch));
  if (rows == kSweepStepRows) {
    DYN_RETURN_IF_ERROR(store_.Commit(batch));
    return true;
  }
  // The last rows and the marker go together: a restart in between resumes.
  batch.Delete(key_codec::DroppedTableKey(table_id));
  DYN_RETURN_IF_ERROR(store_.Commit(batch));
  std::lock_guard<std::mutex> lock(rep_->queue_mu);
  rep_->dropped_tables.erase(table_id);
  return false;
}

Status Engine::RunIndexWorkForTesting() {
  while (true) {
    DYN_ASSIGN_OR_RETURN(bool more, IndexWorkStep(false));
    if (!more) return Status::OK();
  }
}

// ---- The background thread

void Engine::NotifyWorker() {
  {
    std::lock_guard<std::mutex> lock(rep_->worker_mu);
    rep_->worker_poke = true;
  }
  rep_->worker_cv.notify_one();
}

void Engine::StopWorker() {
  {
    std::lock_guard<std::mutex> lock(rep_->worker_mu);
    rep_->worker_stop = true;
  }
  rep_->worker_cv.notify_one();
  if (rep_->worker.joinable()) rep_->worker.join();
}

void Engine::WorkerLoop() {
  using namespace std::chrono_literals;
  bool more = true;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(rep_->worker_mu);
      // Deferred changes fall due by the engine's clock, which may be a test's
      // manual clock: while any wait, poll it often.
      auto wait = more ? 0ms : (PendingIndexChanges() > 0 ? 5ms : 1000ms);
      rep_->worker_cv.wait_for(lock, wait,
                               [&] { return rep_->worker_stop || rep_->worker_poke; });
      if (rep_->worker_stop) return;
      rep_->worker_poke = false;
    }
    Result<bool> step = IndexWorkStep(false);
    if (!step.ok()) {
      log::Get("engine")->error("background index work: {}", step.status().message());
      more = false;
      continue;
    }
    more = *step;
  }
}

}  // namespace dynemu
