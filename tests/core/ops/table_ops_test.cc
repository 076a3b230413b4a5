#include "ops/table_ops.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "op_test_fixture.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "storage/store.h"

namespace dynemu {
namespace {

struct ErrorCase {
  std::string name;
  std::string request;
  ErrorCode code;
  std::string message;
};

class TableOpsTest : public OpTest {
 protected:
  void ExpectErrors(OpHandler handler, const std::vector<ErrorCase>& cases) {
    for (const ErrorCase& c : cases) {
      Reply reply = Call(handler, c.request);
      EXPECT_EQ(reply.status.code(), c.code) << c.name << ": " << reply.status.ToString();
      EXPECT_EQ(reply.status.message(), c.message) << c.name;
      EXPECT_TRUE(reply.body.empty()) << c.name << " wrote " << reply.body;
    }
  }

  json::Document Describe(const std::string& name) {
    return Ok(HandleDescribeTable, R"({"TableName":")" + name + R"("})");
  }

  // True when the raw text of the last successful answer contains `text`
  // (timestamps are checked on the raw text: re-rendering a parsed number
  // would change its form).
  bool LastBodyHas(const std::string& text) const {
    return last_body_.find(text) != std::string::npos;
  }
};

std::string Str(const json::Value& v) { return json::ToString(v); }

constexpr ErrorCode kValidation = ErrorCode::kValidation;

// A CreateTable request for table Tbl with `rest` appended (members after TableName).
std::string Create(const std::string& rest) { return R"({"TableName":"Tbl",)" + rest + "}"; }

const std::string kPt = R"("ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5})";
const std::string kAb = R"("AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},)"
                        R"({"AttributeName":"b","AttributeType":"N"}])";
const std::string kAbc = R"("AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},)"
                         R"({"AttributeName":"b","AttributeType":"N"},)"
                         R"({"AttributeName":"c","AttributeType":"S"}])";
const std::string kHashA = R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"}])";
const std::string kHashARangeB = R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"},)"
                                 R"({"AttributeName":"b","KeyType":"RANGE"}])";

std::string Lsi(const std::string& name, const std::string& hash, const std::string& range,
                const std::string& projection = R"({"ProjectionType":"ALL"})") {
  std::string keys = R"([{"AttributeName":")" + hash + R"(","KeyType":"HASH"})";
  if (!range.empty()) keys += R"(,{"AttributeName":")" + range + R"(","KeyType":"RANGE"})";
  keys += "]";
  return R"({"IndexName":")" + name + R"(","KeySchema":)" + keys + R"(,"Projection":)" +
         projection + "}";
}

std::string Gsi(const std::string& name, const std::string& hash, bool with_pt = true,
                const std::string& projection = R"({"ProjectionType":"ALL"})") {
  std::string s = R"({"IndexName":")" + name + R"(","KeySchema":[{"AttributeName":")" + hash +
                  R"(","KeyType":"HASH"}],"Projection":)" + projection;
  if (with_pt) s += R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})";
  return s + "}";
}

