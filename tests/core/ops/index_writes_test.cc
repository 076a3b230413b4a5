// The write operations on tables with secondary indexes: ConsumedCapacity with
// index units (TOTAL and INDEXES) and ReturnItemCollectionMetrics SIZE, for
// PutItem, UpdateItem, DeleteItem and BatchWriteItem.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "engine/engine.h"
#include "ops/batch_ops.h"
#include "ops/item_ops.h"
#include "ops/table_ops.h"
#include "value/attribute_value.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

class IndexWritesTest : public OpTest {
 protected:
  void SetUp() override {
    OpTest::SetUp();
    // T: key (pk S, sk N); GSI g on gk (ALL); LSI l on (pk, lk N), KEYS_ONLY.
    Ok(HandleCreateTable,
       R"({"TableName":"T","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
       R"({"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"gk","AttributeType":"S"},)"
       R"({"AttributeName":"lk","AttributeType":"N"}],)"
       R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
       R"("BillingMode":"PAY_PER_REQUEST",)"
       R"("GlobalSecondaryIndexes":[{"IndexName":"g","KeySchema":[{"AttributeName":"gk","KeyType":"HASH"}],)"
       R"("Projection":{"ProjectionType":"ALL"}}],)"
       R"("LocalSecondaryIndexes":[{"IndexName":"l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},)"
       R"({"AttributeName":"lk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
    // Plain: no index at all.
    Ok(HandleCreateTable,
       R"({"TableName":"Plain","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
       R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  }

  // The ConsumedCapacity (or ItemCollectionMetrics) member of an answer, as JSON text.
  static std::string Member(const json::Document& doc, const char* name) {
    if (!doc.IsObject() || !doc.HasMember(name)) return "<absent>";
    return json::ToString(doc[name]);
  }
};

std::string Put(const std::string& item, const std::string& extra) {
  return R"({"TableName":"T","Item":)" + item + extra + "}";
}

TEST_F(IndexWritesTest, WriteCapacityCountsEachIndexEntryChange) {
  const std::string item = R"({"pk":{"S":"p"},"sk":{"N":"1"},"gk":{"S":"x"},"lk":{"N":"7"}})";
  // A new item: one unit on the table, one per index entry written.
  json::Document doc = Ok(HandlePutItem, Put(item, R"(,"ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":3.0,"Table":{"CapacityUnits":1.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":1.0}},)"
            R"("LocalSecondaryIndexes":{"l":{"CapacityUnits":1.0}}})");

  // The same item again leaves both entries as they were: only the table is charged.
  doc = Ok(HandlePutItem, Put(item, R"(,"ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}})");

  // TOTAL: the sum, without the breakdown.
  doc = Ok(HandleUpdateItem,
           R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"UpdateExpression":"SET gk = :v",)"
           R"("ExpressionAttributeValues":{":v":{"S":"y"}},"ReturnConsumedCapacity":"TOTAL"})");
  // The GSI entry moved (a delete and a put); the KEYS_ONLY LSI entry is unchanged.
  EXPECT_EQ(Member(doc, "ConsumedCapacity"), R"({"TableName":"T","CapacityUnits":3.0})");

  // A non-key attribute: the ALL GSI entry is rewritten in place, the LSI is not.
  doc = Ok(HandleUpdateItem,
           R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"UpdateExpression":"SET v = :v",)"
           R"("ExpressionAttributeValues":{":v":{"S":"z"}},"ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":2.0,"Table":{"CapacityUnits":1.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":1.0}}})");

  // Removing lk takes the item out of the LSI (sparse).
  doc = Ok(HandleUpdateItem,
           R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"UpdateExpression":"REMOVE lk",)"
           R"("ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":3.0,"Table":{"CapacityUnits":1.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":1.0}},)"
            R"("LocalSecondaryIndexes":{"l":{"CapacityUnits":1.0}}})");

  // The delete removes the table row and the GSI entry.
  doc = Ok(HandleDeleteItem,
           R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":2.0,"Table":{"CapacityUnits":1.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":1.0}}})");

  // Deleting nothing costs one unit on the table and nothing on the indexes.
  doc = Ok(HandleDeleteItem,
           R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}})");
}

