#include "ops/read_ops.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "ops/item_ops.h"
#include "ops/table_ops.h"
#include "storage/store.h"
#include "value/item_size.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

class ReadOpsTest : public OpTest {
 protected:
  // Creates table `name` with hash key pk (S) and, when `sk_type` is not empty,
  // range key sk of that type.
  void CreateTable(const std::string& name, const std::string& sk_type) {
    std::string defs = R"([{"AttributeName":"pk","AttributeType":"S"})";
    std::string keys = R"([{"AttributeName":"pk","KeyType":"HASH"})";
    if (!sk_type.empty()) {
      defs += R"(,{"AttributeName":"sk","AttributeType":")" + sk_type + R"("})";
      keys += R"(,{"AttributeName":"sk","KeyType":"RANGE"})";
    }
    Ok(HandleCreateTable, R"({"TableName":")" + name + R"(","AttributeDefinitions":)" + defs +
                              R"(],"KeySchema":)" + keys +
                              R"(],"BillingMode":"PAY_PER_REQUEST"})");
  }

  void Put(const std::string& table, const std::string& item_json) {
    Ok(HandlePutItem, R"({"TableName":")" + table + R"(","Item":)" + item_json + "}");
  }
};

std::string Q(const std::string& rest) {
  return R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)"
         R"("ExpressionAttributeValues":{":p":{"S":"a"}})" +
         (rest.empty() ? "" : "," + rest) + "}";
}

std::vector<std::string> SortKeys(const json::Document& doc, const char* type) {
  std::vector<std::string> out;
  for (const auto& item : doc["Items"].GetArray()) out.push_back(item["sk"][type].GetString());
  return out;
}