TEST_F(TableOpsTest, CreateTableValidationMessagesInOrder) {
  const std::string invalid = "One or more parameter values were invalid: ";
  std::vector<ErrorCase> cases = {
      {"no definitions or keys", Create(kPt), kValidation,
       "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy "
       "constraint: Member must not be null; Value null at 'keySchema' failed to satisfy "
       "constraint: Member must not be null"},
      {"no keys", Create(kAb + "," + kPt), kValidation,
       "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: "
       "Member must not be null"},
      {"on demand with capacity",
       Create(kAb + "," + kHashA + R"(,"BillingMode":"PAY_PER_REQUEST",)" + kPt), kValidation,
       invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                 "BillingMode is PAY_PER_REQUEST"},
      {"provisioned without capacity", Create(kAb + "," + kHashA), kValidation,
       invalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                 "BillingMode is PROVISIONED"},
      {"capacity checked before keys",
       Create(R"("AttributeDefinitions":[],)" + kHashA + R"(,"BillingMode":"PROVISIONED")"),
       kValidation,
       invalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                 "BillingMode is PROVISIONED"},
      {"read out of bounds",
       Create(kAb + "," + kHashA +
              R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1000000000001,"WriteCapacityUnits":1000000000001})"),
       kValidation, "Given value 1000000000001 for ReadCapacityUnits is out of bounds"},
      {"write out of bounds",
       Create(kAb + "," + kHashA +
              R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1000000000000,"WriteCapacityUnits":1000000000001})"),
       kValidation, "Given value 1000000000001 for WriteCapacityUnits is out of bounds"},
      {"duplicated definition",
       Create(R"("AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},)"
              R"({"AttributeName":"a","AttributeType":"N"}],)" + kHashA + "," + kPt),
       kValidation, "Attribute Name is duplicated: a"},
      {"more keys than definitions",
       Create(R"("AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],)" +
              kHashARangeB + "," + kPt),
       kValidation, "Invalid KeySchema: Some index key attribute have no definition"},
      {"key not defined",
       Create(R"("AttributeDefinitions":[{"AttributeName":"b","AttributeType":"S"}],)" + kHashA +
              "," + kPt),
       kValidation,
       invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a], "
                 "AttributeDefinitions: [b]"},
      {"hash and range same name",
       Create(kAb + R"(,"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},)"
                    R"({"AttributeName":"a","KeyType":"RANGE"}],)" + kPt),
       kValidation, "Both the Hash Key and the Range Key element in the KeySchema have the same name"},
      {"range first",
       Create(R"("AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],)"
              R"("KeySchema":[{"AttributeName":"a","KeyType":"RANGE"}],)" + kPt),
       kValidation, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
      {"two hashes",
       Create(kAb + R"(,"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},)"
                    R"({"AttributeName":"b","KeyType":"HASH"}],)" + kPt),
       kValidation, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"},
      {"three keys",
       Create(kAbc + R"(,"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},)"
                     R"({"AttributeName":"b","KeyType":"RANGE"},{"AttributeName":"c","KeyType":"RANGE"}],)" +
              kPt),
       kValidation,
       invalid + "The KeySchema exceeds the maximum allowed number of RANGE key attributes"},
      {"unused definition without indexes", Create(kAb + "," + kHashA + "," + kPt), kValidation,
       invalid + "Number of attributes in KeySchema does not exactly match number of attributes "
                 "defined in AttributeDefinitions"},
      {"empty LSI list", Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[])"),
       kValidation, invalid + "List of LocalSecondaryIndexes is empty"},
      {"LSI on a hash-only table",
       Create(kAb + "," + kHashA + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "b") + "]"),
       kValidation,
       invalid + "Table KeySchema does not have a range key, which is required when specifying a "
                 "LocalSecondaryIndex"},
      {"LSI key not defined",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "z") + "]"),
       kValidation,
       invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a, z], "
                 "AttributeDefinitions: [a, b]"},
      {"LSI without range",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "") + "]"),
       kValidation, invalid + "Index KeySchema does not have a range key for index: idx"},
      {"LSI other hash",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "c", "b") + "]"),
       kValidation,
       invalid + "Index KeySchema does not have the same leading hash key as table KeySchema for "
                 "index: idx. index hash key: c, table hash key: a"},
      {"LSI projection without type",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "c", "{}") + "]"),
       kValidation, invalid + "Unknown ProjectionType: null"},
      {"non-key attributes with KEYS_ONLY",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "c", R"({"ProjectionType":"KEYS_ONLY","NonKeyAttributes":["x"]})") +
              "]"),
       kValidation, invalid + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"},
      {"INCLUDE without non-key attributes",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "c", R"({"ProjectionType":"INCLUDE"})") + "]"),
       kValidation, invalid + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"},
      {"duplicate LSI names",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "c") + "," + Lsi("idx", "a", "c") + "]"),
       kValidation, invalid + "Duplicate index name: idx"},
      {"six LSIs",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("i1", "a", "c") + "," + Lsi("i2", "a", "c") + "," + Lsi("i3", "a", "c") + "," +
              Lsi("i4", "a", "c") + "," + Lsi("i5", "a", "c") + "," + Lsi("i6", "a", "c") + "]"),
       kValidation, invalid + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"},
      {"empty GSI list", Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"GlobalSecondaryIndexes":[])"),
       kValidation, invalid + "List of GlobalSecondaryIndexes is empty"},
      {"GSI key not defined",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"GlobalSecondaryIndexes":[)" +
              Gsi("g", "z") + "]"),
       kValidation,
       invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [z], "
                 "AttributeDefinitions: [a, b]"},
      {"GSI capacity on demand",
       Create(kAb + "," + kHashA + R"(,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[)" +
              Gsi("g", "b") + "]"),
       kValidation,
       invalid + "ProvisionedThroughput should not be specified for index: g when BillingMode is "
                 "PAY_PER_REQUEST"},
      {"GSI without capacity",
       Create(kAb + "," + kHashA + "," + kPt + R"(,"GlobalSecondaryIndexes":[)" +
              Gsi("g", "b", false) + "]"),
       kValidation, invalid + "ProvisionedThroughput is not specified for index: g"},
      {"GSI and LSI share a name",
       Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"LocalSecondaryIndexes":[)" +
              Lsi("idx", "a", "c") + R"(],"GlobalSecondaryIndexes":[)" + Gsi("idx", "c") + "]"),
       kValidation, invalid + "Duplicate index name: idx"},
      // The example of DynamoDB's own error text in aws-sdk-java issue 335: the keys
      // used are listed in a Java HashSet's order.
      {"unused definition with indexes",
       Create(R"("AttributeDefinitions":[{"AttributeName":"index","AttributeType":"S"},)"
              R"({"AttributeName":"hash","AttributeType":"S"},{"AttributeName":"extra","AttributeType":"S"}],)"
              R"("KeySchema":[{"AttributeName":"hash","KeyType":"HASH"}],)" + kPt +
              R"(,"GlobalSecondaryIndexes":[)" + Gsi("g1", "index") + "]"),
       kValidation,
       invalid + "Some AttributeDefinitions are not used. AttributeDefinitions: [index, hash, "
                 "extra], keys used: [index, hash]"},
      {"stream enabled without view type",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"StreamSpecification":{"StreamEnabled":true})"),
       kValidation, invalid + "Table is being created with a stream enabled, UpdateViewType is required"},
      {"stream disabled with view type",
       Create(kAb + "," + kHashARangeB + "," + kPt +
              R"(,"StreamSpecification":{"StreamEnabled":false,"StreamViewType":"KEYS_ONLY"})"),
       kValidation,
       invalid + "Table is being created with a stream disabled, UpdateViewType should not be specified"},
      {"SSE type while disabled",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"SSESpecification":{"Enabled":false,"SSEType":"KMS"})"),
       kValidation, invalid + "SSEType can not be specified if Enabled is false"},
      {"KMS key without KMS type",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"SSESpecification":{"Enabled":true,"KMSMasterKeyId":"k"})"),
       kValidation, invalid + "SSEType KMS is required if KMSMasterKeyId is specified"},
      {"AES256",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"SSESpecification":{"Enabled":true,"SSEType":"AES256"})"),
       kValidation, invalid + "SSEType AES256 is not supported"},
      {"on-demand ceiling on a provisioned table",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"OnDemandThroughput":{"MaxReadRequestUnits":5})"),
       kValidation,
       invalid + "MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table "
                 "BillingMode is PROVISIONED"},
      {"on-demand ceiling out of range",
       Create(kAb + "," + kHashARangeB +
              R"(,"BillingMode":"PAY_PER_REQUEST","OnDemandThroughput":{"MaxWriteRequestUnits":0})"),
       kValidation,
       invalid + "Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range"},
      {"reserved tag prefix",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"Tags":[{"Key":"aws:x","Value":"v"}])"),
       kValidation, "Tag Key cannot be prefixed with aws:, Key: aws:x"},
      {"invalid tag key",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"Tags":[{"Key":"a*b","Value":"v"}])"),
       kValidation, "The Tag Key provided is invalid, Key: a*b"},
      {"unsupported global table source",
       Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"GlobalTableSourceArn":"arn:x")"),
       kValidation, "dynemu does not support the parameter GlobalTableSourceArn yet"},
  };
  std::string gsis;
  for (int i = 0; i < 21; i++) {
    if (i) gsis += ",";
    gsis += Gsi(std::string("gsi").append(std::to_string(i)), "b");
  }
  cases.push_back({"21 GSIs", Create(kAb + "," + kHashA + "," + kPt + R"(,"GlobalSecondaryIndexes":[)" + gsis + "]"),
                   kValidation, invalid + "GlobalSecondaryIndex count exceeds the per-table limit of 20"});
  std::string tags;
  for (int i = 0; i < 51; i++) tags += std::string(i ? "," : "") + R"({"Key":"k)" + std::to_string(i) + R"(","Value":"v"})";
  cases.push_back({"51 tags", Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"Tags":[)" + tags + "]"),
                   kValidation, "Number of Tags exceed the current limit for the provided ResourceArn"});
  ExpectErrors(HandleCreateTable, cases);
  // Nothing was created by any of them.
  EXPECT_TRUE(engine_->ListTableNames().empty());
}

