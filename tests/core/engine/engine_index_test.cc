// Secondary-index maintenance in the engine: entries on every write path,
// sparse indexes, moves, projections, statistics, deferred (lagging) entries,
// backfill and removal of an index.

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/index_rows.h"
#include "engine_fixture.h"
#include "host/hook_dispatch.h"
#include "storage/store.h"
#include "value/item_size.h"

namespace dynemu {
namespace {

AttributeValue Str(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue Num(int64_t n) { return AttributeValue::N(Number::FromInt64(n)); }

SecondaryIndex Index(std::string name, bool global, std::vector<KeySchemaElement> keys,
                     ProjectionType type, std::vector<std::string> include = {}) {
  SecondaryIndex index;
  index.index_name = std::move(name);
  index.global = global;
  index.key_schema = std::move(keys);
  index.projection.type = type;
  index.projection.non_key_attributes = std::move(include);
  return index;
}

// Orders: pk customer (S), sk order (N); GSI byStatus (status S, placed N, ALL);
// GSI byCity (city, KEYS_ONLY); GSI byTotal (total N, INCLUDE note); LSI byPlaced.
TableDescription Orders() {
  TableDescription d;
  d.table_name = "Orders";
  d.attribute_definitions = {{"customer", ScalarType::kS}, {"order", ScalarType::kN},
                             {"status", ScalarType::kS},   {"placed", ScalarType::kN},
                             {"city", ScalarType::kS},     {"total", ScalarType::kN}};
  d.key_schema = {{"customer", KeyType::kHash}, {"order", KeyType::kRange}};
  d.billing_mode = BillingMode::kPayPerRequest;
  d.global_secondary_indexes = {
      Index("byStatus", true, {{"status", KeyType::kHash}, {"placed", KeyType::kRange}},
            ProjectionType::kAll),
      Index("byCity", true, {{"city", KeyType::kHash}}, ProjectionType::kKeysOnly),
      Index("byTotal", true, {{"total", KeyType::kHash}}, ProjectionType::kInclude, {"note"}),
  };
  d.local_secondary_indexes = {
      Index("byPlaced", false, {{"customer", KeyType::kHash}, {"placed", KeyType::kRange}},
            ProjectionType::kKeysOnly),
  };
  return d;
}

Item Order(std::string customer, int64_t order, std::string status, int64_t placed) {
  return Item{{"customer", Str(std::move(customer))},
              {"order", Num(order)},
              {"status", Str(std::move(status))},
              {"placed", Num(placed)}};
}

// Defers every index change it sees (when armed) and counts index.post events.
class Lagger : public HookSubscriber {
 public:
  Verdict OnIndexPre(const IndexEvent& event) override {
    pre++;
    if (defer_ms >= 0) return Verdict::Defer(defer_ms);
    return Verdict::Continue();
  }
  Verdict OnIndexPost(const IndexEvent& event) override {
    post++;
    return Verdict::Continue();
  }
  int64_t defer_ms = -1;  // < 0: do not defer
  std::atomic<int> pre{0}, post{0};
};

class EngineIndexTest : public EngineFixture {
 protected:
  void SetUp() override {
    hooks_.Add(&lagger_, HookBit(HookPoint::kIndexPre) | HookBit(HookPoint::kIndexPost));
    Reopen();
    auto created = engine_->CreateTable(Orders());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  std::shared_ptr<const TableDescription> Table() { return engine_->FindTable("Orders"); }

  Result<Engine::WriteResult> Put(const Item& item) { return PutInto(*Table(), item); }
  Result<Engine::WriteResult> Delete(const Item& key) { return DeleteFrom(*Table(), key); }

  // Adds `index` (keyed on "region", a string) to Orders as UpdateTable does:
  // CREATING and backfilling, for the engine's index work to fill.
  Status StartBackfill(SecondaryIndex index) {
    return engine_
        ->UpdateTable("Orders",
                      [&index](TableDescription& t) -> Status {
                        t.attribute_definitions.push_back({"region", ScalarType::kS});
                        index.index_id = t.next_index_id++;
                        index.status = TableStatus::kCreating;
                        index.backfilling = true;
                        t.global_secondary_indexes.push_back(index);
                        return Status::OK();
                      })
        .status();
  }

  // Marks index `name` DELETING, as UpdateTable's Delete does.
  Status StartRemoval(const std::string& name) {
    return engine_
        ->UpdateTable("Orders",
                      [&name](TableDescription& t) -> Status {
                        for (auto& si : t.global_secondary_indexes) {
                          if (si.index_name == name) si.status = TableStatus::kDeleting;
                        }
                        return Status::OK();
                      })
        .status();
  }

  // The items of one index partition, in index order.
  std::vector<Item> QueryIndex(const std::string& index_name, AttributeValue pk) {
    auto t = Table();
    const SecondaryIndex* index = FindIndex(*t, index_name);
    EXPECT_NE(index, nullptr);
    auto page = engine_->QueryPartition(*t, index, pk, Engine::SortKeyRange{}, true, nullptr,
                                        Engine::PageLimits{});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<Item> out;
    for (auto& row : page->rows) out.push_back(row.item);
    return out;
  }

  // Every entry of an index, over all its partitions.
  std::vector<Item> ScanIndex(const std::string& index_name) {
    auto t = Table();
    const SecondaryIndex* index = FindIndex(*t, index_name);
    EXPECT_NE(index, nullptr);
    auto page = engine_->ScanSegment(*t, index, 0, 1, nullptr, Engine::PageLimits{});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<Item> out;
    for (auto& row : page->rows) out.push_back(row.item);
    return out;
  }

  RowCounts IndexCounts(const std::string& index_name) {
    auto t = Table();
    TableStats stats = engine_->Stats(*t);
    return stats.indexes[FindIndex(*t, index_name)->index_id];
  }

  Lagger lagger_;
};

TEST_F(EngineIndexTest, EntriesFollowPutsUpdatesAndDeletes) {
  ASSERT_TRUE(Put(Order("ann", 1, "open", 100)).ok());
  ASSERT_TRUE(Put(Order("bob", 1, "open", 50)).ok());
  ASSERT_TRUE(Put(Order("ann", 2, "shipped", 75)).ok());

  // ALL projection: whole items, in sort key (placed) order.
  std::vector<Item> open = QueryIndex("byStatus", Str("open"));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0], Order("bob", 1, "open", 50));
  EXPECT_EQ(open[1], Order("ann", 1, "open", 100));
  EXPECT_EQ(IndexCounts("byStatus").item_count, 3);

  // The update moves the entry between index partitions.
  auto moved = Put(Order("bob", 1, "shipped", 50));
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(moved->index_writes.size(), 1u);  // byStatus only; byPlaced unchanged
  EXPECT_EQ(moved->index_writes[0].index_name, "byStatus");
  EXPECT_EQ(moved->index_writes[0].units, 2.0);  // a delete and a put
  EXPECT_EQ(QueryIndex("byStatus", Str("open")).size(), 1u);
  EXPECT_EQ(QueryIndex("byStatus", Str("shipped")).size(), 2u);
  EXPECT_EQ(IndexCounts("byStatus").item_count, 3);

  // LSI: the customer's partition ordered by placed, keys only.
  std::vector<Item> ann = QueryIndex("byPlaced", Str("ann"));
  ASSERT_EQ(ann.size(), 2u);
  EXPECT_EQ(ann[0], (Item{{"customer", Str("ann")}, {"order", Num(2)}, {"placed", Num(75)}}));

  ASSERT_TRUE(Delete(Item{{"customer", Str("ann")}, {"order", Num(1)}}).ok());
  EXPECT_TRUE(QueryIndex("byStatus", Str("open")).empty());
  EXPECT_EQ(QueryIndex("byPlaced", Str("ann")).size(), 1u);
  EXPECT_EQ(IndexCounts("byStatus").item_count, 2);
  EXPECT_EQ(IndexCounts("byPlaced").item_count, 2);

  // Counts survive a restart.
  Reopen();
  EXPECT_EQ(IndexCounts("byStatus").item_count, 2);
  EXPECT_GT(IndexCounts("byStatus").size_bytes, 0);
}

TEST_F(EngineIndexTest, SparseIndexesAndProjections) {
  Item no_keys{{"customer", Str("cy")}, {"order", Num(1)}, {"note", Str("n")}};
  ASSERT_TRUE(Put(no_keys).ok());
  EXPECT_TRUE(ScanIndex("byStatus").empty());
  EXPECT_TRUE(ScanIndex("byCity").empty());
  EXPECT_EQ(IndexCounts("byStatus").item_count, 0);

  Item full{{"customer", Str("cy")}, {"order", Num(2)},     {"city", Str("Oslo")},
            {"total", Num(9)},       {"note", Str("fast")}, {"extra", Str("x")}};
  auto put = Put(full);
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->index_writes.size(), 2u);  // byCity and byTotal
  // KEYS_ONLY: index key and table key.
  EXPECT_EQ(ScanIndex("byCity"),
            (std::vector<Item>{{{"city", Str("Oslo")}, {"customer", Str("cy")}, {"order", Num(2)}}}));
  // INCLUDE: plus the named non-key attributes.
  EXPECT_EQ(ScanIndex("byTotal"), (std::vector<Item>{{{"customer", Str("cy")},
                                                      {"note", Str("fast")},
                                                      {"order", Num(2)},
                                                      {"total", Num(9)}}}));
  // A change to an attribute no index projects writes no index.
  full["extra"] = Str("y");
  put = Put(full);
  ASSERT_TRUE(put.ok());
  EXPECT_TRUE(put->index_writes.empty());
  // Removing the index key takes the item out of that index.
  full.erase("city");
  ASSERT_TRUE(Put(full).ok());
  EXPECT_TRUE(ScanIndex("byCity").empty());
  EXPECT_EQ(IndexCounts("byCity").item_count, 0);
  EXPECT_EQ(IndexCounts("byCity").size_bytes, 0);
}

TEST_F(EngineIndexTest, IndexKeyValidation) {
  auto t = Table();
  Item wrong = Order("ann", 1, "open", 1);
  wrong["status"] = Num(3);
  Status s = engine_->ValidateItem(*t, wrong);
  EXPECT_EQ(s.message(),
            "One or more parameter values were invalid: Type mismatch for Index Key status "
            "Expected: S Actual: N IndexName: byStatus");
  Item empty = Order("ann", 1, "", 1);
  s = engine_->ValidateItem(*t, empty);
  EXPECT_EQ(s.message(),
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
            "string value. IndexName: byStatus, IndexKey: status");
  EXPECT_EQ(ValidateIndexKeys(*t, empty, IndexKeyOrigin::kUpdate).message(),
            "One or more parameter values are not valid. The update expression attempted to "
            "update a secondary index key to a value that is not supported. The AttributeValue "
            "for a key attribute cannot contain an empty string value. IndexName: byStatus, "
            "IndexKey: status");
  // placed keys two indexes: the first by name is named.
  Item list = Order("ann", 1, "open", 1);
  list["placed"] = AttributeValue::L({});
  EXPECT_EQ(engine_->ValidateItem(*t, list).message(),
            "One or more parameter values were invalid: Type mismatch for Index Key placed "
            "Expected: N Actual: L IndexName: byPlaced");
}

TEST_F(EngineIndexTest, DeferredEntriesLagThenCatchUpInOrder) {
  clock_.SetMicros(1'000'000);
  lagger_.defer_ms = 500;
  ASSERT_TRUE(Put(Order("ann", 1, "open", 1)).ok());
  ASSERT_TRUE(Put(Order("ann", 1, "shipped", 1)).ok());
  // The GSI lags; the LSI never does; the base table is current.
  EXPECT_TRUE(ScanIndex("byStatus").empty());
  EXPECT_EQ(ScanIndex("byPlaced").size(), 1u);
  EXPECT_EQ(engine_->PendingIndexChanges(), 2u);
  EXPECT_EQ(IndexCounts("byStatus").item_count, 0);

  // Not yet due: nothing applies.
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 2u);