TEST_F(ReadOpsTest, NumbersSortNumericallyBothWays) {
  CreateTable("Tbl", "N");
  for (const char* n : {"-1e3", "-2.5", "0", "0.001", "3", "1E2", "-0.5", "1e-5", "25", "-100"}) {
    Put("Tbl", std::string(R"({"pk":{"S":"a"},"sk":{"N":")") + n + R"("}})");
  }
  std::vector<std::string> ascending = {"-1000", "-100", "-2.5", "-0.5", "0",
                                        "0.00001", "0.001", "3", "25", "100"};
  EXPECT_EQ(SortKeys(Ok(HandleQuery, Q("")), "N"), ascending);
  std::vector<std::string> descending(ascending.rbegin(), ascending.rend());
  EXPECT_EQ(SortKeys(Ok(HandleQuery, Q(R"("ScanIndexForward":false)")), "N"), descending);
}

TEST_F(ReadOpsTest, StringsAndBinariesSortByUnsignedBytes) {
  CreateTable("Tbl", "S");
  for (const char* s : {"b", "a", "Z", "\\u00e9", "aa", "a\\u0000b", "~"}) {
    Put("Tbl", std::string(R"({"pk":{"S":"a"},"sk":{"S":")") + s + R"("}})");
  }
  std::vector<std::string> ascending = {"Z", "a", std::string("a\0b", 3), "aa", "b", "~",
                                        "\xc3\xa9"};
  json::Document doc = Ok(HandleQuery, Q(""));
  std::vector<std::string> got;
  for (const auto& item : doc["Items"].GetArray()) {
    got.emplace_back(item["sk"]["S"].GetString(), item["sk"]["S"].GetStringLength());
  }
  EXPECT_EQ(got, ascending);

  CreateTable("Bin", "B");
  // 0x00, 0x01, 0x7f, 0x80, 0xff, 0x00 0x00
  for (const char* b : {"AA==", "AQ==", "fw==", "gA==", "/w==", "AAA="}) {
    Put("Bin", std::string(R"({"pk":{"S":"a"},"sk":{"B":")") + b + R"("}})");
  }
  doc = Ok(HandleQuery, R"({"TableName":"Bin","KeyConditionExpression":"pk = :p",)"
                        R"("ExpressionAttributeValues":{":p":{"S":"a"}},"ScanIndexForward":false})");
  EXPECT_EQ(SortKeys(doc, "B"),
            (std::vector<std::string>{"/w==", "gA==", "fw==", "AQ==", "AAA=", "AA=="}));
}

TEST_F(ReadOpsTest, SortKeyConditions) {
  CreateTable("Tbl", "S");
  for (const char* s : {"a1", "a2", "ab", "b", "c"}) {
    Put("Tbl", std::string(R"({"pk":{"S":"a"},"sk":{"S":")") + s + R"("}})");
  }
  Put("Tbl", R"({"pk":{"S":"other"},"sk":{"S":"a1"}})");
  auto run = [&](const std::string& cond, const std::string& values) {
    return SortKeys(
        Ok(HandleQuery, R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p AND )" + cond +
                            R"(","ExpressionAttributeValues":{":p":{"S":"a"},)" + values + "}}"),
        "S");
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(run("sk = :v", R"(":v":{"S":"ab"})"), V({"ab"}));
  EXPECT_EQ(run("sk < :v", R"(":v":{"S":"ab"})"), V({"a1", "a2"}));
  EXPECT_EQ(run("sk <= :v", R"(":v":{"S":"ab"})"), V({"a1", "a2", "ab"}));
  EXPECT_EQ(run("sk > :v", R"(":v":{"S":"ab"})"), V({"b", "c"}));
  EXPECT_EQ(run(":v <= sk", R"(":v":{"S":"ab"})"), V({"ab", "b", "c"}));
  EXPECT_EQ(run("sk BETWEEN :v AND :w", R"(":v":{"S":"a2"},":w":{"S":"b"})"),
            V({"a2", "ab", "b"}));
  EXPECT_EQ(run("begins_with(sk, :v)", R"(":v":{"S":"a"})"), V({"a1", "a2", "ab"}));
  // The legacy form reads the same range.
  json::Document doc = Ok(
      HandleQuery,
      R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ",)"
      R"("AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"BEGINS_WITH",)"
      R"("AttributeValueList":[{"S":"a"}]}},"QueryFilter":{"x":{"ComparisonOperator":"NULL"}}})");
  EXPECT_EQ(SortKeys(doc, "S"), V({"a1", "a2", "ab"}));
}

TEST_F(ReadOpsTest, LimitEqualToPartitionSizeStillAnswersLastEvaluatedKey) {
  CreateTable("Tbl", "N");
  for (int i = 0; i < 5; i++) {
    Put("Tbl", R"({"pk":{"S":"a"},"sk":{"N":")" + std::to_string(i) + R"("}})");
  }
  json::Document doc = Ok(HandleQuery, Q(R"("Limit":5)"));
  EXPECT_EQ(doc["Count"].GetInt(), 5);
  ASSERT_TRUE(doc.HasMember("LastEvaluatedKey"));
  EXPECT_EQ(json::ToString(doc["LastEvaluatedKey"]), R"({"pk":{"S":"a"},"sk":{"N":"4"}})");
  doc = Ok(HandleQuery, Q(R"("Limit":5,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"4"}})"));
  EXPECT_EQ(doc["Count"].GetInt(), 0);
  EXPECT_FALSE(doc.HasMember("LastEvaluatedKey"));
  // Without a limit, reaching the end of the partition ends the query.
  doc = Ok(HandleQuery, Q(""));
  EXPECT_EQ(doc["Count"].GetInt(), 5);
  EXPECT_FALSE(doc.HasMember("LastEvaluatedKey"));
  // Backwards from a start key.
  doc = Ok(HandleQuery, Q(R"("ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"2"}})"));
  EXPECT_EQ(SortKeys(doc, "N"), (std::vector<std::string>{"1", "0"}));
}

TEST_F(ReadOpsTest, FilterRejectingEverythingStillPages) {
  CreateTable("Tbl", "N");
  for (int i = 0; i < 10; i++) {
    Put("Tbl", R"({"pk":{"S":"a"},"sk":{"N":")" + std::to_string(i) + R"("},"x":{"N":"1"}})");
  }
  json::Document doc = Ok(HandleQuery, R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)"
                                       R"("Limit":3,"FilterExpression":"x = :none",)"
                                       R"("ExpressionAttributeValues":{":p":{"S":"a"},":none":{"N":"2"}}})");
  EXPECT_EQ(doc["Count"].GetInt(), 0);
  EXPECT_EQ(doc["ScannedCount"].GetInt(), 3);
  EXPECT_EQ(doc["Items"].Size(), 0u);
  ASSERT_TRUE(doc.HasMember("LastEvaluatedKey"));
  EXPECT_EQ(json::ToString(doc["LastEvaluatedKey"]), R"({"pk":{"S":"a"},"sk":{"N":"2"}})");

  doc = Ok(HandleScan, R"({"TableName":"Tbl","Limit":4,"ScanFilter":{"x":{"ComparisonOperator":"GT",)"
                       R"("AttributeValueList":[{"N":"5"}]}}})");
  EXPECT_EQ(doc["Count"].GetInt(), 0);
  EXPECT_EQ(doc["ScannedCount"].GetInt(), 4);
  EXPECT_TRUE(doc.HasMember("LastEvaluatedKey"));
}

