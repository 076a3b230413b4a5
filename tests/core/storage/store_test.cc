#include "storage/store.h"

#include <cstdio>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

namespace dynemu {
namespace {

std::unique_ptr<Store> OpenInMemory() {
  Store::Options options;
  options.in_memory = true;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

std::vector<std::string> Keys(Store::Iterator& it) {
  std::vector<std::string> keys;
  for (it.SeekToFirst(); it.Valid(); it.Next()) keys.emplace_back(it.key());
  return keys;
}

TEST(StoreTest, PutGetDeleteInOneBatch) {
  auto store = OpenInMemory();
  Store::Batch batch;
  batch.Put("a", "1");
  batch.Put("b", std::string("\0\xff", 2));
  ASSERT_TRUE(store->Commit(batch).ok());
  auto a = store->Get("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(**a, "1");
  EXPECT_EQ(**store->Get("b"), std::string("\0\xff", 2));
  EXPECT_FALSE(store->Get("c")->has_value());

  Store::Batch second;
  second.Delete("a");
  second.Put("c", "3");
  ASSERT_TRUE(store->Commit(second).ok());
  EXPECT_FALSE(store->Get("a")->has_value());
  EXPECT_EQ(**store->Get("c"), "3");
}

TEST(StoreTest, IteratorStaysInsideItsRange) {
  auto store = OpenInMemory();
  Store::Batch batch;
  for (std::string k : {"a", "b1", "b2", "b3", "c"}) batch.Put(k, k);
  ASSERT_TRUE(store->Commit(batch).ok());

  auto it = store->NewIterator("b", "c");
  EXPECT_EQ(Keys(*it), (std::vector<std::string>{"b1", "b2", "b3"}));
  it->SeekToLast();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key(), "b3");
  it->Prev();
  EXPECT_EQ(it->key(), "b2");
  it->Seek("b25");
  EXPECT_EQ(it->key(), "b3");
  it->Seek("a");  // before the range: clamps to its start
  EXPECT_EQ(it->key(), "b1");

  auto open_end = store->NewIterator("b3", "");
  EXPECT_EQ(Keys(*open_end), (std::vector<std::string>{"b3", "c"}));
  open_end->SeekToLast();
  EXPECT_EQ(open_end->key(), "c");
}

TEST(StoreTest, SnapshotsDoNotSeeLaterWrites) {
  auto store = OpenInMemory();
  Store::Batch batch;
  batch.Put("k", "old");
  ASSERT_TRUE(store->Commit(batch).ok());
  EXPECT_EQ(**store->GetCached("k"), "old");  // now in the row cache
  auto snapshot = store->GetSnapshot();
  Store::Batch second;
  second.Put("k", "new");
  second.Put("k2", "x");
  ASSERT_TRUE(store->Commit(second).ok());
  EXPECT_EQ(**store->Get("k", snapshot.get()), "old");
  EXPECT_EQ(**store->GetCached("k"), "new");
  EXPECT_FALSE(store->Get("k2", snapshot.get())->has_value());
  auto it = store->NewIterator("", "", snapshot.get());
  EXPECT_EQ(Keys(*it), (std::vector<std::string>{"k"}));
  EXPECT_EQ(**store->Get("k"), "new");
}

TEST(StoreTest, DataSurvivesReopenOnDisk) {
  auto dir = std::filesystem::temp_directory_path() /
             ("dynemu-store-test-" + std::to_string(std::random_device{}()));
  Store::Options options;
  options.path = dir.string();
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store::Batch batch;
    batch.Put("persist", "yes");
    ASSERT_TRUE((*store)->Commit(batch).ok());
  }
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(**(*store)->Get("persist"), "yes");
  }
  std::filesystem::remove_all(dir);
}

// Enough data through a small write buffer that LevelDB flushes and compacts
// many table files (written through the store's buffered table-file writer) and
// reads them back in order (the read-ahead) and at random, interleaved, before
// and after a reopen.
TEST(StoreTest, ManyTableFilesReadBackInOrderAndAtRandom) {
  auto dir = std::filesystem::temp_directory_path() /
             ("dynemu-store-test-" + std::to_string(std::random_device{}()));
  Store::Options options;
  options.path = dir.string();
  options.write_buffer_bytes = 64 << 10;
  options.max_file_bytes = 256 << 10;
  options.block_cache_bytes = 64 << 10;  // most reads go to the files
  constexpr int kItems = 6000;
  auto key = [](int i) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "k%07d", i);
    return std::string(buf);
  };
  auto value = [](int i) {
    std::string v(300 + i % 700, '\0');
    uint64_t x = static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL + 1;
    for (char& c : v) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      c = static_cast<char>('a' + x % 26);
    }
    return v;
  };
  auto check = [&](Store& store) {
    // Two walks in order at once (each on its own file positions), with random
    // point reads between their steps.
    auto a = store.NewIterator("", "");
    auto b = store.NewIterator(key(kItems / 2), "");
    std::mt19937 rng(3);
    int i = 0;
    int j = kItems / 2;
    for (a->SeekToFirst(), b->SeekToFirst(); a->Valid(); a->Next(), ++i) {
      ASSERT_EQ(a->key(), key(i));
      ASSERT_EQ(a->value(), value(i)) << i;
      if (b->Valid()) {
        ASSERT_EQ(b->key(), key(j));
        ASSERT_EQ(b->value(), value(j)) << j;
        b->Next();
        ++j;
      }
      if (i % 7 == 0) {
        const int r = static_cast<int>(rng() % kItems);
        auto got = store.Get(key(r));
        ASSERT_TRUE(got.ok() && got->has_value()) << r;
        ASSERT_EQ(**got, value(r)) << r;
      }
    }
    EXPECT_EQ(i, kItems);
    EXPECT_EQ(j, kItems);
    ASSERT_TRUE(a->status().ok());
  };
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // Out of order, so compactions merge overlapping files.
    for (int round = 0; round < 3; ++round) {
      Store::Batch batch;
      for (int i = round; i < kItems; i += 3) {
        batch.Put(key(i), value(i));
        if (batch.ApproximateSize() > (32 << 10)) {
          ASSERT_TRUE((*store)->Commit(batch).ok());
          batch.Clear();
        }
      }
      ASSERT_TRUE((*store)->Commit(batch).ok());
    }
    check(**store);
  }
  size_t table_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".ldb") ++table_files;
  }
  EXPECT_GT(table_files, 3u);
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    check(**store);
  }
  std::filesystem::remove_all(dir);
}