TEST_F(IndexWritesTest, IndexUnitsFollowTheEntrySize) {
  // A 2.5 KB attribute: three units on the table and on the ALL GSI; the KEYS_ONLY
  // LSI entry holds only keys, one unit.
  const std::string big(2500, 'b');
  const std::string item = R"({"pk":{"S":"p"},"sk":{"N":"1"},"gk":{"S":"x"},"lk":{"N":"7"},)"
                           R"("big":{"S":")" + big + R"("}})";
  json::Document doc = Ok(HandlePutItem, Put(item, R"(,"ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"T","CapacityUnits":7.0,"Table":{"CapacityUnits":3.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":3.0}},)"
            R"("LocalSecondaryIndexes":{"l":{"CapacityUnits":1.0}}})");
  // A table without indexes: INDEXES still shows the Table member.
  doc = Ok(HandlePutItem,
           R"({"TableName":"Plain","Item":{"pk":{"S":"a"}},"ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"({"TableName":"Plain","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}})");
  doc = Ok(HandlePutItem, R"({"TableName":"Plain","Item":{"pk":{"S":"a"}}})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"), "<absent>");
}

TEST_F(IndexWritesTest, ItemCollectionMetricsOnTablesWithLocalIndexes) {
  const std::string one = R"({"pk":{"S":"p"},"sk":{"N":"1"},"lk":{"N":"7"},"v":{"S":"some text"}})";
  json::Document doc = Ok(HandlePutItem, Put(one, R"(,"ReturnItemCollectionMetrics":"SIZE")"));
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"),
            R"({"ItemCollectionKey":{"pk":{"S":"p"}},"SizeEstimateRangeGB":[0.0,1.0]})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"), "<absent>");
  doc = Ok(HandlePutItem, Put(one, ""));
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"), "<absent>");
  doc = Ok(HandlePutItem, Put(one, R"(,"ReturnItemCollectionMetrics":"NONE")"));
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"), "<absent>");

  doc = Ok(HandleUpdateItem,
           R"({"TableName":"T","Key":{"pk":{"S":"q"},"sk":{"N":"2"}},"UpdateExpression":"SET v = :v",)"
           R"("ExpressionAttributeValues":{":v":{"S":"w"}},"ReturnItemCollectionMetrics":"SIZE"})");
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"),
            R"({"ItemCollectionKey":{"pk":{"S":"q"}},"SizeEstimateRangeGB":[0.0,1.0]})");
  doc = Ok(HandleDeleteItem,
           R"({"TableName":"T","Key":{"pk":{"S":"q"},"sk":{"N":"2"}},"ReturnItemCollectionMetrics":"SIZE"})");
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"),
            R"({"ItemCollectionKey":{"pk":{"S":"q"}},"SizeEstimateRangeGB":[0.0,1.0]})");

  // No local index: no metrics, even when asked.
  doc = Ok(HandlePutItem,
           R"({"TableName":"Plain","Item":{"pk":{"S":"a"}},"ReturnItemCollectionMetrics":"SIZE"})");
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"), "<absent>");
}

