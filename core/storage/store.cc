#include "storage/store.h"

#include <fcntl.h>
#include <unistd.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/helpers/memenv.h>
#include <leveldb/write_batch.h>

#include "base/log.h"
#include "storage/key_filter.h"

namespace dynemu {
namespace {

leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }
std::string_view ToView(const leveldb::Slice& s) { return std::string_view(s.data(), s.size()); }

// LevelDB errors are storage faults, never the client's doing.
Status FromLevelDB(const leveldb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  return InternalError(std::string(what) + ": " + s.ToString());
}

// Reads the bytes [offset, offset + n) of `fd` into `scratch`; fewer at the
// end of the file.
leveldb::Status PreadAll(int fd, const std::string& path, uint64_t offset, size_t n,
                         char* scratch, size_t* done) {
  *done = 0;
  while (*done < n) {
    const ssize_t r = ::pread(fd, scratch + *done, n - *done, static_cast<off_t>(offset + *done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return leveldb::Status::IOError(path, std::strerror(errno));
    }
    if (r == 0) break;  // end of file: a short read, as LevelDB expects
    *done += static_cast<size_t>(r);
  }
  return leveldb::Status::OK();
}

// Read-ahead for the reads of one thread that walk a table file in order: a
// compaction merging its input files, a Query or Scan. LevelDB reads a table
// block by block (~4 KB, one pread each); once a thread's read of a file starts
// where its previous one ended, it reads ahead in growing chunks and serves the
// next blocks from its buffer. Random reads (GetItem) keep one pread each. The
// state is the thread's own, so nothing is shared or locked; a slot names its
// file by a number never reused, so a closed file's bytes are never served.
class ReadAhead {
 public:
  static constexpr size_t kFirstChunk = 32 << 10;
  static constexpr size_t kMaxChunk = 128 << 10;
  static constexpr int kSlots = 16;  // files read in order at once (a merge's inputs)

  // Serves the read from the buffer or refills it; false when the read is not
  // part of an in-order walk (the caller then reads it itself).
  bool Read(uint64_t file_id, int fd, const std::string& path, uint64_t offset, size_t n,
            char* scratch, size_t* done, leveldb::Status* status) {
    Slot& slot = Find(file_id);
    const bool in_order = slot.file_id == file_id && offset == slot.next;
    slot.file_id = file_id;
    slot.next = offset + n;
    slot.used = ++clock_;
    if (slot.Holds(offset, n)) {
      std::memcpy(scratch, slot.data.get() + (offset - slot.start), n);
      *done = n;
      return true;
    }
    if (!in_order || n > kMaxChunk) {
      slot.chunk = 0;
      slot.length = 0;
      return false;
    }
    slot.chunk = slot.chunk == 0 ? kFirstChunk : std::min(slot.chunk * 2, kMaxChunk);
    if (!slot.data) slot.data = std::make_unique<char[]>(kMaxChunk);
    // A block larger than the chunk is still read whole (n <= kMaxChunk here).
    size_t got = 0;
    *status = PreadAll(fd, path, offset, std::max(slot.chunk, n), slot.data.get(), &got);
    slot.start = offset;
    slot.length = status->ok() ? got : 0;
    *done = std::min(n, slot.length);
    std::memcpy(scratch, slot.data.get(), *done);
    return true;
  }

  static ReadAhead& ForThisThread() {
    thread_local ReadAhead read_ahead;
    return read_ahead;
  }

 private:
  struct Slot {
    uint64_t file_id = 0;
    uint64_t next = 0;      // where the last read of this file ended
    uint64_t used = 0;
    uint64_t start = 0;     // the buffered bytes: [start, start + length)
    size_t length = 0;
    size_t chunk = 0;
    std::unique_ptr<char[]> data;

    bool Holds(uint64_t offset, size_t n) const {
      return length > 0 && offset >= start && offset + n <= start + length;
    }
  };

  // The file's slot, or the least recently used one.
  Slot& Find(uint64_t file_id) {
    Slot* oldest = &slots_[0];
    for (Slot& slot : slots_) {
      if (slot.file_id == file_id) return slot;
      if (slot.used < oldest->used) oldest = &slot;
    }
    oldest->length = 0;
    oldest->chunk = 0;
    return *oldest;
  }

  Slot slots_[kSlots];
  uint64_t clock_ = 0;
};

std::atomic<uint64_t> next_file_id{1};

// A table file read with pread(2) instead of through mmap(2).
class PreadFile final : public leveldb::RandomAccessFile {
 public:
  PreadFile(std::string path, int fd)
      : path_(std::move(path)), fd_(fd), id_(next_file_id.fetch_add(1)) {}
  ~PreadFile() override { ::close(fd_); }

  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* scratch) const override {
    size_t done = 0;
    leveldb::Status s;
    if (!ReadAhead::ForThisThread().Read(id_, fd_, path_, offset, n, scratch, &done, &s)) {
      s = PreadAll(fd_, path_, offset, n, scratch, &done);
    }
    *result = leveldb::Slice(scratch, done);
    return s;
  }

 private:
  const std::string path_;
  const int fd_;
  const uint64_t id_;
};

// A table file being written by a compaction or a memtable flush. LevelDB's
// own file writes its 64 KB buffer out at every Flush(), and its table builder
// flushes after each ~4 KB block: under a write load that is one write(2) per
// block, the largest share of the server's system time after the sockets. A
// table file is read only once it is complete (after Sync and Close, and after
// the manifest names it), so its bytes may stay here until the buffer fills,
// the file is synced or closed. The log and the manifest keep LevelDB's file:
// each record there must reach the kernel when it is flushed.
class TableFileWriter final : public leveldb::WritableFile {
 public:
  static constexpr size_t kBufferBytes = 1 << 20;

  TableFileWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    buffer_.reserve(kBufferBytes);
  }
  ~TableFileWriter() override {
    if (fd_ >= 0) Close();
  }

  leveldb::Status Append(const leveldb::Slice& data) override {
    if (buffer_.size() + data.size() > kBufferBytes) {
      leveldb::Status s = WriteOut();
      if (!s.ok()) return s;
      if (data.size() >= kBufferBytes) return WriteAll(data.data(), data.size());
    }
    buffer_.append(data.data(), data.size());
    return leveldb::Status::OK();
  }
  leveldb::Status Close() override {
    leveldb::Status s = WriteOut();
    if (fd_ >= 0 && ::close(fd_) != 0 && s.ok()) s = Error();
    fd_ = -1;
    return s;
  }
  leveldb::Status Flush() override { return leveldb::Status::OK(); }
  leveldb::Status Sync() override {
    leveldb::Status s = WriteOut();
    if (s.ok() && ::fdatasync(fd_) != 0) s = Error();
    return s;
  }

 private:
  leveldb::Status Error() const { return leveldb::Status::IOError(path_, std::strerror(errno)); }
  leveldb::Status WriteOut() {
    leveldb::Status s = WriteAll(buffer_.data(), buffer_.size());
    buffer_.clear();
    return s;
  }
  leveldb::Status WriteAll(const char* data, size_t n) {
    while (n > 0) {
      const ssize_t w = ::write(fd_, data, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Error();
      }
      data += w;
      n -= static_cast<size_t>(w);
    }
    return leveldb::Status::OK();
  }

  const std::string path_;
  int fd_;
  std::string buffer_;
};

// LevelDB's default Env maps up to 1,000 table files into memory. Every page of
// them it touches then counts in the server's resident memory (hundreds of MB
// after a million items), although the block cache is meant to be the bound.
// Reading with pread keeps the server's memory at the block cache plus index
// blocks; the kernel's page cache still caches the files, outside our RSS.
class PreadEnv final : public leveldb::EnvWrapper {
 public:
  PreadEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}

  leveldb::Status NewRandomAccessFile(const std::string& path,
                                      leveldb::RandomAccessFile** result) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      *result = nullptr;
      if (errno == ENOENT) return leveldb::Status::NotFound(path, std::strerror(errno));
      return leveldb::Status::IOError(path, std::strerror(errno));
    }
    *result = new PreadFile(path, fd);
    return leveldb::Status::OK();
  }

  leveldb::Status NewWritableFile(const std::string& path,
                                  leveldb::WritableFile** result) override {
    if (!path.ends_with(".ldb")) return target()->NewWritableFile(path, result);  // not a table
    int fd = ::open(path.c_str(), O_TRUNC | O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      *result = nullptr;
      return leveldb::Status::IOError(path, std::strerror(errno));
    }
    *result = new TableFileWriter(path, fd);
    return leveldb::Status::OK();
  }
};

}  // namespace

struct Store::Batch::Rep {
  leveldb::WriteBatch batch;
};

Store::Batch::Batch() : rep_(std::make_unique<Rep>()) {}
Store::Batch::~Batch() = default;
Store::Batch::Batch(Batch&&) noexcept = default;
Store::Batch& Store::Batch::operator=(Batch&&) noexcept = default;
void Store::Batch::Put(std::string_view key, std::string_view value) {
  rep_->batch.Put(ToSlice(key), ToSlice(value));
}
void Store::Batch::Delete(std::string_view key) { rep_->batch.Delete(ToSlice(key)); }
void Store::Batch::Clear() { rep_->batch.Clear(); }
size_t Store::Batch::ApproximateSize() const { return rep_->batch.ApproximateSize(); }

