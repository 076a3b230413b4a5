// Query and Scan with IndexName: projections, sparse entries, moves, paging on
// index keys plus table keys, the Select and ConsistentRead rules, LSI fetches
// from the table, capacity per index, backfilling and deleted indexes, parallel
// scans of an index, and the validation messages of index reads.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "ops/item_ops.h"
#include "ops/read_ops.h"
#include "ops/table_ops.h"

namespace dynemu {
namespace {

class IndexReadTest : public OpTest {
 protected:
  // T: pk (S) + sk (N); gpk (S), gsk (N), lsk (N) key the indexes:
  //   gAll  GSI gpk/gsk ALL       gKeys GSI gpk KEYS_ONLY    gInc GSI gpk/gsk INCLUDE [a]
  //   lKeys LSI pk/lsk KEYS_ONLY  lAll  LSI pk/lsk ALL
  void SetUp() override {
    OpTest::SetUp();
    Ok(HandleCreateTable, R"({"TableName":"T","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
        {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"gpk","AttributeType":"S"},
        {"AttributeName":"gsk","AttributeType":"N"},{"AttributeName":"lsk","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[
        {"IndexName":"gAll","KeySchema":[{"AttributeName":"gpk","KeyType":"HASH"},
          {"AttributeName":"gsk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}},
        {"IndexName":"gKeys","KeySchema":[{"AttributeName":"gpk","KeyType":"HASH"}],
          "Projection":{"ProjectionType":"KEYS_ONLY"}},
        {"IndexName":"gInc","KeySchema":[{"AttributeName":"gpk","KeyType":"HASH"},
          {"AttributeName":"gsk","KeyType":"RANGE"}],
          "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}}],
      "LocalSecondaryIndexes":[
        {"IndexName":"lKeys","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
          {"AttributeName":"lsk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}},
        {"IndexName":"lAll","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
          {"AttributeName":"lsk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]})");
  }

  void Put(const std::string& item_json) {
    Ok(HandlePutItem, R"({"TableName":"T","Item":)" + item_json + "}");
  }

  // Item pk=p, sk=s, gpk=g, gsk=n (omitted when n < 0), lsk=l, a="a<s>", b="b<s>".
  void PutItem(const std::string& p, int s, const std::string& g, int n, int l) {
    std::string item = R"({"pk":{"S":")" + p + R"("},"sk":{"N":")" + std::to_string(s) +
                       R"("},"gpk":{"S":")" + g + R"("},"lsk":{"N":")" + std::to_string(l) +
                       R"("},"a":{"S":"a)" + std::to_string(s) + R"("},"b":{"S":"b)" +
                       std::to_string(s) + R"("})";
    if (n >= 0) item += R"(,"gsk":{"N":")" + std::to_string(n) + R"("})";
    Put(item + "}");
  }

  // A Query of index `index` on gpk = :g (and `more` members).
  static std::string GQuery(const std::string& index, const std::string& g,
                            const std::string& more = "") {
    return R"({"TableName":"T","IndexName":")" + index +
           R"(","KeyConditionExpression":"gpk = :g","ExpressionAttributeValues":{":g":{"S":")" +
           g + R"("}})" + (more.empty() ? "" : "," + more) + "}";
  }
};

// "pk/sk" of each item of a page.
std::vector<std::string> Keys(const json::Value& doc) {
  std::vector<std::string> out;
  for (const auto& item : doc["Items"].GetArray()) {
    out.push_back(std::string(item["pk"]["S"].GetString()) + "/" + item["sk"]["N"].GetString());
  }
  return out;
}

// The attribute names of each item of a page.
std::vector<std::set<std::string>> Names(const json::Value& doc) {
  std::vector<std::set<std::string>> out;
  for (const auto& item : doc["Items"].GetArray()) {
    std::set<std::string> names;
    for (const auto& m : item.GetObject()) names.insert(m.name.GetString());
    out.push_back(names);
  }
  return out;
}

using Strings = std::vector<std::string>;
using NameSet = std::set<std::string>;

TEST_F(IndexReadTest, QueryReturnsEachProjectionInIndexOrder) {
  PutItem("p2", 1, "g", 5, 1);
  PutItem("p1", 2, "g", 5, 2);  // ties with p2/1 on gsk: table key order decides
  PutItem("p1", 1, "g", 3, 3);
  PutItem("p3", 1, "other", 1, 4);
  json::Document doc = Ok(HandleQuery, GQuery("gAll", "g"));
  EXPECT_EQ(Keys(doc), Strings({"p1/1", "p1/2", "p2/1"}));
  EXPECT_EQ(Names(doc)[0], NameSet({"pk", "sk", "gpk", "gsk", "lsk", "a", "b"}));
  EXPECT_EQ(doc["Count"].GetInt(), 3);
  EXPECT_EQ(doc["ScannedCount"].GetInt(), 3);

  doc = Ok(HandleQuery, GQuery("gAll", "g", R"("ScanIndexForward":false)"));
  EXPECT_EQ(Keys(doc), Strings({"p2/1", "p1/2", "p1/1"}));

  doc = Ok(HandleQuery, GQuery("gKeys", "g"));
  EXPECT_EQ(Keys(doc).size(), 3u);
  for (const NameSet& names : Names(doc)) EXPECT_EQ(names, NameSet({"pk", "sk", "gpk"}));

  doc = Ok(HandleQuery, GQuery("gInc", "g", R"("Select":"ALL_PROJECTED_ATTRIBUTES")"));
  for (const NameSet& names : Names(doc)) EXPECT_EQ(names, NameSet({"pk", "sk", "gpk", "gsk", "a"}));

  // Sort key conditions name the index's sort key.
  doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"gAll",
      "KeyConditionExpression":"gpk = :g AND gsk > :n",
      "ExpressionAttributeValues":{":g":{"S":"g"},":n":{"N":"3"}}})");
  EXPECT_EQ(Keys(doc), Strings({"p1/2", "p2/1"}));
  doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"gInc","KeyConditions":{
      "gpk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"g"}]},
      "gsk":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"},{"N":"4"}]}}})");
  EXPECT_EQ(Keys(doc), Strings({"p1/1"}));

  // An LSI: the table's partition in lsk order.
  doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"lKeys","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p1"}},"ScanIndexForward":false})");
  EXPECT_EQ(Keys(doc), Strings({"p1/1", "p1/2"}));
  EXPECT_EQ(Names(doc)[0], NameSet({"pk", "sk", "lsk"}));
}