// Items of exactly `size` bytes (ItemSize) in partition `pk`, sort keys "000", "001"...
void PutSized(ReadOpsTest* t, Engine& engine, const std::string& pk, const std::vector<size_t>& sizes) {
  auto table = engine.FindTable("Tbl");
  ASSERT_TRUE(table);
  for (size_t i = 0; i < sizes.size(); i++) {
    std::string sk = std::to_string(i);
    sk.insert(0, 3 - sk.size(), '0');
    Item item;
    item.emplace("pk", AttributeValue::S(pk));
    item.emplace("sk", AttributeValue::S(sk));
    // "pk"+pk, "sk"+3 chars, "d"+payload
    size_t fixed = 2 + pk.size() + 2 + 3 + 1;
    item.emplace("d", AttributeValue::S(std::string(sizes[i] - fixed, 'x')));
    ASSERT_EQ(ItemSize(item), sizes[i]);
    Item key = engine.ExtractKey(*table, item);
    auto result = engine.WriteItem(*table, key, "PutItem", "r", [&](const std::optional<Item>&) {
      return Result<std::optional<Item>>(std::optional<Item>(item));
    });
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }
  (void)t;
}

TEST_F(ReadOpsTest, PageEndsAtExactlyOneMegabyte) {
  CreateTable("Tbl", "S");
  // 16 items of 64 KB are exactly 1 MB: the page ends there, with a key to go on.
  PutSized(this, *engine_, "a", std::vector<size_t>(17, 65536));
  json::Document doc = Ok(HandleQuery, Q(R"("ReturnConsumedCapacity":"TOTAL","ConsistentRead":true)"));
  EXPECT_EQ(doc["Count"].GetInt(), 16);
  ASSERT_TRUE(doc.HasMember("LastEvaluatedKey"));
  EXPECT_EQ(json::ToString(doc["LastEvaluatedKey"]), R"({"pk":{"S":"a"},"sk":{"S":"015"}})");
  // 1 MB read consistently: 256 units, rounded once over the page.
  EXPECT_EQ(doc["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 256.0);
  doc = Ok(HandleQuery, Q(R"("ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"S":"015"}})"));
  EXPECT_EQ(doc["Count"].GetInt(), 1);
  EXPECT_FALSE(doc.HasMember("LastEvaluatedKey"));

  // One byte short of 1 MB after 16 items: the 17th is read too.
  std::vector<size_t> sizes(17, 65536);
  sizes[0] = 65535;
  PutSized(this, *engine_, "b", sizes);
  doc = Ok(HandleQuery, R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)"
                        R"("ExpressionAttributeValues":{":p":{"S":"b"}},"Select":"COUNT"})");
  EXPECT_EQ(doc["Count"].GetInt(), 17);
  EXPECT_FALSE(doc.HasMember("Items"));
  EXPECT_TRUE(doc.HasMember("LastEvaluatedKey"));
}

