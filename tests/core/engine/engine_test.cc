#include "engine/engine.h"

#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "host/hook_dispatch.h"
#include "storage/key_codec.h"
#include "storage/store.h"

namespace dynemu {
namespace {

AttributeValue Str(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue Num(int64_t n) { return AttributeValue::N(Number::FromInt64(n)); }

TableDescription PkSkTable(std::string name) {
  TableDescription d;
  d.table_name = std::move(name);
  d.attribute_definitions = {{"pk", ScalarType::kS}, {"sk", ScalarType::kN}};
  d.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  d.billing_mode = BillingMode::kPayPerRequest;
  return d;
}

class EngineTest : public EngineFixture {
 protected:
  void SetUp() override { Reopen(); }

  Result<Engine::WriteResult> Put(const TableDescription& t, const Item& item) {
    return PutInto(t, item);
  }
};

TEST_F(EngineTest, CreateAssignsIdentityAndRefusesDuplicates) {
  auto created = engine_->CreateTable(PkSkTable("Music"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const TableDescription& t = **created;
  EXPECT_EQ(t.table_id, 1u);
  EXPECT_EQ(t.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/Music");
  EXPECT_EQ(t.table_uuid.size(), 36u);
  EXPECT_EQ(t.table_uuid[14], '4');
  EXPECT_EQ(t.creation_micros, clock_.NowMicros());
  EXPECT_EQ(t.status, TableStatus::kActive);

  auto again = engine_->CreateTable(PkSkTable("Music"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kResourceInUse);
  EXPECT_EQ(again.status().message(), "Table already exists: Music");

  auto second = engine_->CreateTable(PkSkTable("Books"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->table_id, 2u);
  EXPECT_EQ(engine_->ListTableNames(), (std::vector<std::string>{"Books", "Music"}));
}

TEST_F(EngineTest, KeyValidationMessages) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  auto expect = [&](const Status& s, const std::string& message) {
    EXPECT_EQ(s.code(), ErrorCode::kValidation);
    EXPECT_EQ(s.message(), message);
  };
  const std::string mismatch = "The provided key element does not match the schema";
  EXPECT_TRUE(engine_->ValidateKey(*t, {{"pk", Str("a")}, {"sk", Num(1)}}).ok());
  expect(engine_->ValidateKey(*t, {{"pk", Str("a")}}), mismatch);
  expect(engine_->ValidateKey(*t, {{"pk", Str("a")}, {"sk", Num(1)}, {"x", Num(1)}}), mismatch);
  expect(engine_->ValidateKey(*t, {{"pk", Num(1)}, {"sk", Num(1)}}), mismatch);
  expect(engine_->ValidateKey(*t, {{"pk", Str("a")}, {"other", Num(1)}}), mismatch);
  expect(engine_->ValidateKey(*t, {{"pk", Str("")}, {"sk", Num(1)}}),
         "One or more parameter values were invalid: The AttributeValue for a key attribute "
         "cannot contain an empty string value. Key: pk");
  expect(engine_->ValidateKey(*t, {{"pk", Str(std::string(2049, 'x'))}, {"sk", Num(1)}}),
         "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
         "size limit of2048 bytes");
  EXPECT_TRUE(engine_->ValidateKey(*t, {{"pk", Str(std::string(2048, 'x'))}, {"sk", Num(1)}}).ok());

  expect(engine_->ValidateItem(*t, {{"sk", Num(1)}}),
         "One or more parameter values were invalid: Missing the key pk in the item");
  expect(engine_->ValidateItem(*t, {{"pk", Str("a")}, {"sk", Str("1")}}),
         "One or more parameter values were invalid: Type mismatch for key sk expected: N "
         "actual: S");
  expect(engine_->ValidateItem(*t, {{"pk", Str("")}, {"sk", Num(1)}}),
         "One or more parameter values are not valid. The AttributeValue for a key attribute "
         "cannot contain an empty string value. Key: pk");
}

TEST_F(EngineTest, WritesReadsAndCounts) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  Item a = {{"pk", Str("a")}, {"sk", Num(1)}, {"v", Str("first")}};
  auto first = Put(*t, a);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->old_image.has_value());

  Item a2 = {{"pk", Str("a")}, {"sk", Num(1)}, {"v", Str("second")}};
  auto second = Put(*t, a2);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->old_image.has_value());
  EXPECT_EQ(*second->old_image, a);

  ASSERT_TRUE(Put(*t, {{"pk", Str("b")}, {"sk", Num(-5)}}).ok());
  auto got = engine_->GetItem(*t, {{"pk", Str("a")}, {"sk", Num(1)}});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(**got, a2);
  EXPECT_FALSE(engine_->GetItem(*t, {{"pk", Str("a")}, {"sk", Num(2)}})->has_value());
  EXPECT_EQ(engine_->Stats(*t).item_count, 2);
  EXPECT_GT(engine_->Stats(*t).size_bytes, 0);

  auto deleted = engine_->WriteItem(
      *t, {{"pk", Str("a")}, {"sk", Num(1)}}, "DeleteItem", "req",
      [](const std::optional<Item>&) -> Result<std::optional<Item>> { return std::nullopt; });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted->old_image, a2);
  EXPECT_EQ(engine_->Stats(*t).item_count, 1);

  // A mutator's error stops the write.
  auto refused = engine_->WriteItem(
      *t, {{"pk", Str("b")}, {"sk", Num(-5)}}, "PutItem", "req",
      [](const std::optional<Item>&) -> Result<std::optional<Item>> {
        return Status(ErrorCode::kConditionalCheckFailed, "The conditional request failed");
      });
  EXPECT_EQ(refused.status().code(), ErrorCode::kConditionalCheckFailed);
  EXPECT_TRUE(engine_->GetItem(*t, {{"pk", Str("b")}, {"sk", Num(-5)}})->has_value());
}

TEST_F(EngineTest, CatalogItemsAndStatsSurviveReopen) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  ASSERT_TRUE(Put(*t, {{"pk", Str("a")}, {"sk", Num(1)}}).ok());
  ASSERT_TRUE(Put(*t, {{"pk", Str("a")}, {"sk", Num(2)}}).ok());
  TableStats before = engine_->Stats(*t);
  Reopen();
  auto found = engine_->FindTable("T");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->table_arn, t->table_arn);
  EXPECT_EQ(found->table_uuid, t->table_uuid);
  EXPECT_EQ(engine_->Stats(*found).item_count, before.item_count);
  EXPECT_EQ(engine_->Stats(*found).size_bytes, before.size_bytes);
  EXPECT_TRUE(engine_->GetItem(*found, {{"pk", Str("a")}, {"sk", Num(2)}})->has_value());
  // Ids are never reused after a restart.
  auto next = engine_->CreateTable(PkSkTable("U"));
  EXPECT_EQ((*next)->table_id, 2u);
}

TEST_F(EngineTest, DeleteTableRemovesRows) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  for (int i = 0; i < 2500; i++) ASSERT_TRUE(Put(*t, {{"pk", Str("p")}, {"sk", Num(i)}}).ok());
  auto deleted = engine_->DeleteTable("T");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(engine_->FindTable("T"), nullptr);
  auto again = engine_->DeleteTable("T");
  EXPECT_EQ(again.status().code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(again.status().message(), "Requested resource not found: Table: T not found");
  // A table of the same name starts empty.
  auto fresh = *engine_->CreateTable(PkSkTable("T"));
  EXPECT_NE(fresh->table_id, t->table_id);
  EXPECT_FALSE(engine_->GetItem(*fresh, {{"pk", Str("p")}, {"sk", Num(7)}})->has_value());
  // The old rows are removed in the background (here: on request), in steps.
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_FALSE(engine_->GetItem(*t, {{"pk", Str("p")}, {"sk", Num(7)}})->has_value());
  auto rows = store_->NewIterator(key_codec::TablePrefix(t->table_id),
                                  key_codec::PrefixSuccessor(key_codec::TablePrefix(t->table_id)));
  rows->SeekToFirst();
  EXPECT_FALSE(rows->Valid());
  auto markers = store_->NewIterator(key_codec::DroppedTablePrefix(),
                                     key_codec::PrefixSuccessor(key_codec::DroppedTablePrefix()));
  markers->SeekToFirst();
  EXPECT_FALSE(markers->Valid());
}

TEST_F(EngineTest, DeletedTableRowsAreRemovedAfterARestart) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  for (int i = 0; i < 1200; i++) ASSERT_TRUE(Put(*t, {{"pk", Str("p")}, {"sk", Num(i)}}).ok());
  // Stop before the worker gets to it (this fixture's engine has none), reopen.
  ASSERT_TRUE(engine_->DeleteTable("T").ok());
  Reopen();
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  auto rows = store_->NewIterator(key_codec::TablePrefix(t->table_id),
                                  key_codec::PrefixSuccessor(key_codec::TablePrefix(t->table_id)));
  rows->SeekToFirst();
  EXPECT_FALSE(rows->Valid());
}