  // A change that is not deferred still queues behind the deferred ones.
  lagger_.defer_ms = -1;
  ASSERT_TRUE(Put(Order("ann", 1, "closed", 1)).ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 3u);

  clock_.SetMicros(1'600'000);
  int posts_before = lagger_.post.load();
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 0u);
  EXPECT_EQ(lagger_.post.load() - posts_before, 3);
  std::vector<Item> all = ScanIndex("byStatus");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], Order("ann", 1, "closed", 1));
  EXPECT_EQ(IndexCounts("byStatus").item_count, 1);

  // On demand, due or not.
  lagger_.defer_ms = 60'000;
  ASSERT_TRUE(Delete(Item{{"customer", Str("ann")}, {"order", Num(1)}}).ok());
  EXPECT_EQ(ScanIndex("byStatus").size(), 1u);
  EXPECT_EQ(engine_->ApplyDeferredIndexChanges(), 1u);
  EXPECT_TRUE(ScanIndex("byStatus").empty());
  EXPECT_EQ(IndexCounts("byStatus").item_count, 0);
}

TEST_F(EngineIndexTest, BackfillThenRemoveAnIndex) {
  for (int i = 0; i < 1500; i++) {
    Item item = Order("c" + std::to_string(i % 37), i, i % 3 ? "open" : "done", i);
    if (i % 5 == 0) item["region"] = Str(i % 2 ? "eu" : "us");
    ASSERT_TRUE(Put(item).ok());
  }
  ASSERT_TRUE(StartBackfill(Index("byRegion", true,
                                   {{"region", KeyType::kHash}, {"order", KeyType::kRange}},
                                   ProjectionType::kAll))
                  .ok());
  // Writes during the backfill maintain the new index.
  Item late = Order("late", 5000, "open", 1);
  late["region"] = Str("eu");
  ASSERT_TRUE(Put(late).ok());
  ASSERT_TRUE(Delete(Item{{"customer", Str("c0")}, {"order", Num(0)}}).ok());  // was "us"

  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  // The description is replaced by the next UpdateTable: hold it while reading.
  const std::shared_ptr<const TableDescription> backfilled = Table();
  const SecondaryIndex* index = FindIndex(*backfilled, "byRegion");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->status, TableStatus::kActive);
  EXPECT_FALSE(index->backfilling);
  // 300 items had a region; one was deleted, one added.
  EXPECT_EQ(ScanIndex("byRegion").size(), 300u);
  EXPECT_EQ(IndexCounts("byRegion").item_count, 300);
  std::vector<Item> eu = QueryIndex("byRegion", Str("eu"));
  EXPECT_EQ(eu.size(), 151u);
  EXPECT_EQ(eu.back(), late);  // sorted by order

  ASSERT_TRUE(StartRemoval("byRegion").ok());
  ASSERT_TRUE(Put(late).ok());  // a DELETING index is not maintained
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_EQ(FindIndex(*Table(), "byRegion"), nullptr);
  EXPECT_FALSE(Table()->AttributeType("region").has_value());
  EXPECT_EQ(engine_->Stats(*Table()).indexes.count(index->index_id), 0u);
}

