// Engine transactions (engine_txn.cc): claims and conflicts, all-or-nothing
// commits, cancellation reasons, txn.* hooks and the idempotency window.

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine_fixture.h"
#include "host/hook_dispatch.h"
#include "storage/item_codec.h"
#include "storage/store.h"

namespace dynemu {
namespace {

AttributeValue Str(std::string s) { return AttributeValue::S(std::move(s)); }

TableDescription PkTable(std::string name) {
  TableDescription d;
  d.table_name = std::move(name);
  d.attribute_definitions = {{"pk", ScalarType::kS}};
  d.key_schema = {{"pk", KeyType::kHash}};
  d.billing_mode = BillingMode::kPayPerRequest;
  return d;
}

Item Key(const std::string& pk) { return Item{{"pk", Str(pk)}}; }
Item Row(const std::string& pk, const std::string& v) {
  return Item{{"pk", Str(pk)}, {"v", Str(v)}};
}

class EngineTxnTest : public EngineFixture {
 protected:
  void SetUp() override {
    Reopen();
    auto t = engine_->CreateTable(PkTable("T"));
    ASSERT_TRUE(t.ok());
    table_ = *t;
  }

  // An action putting `item`.
  Engine::TxnAction PutAction(const Item& item) {
    Engine::TxnAction a;
    a.table = table_.get();
    a.key = engine_->ExtractKey(*table_, item);
    a.decide = [item](const std::optional<Item>&) -> Result<std::optional<Item>> {
      return std::optional<Item>(item);
    };
    return a;
  }

  Result<Engine::WriteResult> Put(const Item& item) { return PutInto(*table_, item); }

  std::optional<Item> Get(const std::string& pk) {
    auto r = engine_->GetItem(*table_, Key(pk));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  Engine::TxnInfo Info() { return Engine::TxnInfo{"TransactWriteItems", "{}", "req"}; }

  std::shared_ptr<const TableDescription> table_;
};

TEST_F(EngineTxnTest, CommitsAllActionsOrNone) {
  ASSERT_TRUE(Put(Row("c", "old")).ok());
  std::vector<Engine::TxnAction> actions = {PutAction(Row("a", "1")), PutAction(Row("b", "2"))};
  Engine::TxnAction check;
  check.table = table_.get();
  check.key = Key("c");
  check.writes = false;
  check.decide = [](const std::optional<Item>& current) -> Result<std::optional<Item>> {
    return current;
  };
  actions.push_back(check);
  auto done = engine_->TransactWrite(actions, Info());
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(Get("a"), Row("a", "1"));
  EXPECT_EQ(Get("b"), Row("b", "2"));
  ASSERT_EQ(done->changes.size(), 3u);
  EXPECT_EQ(done->changes[2].old_image, Row("c", "old"));

  // The last action fails: nothing is written, and each action has its reason.
  actions = {PutAction(Row("a", "x")), PutAction(Row("d", "y"))};
  actions[1].decide = [](const std::optional<Item>&) -> Result<std::optional<Item>> {
    return Status(ErrorCode::kConditionalCheckFailed, "The conditional request failed",
                  "\"Item\":{\"pk\":{\"S\":\"d\"}}");
  };
  auto cancelled = engine_->TransactWrite(actions, Info());
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(cancelled.status().message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, ConditionalCheckFailed]");
  EXPECT_EQ(cancelled.status().extra_members(),
            R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed",)"
            R"("Message":"The conditional request failed","Item":{"pk":{"S":"d"}}}])");
  EXPECT_EQ(Get("a"), Row("a", "1"));
  EXPECT_FALSE(Get("d").has_value());
}

TEST_F(EngineTxnTest, ReasonCodesAndMessages) {
  Status s = Engine::TransactionCanceled(
      {Status(ErrorCode::kValidation, "Item size to update has exceeded the maximum allowed size"),
       Status(ErrorCode::kTransactionConflict, "Transaction is ongoing for the item"),
       Status(ErrorCode::kItemCollectionSizeLimitExceeded, "Collection size exceeded."),
       Status()});
  EXPECT_EQ(s.message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[ValidationError, TransactionConflict, ItemCollectionSizeLimitExceeded, None]");
  EXPECT_NE(s.extra_members().find(
                R"({"Code":"ValidationError","Message":"Item size to update has exceeded)"),
            std::string::npos);
}

// A transaction that holds its items (here, blocked in a decide) makes every
// other writer or transactional reader of them fail at once, never wait.
TEST_F(EngineTxnTest, ClaimedItemsConflict) {
  ASSERT_TRUE(Put(Row("b", "untouched")).ok());
  std::promise<void> entered, release;
  std::shared_future<void> release_future = release.get_future().share();
  std::vector<Engine::TxnAction> first = {PutAction(Row("a", "first"))};
  first[0].decide = [&](const std::optional<Item>&) -> Result<std::optional<Item>> {
    entered.set_value();
    release_future.wait();
    return std::optional<Item>(Row("a", "first"));
  };
  std::thread runner([&] {
    auto r = engine_->TransactWrite(first, Info());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  });
  entered.get_future().wait();

  auto single = Put(Row("a", "single"));
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.status().code(), ErrorCode::kTransactionConflict);
  EXPECT_EQ(single.status().message(), "Transaction is ongoing for the item");

  std::vector<Engine::TxnAction> second = {PutAction(Row("b", "second")),
                                           PutAction(Row("a", "second"))};
  auto cancelled = engine_->TransactWrite(second, Info());
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, TransactionConflict]");
  EXPECT_NE(cancelled.status().extra_members().find(
                R"({"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"})"),
            std::string::npos);

