#include "ops/transact_ops.h"

#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "ops/batch_ops.h"
#include "ops/item_ops.h"
#include "ops/table_ops.h"

namespace dynemu {
namespace {

class TransactOpsTest : public OpTest {
 protected:
  void SetUp() override {
    OpTest::SetUp();
    for (const char* name : {"One", "Two"}) CreateTableKeyedByPk(name);
    // A table with a global index on "g" (a number).
    Ok(HandleCreateTable,
       R"({"TableName":"Idx","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
       R"({"AttributeName":"g","AttributeType":"N"}],)"
       R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
       R"("GlobalSecondaryIndexes":[{"IndexName":"ByG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],)"
       R"("Projection":{"ProjectionType":"ALL"}}]})");
  }

  std::string Item(const std::string& table, const std::string& pk) {
    json::Document doc =
        Ok(HandleGetItem, R"({"TableName":")" + table + R"(","Key":{"pk":{"S":")" + pk + R"("}}})");
    return doc.HasMember("Item") ? json::ToString(doc["Item"]) : "";
  }

  void PutItem(const std::string& table, const std::string& item) {
    Ok(HandlePutItem, R"({"TableName":")" + table + R"(","Item":)" + item + "}");
  }

  std::string Write(const std::string& actions, const std::string& extra = "") {
    return R"({"TransactItems":[)" + actions + "]" + extra + "}";
  }
};

std::string Put(const std::string& table, const std::string& item, const std::string& more = "") {
  return R"({"Put":{"TableName":")" + table + R"(","Item":)" + item + more + "}}";
}
std::string Key(const std::string& pk) { return R"({"pk":{"S":")" + pk + R"("}})"; }

TEST_F(TransactOpsTest, EveryActionKindCommitsTogether) {
  PutItem("One", R"({"pk":{"S":"del"}})");
  PutItem("One", R"({"pk":{"S":"upd"},"n":{"N":"1"}})");
  PutItem("Two", R"({"pk":{"S":"chk"},"ok":{"BOOL":true}})");
  json::Document doc = Ok(
      HandleTransactWriteItems,
      Write(Put("One", R"({"pk":{"S":"new"},"x":{"S":"y"}})",
                R"j(,"ConditionExpression":"attribute_not_exists(pk)")j") +
                R"(,{"Delete":{"TableName":"One","Key":)" + Key("del") + "}}" +
                R"(,{"Update":{"TableName":"One","Key":)" + Key("upd") +
                R"(,"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}})" +
                R"(,{"ConditionCheck":{"TableName":"Two","Key":)" + Key("chk") +
                R"(,"ConditionExpression":"ok = :t","ExpressionAttributeValues":{":t":{"BOOL":true}}}})",
            R"(,"ReturnConsumedCapacity":"TOTAL")"));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"([{"TableName":"One","CapacityUnits":6.0},{"TableName":"Two","CapacityUnits":2.0}])");
  EXPECT_EQ(Item("One", "new"), R"({"pk":{"S":"new"},"x":{"S":"y"}})");
  EXPECT_EQ(Item("One", "del"), "");
  EXPECT_EQ(Item("One", "upd"), R"({"n":{"N":"2"},"pk":{"S":"upd"}})");
}

TEST_F(TransactOpsTest, CancellationReasonsOnePerAction) {
  PutItem("One", R"({"pk":{"S":"a"},"v":{"N":"5"}})");
  Reply reply = Call(
      HandleTransactWriteItems,
      Write(Put("One", R"({"pk":{"S":"b"}})") +
            R"(,{"Update":{"TableName":"One","Key":)" + Key("a") +
            R"(,"UpdateExpression":"SET v = :z","ConditionExpression":"v > :ten",)"
            R"("ExpressionAttributeValues":{":z":{"N":"0"},":ten":{"N":"10"}},)"
            R"("ReturnValuesOnConditionCheckFailure":"ALL_OLD"}})" +
            R"(,{"ConditionCheck":{"TableName":"Two","Key":)" + Key("none") +
            R"j(,"ConditionExpression":"attribute_exists(pk)"}})j"));
  ASSERT_EQ(reply.status.code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(reply.status.message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, ConditionalCheckFailed, ConditionalCheckFailed]");
  EXPECT_EQ(reply.status.extra_members(),
            R"("CancellationReasons":[{"Code":"None"},)"
            R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed",)"
            R"("Item":{"pk":{"S":"a"},"v":{"N":"5"}}},)"
            R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}])");
  EXPECT_EQ(Item("One", "b"), "");
  EXPECT_EQ(Item("One", "a"), R"({"pk":{"S":"a"},"v":{"N":"5"}})");
}