TEST_F(EngineIndexTest, DeferredChangesDuringABackfillAreCountedOnce) {
  for (int i = 0; i < 10; i++) {
    Item item = Order("c", i, "open", i);
    item["region"] = Str("eu");
    ASSERT_TRUE(Put(item).ok());
  }
  ASSERT_TRUE(
      StartBackfill(Index("byRegion", true, {{"region", KeyType::kHash}}, ProjectionType::kAll))
          .ok());
  // Rewrites of items the backfill has not reached, deferred: the backfill
  // puts their entries first, the deferred changes then overwrite them.
  lagger_.defer_ms = 60'000;
  for (int i = 0; i < 10; i += 2) {
    Item item = Order("c", i, "open", i);
    item["region"] = Str("eu");
    item["more"] = Str("x");
    ASSERT_TRUE(Put(item).ok());
  }
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  // Five rewrites, each changing byRegion's and byStatus's (ALL) entries.
  EXPECT_EQ(engine_->PendingIndexChanges(), 10u);
  EXPECT_EQ(engine_->ApplyDeferredIndexChanges(), 10u);
  EXPECT_EQ(ScanIndex("byRegion").size(), 10u);
  EXPECT_EQ(IndexCounts("byRegion").item_count, 10);
  int64_t bytes = 0;
  for (const Item& item : ScanIndex("byRegion")) bytes += static_cast<int64_t>(ItemSize(item));
  EXPECT_EQ(IndexCounts("byRegion").size_bytes, bytes);
}

