#include "ops/batch_ops.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "ops/item_ops.h"
#include "ops/table_ops.h"
#include "storage/store.h"

namespace dynemu {
namespace {

class BatchOpsTest : public OpTest {
 protected:
  void SetUp() override {
    OpTest::SetUp();
    for (const char* name : {"One", "Two"}) CreateTableKeyedByPk(name);
  }

  bool Exists(const std::string& table, const std::string& pk) {
    json::Document doc = Ok(HandleGetItem, R"({"TableName":")" + table +
                                               R"(","Key":{"pk":{"S":")" + pk + R"("}}})");
    return doc.HasMember("Item");
  }
};

std::string PutReq(const std::string& pk, const std::string& extra = "") {
  return R"({"PutRequest":{"Item":{"pk":{"S":")" + pk + R"("})" + extra + "}}}";
}
std::string DelReq(const std::string& pk) {
  return R"({"DeleteRequest":{"Key":{"pk":{"S":")" + pk + R"("}}}})";
}
std::string Key(const std::string& pk) { return R"({"pk":{"S":")" + pk + R"("}})"; }

TEST_F(BatchOpsTest, WritesAcrossTablesAndReadsBack) {
  json::Document doc = Ok(HandleBatchWriteItem,
                          R"({"RequestItems":{"One":[)" + PutReq("a", R"(,"x":{"N":"1"})") + "," +
                              PutReq("b") + R"(],"Two":[)" + PutReq("c") +
                              R"(]},"ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(json::ToString(doc["UnprocessedItems"]), "{}");
  ASSERT_EQ(doc["ConsumedCapacity"].Size(), 2u);
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"][0]),
            R"({"TableName":"One","CapacityUnits":2.0,"Table":{"CapacityUnits":2.0}})");
  EXPECT_TRUE(Exists("One", "a") && Exists("One", "b") && Exists("Two", "c"));

  doc = Ok(HandleBatchGetItem,
           R"({"RequestItems":{"One":{"Keys":[)" + Key("a") + "," + Key("zz") +
               R"(],"ProjectionExpression":"#x","ExpressionAttributeNames":{"#x":"x"},)"
               R"("ConsistentRead":true},"Two":{"Keys":[)" + Key("c") +
               R"(]}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(json::ToString(doc["Responses"]), R"({"One":[{"x":{"N":"1"}}],"Two":[{"pk":{"S":"c"}}]})");
  EXPECT_EQ(json::ToString(doc["UnprocessedKeys"]), "{}");
  // Per item, as GetItem: two consistent reads, one eventually consistent.
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"([{"TableName":"One","CapacityUnits":2.0},{"TableName":"Two","CapacityUnits":0.5}])");

  Ok(HandleBatchWriteItem, R"({"RequestItems":{"One":[)" + DelReq("a") + "]}}");
  EXPECT_FALSE(Exists("One", "a"));
}

TEST_F(BatchOpsTest, WholeBatchIsValidatedBeforeAnyWrite) {
  // The second table's bad key fails the call; the first table's put is not made.
  EXPECT_EQ(Error(HandleBatchWriteItem, R"({"RequestItems":{"One":[)" + PutReq("a") +
                                            R"(],"Two":[{"PutRequest":{"Item":{"x":{"S":"1"}}}}]}})"),
            "The provided key element does not match the schema");
  EXPECT_FALSE(Exists("One", "a"));
  EXPECT_EQ(Error(HandleBatchWriteItem, R"({"RequestItems":{"One":[)" + PutReq("a") +
                                            R"(],"Nope":[)" + PutReq("b") + "]}}"),
            "Requested resource not found");
  EXPECT_FALSE(Exists("One", "a"));
  EXPECT_EQ(Error(HandleBatchWriteItem,
                  R"({"RequestItems":{"One":[)" + PutReq("a") + "," + DelReq("a") + "]}}"),
            "Provided list of item keys contains duplicates");
  EXPECT_FALSE(Exists("One", "a"));
  EXPECT_EQ(Error(HandleBatchWriteItem, R"({"RequestItems":{"One":[{}]}})"),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
  EXPECT_EQ(Error(HandleBatchWriteItem,
                  R"({"RequestItems":{"One":[{"PutRequest":{"Item":{"pk":{"S":"a"},"n":{"N":"x"}}}}]}})"),
            "The parameter cannot be converted to a numeric value: x");
  EXPECT_EQ(Error(HandleBatchWriteItem,
                  R"({"RequestItems":{"One":[{"PutRequest":{"Item":{"pk":{"S":"a"},"d":{"S":")" +
                      std::string(400 * 1024, 'x') + R"("}}}}]}})"),
            "Item size has exceeded the maximum allowed size");
  std::string many = R"({"RequestItems":{"One":[)";
  for (int i = 0; i < 20; i++) {
    if (i) many += ",";
    many += PutReq(std::string("k").append(std::to_string(i)));
  }
  many += R"(],"Two":[)";
  for (int i = 0; i < 6; i++) {
    if (i) many += ",";
    many += PutReq(std::string("k").append(std::to_string(i)));
  }
  many += "]}}";
  EXPECT_EQ(Error(HandleBatchWriteItem, many), "Too many items requested for the BatchWriteItem call");
  EXPECT_FALSE(Exists("One", "k0"));
}

