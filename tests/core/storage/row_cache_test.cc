#include "storage/row_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/store.h"

namespace dynemu {
namespace {

TEST(RowCacheTest, KeepsWhatAReadOffersAndDropsItOnAWrite) {
  RowCache cache(1 << 20);
  std::string value;
  RowCache::Ticket ticket;
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));
  EXPECT_TRUE(ticket.usable);
  cache.Insert("k", "v1", ticket);
  ASSERT_TRUE(cache.Lookup("k", &value, &ticket));
  EXPECT_EQ(value, "v1");
  EXPECT_GT(cache.charge(), 0u);

  cache.BeginWrite("k");
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));
  cache.EndWrite("k");
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));
  EXPECT_EQ(cache.charge(), 0u);
}

TEST(RowCacheTest, ARowReadBeforeAWriteBeganIsNotKept) {
  RowCache cache(1 << 20);
  std::string value;
  RowCache::Ticket ticket;
  ASSERT_FALSE(cache.Lookup("k", &value, &ticket));
  // A write of the key begins and ends while the read is at LevelDB: what the
  // read found may be the old row.
  cache.BeginWrite("k");
  cache.EndWrite("k");
  cache.Insert("k", "old", ticket);
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));

  // Nor while a write is under way: neither offered nor found.
  ASSERT_FALSE(cache.Lookup("k", &value, &ticket));
  cache.Insert("k", "v", ticket);
  cache.BeginWrite("k");
  RowCache::Ticket during;
  EXPECT_FALSE(cache.Lookup("k", &value, &during));
  EXPECT_FALSE(during.usable);
  cache.Insert("k", "v", during);
  cache.EndWrite("k");
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));

  // A ticket taken while a write was under way is refused even once it ended:
  // the read may have found LevelDB before the write landed.
  cache.BeginWrite("k");
  ASSERT_FALSE(cache.Lookup("k", &value, &during));
  cache.EndWrite("k");
  cache.Insert("k", "maybe old", during);
  EXPECT_FALSE(cache.Lookup("k", &value, &ticket));
}

TEST(RowCacheTest, StaysWithinItsCapacity) {
  RowCache cache(256 << 10);
  const std::string row(1000, 'r');
  for (int i = 0; i < 2000; ++i) {
    std::string value;
    RowCache::Ticket ticket;
    const std::string key = "key" + std::to_string(i);
    ASSERT_FALSE(cache.Lookup(key, &value, &ticket));
    cache.Insert(key, row, ticket);
  }
  EXPECT_LE(cache.charge(), size_t{256 << 10} + 2048);
  std::string value;
  RowCache::Ticket ticket;
  EXPECT_TRUE(cache.Lookup("key1999", &value, &ticket));  // the latest stay
  EXPECT_FALSE(cache.Lookup("key0", &value, &ticket));    // the first are gone
}

std::unique_ptr<Store> OpenWithRowCache(size_t bytes) {
  Store::Options options;
  options.in_memory = true;
  options.row_cache_bytes = bytes;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

TEST(StoreRowCacheTest, ReadsSeeEveryCommittedWrite) {
  auto store = OpenWithRowCache(1 << 20);
  Store::Batch put;
  put.Put("item", "1");
  ASSERT_TRUE(store->Commit(put).ok());
  EXPECT_EQ(**store->GetCached("item"), "1");
  EXPECT_EQ(**store->GetCached("item"), "1");  // from the cache

  Store::Batch update;
  update.Put("item", "2");
  ASSERT_TRUE(store->Commit(update).ok());
  EXPECT_EQ(**store->GetCached("item"), "2");
  EXPECT_EQ(**store->Get("item"), "2");

  Store::Batch remove;
  remove.Delete("item");
  ASSERT_TRUE(store->Commit(remove).ok());
  EXPECT_FALSE(store->GetCached("item")->has_value());
  EXPECT_FALSE(store->Get("item")->has_value());
}

// One writer commits 1, 2, 3, ... to a few keys; readers read them through the
// cache, each checking that it never sees a value older than one committed
// before its read began, nor a value going back. Fails when a read that raced a
// write keeps the old row (the ticket's epoch not checked).
TEST(StoreRowCacheTest, ConcurrentReadsNeverGoBackInTime) {
  auto store = OpenWithRowCache(1 << 20);
  constexpr int kKeys = 4;
  constexpr int kWrites = 20000;
  std::vector<std::atomic<int>> committed(kKeys);
  for (auto& c : committed) c.store(0);
  {
    Store::Batch batch;
    for (int k = 0; k < kKeys; ++k) batch.Put("key" + std::to_string(k), "0");
    ASSERT_TRUE(store->Commit(batch).ok());
  }
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      std::vector<int> last(kKeys, 0);
      for (int i = r; !done.load(std::memory_order_acquire); ++i) {
        const int k = i % kKeys;
        const int floor = committed[k].load(std::memory_order_acquire);
        auto got = store->GetCached("key" + std::to_string(k));
        if (!got.ok() || !got->has_value()) {
          failures.fetch_add(1);
          continue;
        }
        const int v = std::stoi(**got);
        if (v < floor || v < last[k]) failures.fetch_add(1);
        last[k] = v;
      }
    });
  }
  for (int w = 1; w <= kWrites; ++w) {
    const int k = w % kKeys;
    Store::Batch batch;
    batch.Put("key" + std::to_string(k), std::to_string(w));
    ASSERT_TRUE(store->Commit(batch).ok());
    committed[k].store(w, std::memory_order_release);
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace dynemu