// NonKeyAttributes are limited to 100 over all the indexes of a table (each
// index lists at most 20, which the shape check enforces); the same name in two
// indexes counts twice.
TEST_F(TableOpsTest, ProjectedAttributesLimitedAcrossIndexes) {
  auto include = [](int count) {
    std::string names;
    for (int i = 0; i < count; i++) {
      names += std::string(i ? "," : "") + "\"x" + std::to_string(i) + "\"";
    }
    return R"({"ProjectionType":"INCLUDE","NonKeyAttributes":[)" + names + "]}";
  };
  // An LSI projecting `lsi_attrs` names, then one GSI per entry of `gsi_attrs`,
  // all projecting the same names x0, x1, ...
  auto request = [&](const std::string& table, int lsi_attrs, const std::vector<int>& gsi_attrs) {
    std::string gsis;
    for (size_t g = 0; g < gsi_attrs.size(); g++) {
      gsis += std::string(g ? "," : "") +
              Gsi("g" + std::to_string(g), "c", true, include(gsi_attrs[g]));
    }
    return R"({"TableName":")" + table + R"(",)" + kAbc + "," + kHashARangeB + "," + kPt +
           R"(,"LocalSecondaryIndexes":[)" + Lsi("l0", "a", "c", include(lsi_attrs)) +
           R"(],"GlobalSecondaryIndexes":[)" + gsis + "]}";
  };
  Ok(HandleCreateTable, request("AtLimit", 20, {20, 20, 20, 20}));
  EXPECT_EQ(Error(HandleCreateTable, request("Over", 20, {20, 20, 20, 20, 1})),
            "One or more parameter values were invalid: Number of projected attributes in all "
            "indexes exceeds limit of 100");
  // KEYS_ONLY and ALL indexes project no NonKeyAttributes: they do not count.
  std::string others;
  for (int g = 0; g < 3; g++) others += "," + Gsi("all" + std::to_string(g), "c");
  std::string with_all = request("WithAll", 20, {20, 20, 20, 20});
  with_all.insert(with_all.size() - 2, others);
  Ok(HandleCreateTable, with_all);
  EXPECT_EQ(engine_->ListTableNames(), (std::vector<std::string>{"AtLimit", "WithAll"}));
}

TEST_F(TableOpsTest, CreateThenDescribe) {
  json::Document created = Ok(
      HandleCreateTable,
      Create(kAbc + "," + kHashARangeB + R"(,"BillingMode":"PAY_PER_REQUEST",)"
             R"("LocalSecondaryIndexes":[)" + Lsi("byC", "a", "c", R"({"ProjectionType":"KEYS_ONLY"})") +
             R"(],"GlobalSecondaryIndexes":[)" +
             Gsi("byC2", "c", false, R"({"ProjectionType":"INCLUDE","NonKeyAttributes":["x","y"]})") +
             R"(],"Tags":[{"Key":"z","Value":"1"},{"Key":"a","Value":"2"}],)"
             R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},)"
             R"("SSESpecification":{"Enabled":true},"TableClass":"STANDARD_INFREQUENT_ACCESS",)"
             R"("DeletionProtectionEnabled":true)"));
  const json::Value& td = created["TableDescription"];
  EXPECT_EQ(Str(td["TableStatus"]), R"("CREATING")");
  EXPECT_EQ(Str(td["GlobalSecondaryIndexes"][0]["IndexStatus"]), R"("CREATING")");
  EXPECT_EQ(Str(td["BillingModeSummary"]), R"({"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_TRUE(LastBodyHas(R"("CreationDateTime":1.7E9,)")) << last_body_;
  EXPECT_EQ(Str(td["TableArn"]), R"("arn:aws:dynamodb:us-east-1:000000000000:table/Tbl")");
  EXPECT_EQ(Str(td["LatestStreamLabel"]), R"("2023-11-14T22:13:20.000")");
  EXPECT_EQ(Str(td["LatestStreamArn"]),
            R"("arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/stream/2023-11-14T22:13:20.000")");
  EXPECT_EQ(Str(td["SSEDescription"]["SSEType"]), R"("KMS")");
  EXPECT_EQ(Str(td["TableClassSummary"]), R"({"TableClass":"STANDARD_INFREQUENT_ACCESS"})");
  EXPECT_EQ(Str(td["DeletionProtectionEnabled"]), "true");
  EXPECT_EQ(Str(td["OnDemandThroughput"]), R"({"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":-1})");
  EXPECT_EQ(Str(td["ProvisionedThroughput"]),
            R"({"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0})");

  json::Document described = Describe("Tbl");
  const json::Value& t = described["Table"];
  EXPECT_EQ(Str(t["TableStatus"]), R"("ACTIVE")");
  EXPECT_EQ(Str(t["TableId"]), Str(td["TableId"]));
  EXPECT_TRUE(LastBodyHas(
      R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1.7E9})"));
  EXPECT_EQ(Str(t["GlobalSecondaryIndexes"]),
            R"([{"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/index/byC2",)"
            R"("IndexName":"byC2","IndexSizeBytes":0,"IndexStatus":"ACTIVE","ItemCount":0,)"
            R"("KeySchema":[{"AttributeName":"c","KeyType":"HASH"}],)"
            R"("OnDemandThroughput":{"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":-1},)"
            R"("Projection":{"NonKeyAttributes":["x","y"],"ProjectionType":"INCLUDE"},)"
            R"("ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,)"
            R"("WriteCapacityUnits":0}}])");
  EXPECT_EQ(Str(t["LocalSecondaryIndexes"]),
            R"([{"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/index/byC",)"
            R"("IndexName":"byC","IndexSizeBytes":0,"ItemCount":0,)"
            R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],)"
            R"("Projection":{"ProjectionType":"KEYS_ONLY"}}])");

  // The index ids were assigned, and the description survives a restart.
  auto stored = engine_->FindTable("Tbl");
  ASSERT_NE(stored, nullptr);
  EXPECT_NE(stored->local_secondary_indexes[0].index_id, stored->global_secondary_indexes[0].index_id);
  std::string before = json::ToString(described);
  Reopen();
  EXPECT_EQ(json::ToString(Describe("Tbl")), before);

  // Tags were stored sorted.
  json::Document tags = Ok(HandleListTagsOfResource,
                           R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl"})");
  EXPECT_EQ(Str(tags), R"({"Tags":[{"Key":"a","Value":"2"},{"Key":"z","Value":"1"}]})");

  ExpectErrors(HandleCreateTable,
               {{"exists", Create(kAb + "," + kHashARangeB + "," + kPt), ErrorCode::kResourceInUse,
                 "Table already exists: Tbl"}});
}