TEST_F(EngineIndexTest, DeferredChangesGoWithTheirIndexOrTable) {
  lagger_.defer_ms = 600'000;
  ASSERT_TRUE(Put(Order("ann", 1, "open", 1)).ok());
  Item with_city = Order("bob", 2, "open", 2);
  with_city["city"] = Str("Oslo");
  ASSERT_TRUE(Put(with_city).ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 3u);  // byStatus twice, byCity once
  ASSERT_TRUE(StartRemoval("byCity").ok());
  // The removal of byCity drops its change; byStatus's wait on.
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 2u);
  ASSERT_TRUE(engine_->DeleteTable("Orders").ok());
  EXPECT_EQ(engine_->PendingIndexChanges(), 0u);
  EXPECT_EQ(engine_->ApplyDeferredIndexChanges(), 0u);
}

TEST_F(EngineIndexTest, AStopAppliesDeferredChanges) {
  lagger_.defer_ms = 600'000;
  ASSERT_TRUE(Put(Order("ann", 1, "open", 1)).ok());
  EXPECT_TRUE(ScanIndex("byStatus").empty());
  Reopen();  // the old engine stops
  EXPECT_EQ(engine_->PendingIndexChanges(), 0u);
  EXPECT_EQ(ScanIndex("byStatus").size(), 1u);
  EXPECT_EQ(IndexCounts("byStatus").item_count, 1);
}