TEST_F(BatchOpsTest, BatchGetValidation) {
  EXPECT_EQ(Error(HandleBatchGetItem,
                  R"({"RequestItems":{"One":{"Keys":[)" + Key("a") + "," + Key("a") + "]}}}"),
            "Provided list of item keys contains duplicates");
  EXPECT_EQ(Error(HandleBatchGetItem,
                  R"({"RequestItems":{"One":{"Keys":[{"pk":{"N":"1"}},{"pk":{"N":"1.0"}}]}}})"),
            "Provided list of item keys contains duplicates");
  std::string many = R"({"RequestItems":{"One":{"Keys":[)";
  for (int i = 0; i < 60; i++) {
    if (i) many += ",";
    many += Key(std::string("k").append(std::to_string(i)));
  }
  many += R"(]},"Two":{"Keys":[)";
  for (int i = 0; i < 41; i++) {
    if (i) many += ",";
    many += Key(std::string("k").append(std::to_string(i)));
  }
  many += "]}}}";
  EXPECT_EQ(Error(HandleBatchGetItem, many), "Too many items requested for the BatchGetItem call");
  EXPECT_EQ(Error(HandleBatchGetItem,
                  R"({"RequestItems":{"One":{"Keys":[)" + Key("a") +
                      R"(],"AttributesToGet":["x"],"ProjectionExpression":"x"}}})"),
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributesToGet} Expression parameters: "
            "{ProjectionExpression}");
  EXPECT_EQ(Error(HandleBatchGetItem,
                  R"({"RequestItems":{"One":{"Keys":[)" + Key("a") + R"(],"AttributesToGet":["x","x"]}}})"),
            "One or more parameter values were invalid: Duplicate value in attribute name: x");
  EXPECT_EQ(Error(HandleBatchGetItem, R"({"RequestItems":{"One":{"Keys":[{"x":{"S":"a"}}]}}})"),
            "The provided key element does not match the schema");
  EXPECT_EQ(Error(HandleBatchGetItem, R"({"RequestItems":{"Nope":{"Keys":[)" + Key("a") + "]}}}"),
            "Requested resource not found");
}

TEST_F(BatchOpsTest, ResponseOverSixteenMegabytesLeavesUnprocessedKeys) {
  // 50 items of about 400 KB: 20 MB, more than one answer may hold.
  std::string big(399 * 1024, 'x');
  for (int i = 0; i < 50; i++) {
    Ok(HandlePutItem, R"({"TableName":"One","Item":{"pk":{"S":"k)" + std::to_string(i) +
                          R"("},"d":{"S":")" + big + R"("}}})");
  }
  std::string request = R"({"RequestItems":{"One":{"Keys":[)";
  for (int i = 0; i < 50; i++) {
    if (i) request += ",";
    request += Key(std::string("k").append(std::to_string(i)));
  }
  request += R"(],"ConsistentRead":true}}})";
  json::Document doc = Ok(HandleBatchGetItem, request);
  size_t answered = doc["Responses"]["One"].Size();
  ASSERT_TRUE(doc["UnprocessedKeys"].HasMember("One"));
  size_t left = doc["UnprocessedKeys"]["One"]["Keys"].Size();
  EXPECT_EQ(answered + left, 50u);
  EXPECT_EQ(answered, 41u);  // 41 items of ~408.6 KB fit in 16 MB, 42 do not
  EXPECT_TRUE(doc["UnprocessedKeys"]["One"]["ConsistentRead"].GetBool());
}

}  // namespace
}  // namespace dynemu
