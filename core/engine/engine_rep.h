#pragma once

// The Engine's private state, shared by its source files (engine.cc: tables and
// reads; engine_write.cc: the write path and secondary-index maintenance).
// Nothing outside core/engine includes this.

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "engine/engine.h"
#include "engine/index_rows.h"

namespace dynemu {

// Items are locked by stripes: two writers of one item always meet on the same
// mutex; unrelated items rarely share one. 4096 stripes cost 160 KB.
constexpr size_t kLockStripes = 4096;

// The stripe of a base row key.
size_t StripeOf(const std::string& row_key);

// The row key of a base item. REQUIRES: key holds the table's key attributes.
std::string BaseRowKey(const TableDescription& table, const Item& key);

std::string EncodeRowCounts(const RowCounts& counts);
RowCounts DecodeRowCounts(std::string_view bytes);

// One secondary-index entry change that a subscriber of index.pre deferred (or
// that queued behind one, to keep an index's changes in order).
struct Engine::DeferredChange {
  uint32_t table_id = 0;
  uint8_t index_id = 0;
  std::string table_name;
  std::string index_name;
  std::string operation;                 // of the write that made it
  Item key;                              // the base item's key
  std::optional<IndexEntry> old_entry;   // removed when applied
  std::optional<IndexEntry> new_entry;   // written when applied
  int64_t due_micros = 0;                // by the engine's clock
};

struct Engine::Rep {
  mutable std::shared_mutex catalog_mu;
  std::map<std::string, std::shared_ptr<const TableDescription>, std::less<>> tables;
  uint32_t next_table_id = 1;
  // Serializes catalog writes (create, delete, update), which read-modify-write.
  std::mutex catalog_write_mu;

  // Per-table statistics (base rows and each index), persisted with every write
  // of the table.
  struct StatsSlot {
    std::mutex mu;
    TableStats stats;
  };
  // Every write looks its table's slot up; only CreateTable, DeleteTable and
  // Open add or remove one, so lookups share the lock.
  mutable std::shared_mutex stats_map_mu;
  std::map<uint32_t, std::shared_ptr<StatsSlot>> stats;

  std::array<std::mutex, kLockStripes> stripes;

  // Deferred index changes, a FIFO per (table id, index id): the head of a queue
  // is applied once due, and the changes behind it wait for it, so an index
  // replays its changes in the order they were made.
  mutable std::mutex queue_mu;
  std::map<std::pair<uint32_t, uint8_t>, std::deque<DeferredChange>> deferred;
  size_t deferred_count = 0;
  // Deleted tables whose rows the worker still has to remove (guarded by
  // queue_mu; persisted as key_codec::DroppedTableKey markers).
  std::set<uint32_t> dropped_tables;

  // Background index work: backfill of CREATING indexes, removal of DELETING
  // ones, due deferred changes. Progress of each backfill or sweep, by
  // (table id, index id): the last base (or index) row key done.
  std::mutex work_mu;  // one worker step at a time (the thread, or a test)
  std::map<std::pair<uint32_t, uint8_t>, std::string> cursors;
  std::mutex worker_mu;
  std::condition_variable worker_cv;
  bool worker_stop = false;
  bool worker_poke = false;
  std::thread worker;

  // Transactions (engine_txn.cc): the base row keys claimed by in-flight write
  // transactions. claim_count mirrors claimed.size(), so that WriteItem skips
  // the mutex while no transaction runs.
  std::mutex claims_mu;
  std::unordered_set<std::string> claimed;
  std::atomic<size_t> claim_count{0};

  // ClientRequestToken idempotency: token -> entry; `finished` lists the tokens
  // of finished entries in the order they finished (so by expiry), with the
  // generation of the entry they were pushed for (a token forgotten and used
  // again leaves a stale pair behind, skipped by generation).
  struct IdempotencyEntry {
    std::string fingerprint;
    bool in_flight = true;
    int64_t expires_micros = 0;
    std::string outcome;
    uint64_t generation = 0;
  };
  std::mutex tokens_mu;
  std::unordered_map<std::string, IdempotencyEntry> tokens;
  std::deque<std::pair<std::string, uint64_t>> finished;
  uint64_t next_generation = 1;

  // Forgets the deferred changes of a table's index (every index when
  // `index_id` is nullopt): the index or the table is gone.
  void DropDeferred(uint32_t table_id, std::optional<uint8_t> index_id) {
    std::lock_guard<std::mutex> lock(queue_mu);
    for (auto it = deferred.begin(); it != deferred.end();) {
      if (it->first.first == table_id && (!index_id || it->first.second == *index_id)) {
        deferred_count -= it->second.size();
        it = deferred.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::shared_ptr<StatsSlot> Slot(uint32_t table_id) {
    {
      std::shared_lock<std::shared_mutex> lock(stats_map_mu);
      auto it = stats.find(table_id);
      if (it != stats.end()) return it->second;
    }
    std::unique_lock<std::shared_mutex> lock(stats_map_mu);
    auto& slot = stats[table_id];
    if (!slot) slot = std::make_shared<StatsSlot>();
    return slot;
  }
};

}  // namespace dynemu
