#include "storage/key_filter.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/store.h"

namespace dynemu {
namespace {

std::string Key(const char* prefix, int i) { return prefix + std::to_string(i); }

TEST(KeyFilterTest, FindsEveryKeyAddedAndFewOthers) {
  KeyFilter filter(1000);  // small, so that it grows through several filters
  constexpr int kKeys = 200000;
  for (int i = 0; i < kKeys; ++i) filter.Add(Key("item/", i));
  EXPECT_GE(filter.levels(), 5u);
  // Until the keys stored before are all in, every key may be there.
  EXPECT_TRUE(filter.MayContain("never added"));
  filter.MarkComplete();
  for (int i = 0; i < kKeys; ++i) ASSERT_TRUE(filter.MayContain(Key("item/", i))) << i;
  int false_positives = 0;
  for (int i = 0; i < kKeys; ++i) false_positives += filter.MayContain(Key("other/", i));
  EXPECT_LT(false_positives, kKeys / 100);  // 16 bits a key: ~0.1% in each filter
  EXPECT_LT(filter.memory_bytes(), size_t{kKeys} * 2 * 16 / 8);
}

TEST(KeyFilterTest, GrowsWithTheKeysNotWithTheWrites) {
  KeyFilter filter(1000);
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 1000; ++i) filter.Add(Key("counter/", i));
  }
  EXPECT_EQ(filter.levels(), 1u);
  filter.MarkComplete();
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(filter.MayContain(Key("counter/", i)));
}

TEST(KeyFilterTest, KeysAddedConcurrentlyAreAllFound) {
  KeyFilter filter(64);
  filter.MarkComplete();
  std::vector<std::thread> threads;
  std::atomic<int> missing{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50000; ++i) {
        const std::string key = Key(("t" + std::to_string(t) + "/").c_str(), i);
        filter.Add(key);
        if (!filter.MayContain(key)) missing.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(missing.load(), 0);
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 50000; ++i) {
      ASSERT_TRUE(filter.MayContain(Key(("t" + std::to_string(t) + "/").c_str(), i)));
    }
  }
}

void WaitForKeyFilter(const Store& store) {
  for (int i = 0; i < 1000 && !store.key_filter_complete(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(store.key_filter_complete());
}

// The keys stored before the store opens are read into the filter in the
// background; reads of them, before and after, find them.
TEST(StoreKeyFilterTest, KeysStoredBeforeOpeningAreFound) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("dynemu-key-filter-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Store::Options options;
  options.path = dir.string();
  options.write_buffer_bytes = 64 << 10;  // table files, not only the log
  {
    auto store = std::move(Store::Open(options)).value();
    for (int b = 0; b < 20; ++b) {
      Store::Batch batch;
      for (int i = 0; i < 500; ++i) batch.Put(Key("old/", b * 500 + i), std::string(100, 'v'));
      ASSERT_TRUE(store->Commit(batch).ok());
    }
    Store::Batch removal;
    removal.Delete("old/3");
    ASSERT_TRUE(store->Commit(removal).ok());
  }
  {
    auto store = std::move(Store::Open(options)).value();
    EXPECT_TRUE(store->Get("old/9999")->has_value());  // perhaps before the scan is done
    WaitForKeyFilter(*store);
    for (int i = 0; i < 10000; ++i) {
      const auto got = store->Get(Key("old/", i));
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(got->has_value(), i != 3) << i;
      ASSERT_EQ(store->GetCached(Key("old/", i))->has_value(), i != 3) << i;
    }
    EXPECT_FALSE(store->Get("new/1")->has_value());
    Store::Batch batch;
    batch.Put("new/1", "x");
    batch.Put("old/3", "back");
    ASSERT_TRUE(store->Commit(batch).ok());
    EXPECT_EQ(store->Get("new/1")->value_or("absent"), "x");
    EXPECT_EQ(store->GetCached("old/3")->value_or("absent"), "back");
    auto snapshot = store->GetSnapshot();
    EXPECT_EQ(store->Get("new/1", snapshot.get())->value_or("absent"), "x");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dynemu
