#pragma once

// The one LevelDB database of the server. Only storage/ includes LevelDB; its
// Status is converted to ours here. Everything a request writes (base row, index
// rows, statistics) goes into one Batch and is committed atomically.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/row_cache.h"

namespace dynemu {

class Store {
 public:
  struct Options {
    std::string path;               // the database directory; ignored when in_memory
    bool in_memory = false;         // LevelDB's in-memory Env: nothing touches the disk
    size_t block_cache_bytes = 8 << 20;
    // Rows read by GetCached, kept whole (row_cache.h); 0: none.
    size_t row_cache_bytes = 4 << 20;
    size_t write_buffer_bytes = 4 << 20;
    // LevelDB's target size of one table file. Larger files mean fewer files to
    // open, index and compact.
    size_t max_file_bytes = 2 << 20;
    bool compress = true;           // Snappy-compress table blocks
    bool sync_writes = false;       // fsync every commit
  };

  // A set of writes applied all or nothing by Commit.
  class Batch {
   public:
    Batch();
    ~Batch();
    Batch(Batch&&) noexcept;
    Batch& operator=(Batch&&) noexcept;
    void Put(std::string_view key, std::string_view value);
    void Delete(std::string_view key);
    void Clear();
    size_t ApproximateSize() const;

   private:
    friend class Store;
    struct Rep;
    std::unique_ptr<Rep> rep_;
  };

  // A consistent, read-only view of the database as of its creation.
  class Snapshot;

  // Iterates keys in [start, end) in order (or backwards). Reads a snapshot taken
  // when it was created (or the given one). Not thread-safe; one per reader.
  class Iterator {
   public:
    virtual ~Iterator() = default;
    virtual bool Valid() const = 0;
    virtual void Next() = 0;
    virtual void Prev() = 0;
    // Positions at the first key >= target.
    virtual void Seek(std::string_view target) = 0;
    virtual void SeekToFirst() = 0;  // first key >= start
    virtual void SeekToLast() = 0;   // last key < end
    virtual std::string_view key() const = 0;    // valid until the next move
    virtual std::string_view value() const = 0;  // valid until the next move
    virtual Status status() const = 0;
  };

  // Opens (creating if missing) the database. Errors name the path.
  static Result<std::unique_ptr<Store>> Open(const Options& options);
  ~Store();

  // Reads `key`. Returns nullopt when absent. Thread-safe. Without a snapshot,
  // a row in the row cache is answered from it.
  Result<std::optional<std::string>> Get(std::string_view key,
                                         const Snapshot* snapshot = nullptr) const;

  // Get, keeping the row read in the row cache: for the point reads of items
  // (GetItem, BatchGetItem), not for reads that a write of the row follows.
  Result<std::optional<std::string>> GetCached(std::string_view key) const;

  // An iterator over [start, end); an empty `end` means "to the end of the keyspace".
  std::unique_ptr<Iterator> NewIterator(std::string start, std::string end,
                                        const Snapshot* snapshot = nullptr) const;

  // A snapshot; released when the returned pointer dies. Must not outlive the Store.
  std::shared_ptr<const Snapshot> GetSnapshot() const;

  // Whether every key stored when the store opened is in its key filter
  // (key_filter.h), so that reads of keys never put skip LevelDB.
  bool key_filter_complete() const;

  // Applies `batch` atomically. Thread-safe.
  Status Commit(Batch& batch);

 private:
  struct Rep;
  explicit Store(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace dynemu