TEST_F(IndexReadTest, SparseEntriesMovesAndDeletes) {
  PutItem("p", 1, "g", 5, 1);
  PutItem("p", 2, "g", -1, 2);  // no gsk: absent from gAll and gInc, present in gKeys
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gAll", "g"))), Strings({"p/1"}));
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gKeys", "g"))), Strings({"p/1", "p/2"}));
  EXPECT_EQ(Ok(HandleScan, R"({"TableName":"T","IndexName":"gInc"})")["Count"].GetInt(), 1);

  // An update moves p/1 to partition h of every GSI.
  Ok(HandleUpdateItem, R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},
      "UpdateExpression":"SET gpk = :h","ExpressionAttributeValues":{":h":{"S":"h"}}})");
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gAll", "g"))), Strings());
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gAll", "h"))), Strings({"p/1"}));
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gKeys", "g"))), Strings({"p/2"}));

  // Giving p/2 its gsk adds it; removing gpk takes p/1 out.
  Ok(HandleUpdateItem, R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"2"}},
      "UpdateExpression":"SET gsk = :n","ExpressionAttributeValues":{":n":{"N":"9"}}})");
  Ok(HandleUpdateItem, R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},
      "UpdateExpression":"REMOVE gpk"})");
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gAll", "g"))), Strings({"p/2"}));
  EXPECT_EQ(Ok(HandleScan, R"({"TableName":"T","IndexName":"gKeys"})")["Count"].GetInt(), 1);
  // The LSI still holds both.
  EXPECT_EQ(Ok(HandleScan, R"({"TableName":"T","IndexName":"lKeys"})")["Count"].GetInt(), 2);

  Ok(HandleDeleteItem, R"({"TableName":"T","Key":{"pk":{"S":"p"},"sk":{"N":"2"}}})");
  EXPECT_EQ(Keys(Ok(HandleQuery, GQuery("gAll", "g"))), Strings());
  EXPECT_EQ(Ok(HandleScan, R"({"TableName":"T","IndexName":"lKeys"})")["Count"].GetInt(), 1);
}

