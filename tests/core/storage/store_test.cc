#include "storage/store.h"

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
  auto snapshot = store->GetSnapshot();
  Store::Batch second;
  second.Put("k", "new");
  second.Put("k2", "x");
  ASSERT_TRUE(store->Commit(second).ok());
  EXPECT_EQ(**store->Get("k", snapshot.get()), "old");
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
