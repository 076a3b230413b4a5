#pragma once

// Rows recently read by key, so that a point read of a row read before
// (GetItem, BatchGetItem) is answered without LevelDB's walk through its
// memtables and a table file of every level. Bounded by bytes, least recently
// used rows dropped first (LevelDB's sharded LRU cache holds them).
//
// A cached row is never staler than LevelDB. A write brackets its commit with
// BeginWrite and EndWrite on each of its keys: BeginWrite drops the key's row,
// and while a write to a key's stripe is under way, reads of that stripe
// neither use nor fill the cache. A read that missed takes a ticket before it
// reads LevelDB; what it read is kept only if no write to the stripe began
// since. So a read that finds a row in the cache sees what a read of LevelDB
// would see at that moment, and once a write's EndWrite is done every read
// sees the write.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dynemu {

class RowCache {
 public:
  // What a read that missed needs to offer its row to the cache.
  struct Ticket {
    size_t stripe = 0;
    uint64_t epoch = 0;
    bool usable = false;  // false: a write to the stripe was under way
  };

  explicit RowCache(size_t capacity_bytes);
  ~RowCache();
  RowCache(const RowCache&) = delete;
  RowCache& operator=(const RowCache&) = delete;

  // Copies the cached row of `key` into *value and returns true; otherwise
  // returns false and fills *ticket, to pass to Insert with the row then read.
  bool Lookup(std::string_view key, std::string* value, Ticket* ticket) const;

  // Keeps `value` as the row of `key`, read from LevelDB after `ticket` was
  // taken, unless a write to the key's stripe began since.
  void Insert(std::string_view key, std::string_view value, const Ticket& ticket);

  // Bracket the commit of a write of `key` (a put or a delete).
  void BeginWrite(std::string_view key);
  void EndWrite(std::string_view key);

  // Bytes charged by the cached rows (tests).
  size_t charge() const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace dynemu