TEST_F(TableOpsTest, DescribeAcceptsAnArnAndReportsMissingTables) {
  Ok(HandleCreateTable, Create(kAb + "," + kHashARangeB + "," + kPt));
  json::Document d = Ok(HandleDescribeTable,
                        R"({"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl"})");
  EXPECT_EQ(Str(d["Table"]["TableName"]), R"("Tbl")");
  EXPECT_EQ(Str(d["Table"]["ProvisionedThroughput"]),
            R"({"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5})");
  EXPECT_FALSE(d["Table"].HasMember("BillingModeSummary"));
  EXPECT_FALSE(d["Table"].HasMember("TableClassSummary"));
  ExpectErrors(HandleDescribeTable,
               {{"missing", R"({"TableName":"Nope"})", ErrorCode::kResourceNotFound,
                 "Requested resource not found: Table: Nope not found"}});
  ExpectErrors(HandleDescribeTimeToLive,
               {{"missing", R"({"TableName":"Nope"})", ErrorCode::kResourceNotFound,
                 "Requested resource not found: Table: Nope not found"}});
}

TEST_F(TableOpsTest, ListTablesPagesLikeDynamoDB) {
  for (const char* name : {"e-5", "a-1", "c.3", "b_2", "d-4"}) {
    Ok(HandleCreateTable,
       std::string(R"({"TableName":")") + name + R"(",)" + kAb + "," + kHashARangeB + "," + kPt + "}");
  }
  EXPECT_EQ(Str(Ok(HandleListTables, "{}")),
            R"({"TableNames":["a-1","b_2","c.3","d-4","e-5"]})");
  EXPECT_EQ(Str(Ok(HandleListTables, R"({"Limit":2})")),
            R"({"LastEvaluatedTableName":"b_2","TableNames":["a-1","b_2"]})");
  EXPECT_EQ(Str(Ok(HandleListTables, R"({"Limit":2,"ExclusiveStartTableName":"b_2"})")),
            R"({"LastEvaluatedTableName":"d-4","TableNames":["c.3","d-4"]})");
  // The last page: no LastEvaluatedTableName, even when it is full.
  EXPECT_EQ(Str(Ok(HandleListTables, R"({"Limit":1,"ExclusiveStartTableName":"d-4"})")),
            R"({"TableNames":["e-5"]})");
  EXPECT_EQ(Str(Ok(HandleListTables, R"({"ExclusiveStartTableName":"c"})")),
            R"({"TableNames":["c.3","d-4","e-5"]})");
  EXPECT_EQ(Str(Ok(HandleListTables, R"({"ExclusiveStartTableName":"zzz"})")), R"({"TableNames":[]})");
}

TEST_F(TableOpsTest, DeleteTableHonoursDeletionProtection) {
  Ok(HandleCreateTable, Create(kAbc + "," + kHashA + "," + kPt + R"(,"DeletionProtectionEnabled":true,)"
                               R"("GlobalSecondaryIndexes":[)" + Gsi("g1", "b") + "," + Gsi("g2", "c") + "]"));
  ExpectErrors(HandleDeleteTable,
               {{"protected", R"({"TableName":"Tbl"})", kValidation,
                 "Resource cannot be deleted as it is currently protected against deletion. "
                 "Disable deletion protection first."},
                {"missing", R"({"TableName":"Nope"})", ErrorCode::kResourceNotFound,
                 "Requested resource not found: Table: Nope not found"}});
  json::Document u = Ok(HandleUpdateTable, R"({"TableName":"Tbl","DeletionProtectionEnabled":false})");
  EXPECT_EQ(Str(u["TableDescription"]["TableStatus"]), R"("ACTIVE")");
  EXPECT_EQ(Str(u["TableDescription"]["DeletionProtectionEnabled"]), "false");
  json::Document d = Ok(HandleDeleteTable, R"({"TableName":"Tbl"})");
  EXPECT_EQ(Str(d["TableDescription"]["TableStatus"]), R"("DELETING")");
  EXPECT_FALSE(d["TableDescription"].HasMember("GlobalSecondaryIndexes"));
  EXPECT_EQ(engine_->FindTable("Tbl"), nullptr);
  ExpectErrors(HandleDeleteTable, {{"gone", R"({"TableName":"Tbl"})", ErrorCode::kResourceNotFound,
                                    "Requested resource not found: Table: Tbl not found"}});
}

// The provisioned table Tbl (5/5, GSI g 1/1, keys a, b) and the on-demand table Pay
// (GSI pg), for the UpdateTable tests.
class UpdateTableTest : public TableOpsTest {
 protected:
  void SetUp() override {
    TableOpsTest::SetUp();
    Ok(HandleCreateTable, Create(kAbc + "," + kHashARangeB + "," + kPt + R"(,"GlobalSecondaryIndexes":[)" +
                                 Gsi("g", "c") + "]"));
    Ok(HandleCreateTable, R"({"TableName":"Pay",)" + kAbc + "," + kHashARangeB +
                              R"(,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[)" +
                              Gsi("pg", "c", false) + "]}");
  }
};

std::string Update(const std::string& rest) { return R"({"TableName":"Tbl",)" + rest + "}"; }

TEST_F(UpdateTableTest, ValidationMessagesInOrder) {
  const std::string invalid = "One or more parameter values were invalid: ";
  const std::string pt = R"("ProvisionedThroughput":{"ReadCapacityUnits":6,"WriteCapacityUnits":6})";
  const std::string create_h =
      R"("GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("h", "c") + "}]";
  std::vector<ErrorCase> cases = {
      {"nothing", R"({"TableName":"Tbl"})", kValidation,
       "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
       "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
       "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
       "OnDemandThroughput, WarmThroughput or TableClass is required"},
      {"definitions only", Update(kAb), kValidation,
       "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
       "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
       "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
       "OnDemandThroughput, WarmThroughput or TableClass is required"},
      {"multi-region consistency only", Update(R"("MultiRegionConsistency":"STRONG")"), kValidation,
       "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
       "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
       "ReplicaTransitRoleArn, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or "
       "TableClass is required"},
      {"replicas", Update(R"("ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}])"), kValidation,
       "dynemu does not support the parameter ReplicaUpdates yet"},
      {"SSE with deletion protection",
       Update(R"("SSESpecification":{"Enabled":true},"DeletionProtectionEnabled":true)"), kValidation,
       invalid + "Server-Side Encryption modification must be the only operation in the request"},
      {"table class with capacity", Update(R"("TableClass":"STANDARD",)" + pt), kValidation,
       invalid + "TableClass modification must be the only operation in the request"},
      {"deletion protection with capacity", Update(R"("DeletionProtectionEnabled":true,)" + pt),
       kValidation, invalid + "DeletionProtection modification must be the only operation in the request"},
      {"provisioned without capacity", Update(R"("BillingMode":"PROVISIONED")"), kValidation,
       invalid + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"},
      {"on demand with capacity", Update(R"("BillingMode":"PAY_PER_REQUEST",)" + pt), kValidation,
       invalid + "ProvisionedThroughput cannot be specified when BillingMode is PAY_PER_REQUEST"},
      {"capacity out of bounds",
       Update(R"("ProvisionedThroughput":{"ReadCapacityUnits":1000000000001,"WriteCapacityUnits":1})"),
       kValidation, "Given value 1000000000001 for ReadCapacityUnits is out of bounds"},
      {"empty index updates", Update(R"("GlobalSecondaryIndexUpdates":[])"), kValidation,
       invalid + "List of GlobalSecondaryIndexUpdates is empty"},
      {"index update without action", Update(R"("GlobalSecondaryIndexUpdates":[{}])"), kValidation,
       invalid + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                 "GlobalSecondaryIndexUpdate.Delete must not be null"},
      {"two actions in one update",
       Update(R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"},"Update":{"IndexName":"g"}}])"),
       kValidation,
       invalid + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"},
      {"same index twice",
       Update(R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"}},{"Update":{"IndexName":"g"}}])"),
       kValidation,
       invalid + "Only one global secondary index update per index is allowed simultaneously. Index: g"},
      {"capacity and index creation", Update(pt + "," + kAbc + "," + create_h), kValidation,
       invalid + "You cannot create or delete index while updating table IOPS"},
      {"capacity and stream",
       Update(pt + R"(,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"})"),
       kValidation, invalid + "You cannot modify stream status while updating table IOPS"},
      {"stream and index deletion",
       Update(R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},)"
              R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"}}])"),
       kValidation, invalid + "You cannot create or delete index while changing stream status"},
      {"two index creations",
       Update(kAbc + R"(,"GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("h1", "c") +
              R"(},{"Create":)" + Gsi("h2", "c") + "}]"),
       ErrorCode::kLimitExceeded,
       "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
      {"stream enabled without view type", Update(R"("StreamSpecification":{"StreamEnabled":true})"),
       kValidation, invalid + "If stream is being enabled then UpdateViewType is required"},
      {"stream disabled with view type",
       Update(R"("StreamSpecification":{"StreamEnabled":false,"StreamViewType":"KEYS_ONLY"})"),
       kValidation, invalid + "If stream is being disabled, then UpdateViewType must not be specified"},
      // From here on the checks need the table.
      {"missing table", R"({"TableName":"Nope","DeletionProtectionEnabled":true})",
       ErrorCode::kResourceNotFound, "Requested resource not found: Table: Nope not found"},
      {"unchanged capacity", Update(kPt), kValidation,
       "The provisioned throughput for the table will not change. The requested value equals the "
       "current value. Current ReadCapacityUnits provisioned for the table: 5. Requested "
       "ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested "
       "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and "
       "how to request higher limits."},
      {"capacity on an on-demand table", R"({"TableName":"Pay",)" + pt + "}", kValidation,
       invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                 "BillingMode is PAY_PER_REQUEST"},
      {"provisioned without index capacity", R"({"TableName":"Pay","BillingMode":"PROVISIONED",)" + pt + "}",
       kValidation, invalid + "ProvisionedThroughput must be specified for index: pg"},
      {"on-demand ceiling on a provisioned table",
       Update(R"("OnDemandThroughput":{"MaxReadRequestUnits":10})"), kValidation,
       invalid + "MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table "
                 "BillingMode is PROVISIONED"},
      {"update of an unknown index",
       Update(R"("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"zz",)"
              R"("ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}])"),
       kValidation, "Cannot update an index that is not a GlobalSecondaryIndex: zz"},
      {"delete of an unknown index", Update(R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"zz"}}])"),
       kValidation, "Cannot delete an index that is not a GlobalSecondaryIndex: zz"},
      {"unchanged index capacity",
       Update(R"("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"g",)"
              R"("ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}])"),
       kValidation,
       "The provisioned throughput for the index g will not change. The requested value equals the "
       "current value. Current ReadCapacityUnits provisioned for the index: 1. Requested "
       "ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the index: 1. Requested "
       "WriteCapacityUnits: 1. Refer to the Amazon DynamoDB Developer Guide for current limits and "
       "how to request higher limits."},
      {"index capacity on an on-demand table",
       R"({"TableName":"Pay","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"pg",)"
       R"("ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}]})",
       kValidation,
       invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: pg "
                 "when BillingMode is PAY_PER_REQUEST"},
      {"create an existing index", Update(kAbc + R"(,"GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("g", "c") + "}]"),
       kValidation, "Attempting to create an index which already exists"},
      {"create without definitions", Update(create_h), kValidation,
       invalid + "AttributeDefinitions is not specified for index: h"},
      {"create with an undefined key",
       Update(kAb + R"(,"GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("h", "c") + "}]"),
       kValidation,
       invalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [c], "
                 "AttributeDefinitions: [a, b]"},
      {"create without capacity",
       Update(kAbc + R"(,"GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("h", "c", false) + "}]"),
       kValidation, invalid + "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: h"},
      {"no stream to disable", Update(R"("StreamSpecification":{"StreamEnabled":false})"), kValidation,
       "Table has no stream to disable: TableName: Tbl"},
      {"already encrypted by default", Update(R"("SSESpecification":{"Enabled":false})"), kValidation,
       invalid + "Table is already encrypted by default"},
  };
  ExpectErrors(HandleUpdateTable, cases);
  // None of them changed anything.
  auto t = engine_->FindTable("Tbl");
  EXPECT_EQ(t->throughput.read_capacity_units, 5);
  EXPECT_EQ(t->global_secondary_indexes.size(), 1u);
  EXPECT_FALSE(t->stream.enabled);
  EXPECT_FALSE(t->deletion_protection_enabled);
}

