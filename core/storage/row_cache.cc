#include "storage/row_cache.h"

#include <array>
#include <functional>
#include <mutex>

#include <leveldb/cache.h>

namespace dynemu {
namespace {

// Stripes of keys, each with its own lock: writes to different stripes do not
// meet, and a write keeps only its own stripes' reads away from the cache.
constexpr size_t kStripes = 256;

// What a row costs beyond its key and bytes: LevelDB's cache entry, the
// string that holds the row, and the allocator's headers.
constexpr size_t kEntryOverhead = 112;

struct alignas(64) Stripe {
  std::mutex mu;
  uint64_t epoch = 0;    // bumped by every write that begins
  uint32_t writing = 0;  // writes begun and not yet ended
};

void DeleteRow(const leveldb::Slice&, void* value) { delete static_cast<std::string*>(value); }

leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }

size_t StripeOf(std::string_view key) { return std::hash<std::string_view>()(key) % kStripes; }

}  // namespace

struct RowCache::Rep {
  explicit Rep(size_t capacity) : cache(leveldb::NewLRUCache(capacity)) {}
  std::unique_ptr<leveldb::Cache> cache;
  mutable std::array<Stripe, kStripes> stripes;
};

RowCache::RowCache(size_t capacity_bytes) : rep_(std::make_unique<Rep>(capacity_bytes)) {}

RowCache::~RowCache() = default;

bool RowCache::Lookup(std::string_view key, std::string* value, Ticket* ticket) const {
  ticket->stripe = StripeOf(key);
  Stripe& stripe = rep_->stripes[ticket->stripe];
  std::lock_guard<std::mutex> lock(stripe.mu);
  ticket->epoch = stripe.epoch;
  ticket->usable = stripe.writing == 0;
  if (!ticket->usable) return false;
  leveldb::Cache::Handle* handle = rep_->cache->Lookup(ToSlice(key));
  if (handle == nullptr) return false;
  *value = *static_cast<const std::string*>(rep_->cache->Value(handle));
  rep_->cache->Release(handle);
  return true;
}

void RowCache::Insert(std::string_view key, std::string_view value, const Ticket& ticket) {
  if (!ticket.usable) return;
  Stripe& stripe = rep_->stripes[ticket.stripe];
  std::lock_guard<std::mutex> lock(stripe.mu);
  if (stripe.writing != 0 || stripe.epoch != ticket.epoch) return;
  auto* row = new std::string(value);
  rep_->cache->Release(rep_->cache->Insert(ToSlice(key), row,
                                           key.size() + value.size() + kEntryOverhead, DeleteRow));
}

void RowCache::BeginWrite(std::string_view key) {
  Stripe& stripe = rep_->stripes[StripeOf(key)];
  std::lock_guard<std::mutex> lock(stripe.mu);
  ++stripe.epoch;
  ++stripe.writing;
  rep_->cache->Erase(ToSlice(key));
}

void RowCache::EndWrite(std::string_view key) {
  Stripe& stripe = rep_->stripes[StripeOf(key)];
  std::lock_guard<std::mutex> lock(stripe.mu);
  --stripe.writing;
}

size_t RowCache::charge() const { return rep_->cache->TotalCharge(); }

}  // namespace dynemu