class Store::Snapshot {
 public:
  Snapshot(leveldb::DB* db, const leveldb::Snapshot* snapshot) : db_(db), snapshot_(snapshot) {}
  ~Snapshot() { db_->ReleaseSnapshot(snapshot_); }
  const leveldb::Snapshot* get() const { return snapshot_; }

 private:
  leveldb::DB* db_;
  const leveldb::Snapshot* snapshot_;
};

struct Store::Rep {
  // Destroyed in reverse order: the database first, then what it uses.
  std::unique_ptr<leveldb::Env> env;
  std::unique_ptr<leveldb::Cache> block_cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter_policy;
  std::unique_ptr<leveldb::DB> db;
  std::unique_ptr<RowCache> row_cache;  // null when disabled
  KeyFilter key_filter;
  std::atomic<bool> stop_key_scan{false};
  std::thread key_scan;
  leveldb::WriteOptions write_options;
};

namespace {

// Iterates [start, end) over a LevelDB iterator.
class RangeIterator final : public Store::Iterator {
 public:
  RangeIterator(leveldb::Iterator* it, std::string start, std::string end)
      : it_(it), start_(std::move(start)), end_(std::move(end)) {}

  bool Valid() const override {
    if (!it_->Valid()) return false;
    std::string_view k = ToView(it_->key());
    if (k < std::string_view(start_)) return false;
    return end_.empty() || k < std::string_view(end_);
  }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  void Seek(std::string_view target) override {
    it_->Seek(ToSlice(target < std::string_view(start_) ? std::string_view(start_) : target));
  }
  void SeekToFirst() override { it_->Seek(ToSlice(start_)); }
  void SeekToLast() override {
    if (end_.empty()) {
      it_->SeekToLast();
    } else {
      it_->Seek(ToSlice(end_));
      if (it_->Valid()) {
        it_->Prev();
      } else {
        it_->SeekToLast();
      }
    }
  }
  std::string_view key() const override { return ToView(it_->key()); }
  std::string_view value() const override { return ToView(it_->value()); }
  Status status() const override { return FromLevelDB(it_->status(), "iterator"); }

 private:
  std::unique_ptr<leveldb::Iterator> it_;
  std::string start_;
  std::string end_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const Options& options) {
  auto rep = std::make_unique<Rep>();
  leveldb::Options opts;
  opts.create_if_missing = true;
  opts.write_buffer_size = options.write_buffer_bytes;
  opts.max_file_size = options.max_file_bytes;
  opts.compression = options.compress ? leveldb::kSnappyCompression : leveldb::kNoCompression;
  rep->block_cache.reset(leveldb::NewLRUCache(options.block_cache_bytes));
  opts.block_cache = rep->block_cache.get();
  // A Bloom filter spares GetItem of an absent key most table-file reads.
  rep->filter_policy.reset(leveldb::NewBloomFilterPolicy(10));
  opts.filter_policy = rep->filter_policy.get();
  std::string path = options.path;
  if (options.in_memory) {
    rep->env.reset(leveldb::NewMemEnv(leveldb::Env::Default()));
    if (path.empty()) path = "/dynemu-in-memory";
  } else {
    rep->env = std::make_unique<PreadEnv>();
  }
  opts.env = rep->env.get();
  leveldb::DB* db = nullptr;
  leveldb::Status s = leveldb::DB::Open(opts, path, &db);
  if (!s.ok()) {
    return InternalError("cannot open the database at " + path + ": " + s.ToString());
  }
  rep->db.reset(db);
  if (options.row_cache_bytes > 0) rep->row_cache = std::make_unique<RowCache>(options.row_cache_bytes);
  rep->write_options.sync = options.sync_writes;
  // The keys already stored go into the key filter from a thread of their own,
  // at low priority; until it is done, the filter answers "may be there".
  rep->key_scan = std::thread([r = rep.get()] {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
    const auto start = std::chrono::steady_clock::now();
    leveldb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<leveldb::Iterator> it(r->db->NewIterator(ro));
    size_t keys = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++keys) {
      if (r->stop_key_scan.load(std::memory_order_relaxed)) return;
      r->key_filter.Add(ToView(it->key()));
    }
    if (!it->status().ok()) {
      log::Get("storage")->warn("key filter: the scan of the stored keys failed ({}); every read "
                                "asks LevelDB", it->status().ToString());
      return;
    }
    r->key_filter.MarkComplete();
    log::Get("storage")->info(
        "key filter: {} stored keys read in {} ms", keys,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
            .count());
  });
  log::Get("storage")->info("opened {} database {}", options.in_memory ? "in-memory" : "on-disk",
                            options.in_memory ? "" : path);
  return std::unique_ptr<Store>(new Store(std::move(rep)));
}