TEST_F(UpdateTableTest, CapacityBookkeeping) {
  clock_.SetMicros(1'700'000'500'000'000);
  json::Document up = Ok(HandleUpdateTable,
                         Update(R"("ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":5})"));
  // The answer shows the change in progress, with the old figures.
  EXPECT_EQ(Str(up["TableDescription"]["TableStatus"]), R"("UPDATING")");
  EXPECT_TRUE(LastBodyHas(R"("ProvisionedThroughput":{"LastIncreaseDateTime":1.7000005E9,)"
                          R"("NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5})"))
      << last_body_;
  EXPECT_EQ(Str(up["TableDescription"]["TableStatus"]), R"("UPDATING")");
  Describe("Tbl");
  EXPECT_TRUE(LastBodyHas(R"("ProvisionedThroughput":{"LastIncreaseDateTime":1.7000005E9,)"
                          R"("NumberOfDecreasesToday":0,"ReadCapacityUnits":10,"WriteCapacityUnits":5})"))
      << last_body_;

  clock_.SetMicros(1'700'000'600'000'000);
  Ok(HandleUpdateTable, Update(R"("ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":1})"));
  Ok(HandleUpdateTable, Update(R"("ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":1})"));
  Describe("Tbl");
  EXPECT_TRUE(LastBodyHas(R"("ProvisionedThroughput":{"LastDecreaseDateTime":1.7000006E9,)"
                          R"("LastIncreaseDateTime":1.7000005E9,"NumberOfDecreasesToday":2,)"
                          R"("ReadCapacityUnits":2,"WriteCapacityUnits":1})"))
      << last_body_;
  // A new UTC day starts the count again.
  clock_.SetMicros(1'700'000'600'000'000 + 86'400'000'000LL);
  Ok(HandleUpdateTable, Update(R"("ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})"));
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"]), "1");

  // An index's capacity.
  json::Document gu = Ok(HandleUpdateTable,
                         Update(R"("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"g",)"
                                R"("ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}}}])"));
  EXPECT_EQ(Str(gu["TableDescription"]["TableStatus"]), R"("ACTIVE")");
  EXPECT_EQ(Str(gu["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"]), R"("UPDATING")");
  EXPECT_EQ(Str(gu["TableDescription"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"]),
            "1");
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"]),
            "3");
}