TEST_F(IndexWritesTest, ItemCollectionSizeSumsItemsAndLocalEntries) {
  // Partition p: two items, one of them in the LSI; partition other: one item.
  const std::vector<std::string> items = {
      R"({"pk":{"S":"p"},"sk":{"N":"1"},"lk":{"N":"7"},"v":{"S":"0123456789"}})",
      R"({"pk":{"S":"p"},"sk":{"N":"2"},"gk":{"S":"g"}})",
      R"({"pk":{"S":"other"},"sk":{"N":"1"},"lk":{"N":"1"}})",
  };
  for (const std::string& item : items) Ok(HandlePutItem, Put(item, ""));
  auto decode = [](const std::string& text) {
    json::Document doc;
    EXPECT_TRUE(json::Parse(text, &doc).ok());
    return DecodeItem(doc).value();
  };
  Item first = decode(items[0]);
  Item second = decode(items[1]);
  // The KEYS_ONLY LSI entry of the first: the table keys and the index key.
  Item entry = first;
  entry.erase("v");
  auto table = engine_->FindTable("T");
  ASSERT_TRUE(table);
  Result<uint64_t> size = engine_->ItemCollectionSize(*table, AttributeValue::S("p"));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, ItemSize(first) + ItemSize(second) + ItemSize(entry));
  size = engine_->ItemCollectionSize(*table, AttributeValue::S("nobody"));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0u);

  // Enough rows to take several pages (1 MB each): every one is counted once.
  const std::string filler(300 * 1024, 'f');
  uint64_t expected = *engine_->ItemCollectionSize(*table, AttributeValue::S("p"));
  for (int i = 10; i < 17; i++) {
    std::string item = R"({"pk":{"S":"p"},"sk":{"N":")" + std::to_string(i) +
                       R"("},"lk":{"N":")" + std::to_string(i) + R"("},"f":{"S":")" + filler +
                       R"("}})";
    Ok(HandlePutItem, Put(item, ""));
    Item decoded = decode(item);
    expected += ItemSize(decoded);
    decoded.erase("f");
    expected += ItemSize(decoded);
  }
  size = engine_->ItemCollectionSize(*table, AttributeValue::S("p"));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, expected);
}

TEST_F(IndexWritesTest, BatchWriteCapacityAndCollectionsPerTable) {
  json::Document doc = Ok(
      HandleBatchWriteItem,
      R"({"RequestItems":{"T":[)"
      R"({"PutRequest":{"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"gk":{"S":"x"},"lk":{"N":"1"}}}},)"
      R"({"PutRequest":{"Item":{"pk":{"S":"p"},"sk":{"N":"2"},"gk":{"S":"x"}}}},)"
      R"({"PutRequest":{"Item":{"pk":{"S":"q"},"sk":{"N":"1"}}}},)"
      R"({"DeleteRequest":{"Key":{"pk":{"S":"r"},"sk":{"N":"1"}}}}],)"
      R"("Plain":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]},)"
      R"("ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE"})");
  EXPECT_EQ(Member(doc, "ConsumedCapacity"),
            R"([{"TableName":"T","CapacityUnits":7.0,"Table":{"CapacityUnits":4.0},)"
            R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":2.0}},)"
            R"("LocalSecondaryIndexes":{"l":{"CapacityUnits":1.0}}},)"
            R"({"TableName":"Plain","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}}])");
  // One entry per item collection written, in request order; none for Plain.
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"),
            R"({"T":[{"ItemCollectionKey":{"pk":{"S":"p"}},"SizeEstimateRangeGB":[0.0,1.0]},)"
            R"({"ItemCollectionKey":{"pk":{"S":"q"}},"SizeEstimateRangeGB":[0.0,1.0]},)"
            R"({"ItemCollectionKey":{"pk":{"S":"r"}},"SizeEstimateRangeGB":[0.0,1.0]}]})");

  doc = Ok(HandleBatchWriteItem,
           R"({"RequestItems":{"T":[{"PutRequest":{"Item":{"pk":{"S":"p"},"sk":{"N":"1"}}}}]},)"
           R"("ReturnConsumedCapacity":"TOTAL"})");
  // The item left both indexes: 1 + 1 + 1.
  EXPECT_EQ(Member(doc, "ConsumedCapacity"), R"([{"TableName":"T","CapacityUnits":3.0}])");
  EXPECT_EQ(Member(doc, "ItemCollectionMetrics"), "<absent>");
}

}  // namespace
}  // namespace dynemu