TEST_F(EngineIndexTest, BackgroundThreadBackfillsAndAppliesDueChanges) {
  Reopen(/*background_index_work=*/true);
  clock_.SetMicros(5'000'000);
  lagger_.defer_ms = 10;
  ASSERT_TRUE(Put(Order("ann", 1, "open", 1)).ok());
  clock_.SetMicros(5'020'000);
  for (int i = 0; i < 400 && engine_->PendingIndexChanges() > 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(engine_->PendingIndexChanges(), 0u);
  EXPECT_EQ(QueryIndex("byStatus", Str("open")).size(), 1u);
}

TEST(IndexRowsTest, RowKeysOrderEntriesSharingAnIndexKeyByTableKey) {
  TableDescription t = Orders();
  t.table_id = 3;
  const SecondaryIndex& by_status = t.global_secondary_indexes[0];
  for (auto& index : t.global_secondary_indexes) index.index_id = 1;
  auto a = MakeIndexEntry(t, by_status, Order("a", 2, "open", 7));
  auto b = MakeIndexEntry(t, by_status, Order("b", 1, "open", 7));
  auto c = MakeIndexEntry(t, by_status, Order("a", 1, "open", 8));
  ASSERT_TRUE(a && b && c);
  EXPECT_LT(a->row_key, b->row_key);
  EXPECT_LT(b->row_key, c->row_key);
  EXPECT_EQ(a->row_key, IndexRowKeyOf(t, by_status, IndexEntryKey(t, by_status, a->item)));
  EXPECT_EQ(IndexEntryKey(t, by_status, a->item),
            (Item{{"customer", Str("a")}, {"order", Num(2)}, {"placed", Num(7)},
                  {"status", Str("open")}}));
  EXPECT_EQ(a->size, ItemSize(a->item));
  // An empty or mistyped key value (stored before the index existed) is no entry.
  Item odd = Order("a", 3, "", 7);
  EXPECT_FALSE(MakeIndexEntry(t, by_status, odd).has_value());
  odd["status"] = Num(1);
  EXPECT_FALSE(MakeIndexEntry(t, by_status, odd).has_value());
  EXPECT_EQ(ProjectedAttributeNames(t, t.global_secondary_indexes[2]),
            (std::vector<std::string>{"customer", "note", "order", "total"}));
}

}  // namespace
}  // namespace dynemu