TEST_F(ReadOpsTest, CapacityIsRoundedOnceOverTheDataRead) {
  CreateTable("Tbl", "S");
  // Three items of 3000 bytes: 9000 bytes, 3 units consistent, 1.5 eventually
  // consistent (3 x 1 if rounded per item).
  PutSized(this, *engine_, "a", {3000, 3000, 3000});
  json::Document doc = Ok(HandleQuery, Q(R"("ReturnConsumedCapacity":"INDEXES","ConsistentRead":true,)"
                                         R"("ProjectionExpression":"pk")"));
  EXPECT_EQ(doc["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 3.0);
  EXPECT_EQ(doc["ConsumedCapacity"]["Table"]["CapacityUnits"].GetDouble(), 3.0);
  EXPECT_EQ(json::ToString(doc["Items"][0]), R"({"pk":{"S":"a"}})");
  doc = Ok(HandleScan, R"({"TableName":"Tbl","ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(doc["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 1.5);
  EXPECT_EQ(doc["ConsumedCapacity"]["TableName"].GetString(), std::string("Tbl"));
}

TEST_F(ReadOpsTest, SegmentsPartitionTheTable) {
  CreateTable("Tbl", "");
  const int kItems = 300;
  for (int i = 0; i < kItems; i++) {
    Put("Tbl", R"({"pk":{"S":"k)" + std::to_string(i) + R"("}})");
  }
  std::set<std::string> seen;
  size_t total = 0;
  for (int segment = 0; segment < 7; segment++) {
    std::string start;
    for (;;) {
      std::string request = R"({"TableName":"Tbl","Segment":)" + std::to_string(segment) +
                            R"(,"TotalSegments":7,"Limit":10)" + start + "}";
      json::Document doc = Ok(HandleScan, request);
      for (const auto& item : doc["Items"].GetArray()) {
        seen.insert(item["pk"]["S"].GetString());
        total++;
      }
      if (!doc.HasMember("LastEvaluatedKey")) break;
      start = R"(,"ExclusiveStartKey":)" + json::ToString(doc["LastEvaluatedKey"]);
      // A key of this segment is refused by every other segment.
      std::string other = R"({"TableName":"Tbl","Segment":)" + std::to_string((segment + 1) % 7) +
                          R"(,"TotalSegments":7)" + start + "}";
      EXPECT_EQ(Error(HandleScan, other),
                "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                "ExclusiveStartKey with correct Segment. TotalSegments: 7 Segment: " +
                    std::to_string((segment + 1) % 7));
    }
  }
  EXPECT_EQ(total, static_cast<size_t>(kItems));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kItems));
}

TEST_F(ReadOpsTest, QueryValidationMessages) {
  CreateTable("Tbl", "N");
  CreateTable("Hash", "");
  const std::string kv = R"("ExpressionAttributeValues":{":p":{"S":"a"},":v":{"N":"1"}})";
  const std::string kp = R"("ExpressionAttributeValues":{":p":{"S":"a"}})";
  const std::string kvOnly = R"("ExpressionAttributeValues":{":v":{"N":"1"}})";
  struct Case {
    std::string request;
    std::string message;
  };
  std::vector<Case> cases = {
      {R"({"TableName":"Tbl"})",
       "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
       "request."},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","KeyConditions":{},)" + kp + "}",
       "Can not use both expression and non-expression parameters in the same request: "
       "Non-expression parameters: {KeyConditions} Expression parameters: "
       "{KeyConditionExpression}"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p AND sk > :v AND sk < :v",)" + kv + "}",
       "KeyConditionExpressions must only contain one condition per key"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"sk = :v",)" + kvOnly + "}",
       "Query condition missed key schema element: pk"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk > :p",)" + kp + "}",
       "Query key condition not supported"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :v",)" + kvOnly + "}",
       "One or more parameter values were invalid: Condition parameter type does not match "
       "schema type"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p AND x = :v",)" + kv + "}",
       "Query condition missed key schema element: sk"},
      {R"({"TableName":"Hash","KeyConditionExpression":"pk = :p AND x = :v",)" + kv + "}",
       "Query key condition not supported"},
      {R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},)"
       R"("sk":{"ComparisonOperator":"NE","AttributeValueList":[{"N":"1"}]}}})",
       "Attempted conditional constraint is not an indexable operation"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","FilterExpression":"sk = :v",)" + kv + "}",
       "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
      {R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},)"
       R"("QueryFilter":{"pk":{"ComparisonOperator":"NULL"}}})",
       "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)" + kp +
           R"(,"ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"1"}}})",
       "The provided starting key is outside query boundaries based on provided conditions"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p AND sk > :v",)" + kv +
           R"(,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"0"}}})",
       "The provided starting key does not match the range key predicate"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)" + kp +
           R"(,"ExclusiveStartKey":{"pk":{"S":"a"}}})",
       "The provided starting key is invalid"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)" + kp +
           R"(,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"S":"x"}}})",
       "The provided key element does not match the schema"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p",)" + kp +
           R"(,"ExclusiveStartKey":{"pk":{"S":""},"sk":{"N":"1"}}})",
       "One or more parameter values were invalid: The AttributeValue for a key attribute cannot "
       "contain an empty string value. Key: pk"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","Select":"COUNT","ProjectionExpression":"x",)" + kp.substr(0, kv.size()) + "}",
       "Cannot specify the ProjectionExpression when choosing to get only the Count"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","Select":"ALL_PROJECTED_ATTRIBUTES",)" + kp + "}",
       "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","Select":"SPECIFIC_ATTRIBUTES",)" + kp + "}",
       "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
       "SPECIFIC_ATTRIBUTES"},
      {R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","IndexName":"nope",)" + kp + "}",
       "The table does not have the specified index: nope"},
      {R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},)"
       R"("AttributesToGet":["a","a"]})",
       "One or more parameter values were invalid: Duplicate value in attribute name: a"},
  };
  for (const Case& c : cases) EXPECT_EQ(Error(HandleQuery, c.request), c.message) << c.request;
  EXPECT_EQ(Error(HandleQuery, R"({"TableName":"Nope","KeyConditionExpression":"pk = :p",)"
                               R"("ExpressionAttributeValues":{":p":{"S":"a"}}})"),
            "Requested resource not found");
}