TEST_F(IndexReadTest, PagesCarryIndexAndTableKeys) {
  // Every item shares gsk, so paging within equal index keys relies on the table key.
  for (int i = 0; i < 25; i++) PutItem("p" + std::to_string(i % 4), i, "g", i % 3, i);
  for (const std::string index : {"gAll", "gInc", "gKeys"}) {
    for (bool forward : {true, false}) {
      std::multiset<std::string> seen;
      std::string start;
      int pages = 0;
      for (;;) {
        json::Document doc =
            Ok(HandleQuery, GQuery(index, "g",
                                   R"("Limit":4,"ScanIndexForward":)" +
                                       std::string(forward ? "true" : "false") + start));
        for (const std::string& key : Keys(doc)) seen.insert(key);
        pages++;
        if (!doc.HasMember("LastEvaluatedKey")) break;
        const json::Value& lek = doc["LastEvaluatedKey"];
        NameSet names;
        for (const auto& m : lek.GetObject()) names.insert(m.name.GetString());
        EXPECT_EQ(names, index == "gKeys" ? NameSet({"gpk", "pk", "sk"})
                                          : NameSet({"gpk", "gsk", "pk", "sk"}));
        start = R"(,"ExclusiveStartKey":)" + json::ToString(lek);
      }
      EXPECT_EQ(seen.size(), 25u) << index;
      EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u) << index;
      EXPECT_EQ(pages, 7) << index;  // 6 full pages, then one with the last item
    }
  }
  // Scans of an index page the same way.
  std::set<std::string> seen;
  std::string start;
  for (;;) {
    json::Document doc = Ok(HandleScan, R"({"TableName":"T","IndexName":"lKeys","Limit":7)" +
                                            start + "}");
    for (const std::string& key : Keys(doc)) EXPECT_TRUE(seen.insert(key).second) << key;
    if (!doc.HasMember("LastEvaluatedKey")) break;
    EXPECT_EQ(doc["LastEvaluatedKey"].MemberCount(), 3u);  // pk, lsk, sk
    start = R"(,"ExclusiveStartKey":)" + json::ToString(doc["LastEvaluatedKey"]);
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_F(IndexReadTest, PageSizeCountsProjectedEntries) {
  // Ten items of about 200 KB each, the bulk in b, which only gAll and lAll hold.
  for (int i = 0; i < 10; i++) {
    Put(R"({"pk":{"S":"p"},"sk":{"N":")" + std::to_string(i) +
        R"("},"gpk":{"S":"g"},"gsk":{"N":"1"},"lsk":{"N":"1"},"b":{"S":")" +
        std::string(200 * 1024, 'x') + R"("}})");
  }
  json::Document doc = Ok(HandleScan, R"({"TableName":"T","IndexName":"gKeys"})");
  EXPECT_EQ(doc["Count"].GetInt(), 10);
  EXPECT_FALSE(doc.HasMember("LastEvaluatedKey"));
  doc = Ok(HandleQuery, GQuery("gAll", "g", R"("Select":"COUNT")"));
  EXPECT_EQ(doc["Count"].GetInt(), 6);  // the 6th brings the page past 1 MB
  EXPECT_TRUE(doc.HasMember("LastEvaluatedKey"));
  // An LSI fetching b from the table pages on its entries as well.
  doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"lKeys","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p"}},"Select":"ALL_ATTRIBUTES"})");
  EXPECT_EQ(doc["Count"].GetInt(), 10);
  EXPECT_TRUE(doc["Items"][0].HasMember("b"));
}