TEST_F(TransactOpsTest, ValidationErrorsAfterReadingAreReasons) {
  PutItem("Idx", R"({"pk":{"S":"i"}})");
  // An update giving the index key the wrong type, and a put doing so.
  Reply reply = Call(HandleTransactWriteItems,
                     Write(R"({"Update":{"TableName":"Idx","Key":)" + Key("i") +
                           R"(,"UpdateExpression":"SET g = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}},)" +
                           Put("Idx", R"({"pk":{"S":"j"},"g":{"S":"y"}})")));
  ASSERT_EQ(reply.status.code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(reply.status.message(),
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[ValidationError, ValidationError]");
  EXPECT_NE(reply.status.extra_members().find("Type mismatch for Index Key g"), std::string::npos)
      << reply.status.extra_members();
}

TEST_F(TransactOpsTest, TopLevelValidation) {
  EXPECT_EQ(Error(HandleTransactWriteItems,
                  Write(Put("One", R"({"pk":{"S":"a"}})") + "," +
                        R"({"Delete":{"TableName":"One","Key":)" + Key("a") + "}}")),
            "Transaction request cannot include multiple operations on one item");
  EXPECT_EQ(Error(HandleTransactWriteItems, Write(R"({})")),
            "TransactItems can only contain one of Check, Put, Update or Delete");
  EXPECT_EQ(Error(HandleTransactWriteItems,
                  Write(Put("One", R"({"pk":{"S":"a"}})") + "," +
                        Put("Nope", R"({"pk":{"S":"a"}})"))),
            "Requested resource not found");
  EXPECT_EQ(Error(HandleTransactWriteItems, Write(Put("One", R"({"pk":{"N":"1"}})"))),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
  EXPECT_EQ(Error(HandleTransactWriteItems,
                  Write(R"({"Update":{"TableName":"One","Key":)" + Key("a") +
                        R"(,"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"b"}}}})")),
            "One or more parameter values were invalid: Cannot update attribute pk. This "
            "attribute is part of the key");
  EXPECT_EQ(Error(HandleTransactWriteItems,
                  Write(Put("One", R"({"pk":{"S":"a"}})",
                            R"(,"ExpressionAttributeValues":{":v":{"S":"b"}})"))),
            "ExpressionAttributeValues can only be specified when using expressions: "
            "ConditionExpression is null");
  // Item size is checked while decoding, before the table.
  std::string big(400 * 1024, 'x');
  EXPECT_EQ(Error(HandleTransactWriteItems,
                  Write(Put("Nope", R"({"pk":{"S":"a"},"b":{"S":")" + big + R"("}})"))),
            "Item size has exceeded the maximum allowed size");
  // 11 items of 390 KB: over 4 MB in all.
  std::string item(390 * 1024, 'y');
  std::string actions;
  for (int i = 0; i < 11; i++) {
    if (i) actions += ",";
    actions += Put("One", R"({"pk":{"S":"s)" + std::to_string(i) + R"("},"b":{"S":")" + item + R"("}})");
  }
  EXPECT_EQ(Error(HandleTransactWriteItems, Write(actions)),
            "Transaction request size has exceeded the maximum allowed size");
}

TEST_F(TransactOpsTest, IdempotentReplayAndMismatch) {
  PutItem("One", R"({"pk":{"S":"c"},"n":{"N":"0"}})");
  const std::string update = R"({"Update":{"TableName":"One","Key":)" + Key("c") +
                             R"(,"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}})";
  const std::string token = R"(,"ClientRequestToken":"tok-1")";
  json::Document doc = Ok(HandleTransactWriteItems,
                          Write(update, token + R"(,"ReturnConsumedCapacity":"TOTAL")"));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]), R"([{"TableName":"One","CapacityUnits":2.0}])");
  doc = Ok(HandleTransactWriteItems, Write(update, token + R"(,"ReturnConsumedCapacity":"TOTAL")"));
  // The replay writes nothing and counts the read of the item.
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]), R"([{"TableName":"One","CapacityUnits":1.0}])");
  EXPECT_EQ(Item("One", "c"), R"({"n":{"N":"1"},"pk":{"S":"c"}})");

  Reply mismatch = Call(HandleTransactWriteItems,
                        Write(Put("One", R"({"pk":{"S":"other"}})"), token));
  EXPECT_EQ(mismatch.status.code(), ErrorCode::kIdempotentParameterMismatch);

  clock_.AdvanceMicros(Engine::kIdempotencyWindowMicros);
  Ok(HandleTransactWriteItems, Write(update, token));
  EXPECT_EQ(Item("One", "c"), R"({"n":{"N":"2"},"pk":{"S":"c"}})");
}