TEST_F(UpdateTableTest, BillingModeSwitches) {
  clock_.SetMicros(1'700'001'000'000'000);
  json::Document to_od = Ok(HandleUpdateTable, Update(R"("BillingMode":"PAY_PER_REQUEST")"));
  EXPECT_EQ(Str(to_od["TableDescription"]["TableStatus"]), R"("UPDATING")");
  json::Document od = Describe("Tbl");
  EXPECT_TRUE(LastBodyHas(R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST",)"
                          R"("LastUpdateToPayPerRequestDateTime":1.700001E9})"));
  EXPECT_EQ(Str(od["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"]), "0");
  EXPECT_EQ(Str(od["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"]), "0");
  // On demand, ceilings may be set and cleared.
  Ok(HandleUpdateTable, Update(R"("OnDemandThroughput":{"MaxReadRequestUnits":50})"));
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["OnDemandThroughput"]),
            R"({"MaxReadRequestUnits":50,"MaxWriteRequestUnits":-1})");
  Ok(HandleUpdateTable, Update(R"("OnDemandThroughput":{"MaxReadRequestUnits":-1})"));
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["OnDemandThroughput"]),
            R"({"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":-1})");

  json::Document back = Ok(
      HandleUpdateTable,
      Update(R"("BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":8},)"
             R"("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"g","ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}}])"));
  // A billing switch answers with the new figures.
  EXPECT_EQ(Str(back["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"]), "7");
  json::Document prov = Describe("Tbl");
  EXPECT_TRUE(LastBodyHas(R"("BillingModeSummary":{"BillingMode":"PROVISIONED",)"
                          R"("LastUpdateToPayPerRequestDateTime":1.700001E9})"));
  EXPECT_FALSE(prov["Table"].HasMember("OnDemandThroughput"));
  EXPECT_EQ(Str(prov["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"]), "2");
}

TEST_F(UpdateTableTest, CreatesAndDeletesIndexes) {
  json::Document created = Ok(
      HandleUpdateTable,
      Update(R"("AttributeDefinitions":[{"AttributeName":"d","AttributeType":"B"}],)"
             R"("GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("byD", "d") + "}]"));
  const json::Value& gsis = created["TableDescription"]["GlobalSecondaryIndexes"];
  ASSERT_EQ(gsis.Size(), 2u);
  EXPECT_EQ(Str(gsis[1]["IndexName"]), R"("byD")");
  EXPECT_EQ(Str(gsis[1]["IndexStatus"]), R"("CREATING")");
  // The engine backfills the new index (in the background; here at once), then
  // makes it ACTIVE.
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  auto t = engine_->FindTable("Tbl");
  ASSERT_EQ(t->global_secondary_indexes.size(), 2u);
  EXPECT_EQ(t->global_secondary_indexes[1].status, TableStatus::kActive);
  EXPECT_FALSE(t->global_secondary_indexes[1].backfilling);
  EXPECT_EQ(*t->AttributeType("d"), ScalarType::kB);
  uint8_t first_id = t->global_secondary_indexes[0].index_id;
  EXPECT_GT(t->global_secondary_indexes[1].index_id, first_id);

  json::Document deleted =
      Ok(HandleUpdateTable, Update(R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"g"}}])"));
  const json::Value& after = deleted["TableDescription"]["GlobalSecondaryIndexes"];
  ASSERT_EQ(after.Size(), 2u);
  EXPECT_EQ(Str(after[0]["IndexName"]), R"("g")");
  EXPECT_EQ(Str(after[0]["IndexStatus"]), R"("DELETING")");
  EXPECT_EQ(Str(after[1]["IndexStatus"]), R"("ACTIVE")");
  // Another index change waits until this one is done.
  ExpectErrors(HandleUpdateTable,
               {{"one at a time",
                 Update(R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byD"}}])"),
                 ErrorCode::kLimitExceeded,
                 "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                 "simultaneously per table"}});
  ASSERT_TRUE(engine_->RunIndexWorkForTesting().ok());
  t = engine_->FindTable("Tbl");
  ASSERT_EQ(t->global_secondary_indexes.size(), 1u);
  // c served only the deleted index; its definition goes with it.
  EXPECT_FALSE(t->AttributeType("c").has_value());
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["AttributeDefinitions"]),
            R"([{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"N"},)"
            R"({"AttributeName":"d","AttributeType":"B"}])");

  ExpectErrors(HandleUpdateTable,
               {{"type change",
                 Update(R"("AttributeDefinitions":[{"AttributeName":"d","AttributeType":"S"}],)"
                        R"("GlobalSecondaryIndexUpdates":[{"Create":)" + Gsi("byD2", "d") + "}]"),
                 kValidation,
                 "One or more parameter values were invalid: Cannot change the type of attribute d "
                 "from B to S"}});
}