TEST_F(IndexReadTest, SelectAndConsistencyRules) {
  PutItem("p", 1, "g", 5, 1);
  // ALL_ATTRIBUTES: fine on an ALL GSI, refused on the others.
  EXPECT_EQ(Names(Ok(HandleQuery, GQuery("gAll", "g", R"("Select":"ALL_ATTRIBUTES")")))[0].size(),
            7u);
  EXPECT_EQ(Error(HandleQuery, GQuery("gInc", "g", R"("Select":"ALL_ATTRIBUTES")")),
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
            "supported for global secondary index gInc because its projection type is not ALL");
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"gKeys","Select":"ALL_ATTRIBUTES"})"),
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
            "supported for global secondary index gKeys because its projection type is not ALL");
  // A GSI never fetches from the table: naming what it does not project is refused.
  EXPECT_EQ(Error(HandleQuery, GQuery("gInc", "g", R"("ProjectionExpression":"b, pk, c")")),
            "One or more parameter values were invalid: Global secondary index gInc does not "
            "project [b, c]");
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"gKeys","AttributesToGet":["a"]})"),
            "One or more parameter values were invalid: Global secondary index gKeys does not "
            "project [a]");
  json::Document doc = Ok(HandleQuery, GQuery("gInc", "g", R"("ProjectionExpression":"a, sk")"));
  EXPECT_EQ(json::ToString(doc["Items"][0]), R"({"a":{"S":"a1"},"sk":{"N":"1"}})");

  // ConsistentRead: refused on GSIs, fine on LSIs.
  EXPECT_EQ(Error(HandleQuery, GQuery("gAll", "g", R"("ConsistentRead":true)")),
            "Consistent reads are not supported on global secondary indexes");
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"gKeys","ConsistentRead":true})"),
            "Consistent reads are not supported on global secondary indexes");
  EXPECT_EQ(Ok(HandleScan, R"({"TableName":"T","IndexName":"lKeys","ConsistentRead":true})")
                ["Count"].GetInt(),
            1);
  // ALL_PROJECTED_ATTRIBUTES is for indexes only.
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","Select":"ALL_PROJECTED_ATTRIBUTES"})"),
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
}

TEST_F(IndexReadTest, LocalIndexFetchesFromTheTableAndChargesForIt) {
  // Three items of about 5 KB (b): each a 2-unit read of its own when fetched.
  for (int i = 0; i < 3; i++) {
    Put(R"({"pk":{"S":"p"},"sk":{"N":")" + std::to_string(i) +
        R"("},"lsk":{"N":")" + std::to_string(10 - i) + R"("},"b":{"S":")" +
        std::string(5000, 'x') + R"("}})");
  }
  const std::string q = R"({"TableName":"T","IndexName":"lKeys","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p"}},"ReturnConsumedCapacity":"INDEXES")";
  // Only projected attributes: the index alone, rounded once over its entries.
  json::Document doc = Ok(HandleQuery, q + "}");
  EXPECT_EQ(Keys(doc), Strings({"p/2", "p/1", "p/0"}));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"({"TableName":"T","CapacityUnits":0.5,"Table":{"CapacityUnits":0.0},)"
            R"("LocalSecondaryIndexes":{"lKeys":{"CapacityUnits":0.5}}})");
  // ALL_ATTRIBUTES fetches each whole item: 3 x 2 units, consistent.
  doc = Ok(HandleQuery, q + R"(,"Select":"ALL_ATTRIBUTES","ConsistentRead":true})");
  EXPECT_EQ(Names(doc)[0], NameSet({"pk", "sk", "lsk", "b"}));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"({"TableName":"T","CapacityUnits":7.0,"Table":{"CapacityUnits":6.0},)"
            R"("LocalSecondaryIndexes":{"lKeys":{"CapacityUnits":1.0}}})");
  // A projection naming a non-projected attribute fetches too (eventually
  // consistent: halves), and the filter sees the fetched item.
  doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"lKeys","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p"},":s":{"N":"1"}},"ReturnConsumedCapacity":"TOTAL",
      "ProjectionExpression":"sk, b","FilterExpression":"sk > :s"})");
  EXPECT_EQ(doc["Count"].GetInt(), 1);
  EXPECT_EQ(Names(doc)[0], NameSet({"sk", "b"}));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]), R"({"TableName":"T","CapacityUnits":3.5})");
  // Projected attributes only: no fetch.
  doc = Ok(HandleQuery, q + R"(,"ProjectionExpression":"lsk"})");
  EXPECT_EQ(doc["ConsumedCapacity"]["Table"]["CapacityUnits"].GetDouble(), 0.0);
}