Store::Store(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Store::~Store() {
  rep_->stop_key_scan.store(true);
  rep_->key_scan.join();
  // Closing the DB flushes nothing extra (the log is already durable up to the
  // OS), but it waits for background compaction, so a clean stop leaves no
  // half-written table file behind.
  rep_->db.reset();
}

namespace {

Result<std::optional<std::string>> ReadLevelDB(leveldb::DB& db, const leveldb::ReadOptions& ro,
                                               std::string_view key) {
  std::string value;
  leveldb::Status s = db.Get(ro, ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromLevelDB(s, "get");
  return std::optional<std::string>(std::move(value));
}

}  // namespace

Result<std::optional<std::string>> Store::Get(std::string_view key,
                                              const Snapshot* snapshot) const {
  if (!rep_->key_filter.MayContain(key)) return std::optional<std::string>();
  leveldb::ReadOptions ro;
  if (snapshot) {
    ro.snapshot = snapshot->get();
  } else if (rep_->row_cache) {
    std::string value;
    RowCache::Ticket ticket;
    if (rep_->row_cache->Lookup(key, &value, &ticket)) {
      return std::optional<std::string>(std::move(value));
    }
  }
  return ReadLevelDB(*rep_->db, ro, key);
}

Result<std::optional<std::string>> Store::GetCached(std::string_view key) const {
  if (!rep_->row_cache) return Get(key);
  if (!rep_->key_filter.MayContain(key)) return std::optional<std::string>();
  std::string value;
  RowCache::Ticket ticket;
  if (rep_->row_cache->Lookup(key, &value, &ticket)) {
    return std::optional<std::string>(std::move(value));
  }
  Result<std::optional<std::string>> read = ReadLevelDB(*rep_->db, leveldb::ReadOptions(), key);
  if (read.ok() && read->has_value()) rep_->row_cache->Insert(key, **read, ticket);
  return read;
}

std::unique_ptr<Store::Iterator> Store::NewIterator(std::string start, std::string end,
                                                    const Snapshot* snapshot) const {
  leveldb::ReadOptions ro;
  if (snapshot) ro.snapshot = snapshot->get();
  return std::make_unique<RangeIterator>(rep_->db->NewIterator(ro), std::move(start),
                                         std::move(end));
}

bool Store::key_filter_complete() const { return rep_->key_filter.complete(); }

std::shared_ptr<const Store::Snapshot> Store::GetSnapshot() const {
  return std::make_shared<const Snapshot>(rep_->db.get(), rep_->db->GetSnapshot());
}

namespace {

// The keys a batch writes, as views into the batch; those it puts go into the
// key filter. Most batches write a few keys: those are kept without allocating.
class BatchKeys final : public leveldb::WriteBatch::Handler {
 public:
  explicit BatchKeys(KeyFilter& filter) : filter_(filter) {}
  void Put(const leveldb::Slice& key, const leveldb::Slice&) override {
    filter_.Add(ToView(key));
    Keep(ToView(key));
  }
  void Delete(const leveldb::Slice& key) override { Keep(ToView(key)); }

  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < std::min(count_, few_.size()); ++i) f(few_[i]);
    for (std::string_view key : more_) f(key);
  }

 private:
  void Keep(std::string_view key) {
    if (count_ < few_.size()) {
      few_[count_] = key;
    } else {
      more_.push_back(key);
    }
    ++count_;
  }

  KeyFilter& filter_;
  std::array<std::string_view, 8> few_;
  size_t count_ = 0;
  std::vector<std::string_view> more_;
};

}  // namespace

Status Store::Commit(Batch& batch) {
  leveldb::WriteBatch& b = batch.rep_->batch;
  // The keys put enter the key filter before they can be read; the cached rows
  // of the keys written are dropped, and their stripes' reads kept away from the
  // cache, until the write is in LevelDB (row_cache.h).
  BatchKeys written(rep_->key_filter);
  if (leveldb::Status s = b.Iterate(&written); !s.ok()) return FromLevelDB(s, "commit");
  RowCache* cache = rep_->row_cache.get();
  if (cache) written.ForEach([cache](std::string_view key) { cache->BeginWrite(key); });
  const leveldb::Status s = rep_->db->Write(rep_->write_options, &b);
  if (cache) written.ForEach([cache](std::string_view key) { cache->EndWrite(key); });
  return FromLevelDB(s, "commit");
}

}  // namespace dynemu