  Item ka = Key("a"), kb = Key("b");
  auto read = engine_->TransactGet({{table_.get(), &kb}, {table_.get(), &ka}},
                                   Engine::TxnInfo{"TransactGetItems", "", "r"});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kTransactionCanceled);

  release.set_value();
  runner.join();
  EXPECT_EQ(Get("a"), Row("a", "first"));
  EXPECT_EQ(Get("b"), Row("b", "untouched"));  // the cancelled one wrote nothing
  EXPECT_TRUE(Put(Row("a", "after")).ok());     // claims are gone
  read = engine_->TransactGet({{table_.get(), &kb}, {table_.get(), &ka}},
                              Engine::TxnInfo{"TransactGetItems", "", "r"});
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->items[0] && read->items[1]);
  EXPECT_EQ(item_codec::Decode(*read->items[0]).value(), Row("b", "untouched"));
  EXPECT_EQ(item_codec::Decode(*read->items[1]).value(), Row("a", "after"));
}

class TxnHook : public HookSubscriber {
 public:
  Verdict OnTxn(HookPoint point, const TxnEvent& event) override {
    points.push_back(point);
    if (point == HookPoint::kTxnValidatePost) saw_outcome_ok = event.outcome && event.outcome->ok();
    if (point == fail_at) {
      return Verdict::Fail(Status(ErrorCode::kTransactionCanceled, "",
                                  R"("CancellationReasons":[{"Code":"ThrottlingError"}])"));
    }
    return point == HookPoint::kTxnCommitPost ? Verdict::Delay(5) : Verdict::Continue();
  }
  std::vector<HookPoint> points;
  HookPoint fail_at = HookPoint::kCount;
  bool saw_outcome_ok = false;
};

TEST_F(EngineTxnTest, HooksFireInOrderAndCanCancel) {
  TxnHook hook;
  hooks_.Add(&hook, HookBit(HookPoint::kTxnValidatePre) | HookBit(HookPoint::kTxnValidatePost) |
                        HookBit(HookPoint::kTxnCommitPre) | HookBit(HookPoint::kTxnCommitPost));
  EXPECT_TRUE(engine_->HasTxnHooks());
  auto done = engine_->TransactWrite({PutAction(Row("h", "1"))}, Info());
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->delay_ms, 5);
  EXPECT_TRUE(hook.saw_outcome_ok);
  EXPECT_EQ(hook.points,
            (std::vector<HookPoint>{HookPoint::kTxnValidatePre, HookPoint::kTxnValidatePost,
                                    HookPoint::kTxnCommitPre, HookPoint::kTxnCommitPost}));

  hook.fail_at = HookPoint::kTxnCommitPre;
  auto cancelled = engine_->TransactWrite({PutAction(Row("h", "2"))}, Info());
  ASSERT_FALSE(cancelled.ok());
  // A plugin's cancellation without a message gets DynamoDB's.
  EXPECT_EQ(cancelled.status().message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[ThrottlingError]");
  EXPECT_EQ(Get("h"), Row("h", "1"));
}

TEST_F(EngineTxnTest, IdempotencyWindowFollowsTheClock) {
  auto first = engine_->BeginIdempotent("tok", "fp1");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  auto again = engine_->BeginIdempotent("tok", "fp1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kTransactionInProgress);
  engine_->EndIdempotent("tok", true, "outcome");

  clock_.AdvanceMicros(Engine::kIdempotencyWindowMicros - 1);
  auto replay = engine_->BeginIdempotent("tok", "fp1");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->value_or(""), "outcome");
  auto mismatch = engine_->BeginIdempotent("tok", "fp2");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), ErrorCode::kIdempotentParameterMismatch);

  clock_.AdvanceMicros(1);  // 10 minutes after the first request ended
  auto fresh = engine_->BeginIdempotent("tok", "fp2");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->has_value());
  engine_->EndIdempotent("tok", false, "");  // a failure is forgotten
  fresh = engine_->BeginIdempotent("tok", "fp3");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->has_value());
}

TEST_F(EngineTxnTest, IdempotencyTokensAreBounded) {
  for (size_t i = 0; i < Engine::kMaxIdempotencyTokens + 10; i++) {
    std::string token = "t" + std::to_string(i);
    ASSERT_TRUE(engine_->BeginIdempotent(token, "fp").ok());
    engine_->EndIdempotent(token, true, "x");
  }
  // The oldest were dropped: its token is new again; a recent one still replays.
  auto oldest = engine_->BeginIdempotent("t0", "other");
  ASSERT_TRUE(oldest.ok());
  EXPECT_FALSE(oldest->has_value());
  auto recent = engine_->BeginIdempotent(
      "t" + std::to_string(Engine::kMaxIdempotencyTokens + 5), "fp");
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->value_or(""), "x");
}

}  // namespace
}  // namespace dynemu