TEST_F(IndexReadTest, GlobalIndexCapacity) {
  PutItem("p", 1, "g", 5, 1);
  json::Document doc = Ok(HandleQuery, GQuery("gAll", "g", R"("ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]),
            R"({"TableName":"T","CapacityUnits":0.5,"Table":{"CapacityUnits":0.0},)"
            R"("GlobalSecondaryIndexes":{"gAll":{"CapacityUnits":0.5}}})");
  doc = Ok(HandleScan, R"({"TableName":"T","IndexName":"gKeys","ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(json::ToString(doc["ConsumedCapacity"]), R"({"TableName":"T","CapacityUnits":0.5})");
}

TEST_F(IndexReadTest, ParallelScanOfAnIndex) {
  for (int i = 0; i < 200; i++) PutItem("p" + std::to_string(i), 1, "g" + std::to_string(i % 37), i, i);
  std::set<std::string> seen;
  for (int segment = 0; segment < 5; segment++) {
    std::string start;
    for (;;) {
      json::Document doc = Ok(HandleScan, R"({"TableName":"T","IndexName":"gInc","Segment":)" +
                                              std::to_string(segment) +
                                              R"(,"TotalSegments":5,"Limit":9)" + start + "}");
      for (const std::string& key : Keys(doc)) EXPECT_TRUE(seen.insert(key).second) << key;
      if (!doc.HasMember("LastEvaluatedKey")) break;
      start = R"(,"ExclusiveStartKey":)" + json::ToString(doc["LastEvaluatedKey"]);
      const int other = (segment + 1) % 5;
      EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"gInc","Segment":)" +
                                      std::to_string(other) + R"(,"TotalSegments":5)" + start +
                                      "}"),
                "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
                "ExclusiveStartKey with correct Segment. TotalSegments: 5 Segment: " +
                    std::to_string(other));
    }
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(IndexReadTest, BackfillingAndDeletedIndexes) {
  PutItem("p", 1, "g", 5, 1);
  Ok(HandleUpdateTable, R"({"TableName":"T",
      "AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],
      "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byA",
        "KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"}}}]})");
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"byA"})"),
            "Cannot read from backfilling global secondary index: byA");
  EXPECT_EQ(Error(HandleQuery, R"({"TableName":"T","IndexName":"byA",
      "KeyConditionExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"a1"}}})"),
            "Cannot read from backfilling global secondary index: byA");
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  json::Document doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"byA",
      "KeyConditionExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"a1"}}})");
  EXPECT_EQ(Keys(doc), Strings({"p/1"}));

  Ok(HandleUpdateTable, R"({"TableName":"T",
      "GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"gKeys"}}]})");
  EXPECT_EQ(Error(HandleScan, R"({"TableName":"T","IndexName":"gKeys"})"),
            "The table does not have the specified index: gKeys");
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  EXPECT_EQ(Error(HandleQuery, GQuery("gKeys", "g")),
            "The table does not have the specified index: gKeys");
}