TEST_F(EngineTest, UpdateTableIsAllOrNothing) {
  ASSERT_TRUE(engine_->CreateTable(PkSkTable("T")).ok());
  auto refused = engine_->UpdateTable("T", [](TableDescription& d) {
    d.deletion_protection_enabled = true;
    return ValidationError("no");
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(engine_->FindTable("T")->deletion_protection_enabled);
  auto updated = engine_->UpdateTable("T", [](TableDescription& d) {
    d.deletion_protection_enabled = true;
    return Status::OK();
  });
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(engine_->FindTable("T")->deletion_protection_enabled);
  Reopen();
  EXPECT_TRUE(engine_->FindTable("T")->deletion_protection_enabled);
  EXPECT_EQ(engine_->UpdateTable("X", [](TableDescription&) { return Status::OK(); })
                .status()
                .code(),
            ErrorCode::kResourceNotFound);
}

// A subscriber that fails writes of one value and rewrites another.
class RewritingHook : public HookSubscriber {
 public:
  Verdict OnWritePre(WriteEvent& event) override {
    pre_calls++;
    if (!*event.new_image) return Verdict::Continue();
    auto it = (*event.new_image)->find("v");
    if (it == (*event.new_image)->end()) return Verdict::Continue();
    if (it->second == Str("forbidden")) {
      return Verdict::Fail(
          Status(ErrorCode::kProvisionedThroughputExceeded, "slow down"));
    }
    if (it->second == Str("rewrite")) it->second = Str("rewritten");
    if (it->second == Str("delay")) return Verdict::Delay(25);
    return Verdict::Continue();
  }
  Verdict OnWritePost(const WriteEvent& event) override {
    post_calls++;
    return Verdict::Continue();
  }
  int pre_calls = 0;
  int post_calls = 0;
};

TEST_F(EngineTest, WriteHooksCanFailReplaceAndDelay) {
  RewritingHook hook;
  hooks_.Add(&hook, (1u << static_cast<int>(HookPoint::kWritePre)) |
                        (1u << static_cast<int>(HookPoint::kWritePost)));
  auto t = *engine_->CreateTable(PkSkTable("T"));
  Item key = {{"pk", Str("a")}, {"sk", Num(1)}};

  auto failed = Put(*t, {{"pk", Str("a")}, {"sk", Num(1)}, {"v", Str("forbidden")}});
  EXPECT_EQ(failed.status().code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_FALSE(engine_->GetItem(*t, key)->has_value());
  EXPECT_EQ(hook.post_calls, 0);

  ASSERT_TRUE(Put(*t, {{"pk", Str("a")}, {"sk", Num(1)}, {"v", Str("rewrite")}}).ok());
  EXPECT_EQ((**engine_->GetItem(*t, key)).at("v"), Str("rewritten"));

  auto delayed = Put(*t, {{"pk", Str("a")}, {"sk", Num(1)}, {"v", Str("delay")}});
  ASSERT_TRUE(delayed.ok());
  EXPECT_EQ(delayed->delay_ms, 25);
  EXPECT_EQ(hook.pre_calls, 3);
  EXPECT_EQ(hook.post_calls, 2);
}

TEST_F(EngineTest, ReadModifyWriteIsSerializablePerItem) {
  auto t = *engine_->CreateTable(PkSkTable("T"));
  Item key = {{"pk", Str("counter")}, {"sk", Num(0)}};
  constexpr int kThreads = 8, kIncrements = 200;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++) {
    threads.emplace_back([&] {
      for (int j = 0; j < kIncrements; j++) {
        auto r = engine_->WriteItem(
            *t, key, "UpdateItem", "req",
            [&](const std::optional<Item>& current) -> Result<std::optional<Item>> {
              Item next = key;
              Number n = current ? current->at("n").n() : Number();
              next["n"] = AttributeValue::N(*Number::Add(n, Number::FromInt64(1)));
              return std::optional<Item>(std::move(next));
            });
        ASSERT_TRUE(r.ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ((**engine_->GetItem(*t, key)).at("n"), Num(kThreads * kIncrements));
  EXPECT_EQ(engine_->Stats(*t).item_count, 1);
}

}  // namespace
}  // namespace dynemu