// Blocks larger than the read-ahead's first chunks (an item of tens of KB makes
// its own block) still come back whole when read in order.
TEST(StoreTest, LargeValuesReadBackInOrder) {
  auto dir = std::filesystem::temp_directory_path() /
             ("dynemu-store-test-" + std::to_string(std::random_device{}()));
  Store::Options options;
  options.path = dir.string();
  options.write_buffer_bytes = 256 << 10;
  options.block_cache_bytes = 64 << 10;
  options.compress = false;
  auto value = [](int i) { return std::string(20000 + i * 9000, static_cast<char>('a' + i % 26)); };
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < 40; ++i) {
      Store::Batch batch;
      batch.Put("k" + std::to_string(100 + i), value(i));
      ASSERT_TRUE((*store)->Commit(batch).ok());
    }
  }
  auto store = Store::Open(options);  // reopened: the values come from table files
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (int pass = 0; pass < 2; ++pass) {
    auto it = (*store)->NewIterator("", "");
    int i = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++i) {
      ASSERT_EQ(it->value().size(), value(i).size()) << i;
      ASSERT_EQ(it->value(), value(i)) << i;
    }
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    EXPECT_EQ(i, 40);
  }
  std::filesystem::remove_all(dir);
}

TEST(StoreTest, OpenFailureNamesThePath) {
  Store::Options options;
  options.path = "/proc/dynemu-cannot-create-this";
  auto store = Store::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInternalServerError);
  EXPECT_NE(store.status().message().find("/proc/dynemu-cannot-create-this"), std::string::npos);
}

}  // namespace
}  // namespace dynemu