TEST_F(TransactOpsTest, CapacityWithIndexes) {
  json::Document doc = Ok(HandleTransactWriteItems,
                          Write(Put("Idx", R"({"pk":{"S":"p"},"g":{"N":"1"}})"),
                                R"(,"ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"([{"TableName":"Idx","CapacityUnits":4.0,"Table":{"CapacityUnits":2.0},)"
            R"("GlobalSecondaryIndexes":{"ByG":{"CapacityUnits":2.0}}}])");
}

TEST_F(TransactOpsTest, GetItemsFromOneSnapshot) {
  PutItem("One", R"({"pk":{"S":"a"},"x":{"N":"1"},"y":{"N":"2"}})");
  PutItem("Two", R"({"pk":{"S":"b"}})");
  json::Document doc = Ok(
      HandleTransactGetItems,
      R"({"TransactItems":[{"Get":{"TableName":"One","Key":)" + Key("a") +
          R"(,"ProjectionExpression":"#y","ExpressionAttributeNames":{"#y":"y"}}},)"
          R"({"Get":{"TableName":"Two","Key":)" + Key("b") + R"(}},)"
          R"({"Get":{"TableName":"Two","Key":)" + Key("missing") +
          R"(}}],"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(json::ToString(doc["Responses"]),
            R"([{"Item":{"y":{"N":"2"}}},{"Item":{"pk":{"S":"b"}}},{}])");
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"([{"TableName":"One","CapacityUnits":2.0},{"TableName":"Two","CapacityUnits":4.0}])");
  EXPECT_EQ(Error(HandleTransactGetItems,
                  R"({"TransactItems":[{"Get":{"TableName":"One","Key":)" + Key("a") +
                      R"(}},{"Get":{"TableName":"One","Key":)" + Key("a") + "}}]}"),
            "Transaction request cannot include multiple operations on one item");
  EXPECT_EQ(Error(HandleTransactGetItems,
                  R"({"TransactItems":[{"Get":{"TableName":"Nope","Key":)" + Key("a") + "}}]}"),
            "Requested resource not found");
}

}  // namespace
}  // namespace dynemu

namespace dynemu {
namespace {

TEST_F(TransactOpsTest, ItemCollectionMetricsForTablesWithLocalIndexes) {
  Ok(HandleCreateTable,
     R"({"TableName":"Lsi","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
     R"({"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],)"
     R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
     R"("BillingMode":"PAY_PER_REQUEST","LocalSecondaryIndexes":[{"IndexName":"ByL",)"
     R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],)"
     R"("Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
  json::Document doc = Ok(
      HandleTransactWriteItems,
      Write(Put("Lsi", R"({"pk":{"S":"a"},"sk":{"S":"1"},"l":{"S":"x"}})") + "," +
                Put("One", R"({"pk":{"S":"b"}})"),
            R"(,"ReturnItemCollectionMetrics":"SIZE")"));
  // Only the table with a local index has item collections.
  EXPECT_EQ(json::ToString(doc["ItemCollectionMetrics"]),
            R"({"Lsi":[{"ItemCollectionKey":{"pk":{"S":"a"}},"SizeEstimateRangeGB":[0.0,1.0]}]})");
  doc = Ok(HandleTransactWriteItems, Write(Put("One", R"({"pk":{"S":"c"}})"),
                                           R"(,"ReturnItemCollectionMetrics":"SIZE")"));
  EXPECT_FALSE(doc.HasMember("ItemCollectionMetrics"));
}

// A BatchWriteItem request whose item a transaction holds comes back in
// UnprocessedItems; the others are written.
TEST_F(TransactOpsTest, BatchWriteHandsBackItemsHeldByATransaction) {
  auto table = engine_->FindTable("One");
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  Engine::TxnAction action;
  action.table = table.get();
  action.key = dynemu::Item{{"pk", AttributeValue::S("held")}};
  action.decide = [&](const std::optional<dynemu::Item>&) -> Result<std::optional<dynemu::Item>> {
    entered.set_value();
    released.wait();
    return std::optional<dynemu::Item>(dynemu::Item{{"pk", AttributeValue::S("held")}});
  };
  std::thread runner([&] {
    auto r = engine_->TransactWrite({action}, Engine::TxnInfo{"TransactWriteItems", "", "t"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  });
  entered.get_future().wait();
  json::Document doc = Ok(
      HandleBatchWriteItem,
      R"({"RequestItems":{"One":[{"PutRequest":{"Item":{"pk":{"S":"held"},"v":{"S":"batch"}}}},)"
      R"({"PutRequest":{"Item":{"pk":{"S":"free"}}}}]}})");
  release.set_value();
  runner.join();
  EXPECT_EQ(json::ToString(doc["UnprocessedItems"]),
            R"({"One":[{"PutRequest":{"Item":{"pk":{"S":"held"},"v":{"S":"batch"}}}}]})");
  EXPECT_EQ(Item("One", "free"), R"({"pk":{"S":"free"}})");
  EXPECT_EQ(Item("One", "held"), R"({"pk":{"S":"held"}})");
}

}  // namespace
}  // namespace dynemu