TEST_F(IndexReadTest, QueryValidationMessages) {
  PutItem("p", 1, "g", 5, 1);
  const std::string kg = R"("ExpressionAttributeValues":{":g":{"S":"g"}})";
  const std::string gq = R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"gpk = :g",)" + kg;
  struct Case {
    std::string request;
    std::string message;
  };
  std::vector<Case> cases = {
      // Conditions name the index's keys, not the table's.
      {R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"pk = :p",)"
       R"("ExpressionAttributeValues":{":p":{"S":"p"}}})",
       "Query condition missed key schema element: gpk"},
      {R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"gpk = :g AND sk = :n",)"
       R"("ExpressionAttributeValues":{":g":{"S":"g"},":n":{"N":"1"}}})",
       "Query condition missed key schema element: gsk"},
      {R"({"TableName":"T","IndexName":"gKeys","KeyConditionExpression":"gpk = :g AND sk = :n",)"
       R"("ExpressionAttributeValues":{":g":{"S":"g"},":n":{"N":"1"}}})",
       "Query key condition not supported"},
      {R"({"TableName":"T","IndexName":"lKeys","KeyConditionExpression":"pk = :p AND sk = :n",)"
       R"("ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}})",
       "Query condition missed key schema element: lsk"},
      {R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"gpk = :n",)"
       R"("ExpressionAttributeValues":{":n":{"N":"1"}}})",
       "One or more parameter values were invalid: Condition parameter type does not match "
       "schema type"},
      {R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"gpk > :g",)" + kg + "}",
       "Query key condition not supported"},
      // The filter may name the table's keys but not the index's.
      {gq + R"(,"FilterExpression":"gsk > :g"})",
       "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
       "gsk"},
      {gq + R"(,"FilterExpression":"gpk.x = :g"})",
       "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
       "gpk"},
      {gq + R"(,"ProjectionExpression":"lsk.x"})",
       "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
       "allowed: IndexKey: lsk"},
      // ExclusiveStartKey: index keys and table keys.
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"}}})",
       "The provided starting key is invalid"},
      {gq + R"(,"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key is invalid"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":"p"},"x":{"N":"1"}}})",
       "The provided starting key is invalid: The provided key element does not match the schema"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"a":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key is invalid"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"S":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided key element does not match the schema"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":""},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "One or more parameter values were invalid: The AttributeValue for a key attribute cannot "
       "contain an empty string value. Key: gpk"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":""},"sk":{"N":"1"}}})",
       "The provided starting key is invalid: One or more parameter values were invalid: The "
       "AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
      {gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"h"},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key is outside query boundaries based on provided conditions"},
      {R"({"TableName":"T","IndexName":"gAll","KeyConditionExpression":"gpk = :g AND gsk < :n",)"
       R"("ExpressionAttributeValues":{":g":{"S":"g"},":n":{"N":"3"}},)"
       R"("ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key does not match the range key predicate"},
      {R"({"TableName":"T","IndexName":"nope","KeyConditionExpression":"gpk = :g",)" + kg + "}",
       "The table does not have the specified index: nope"},
  };
  for (const Case& c : cases) EXPECT_EQ(Error(HandleQuery, c.request), c.message) << c.request;
  // A filter on the table's keys is fine on an index.
  json::Document doc = Ok(HandleQuery, R"({"TableName":"T","IndexName":"gAll",
      "KeyConditionExpression":"gpk = :g","FilterExpression":"sk = :n",
      "ExpressionAttributeValues":{":g":{"S":"g"},":n":{"N":"1"}}})");
  EXPECT_EQ(Keys(doc), Strings({"p/1"}));
  // A key from the page itself restarts it.
  doc = Ok(HandleQuery, gq + R"(,"ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"0"}}})");
  EXPECT_EQ(Keys(doc), Strings({"p/1"}));
}

TEST_F(IndexReadTest, ScanValidationMessages) {
  struct Case {
    std::string request;
    std::string message;
  };
  const std::string s = R"({"TableName":"T","IndexName":"gAll",)";
  std::vector<Case> cases = {
      {s + R"("ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key is invalid"},
      {s + R"("ExclusiveStartKey":{"gpk":{"S":"g"},"x":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided starting key is invalid"},
      {s + R"("ExclusiveStartKey":{"gpk":{"N":"1"},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"N":"1"}}})",
       "The provided key element does not match the schema"},
      {s + R"("ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":"p"},"x":{"N":"1"}}})",
       "The provided starting key is invalid: The provided key element does not match the schema"},
      {s + R"("ExclusiveStartKey":{"gpk":{"S":"g"},"gsk":{"N":"5"},"pk":{"S":"p"},"sk":{"S":"1"}}})",
       "The provided starting key is invalid: The provided key element does not match the schema"},
      {R"({"TableName":"T","IndexName":"gKeys","Select":"ALL_ATTRIBUTES",)"
       R"("ExclusiveStartKey":{"gpk":{"S":"g"},"pk":{"S":"p"},"sk":{"S":"1"}}})",
       "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
       "for global secondary index gKeys because its projection type is not ALL"},
      {s + R"("FilterExpression":"gsk.x = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})",
       "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
       "allowed: IndexKey: gsk"},
  };
  for (const Case& c : cases) EXPECT_EQ(Error(HandleScan, c.request), c.message) << c.request;
  // A Scan's filter may name index keys.
  EXPECT_EQ(Ok(HandleScan, s + R"("FilterExpression":"gsk = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})")
                ["Count"].GetInt(),
            0);
}

}  // namespace
}  // namespace dynemu