TEST_F(ReadOpsTest, ScanValidationMessages) {
  CreateTable("Tbl", "N");
  struct Case {
    std::string request;
    std::string message;
  };
  std::vector<Case> cases = {
      {R"({"TableName":"Tbl","Segment":1})",
       "The TotalSegments parameter is required but was not present in the request when Segment "
       "parameter is present"},
      {R"({"TableName":"Tbl","TotalSegments":2})",
       "The Segment parameter is required but was not present in the request when parameter "
       "TotalSegments is present"},
      {R"({"TableName":"Tbl","Segment":2,"TotalSegments":2})",
       "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
       "Segment: 2 is not less than TotalSegments: 2"},
      {R"({"TableName":"Tbl","ExclusiveStartKey":{"pk":{"S":"a"}}})",
       "The provided starting key is invalid: The provided key element does not match the schema"},
      {R"({"TableName":"Tbl","Select":"ALL_ATTRIBUTES","ProjectionExpression":"a"})",
       "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"},
      {R"({"TableName":"Tbl","Select":"COUNT","AttributesToGet":["a"]})",
       "Cannot specify the AttributesToGet when choosing to get only the Count"},
      {R"({"TableName":"Tbl","ScanFilter":{"a":{"ComparisonOperator":"EQ"}}})",
       "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
       "ComparisonOperator"},
      {R"({"TableName":"Tbl","ScanFilter":{},"FilterExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}})",
       "Can not use both expression and non-expression parameters in the same request: "
       "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}"},
  };
  for (const Case& c : cases) EXPECT_EQ(Error(HandleScan, c.request), c.message) << c.request;
}

}  // namespace
}  // namespace dynemu