TEST_F(UpdateTableTest, StreamsEncryptionClassAndWarmThroughput) {
  clock_.SetMicros(1'700'002'000'250'000);
  json::Document s = Ok(HandleUpdateTable,
                        Update(R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"})"));
  EXPECT_EQ(Str(s["TableDescription"]["StreamSpecification"]),
            R"({"StreamEnabled":true,"StreamViewType":"OLD_IMAGE"})");
  EXPECT_EQ(Str(s["TableDescription"]["LatestStreamLabel"]), R"("2023-11-14T22:46:40.250")");
  ExpectErrors(HandleUpdateTable,
               {{"enabled twice",
                 Update(R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"})"),
                 kValidation, "Table already has an enabled stream: TableName: Tbl"}});
  Ok(HandleUpdateTable, Update(R"("StreamSpecification":{"StreamEnabled":false})"));
  json::Document off = Describe("Tbl");
  EXPECT_FALSE(off["Table"].HasMember("StreamSpecification"));
  EXPECT_EQ(Str(off["Table"]["LatestStreamLabel"]), R"("2023-11-14T22:46:40.250")");

  Ok(HandleUpdateTable, Update(R"("SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/mine"})"));
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["SSEDescription"]),
            R"({"KMSMasterKeyArn":"arn:aws:kms:us-east-1:000000000000:alias/mine","SSEType":"KMS",)"
            R"("Status":"ENABLED"})");
  ExpectErrors(HandleUpdateTable,
               {{"same key",
                 Update(R"("SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/mine"})"),
                 kValidation,
                 "One or more parameter values were invalid: Table is already encrypted with given "
                 "KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key"}});
  Ok(HandleUpdateTable, Update(R"("SSESpecification":{"Enabled":false})"));
  EXPECT_FALSE(Describe("Tbl")["Table"].HasMember("SSEDescription"));

  clock_.SetMicros(1'700'003'000'000'000);
  Ok(HandleUpdateTable, Update(R"("TableClass":"STANDARD_INFREQUENT_ACCESS")"));
  Describe("Tbl");
  EXPECT_TRUE(LastBodyHas(
      R"("TableClassSummary":{"LastUpdateDateTime":1.700003E9,"TableClass":"STANDARD_INFREQUENT_ACCESS"})"));

  Ok(HandleUpdateTable, Update(R"("WarmThroughput":{"ReadUnitsPerSecond":15000})"));
  EXPECT_EQ(Str(Describe("Tbl")["Table"]["WarmThroughput"]),
            R"({"ReadUnitsPerSecond":15000,"Status":"ACTIVE","WriteUnitsPerSecond":0})");
  ExpectErrors(HandleUpdateTable,
               {{"warm decrease", Update(R"("WarmThroughput":{"ReadUnitsPerSecond":14000})"), kValidation,
                 "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
                 "WarmThroughput for table is lower than current WarmThroughput, decreasing "
                 "WarmThroughput is not supported"}});
}

const std::string kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl";

TEST_F(TableOpsTest, Tags) {
  Ok(HandleCreateTable, Create(kAb + "," + kHashARangeB + "," + kPt + R"(,"Tags":[{"Key":"k1","Value":"v1"}])"));
  Reply tagged = Call(HandleTagResource, R"({"ResourceArn":")" + kArn +
                                             R"(","Tags":[{"Key":"k2","Value":"v2"},{"Key":"k1","Value":"new"}]})");
  ASSERT_TRUE(tagged.status.ok()) << tagged.status.ToString();
  EXPECT_EQ(tagged.body, "");
  EXPECT_EQ(Str(Ok(HandleListTagsOfResource, R"({"ResourceArn":")" + kArn + R"("})")),
            R"({"Tags":[{"Key":"k1","Value":"new"},{"Key":"k2","Value":"v2"}]})");
  Reply untagged = Call(HandleUntagResource, R"({"ResourceArn":")" + kArn + R"(","TagKeys":["k1","nope"]})");
  ASSERT_TRUE(untagged.status.ok()) << untagged.status.ToString();
  EXPECT_EQ(Str(Ok(HandleListTagsOfResource, R"({"ResourceArn":")" + kArn + R"("})")),
            R"({"Tags":[{"Key":"k2","Value":"v2"}]})");

  const std::string invalid = "One or more parameter values were invalid: ";
  const std::string missing = "arn:aws:dynamodb:us-east-1:000000000000:table/Nope";
  ExpectErrors(HandleTagResource, {
      {"no ARN", R"({"Tags":[{"Key":"a","Value":"b"}]})", kValidation, "Invalid TableArn"},
      {"no ARN nor tags", R"({})", kValidation, "Invalid TableArn"},
      {"ARN form before tags", R"({"ResourceArn":"arn:aws"})", kValidation,
       "Invalid TableArn: Invalid ResourceArn provided as input arn:aws"},
      {"tags before the region",
       R"({"ResourceArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/Tbl"})", kValidation,
       "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member "
       "must not be null"},
      {"not an ARN", R"({"ResourceArn":"T","Tags":[{"Key":"a","Value":"b"}]})", kValidation,
       invalid + "ARNs must start with 'arn:': T"},
      {"other service", R"({"ResourceArn":"arn:aws:s3:us-east-1:000000000000:table/Tbl","Tags":[{"Key":"a","Value":"b"}]})",
       kValidation, invalid + "Provided Arn is not a DynamoDB resource arn: arn:aws:s3:us-east-1:000000000000:table/Tbl"},
      {"other region",
       R"({"ResourceArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/Tbl","Tags":[{"Key":"a","Value":"b"}]})",
       kValidation, "Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/Tbl"},
      {"index ARN", R"({"ResourceArn":")" + kArn + R"(/index/g","Tags":[{"Key":"a","Value":"b"}]})", kValidation,
       invalid + "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + kArn + "/index/g"},
      {"no tags", R"({"ResourceArn":")" + kArn + R"(","Tags":[]})", kValidation,
       "Atleast one Tag needs to be provided as Input."},
      {"missing table", R"({"ResourceArn":")" + missing + R"(","Tags":[{"Key":"a","Value":"b"}]})",
       ErrorCode::kResourceNotFound, "Requested resource not found: ResourcArn: " + missing + " not found"},
      {"reserved prefix", R"({"ResourceArn":")" + kArn + R"(","Tags":[{"Key":"aws:a","Value":"b"}]})", kValidation,
       "Tag Key cannot be prefixed with aws:, Key: aws:a"},
      {"bad value", R"({"ResourceArn":")" + kArn + R"(","Tags":[{"Key":"a","Value":"b%"}]})", kValidation,
       "The Tag Value provided is invalid, Value: b%"},
  });
  std::string tags;
  for (int i = 0; i < 50; i++) tags += std::string(i ? "," : "") + R"({"Key":"n)" + std::to_string(i) + R"(","Value":""})";
  ExpectErrors(HandleTagResource, {{"over 50 in all", R"({"ResourceArn":")" + kArn + R"(","Tags":[)" + tags + "]}",
                                    kValidation, "Number of Tags exceed the current limit for the provided ResourceArn"}});
  ExpectErrors(HandleUntagResource, {
      {"no key list", R"({"ResourceArn":")" + kArn + R"("})", kValidation,
       "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member "
       "must not be null"},
      {"no keys", R"({"ResourceArn":")" + kArn + R"(","TagKeys":[]})", kValidation,
       "Atleast one Tag Key needs to be provided as Input."},
      {"missing table", R"({"ResourceArn":")" + missing + R"(","TagKeys":["a"]})", ErrorCode::kResourceNotFound,
       "Requested resource not found"},
  });
  ExpectErrors(HandleListTagsOfResource, {
      {"no ARN", R"({})", kValidation, "Invalid TableArn"},
      {"other account", R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:111111111111:table/Tbl"})",
       ErrorCode::kResourceNotFound,
       "Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:111111111111:table/Tbl not found"},
      {"missing table", R"({"ResourceArn":")" + missing + R"("})", ErrorCode::kResourceNotFound,
       "Requested resource not found: ResourcArn: " + missing + " not found"},
  });
}

TEST_F(TableOpsTest, TimeToLive) {
  Ok(HandleCreateTable, Create(kAb + "," + kHashARangeB + "," + kPt));
  EXPECT_EQ(Str(Ok(HandleDescribeTimeToLive, R"({"TableName":"Tbl"})")),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
  ExpectErrors(HandleUpdateTimeToLive,
               {{"already disabled",
                 R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}})",
                 kValidation, "TimeToLive is already disabled"},
                {"missing table",
                 R"({"TableName":"Nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})",
                 ErrorCode::kResourceNotFound, "Requested resource not found: Table: Nope not found"}});
  // The front end converts "yes" to true.
  EXPECT_EQ(Str(Ok(HandleUpdateTimeToLive,
                   R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":"yes","AttributeName":"exp"}})")),
            R"({"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}})");
  EXPECT_EQ(Str(Ok(HandleDescribeTimeToLive, R"({"TableName":"Tbl"})")),
            R"({"TimeToLiveDescription":{"AttributeName":"exp","TimeToLiveStatus":"ENABLED"}})");
  ExpectErrors(HandleUpdateTimeToLive,
               {{"already enabled",
                 R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})",
                 kValidation, "TimeToLive is already enabled"},
                {"other attribute",
                 R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}})",
                 kValidation, "TimeToLive is active on a different AttributeName: current AttributeName is exp"},
                {"disable other attribute",
                 R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"ttl"}})",
                 kValidation, "TimeToLive is active on a different AttributeName: current AttributeName is exp"}});
  Ok(HandleUpdateTimeToLive, R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}})");
  EXPECT_EQ(Str(Ok(HandleDescribeTimeToLive, R"({"TableName":"Tbl"})")),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
}

TEST(ResolveTableNameTest, AcceptsOnlyThisAccountsTableArns) {
  EXPECT_EQ(ResolveTableName("Music"), "Music");
  EXPECT_EQ(ResolveTableName("arn:aws:dynamodb:us-east-1:000000000000:table/Music"), "Music");
  EXPECT_EQ(ResolveTableName("arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/x"),
            "arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/x");
  EXPECT_EQ(ResolveTableName("arn:aws:dynamodb:eu-west-1:000000000000:table/Music"),
            "arn:aws:dynamodb:eu-west-1:000000000000:table/Music");
}

TEST(DecodeCreateTableTest, ProducesTheDescriptionToCreate) {
  json::Document doc;
  ASSERT_TRUE(json::Parse(Create(kAbc + "," + kHashARangeB + "," + kPt +
                                 R"(,"GlobalSecondaryIndexes":[)" + Gsi("g", "c") + "]"),
                          &doc)
                  .ok());
  auto in = DecodeCreateTable(doc);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  const TableDescription& d = in->desc;
  EXPECT_EQ(d.table_name, "Tbl");
  EXPECT_EQ(d.billing_mode, BillingMode::kProvisioned);
  EXPECT_EQ(d.throughput.read_capacity_units, 5);
  ASSERT_EQ(d.global_secondary_indexes.size(), 1u);
  EXPECT_EQ(d.global_secondary_indexes[0].throughput.write_capacity_units, 1);
  EXPECT_TRUE(d.global_secondary_indexes[0].global);
  EXPECT_EQ(*d.AttributeType("b"), ScalarType::kN);
}

}  // namespace
}  // namespace dynemu
