#include "ops/shape_check.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "json/json.h"

// Expected texts for the operations dynalite knows were checked against a
// running dynalite (validations/*.js), except where a case says it differs on
// purpose (see the header comment of core/ops/shape_check.cc).

namespace dynemu {
namespace {

enum class Want { kOk, kSerialization, kValidation };

struct Case {
  const char* op;
  const char* body;
  Want want;
  const char* message;
};

Status Check(std::string_view op, std::string_view body) {
  json::Document doc;
  Status parsed = json::Parse(body, &doc);
  EXPECT_TRUE(parsed.ok()) << body;
  if (!parsed.ok()) return parsed;
  return CheckRequestShape(op, doc);
}

void ExpectCase(const Case& c) {
  SCOPED_TRACE(std::string(c.op) + " " + c.body);
  Status s = Check(c.op, c.body);
  switch (c.want) {
    case Want::kOk:
      EXPECT_TRUE(s.ok()) << s.ToString();
      return;
    case Want::kSerialization:
      EXPECT_EQ(s.code(), ErrorCode::kSerialization) << s.ToString();
      break;
    case Want::kValidation:
      EXPECT_EQ(s.code(), ErrorCode::kValidation) << s.ToString();
      break;
  }
  EXPECT_EQ(s.message(), c.message);
}

constexpr const char* kCast =
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
    "java.lang.Class are in module java.base of loader 'bootstrap')";

#define SER(op, body, msg) \
  Case { op, body, Want::kSerialization, msg }
#define VAL(op, body, msg) \
  Case { op, body, Want::kValidation, msg }
#define PASSES(op, body) \
  Case { op, body, Want::kOk, "" }

// ---------------------------------------------------------------------------
// Layer 1: types

const Case kTypeCases[] = {
    // CreateTable
    SER("CreateTable", R"({"AttributeDefinitions":"x"})", "Unexpected field type"),
    SER("CreateTable", R"({"AttributeDefinitions":[1]})", "Unexpected value type in payload"),
    SER("CreateTable", R"({"AttributeDefinitions":[[]]})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeDefinition"),
    SER("CreateTable", R"({"AttributeDefinitions":[{"AttributeType":2147483648}]})",
        "NUMBER_VALUE cannot be converted to String"),
    SER("CreateTable", R"({"ProvisionedThroughput":{"ReadCapacityUnits":"5"}})",
        "STRING_VALUE cannot be converted to Long"),
    SER("CreateTable", R"({"ProvisionedThroughput":{"WriteCapacityUnits":false}})",
        "FALSE_VALUE cannot be converted to Long"),
    SER("CreateTable", R"({"ProvisionedThroughput":[]})",
        "Unrecognized collection type class "
        "com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"),
    SER("CreateTable", R"({"ProvisionedThroughput":12})", "Unexpected field type"),
    SER("CreateTable", R"({"KeySchema":{}})", "Start of structure or map found where not expected"),
    SER("CreateTable", R"({"KeySchema":[{"KeyType":{}}]})",
        "Start of structure or map found where not expected"),
    SER("CreateTable", R"({"LocalSecondaryIndexes":[{"Projection":{"NonKeyAttributes":[true]}}]})",
        "TRUE_VALUE cannot be converted to String"),
    SER("CreateTable", R"({"GlobalSecondaryIndexes":[{"IndexName":34.56}]})",
        "DECIMAL_VALUE cannot be converted to String"),
    SER("CreateTable", R"({"BillingMode":[]})",
        "Unrecognized collection type class java.lang.String"),
    // DescribeTable, DeleteTable, DescribeTimeToLive
    SER("DescribeTable", R"({"TableName":23})", "NUMBER_VALUE cannot be converted to String"),
    SER("DescribeTable", R"({"TableName":1.0})", "NUMBER_VALUE cannot be converted to String"),
    SER("DeleteTable", R"({"TableName":false})", "FALSE_VALUE cannot be converted to String"),
    SER("DescribeTimeToLive", R"({"TableName":{}})",
        "Start of structure or map found where not expected"),
    // ListTables
    SER("ListTables", R"({"Limit":"5"})", "STRING_VALUE cannot be converted to Integer"),
    SER("ListTables", R"({"Limit":true})", "TRUE_VALUE cannot be converted to Integer"),
    SER("ListTables", R"({"Limit":[]})", "Unrecognized collection type class java.lang.Integer"),
    SER("ListTables", R"({"ExclusiveStartTableName":-2147483648})",
        "NUMBER_VALUE cannot be converted to String"),
    // UpdateTable
    SER("UpdateTable", R"({"GlobalSecondaryIndexUpdates":[{"Create":"x"}]})",
        "Unexpected field type"),
    SER("UpdateTable", R"({"GlobalSecondaryIndexUpdates":[{"Update":[]}]})",
        "Unrecognized collection type class "
        "com.amazonaws.dynamodb.v20120810.UpdateGlobalSecondaryIndexAction"),
    SER("UpdateTable",
        R"({"GlobalSecondaryIndexUpdates":[{"Create":{"ProvisionedThroughput":{"ReadCapacityUnits":[]}}}]})",
        "Unrecognized collection type class java.lang.Long"),
    // PutItem and the AttributeValue structure
    SER("PutItem", R"({"Item":"x"})", "Unexpected field type"),
    SER("PutItem", R"({"Item":[]})",
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    SER("PutItem", R"({"Item":{"a":"x"}})", "Unexpected value type in payload"),
    SER("PutItem", R"({"Item":{"a":[]}})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"),
    SER("PutItem", R"({"Item":{"a":{"S":1}}})", "NUMBER_VALUE cannot be converted to String"),
    SER("PutItem", R"({"Item":{"a":{"N":true}}})", "TRUE_VALUE cannot be converted to String"),
    SER("PutItem", R"({"Item":{"a":{"B":"abc"}}})",
        "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
    SER("PutItem", R"({"Item":{"a":{"B":"AB=="}}})",
        "Invalid last non-pad Base64 character dectected"),
    SER("PutItem", R"({"Item":{"a":{"B":"=+/="}}})",
        "Invalid last non-pad Base64 character dectected"),
    SER("PutItem", R"({"Item":{"a":{"B":12}}})",
        "only base-64-encoded strings are convertible to bytes"),
    SER("PutItem", R"({"Item":{"a":{"B":[]}}})",
        "Unrecognized collection type class java.nio.ByteBuffer"),
    SER("PutItem", R"({"Item":{"a":{"BOOL":"maybe"}}})", "Unexpected token received from parser"),
    SER("PutItem", R"({"Item":{"a":{"NULL":5}}})", "NUMBER_VALUE cannot be converted to Boolean"),
    SER("PutItem", R"({"Item":{"a":{"NULL":[]}}})",
        "Unrecognized collection type class java.lang.Boolean"),
    SER("PutItem", R"({"Item":{"a":{"SS":"x"}}})", "Unexpected field type"),
    SER("PutItem", R"({"Item":{"a":{"NS":[[]]}}})",
        "Unrecognized collection type class java.lang.String"),
    SER("PutItem", R"({"Item":{"a":{"BS":[1]}}})",
        "only base-64-encoded strings are convertible to bytes"),
    SER("PutItem", R"({"Item":{"a":{"L":[5]}}})", "Unexpected value type in payload"),
    SER("PutItem", R"({"Item":{"a":{"M":[]}}})",
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    SER("PutItem", R"({"Item":{"a":{"M":{"b":{"L":[{"BS":["AAAA","é"]}]}}}}})",
        "Base64 encoded length is expected a multiple of 4 bytes but found: 1"),
    // Members are checked in the service's order: B before N in an AttributeValue.
    SER("PutItem", R"({"Item":{"a":{"N":1,"B":1}}})",
        "only base-64-encoded strings are convertible to bytes"),
    SER("PutItem", R"({"Expected":{"a":{"Exists":1.5}}})",
        "DECIMAL_VALUE cannot be converted to Boolean"),
    SER("PutItem", R"({"Expected":{"a":{"Value":"x"}}})", "Unexpected field type"),
    SER("PutItem", R"({"ExpressionAttributeNames":[]})",
        "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"),
    SER("PutItem", R"({"ExpressionAttributeNames":{"#a":5}})",
        "NUMBER_VALUE cannot be converted to String"),
    // GetItem, DeleteItem, UpdateItem
    SER("GetItem", R"({"ConsistentRead":"nope"})", "Unexpected token received from parser"),
    SER("GetItem", R"({"AttributesToGet":{}})",
        "Start of structure or map found where not expected"),
    SER("GetItem", R"({"Key":{"a":{"SS":[true]}}})", "TRUE_VALUE cannot be converted to String"),
    SER("DeleteItem", R"({"ReturnValues":false})", "FALSE_VALUE cannot be converted to String"),
    SER("DeleteItem", R"({"Expected":{"a":{"AttributeValueList":[[]]}}})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"),
    SER("UpdateItem", R"({"AttributeUpdates":{"a":5}})", "Unexpected value type in payload"),
    SER("UpdateItem", R"({"AttributeUpdates":{"a":{"Action":5}}})",
        "NUMBER_VALUE cannot be converted to String"),
    SER("UpdateItem", R"({"AttributeUpdates":[]})",
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValueUpdate>"),
    // Query, Scan
    SER("Query", R"({"KeyConditions":{"a":{"AttributeValueList":{}}}})",
        "Start of structure or map found where not expected"),
    SER("Query", R"({"KeyConditions":{"a":[]}})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Condition"),
    SER("Query", R"({"Limit":true})", "TRUE_VALUE cannot be converted to Integer"),
    SER("Query", R"({"ScanIndexForward":[]})",
        "Unrecognized collection type class java.lang.Boolean"),
    SER("Query", R"({"ExclusiveStartKey":{"a":{"N":{}}}})",
        "Start of structure or map found where not expected"),
    SER("Scan", R"({"Segment":"1"})", "STRING_VALUE cannot be converted to Integer"),
    SER("Scan", R"({"ScanFilter":{"a":{"ComparisonOperator":23}}})",
        "NUMBER_VALUE cannot be converted to String"),
    // BatchGetItem, BatchWriteItem: collections inside collections
    SER("BatchGetItem", R"({"RequestItems":{"abc":{"Keys":["x"]}}})", kCast),
    SER("BatchGetItem", R"({"RequestItems":{"abc":{"Keys":[[]]}}})",
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    SER("BatchGetItem", R"({"RequestItems":{"abc":[]}})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes"),
    SER("BatchGetItem", R"({"RequestItems":{"abc":{"Keys":[{"a":{"B":"AAA"}}]}}})",
        "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
    SER("BatchWriteItem", R"({"RequestItems":{"abc":"x"}})", kCast),
    SER("BatchWriteItem", R"({"RequestItems":{"abc":{}}})",
        "Start of structure or map found where not expected"),
    SER("BatchWriteItem", R"({"RequestItems":[]})",
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>"),
    SER("BatchWriteItem", R"({"RequestItems":{"abc":[[]]}})",
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.WriteRequest"),
    SER("BatchWriteItem", R"({"RequestItems":{"abc":[{"PutRequest":5}]}})",
        "Unexpected field type"),
    // Tags
    SER("TagResource", R"({"Tags":[5]})", "Unexpected value type in payload"),
    SER("TagResource", R"({"Tags":[{"Key":true}]})", "TRUE_VALUE cannot be converted to String"),
    SER("UntagResource", R"({"TagKeys":"x"})", "Unexpected field type"),
    SER("UntagResource", R"({"TagKeys":[{}]})",
        "Start of structure or map found where not expected"),
    SER("ListTagsOfResource", R"({"ResourceArn":[]})",
        "Unrecognized collection type class java.lang.String"),
    // Operations dynalite does not know use the same rules.
    SER("UpdateTimeToLive", R"({"TimeToLiveSpecification":{"Enabled":"sometimes"}})",
        "Unexpected token received from parser"),
    SER("TransactWriteItems", R"({"TransactItems":[{"Put":{"Item":{"a":{"L":{}}}}}]})",
        "Start of structure or map found where not expected"),
    SER("ListBackups", R"({"TimeRangeLowerBound":"yesterday"})",
        "STRING_VALUE cannot be converted to Date"),
};

TEST(ShapeCheckTest, TypeErrors) {
  for (const Case& c : kTypeCases) ExpectCase(c);
}

TEST(ShapeCheckTest, TypeErrorsComeBeforeConstraints) {
  // TableName is missing (a constraint) but Limit has the wrong type.
  ExpectCase(SER("Query", R"({"Limit":"1"})", "STRING_VALUE cannot be converted to Integer"));
}

TEST(ShapeCheckTest, UnknownMembersAndNullsAreIgnored) {
  ExpectCase(PASSES("DescribeTable", R"({"TableName":"abc","Bogus":{"x":[1,2]},"tablename":5})"));
  ExpectCase(
      PASSES("PutItem", R"({"TableName":"abc","Item":{"a":{"S":"x","Junk":[]}},"Expected":null})"));
  // (dynalite: "The parameter 'TableName' is required...", see below.)
  ExpectCase(VAL("DescribeTable", R"({"TableName":null})",
                 "1 validation error detected: Value null at 'tableName' failed to satisfy "
                 "constraint: Member must not be null"));
  // Null AttributeValue members and null list elements are absent, not wrong.
  ExpectCase(PASSES("PutItem", R"({"TableName":"abc","Item":{"a":{"S":null,"L":[null]}}})"));
}

// Members are checked in the model's order whatever their order in the body, and
// a repeated member is read from its first occurrence (as json::FindMember reads it).
TEST(ShapeCheckTest, MembersInModelOrderFromTheirFirstOccurrence) {
  ExpectCase(VAL("DescribeTable", R"({"TableName":null,"TableName":"abc"})",
                 "1 validation error detected: Value null at 'tableName' failed to satisfy "
                 "constraint: Member must not be null"));
  ExpectCase(PASSES("DescribeTable", R"({"TableName":"abc","TableName":null})"));
  ExpectCase(PASSES("DescribeTable", R"({"TableName":"abc","TableName":5})"));
  ExpectCase(SER("DescribeTable", R"({"TableName":5,"TableName":"abc"})",
                 "NUMBER_VALUE cannot be converted to String"));
  ExpectCase(SER("Query", R"({"Limit":true,"TableName":1})",
                 "NUMBER_VALUE cannot be converted to String"));
  ExpectCase(SER("Query", R"({"TableName":"abc","ExclusiveStartKey":{"a":{"N":true,"S":1}}})",
                 "NUMBER_VALUE cannot be converted to String"));
  ExpectCase(VAL("Query", R"({"Select":"x","Limit":0,"TableName":"a"})",
                 "3 validation errors detected: Value 'x' at 'select' failed to satisfy "
                 "constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, "
                 "ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value 'a' at 'tableName' failed to "
                 "satisfy constraint: Member must have length greater than or equal to 3; "
                 "Value '0' at 'limit' failed to satisfy constraint: Member must have value "
                 "greater than or equal to 1"));
}

TEST(ShapeCheckTest, ConvertibleValuesPass) {
  // Coral converts these; so does dynalite.
  ExpectCase(PASSES("GetItem", R"({"TableName":"abc","Key":{},"ConsistentRead":"YES"})"));
  ExpectCase(PASSES("PutItem", R"({"TableName":"abc","Item":{"a":{"BOOL":"0","NULL":"true"}}})"));
  ExpectCase(PASSES("ListTables", R"({"Limit":1.5})"));
  ExpectCase(PASSES("PutItem",
                    R"({"TableName":"abc","Item":{"a":{"B":"","BS":["AAAA","AA==","AAA="]}}})"));
}

// Coral's answers (dynalite reads an array or a scalar as {} and crashes on null).
TEST(ShapeCheckTest, NonObjectBodies) {
  ExpectCase(SER("ListTables", "[]", "Start of list found where not expected"));
  ExpectCase(SER("PutItem", R"([{"TableName":"abc"}])", "Start of list found where not expected"));
  for (const char* body : {"\"x\"", "5", "true", "null"}) {
    ExpectCase(SER("ListTables", body, ""));
  }
}

// ---------------------------------------------------------------------------
// Layer 2: constraints

const Case kConstraintCases[] = {
    // CreateTable
    VAL("CreateTable", R"({"TableName":"abc;"})",
        "3 validation errors detected: "
        "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be "
        "null; "
        "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+; "
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null"),
    VAL("CreateTable",
        R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"X"}],)"
        R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"KeyType":"RANGE"},)"
        R"({"AttributeName":"c","KeyType":"X"}],"ProvisionedThroughput":{"ReadCapacityUnits":0,)"
        R"("WriteCapacityUnits":0}})",
        "6 validation errors detected: "
        "Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [B, N, S]; "
        "Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value '[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}, {\"KeyType\":\"RANGE\"}, "
        "{\"AttributeName\":\"c\",\"KeyType\":\"X\"}]' at 'keySchema' failed to satisfy "
        "constraint: Member must have length less than or equal to 2; "
        "Value null at 'keySchema.2.member.attributeName' failed to satisfy constraint: Member "
        "must not be null; "
        "Value 'X' at 'keySchema.3.member.keyType' failed to satisfy constraint: Member must "
        "satisfy enum value set: [HASH, RANGE]"),
    VAL("CreateTable",
        R"({"TableName":"abc","AttributeDefinitions":[],"KeySchema":[],)"
        R"("LocalSecondaryIndexes":[{"IndexName":"i;","KeySchema":[{}],"Projection":)"
        R"({"ProjectionType":"SOME","NonKeyAttributes":[]}}]})",
        "7 validation errors detected: "
        "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length "
        "greater than or equal to 1; "
        "Value 'i;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'i;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3; "
        "Value null at 'localSecondaryIndexes.1.member.keySchema.1.member.attributeName' failed "
        "to satisfy constraint: Member must not be null; "
        "Value null at 'localSecondaryIndexes.1.member.keySchema.1.member.keyType' failed to "
        "satisfy constraint: Member must not be null; "
        "Value 'SOME' at 'localSecondaryIndexes.1.member.projection.projectionType' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]; "
        "Value '[]' at 'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1"),
    // ListTables
    VAL("ListTables", R"({"Limit":0.5,"ExclusiveStartTableName":""})",
        "3 validation errors detected: "
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than "
        "or equal to 1; "
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy "
        "regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have "
        "length greater than or equal to 3"),
    VAL("ListTables", R"({"Limit":101.7})",
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"),
    // UpdateTable
    VAL("UpdateTable",
        R"({"TableName":"abc","GlobalSecondaryIndexUpdates":[{"Delete":{}},)"
        R"({"Update":{"IndexName":"abc","ProvisionedThroughput":{"WriteCapacityUnits":0.5}}}]})",
        "3 validation errors detected: "
        "Value null at 'globalSecondaryIndexUpdates.1.member.delete.indexName' failed to "
        "satisfy constraint: Member must not be null; "
        "Value '0' at 'globalSecondaryIndexUpdates.2.member.update.provisionedThroughput."
        "writeCapacityUnits' failed to satisfy constraint: Member must have value greater than "
        "or equal to 1; "
        "Value null at 'globalSecondaryIndexUpdates.2.member.update.provisionedThroughput."
        "readCapacityUnits' failed to satisfy constraint: Member must not be null"),
    // PutItem
    VAL("PutItem", R"({})",
        "2 validation errors detected: "
        "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
        "Value null at 'item' failed to satisfy constraint: Member must not be null"),
    VAL("PutItem",
        R"({"TableName":"abc","Item":{},"ReturnValues":"x","ConditionalOperator":"x",)"
        R"("ReturnConsumedCapacity":"x","ReturnItemCollectionMetrics":"x",)"
        R"("Expected":{"a":{"ComparisonOperator":"x"}}})",
        "5 validation errors detected: "
        "Value 'x' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
        "satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'x' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy "
        "enum value set: [OR, AND]; "
        "Value 'x' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, "
        "NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; "
        "Value 'x' at 'returnValues' failed to satisfy constraint: Member must satisfy enum "
        "value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
        "Value 'x' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must "
        "satisfy enum value set: [SIZE, NONE]"),
    // GetItem
    VAL("GetItem", R"({"TableName":"abc","Key":{},"AttributesToGet":[]})",
        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1"),
    VAL("GetItem", R"({"TableName":"a","AttributesToGet":["a","b"],"ReturnConsumedCapacity":"T"})",
        "3 validation errors detected: "
        "Value 'T' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
        "satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value 'a' at 'tableName' failed to satisfy constraint: Member must have length "
        "greater than or equal to 3; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null"),
    // DeleteItem
    VAL("DeleteItem", R"({"TableName":"abc","Key":{},"ReturnValues":"ALL"})",
        "1 validation error detected: Value 'ALL' at 'returnValues' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, "
        "UPDATED_NEW]"),
    // UpdateItem
    VAL("UpdateItem", R"({"TableName":"ab;","ReturnItemCollectionMetrics":"ALL"})",
        "3 validation errors detected: "
        "Value 'ab;' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must "
        "satisfy enum value set: [SIZE, NONE]; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null"),
    // Query
    VAL("Query",
        R"({"TableName":"abc","KeyConditions":{"a":{"AttributeValueList":[{"S":"x"}]}},)"
        R"("QueryFilter":{"b":{"ComparisonOperator":"LIKE"}},"Select":"x","Limit":0,)"
        R"("IndexName":"ix"})",
        "5 validation errors detected: "
        "Value 'x' at 'select' failed to satisfy constraint: Member must satisfy enum value "
        "set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
        "Value 'ix' at 'indexName' failed to satisfy constraint: Member must have length "
        "greater than or equal to 3; "
        "Value 'LIKE' at 'queryFilter.b.member.comparisonOperator' failed to satisfy "
        "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, "
        "EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; "
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than "
        "or equal to 1; "
        "Value null at 'keyConditions.a.member.comparisonOperator' failed to satisfy "
        "constraint: Member must not be null"),
    // Scan
    VAL("Scan", R"({"TableName":"abc","Segment":-1,"TotalSegments":0,"Limit":-5})",
        "3 validation errors detected: "
        "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value "
        "greater than or equal to 1; "
        "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater "
        "than or equal to 0; "
        "Value '-5' at 'limit' failed to satisfy constraint: Member must have value greater "
        "than or equal to 1"),
    // BatchGetItem: the map and its keys are shown as dynalite shows them, after
    // conversion ("yes" is true) and without unknown members.
    VAL("BatchGetItem", R"({"RequestItems":{}})",
        "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1"),
    VAL("BatchGetItem",
        R"({"RequestItems":{"a":{"Keys":[{"a":{"S":"x"}}],"ConsistentRead":"yes","Junk":1}}})",
        "1 validation error detected: Value '{\"a\":{\"Keys\":[{\"a\":{\"S\":\"x\"}}],"
        "\"ConsistentRead\":true}}' at 'requestItems' failed to satisfy constraint: Map keys "
        "must satisfy constraint: [Member must have length less than or equal to 255, Member "
        "must have length greater than or equal to 3, Member must satisfy regular expression "
        "pattern: [a-zA-Z0-9_.-]+]"),
    VAL("BatchGetItem", R"({"RequestItems":{"abc":{"Keys":[],"AttributesToGet":[]}}})",
        "2 validation errors detected: "
        "Value '[]' at 'requestItems.abc.member.keys' failed to satisfy constraint: Member must "
        "have length greater than or equal to 1; "
        "Value '[]' at 'requestItems.abc.member.attributesToGet' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"),
    VAL("BatchGetItem", R"({"RequestItems":{"abc":{}}})",
        "1 validation error detected: Value null at 'requestItems.abc.member.keys' failed to "
        "satisfy constraint: Member must not be null"),
    // BatchWriteItem
    VAL("BatchWriteItem",
        R"({"RequestItems":{"abc":[{"PutRequest":{}},{"DeleteRequest":{"Key":{}}},{}],"a;":[]}})",
        "3 validation errors detected: "
        "Value '{\"abc\":[{\"PutRequest\":{}},{\"DeleteRequest\":{\"Key\":{}}},{}],\"a;\":[]}' "
        "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
        "[Member must have length less than or equal to 255, Member must have length greater "
        "than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; "
        "Value '{\"abc\":[{\"PutRequest\":{}},{\"DeleteRequest\":{\"Key\":{}}},{}],\"a;\":[]}' "
        "at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 25, Member must have length greater "
        "than or equal to 1]; "
        "Value null at 'requestItems.abc.member.1.member.putRequest.item' failed to satisfy "
        "constraint: Member must not be null"),
    VAL("BatchWriteItem",
        R"({"RequestItems":{"abc":[{"PutRequest":{"Item":{"a":{"S":"x\n\u0001\"\\é","BOOL":"YES","N":"1"}}}}],"ab":[{"DeleteRequest":{"Key":{}}}]}})",
        "1 validation error detected: Value '{\"abc\":[{\"PutRequest\":{\"Item\":{\"a\":{\"S\":"
        "\"x\\n\\u0001\\\"\\\\é\",\"N\":\"1\",\"BOOL\":true}}}}],\"ab\":[{\"DeleteRequest\":"
        "{\"Key\":{}}}]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy "
        "constraint: [Member must have length less than or equal to 255, Member must have "
        "length greater than or equal to 3, Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+]"),
    // Operations dynalite does not know, from the model alone.
    VAL("UpdateTimeToLive", R"({"TableName":"abc"})",
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy "
        "constraint: Member must not be null"),
    VAL("UpdateTimeToLive",
        R"({"TableName":"abc","TimeToLiveSpecification":{"Enabled":"true","AttributeName":""}})",
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1"),
    VAL("TransactWriteItems", R"({"TransactItems":[]})",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1"),
    VAL("CreateBackup", R"({"TableName":"abc","BackupName":"my backup"})",
        "1 validation error detected: Value 'my backup' at 'backupName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    VAL("ListImports", R"({"NextToken":"xyz","PageSize":26})",
        "3 validation errors detected: "
        "Value '26' at 'pageSize' failed to satisfy constraint: Member must have value less "
        "than or equal to 25; "
        "Value 'xyz' at 'nextToken' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: ([0-9a-f]{16})+; "
        "Value 'xyz' at 'nextToken' failed to satisfy constraint: Member must have length "
        "greater than or equal to 112"),
    PASSES(
        "ListImports",
        R"({"NextToken":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})"),
};

TEST(ShapeCheckTest, ConstraintErrors) {
  for (const Case& c : kConstraintCases) ExpectCase(c);
}

TEST(ShapeCheckTest, ValidRequestsPass) {
  const Case kValid[] = {
      PASSES(
          "CreateTable",
          R"({"TableName":"Music","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],)"
          R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
          R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"a",)"
          R"("KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["b"]}}]})"),
      PASSES(
          "BatchWriteItem",
          R"({"RequestItems":{"Music":[{"PutRequest":{"Item":{"a":{"S":"x"},"b":{"M":{"c":{"L":[{"N":"1"},{"BS":["AQID"]}]}}}}}}]}})"),
      PASSES(
          "Query",
          R"({"TableName":"Music","KeyConditionExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}})"),
      PASSES("ListTables", "{}"),
      PASSES("DescribeEndpoints", "{}"),
      PASSES("TagResource", "{}"),  // ResourceArn and Tags are the operation's to check
      PASSES("UntagResource", R"({"ResourceArn":""})"),
      PASSES("ListTagsOfResource", "{}"),
  };
  for (const Case& c : kValid) ExpectCase(c);
}

// Where dynemu answers as DynamoDB does today rather than as dynalite does.
TEST(ShapeCheckTest, DeliberateDifferencesFromDynalite) {
  // dynalite: "The parameter 'TableName' is required but was not present in the request"
  ExpectCase(VAL("DescribeTable", "{}",
                 "1 validation error detected: Value null at 'tableName' failed to satisfy "
                 "constraint: Member must not be null"));
  // dynalite: "TableName must be at least 3 characters long and at most 255 characters long"
  ExpectCase(VAL("DeleteTable", R"({"TableName":"ab"})",
                 "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
                 "constraint: Member must have length greater than or equal to 3"));
  const std::string long_name(256, 'a');
  ExpectCase(
      VAL("CreateTable",
          (R"({"TableName":")" + long_name +
           R"(","AttributeDefinitions":[],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]})")
              .c_str(),
          ("1 validation error detected: Value '" + long_name +
           "' at 'tableName' failed to satisfy constraint: Member must have length less "
           "than or equal to 255")
              .c_str()));
  // A table ARN is a table name, as DynamoDB accepts them today.
  ExpectCase(PASSES("DescribeTable",
                    R"({"TableName":"arn:aws:dynamodb:us-east-1:123456789012:table/Music"})"));
  ExpectCase(PASSES(
      "BatchGetItem",
      R"({"RequestItems":{"arn:aws:dynamodb:us-east-1:123456789012:table/Music":{"Keys":[{"a":{"S":"x"}}]}}})"));
  std::string long_arn = "arn:" + std::string(1021, 'x');
  ExpectCase(VAL("GetItem", (R"({"Key":{},"TableName":")" + long_arn + R"("})").c_str(),
                 ("1 validation error detected: Value '" + long_arn +
                  "' at 'tableName' failed to satisfy constraint: Member must have length less "
                  "than or equal to 1024")
                     .c_str()));
  // Constraints of the model that dynalite does not know.
  ExpectCase(VAL("Scan", R"({"TableName":"abc","Segment":1000000,"TotalSegments":1000001})",
                 "2 validation errors detected: "
                 "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must "
                 "have value less than or equal to 1000000; "
                 "Value '1000000' at 'segment' failed to satisfy constraint: Member must have "
                 "value less than or equal to 999999"));
  // The model requires a tag's Key and Value (dynalite looks the table up first).
  ExpectCase(VAL("TagResource",
                 R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:1:table/abc","Tags":[{}]})",
                 "2 validation errors detected: "
                 "Value null at 'tags.1.member.key' failed to satisfy constraint: Member must "
                 "not be null; "
                 "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must "
                 "not be null"));
  ExpectCase(VAL("UpdateItem",
                 R"({"TableName":"abc","Key":{},"AttributeUpdates":{"a":{"Action":"SET"}}})",
                 "1 validation error detected: Value 'SET' at 'attributeUpdates.a.member.action' "
                 "failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, "
                 "DELETE]"));
}

TEST(ShapeCheckTest, AtMostTenErrors) {
  // 3 attribute definitions x 2 missing members, a bad name, a bad billing mode,
  // a long key schema and its missing members: more than 10 violations.
  Status s = Check("CreateTable",
                   R"({"TableName":"a","AttributeDefinitions":[{},{},{}],"KeySchema":[{},{},{}],)"
                   R"("LocalSecondaryIndexes":[{}],"BillingMode":"x"})");
  ASSERT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(),
            "10 validation errors detected: "
            "Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy "
            "constraint: Member must not be null; "
            "Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
            "constraint: Member must not be null; "
            "Value null at 'attributeDefinitions.2.member.attributeName' failed to satisfy "
            "constraint: Member must not be null; "
            "Value null at 'attributeDefinitions.2.member.attributeType' failed to satisfy "
            "constraint: Member must not be null; "
            "Value null at 'attributeDefinitions.3.member.attributeName' failed to satisfy "
            "constraint: Member must not be null; "
            "Value null at 'attributeDefinitions.3.member.attributeType' failed to satisfy "
            "constraint: Member must not be null; "
            "Value 'a' at 'tableName' failed to satisfy constraint: Member must have length "
            "greater than or equal to 3; "
            "Value 'x' at 'billingMode' failed to satisfy constraint: Member must satisfy enum "
            "value set: [PROVISIONED, PAY_PER_REQUEST]; "
            "Value '[{}, {}, {}]' at 'keySchema' failed to satisfy constraint: Member must have "
            "length less than or equal to 2; "
            "Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: "
            "Member must not be null");

  // Many bad map keys still give 10.
  std::string body = R"({"RequestItems":{)";
  for (int i = 0; i < 30; i++) {
    if (i > 0) body += ",";
    body += "\"t" + std::to_string(i % 10) + std::string(i / 10, ';') + R"(":{"Keys":[{}]})";
  }
  body += "}}";
  s = Check("BatchGetItem", body);
  ASSERT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message().rfind("10 validation errors detected: ", 0), 0u);
  size_t parts = 1;
  for (size_t p = s.message().find("; "); p != std::string::npos;
       p = s.message().find("; ", p + 2)) {
    parts++;
  }
  EXPECT_EQ(parts, 10u);
}

TEST(ShapeCheckTest, ModeledOperations) {
  const char* kAll[] = {"BatchExecuteStatement",
                        "BatchGetItem",
                        "BatchWriteItem",
                        "CreateBackup",
                        "CreateGlobalTable",
                        "CreateTable",
                        "DeleteBackup",
                        "DeleteItem",
                        "DeleteResourcePolicy",
                        "DeleteTable",
                        "DescribeBackup",
                        "DescribeContinuousBackups",
                        "DescribeContributorInsights",
                        "DescribeEndpoints",
                        "DescribeExport",
                        "DescribeGlobalTable",
                        "DescribeGlobalTableSettings",
                        "DescribeImport",
                        "DescribeKinesisStreamingDestination",
                        "DescribeLimits",
                        "DescribeTable",
                        "DescribeTableReplicaAutoScaling",
                        "DescribeTimeToLive",
                        "DisableKinesisStreamingDestination",
                        "EnableKinesisStreamingDestination",
                        "ExecuteStatement",
                        "ExecuteTransaction",
                        "ExportTableToPointInTime",
                        "GetItem",
                        "GetResourcePolicy",
                        "ImportTable",
                        "ListBackups",
                        "ListContributorInsights",
                        "ListExports",
                        "ListGlobalTables",
                        "ListImports",
                        "ListTables",
                        "ListTagsOfResource",
                        "PutItem",
                        "PutResourcePolicy",
                        "Query",
                        "RestoreTableFromBackup",
                        "RestoreTableToPointInTime",
                        "Scan",
                        "TagResource",
                        "TransactGetItems",
                        "TransactWriteItems",
                        "UntagResource",
                        "UpdateContinuousBackups",
                        "UpdateContributorInsights",
                        "UpdateGlobalTable",
                        "UpdateGlobalTableSettings",
                        "UpdateItem",
                        "UpdateKinesisStreamingDestination",
                        "UpdateTable",
                        "UpdateTableReplicaAutoScaling",
                        "UpdateTimeToLive"};
  for (const char* op : kAll) EXPECT_TRUE(IsModeledOperation(op)) << op;
  for (const char* op : {"", "putItem", "PutItems", "DescribeStream", "GetRecords"}) {
    EXPECT_FALSE(IsModeledOperation(op)) << op;
  }
  // Outside the model nothing is checked.
  json::Document doc;
  ASSERT_TRUE(json::Parse("[1]", &doc).ok());
  EXPECT_TRUE(CheckRequestShape("NoSuchOperation", doc).ok());
}

TEST(ShapeCheckTest, ConvertedValueReaders) {
  json::Document doc;
  ASSERT_TRUE(json::Parse(R"([true,false,"Yes","no","1","0","TRUE","x",1,null])", &doc).ok());
  const json::Value& a = doc;
  EXPECT_EQ(ShapeBoolean(a[0]), true);
  EXPECT_EQ(ShapeBoolean(a[1]), false);
  EXPECT_EQ(ShapeBoolean(a[2]), true);
  EXPECT_EQ(ShapeBoolean(a[3]), false);
  EXPECT_EQ(ShapeBoolean(a[4]), true);
  EXPECT_EQ(ShapeBoolean(a[5]), false);
  EXPECT_EQ(ShapeBoolean(a[6]), true);
  EXPECT_EQ(ShapeBoolean(a[7]), std::nullopt);
  EXPECT_EQ(ShapeBoolean(a[8]), std::nullopt);
  EXPECT_EQ(ShapeBoolean(a[9]), std::nullopt);

  ASSERT_TRUE(
      json::Parse(R"([5,-2.5,2.7,1e30,"5",9223372036854775807,18446744073709551615])", &doc).ok());
  const json::Value& n = doc;
  EXPECT_EQ(ShapeInteger(n[0]), 5);
  EXPECT_EQ(ShapeInteger(n[1]), -3);
  EXPECT_EQ(ShapeInteger(n[2]), 2);
  EXPECT_EQ(ShapeInteger(n[3]), std::nullopt);
  EXPECT_EQ(ShapeInteger(n[4]), std::nullopt);
  EXPECT_EQ(ShapeInteger(n[5]), INT64_MAX);
  EXPECT_EQ(ShapeInteger(n[6]), std::nullopt);
}

// ---------------------------------------------------------------------------
// Robustness: any JSON, never a crash, a throw or unbounded recursion.

TEST(ShapeCheckTest, DeepAttributeValues) {
  // 47 levels of L: 97 JSON levels in all, within json::kMaxDepth (100).
  std::string open, close;
  for (int i = 0; i < 47; i++) {
    open += R"({"L":[)";
    close += "]}";
  }
  std::string body = R"({"TableName":"abc","Item":{"a":)" + open + R"({"S":"x"})" + close + "}}";
  ExpectCase(PASSES("PutItem", body.c_str()));
  body = R"({"TableName":"abc","Item":{"a":)" + open + R"({"S":5})" + close + "}}";
  ExpectCase(SER("PutItem", body.c_str(), "NUMBER_VALUE cannot be converted to String"));
}

TEST(ShapeCheckTest, ValuesBuiltDeeperThanTheParserAllows) {
  // A Value that json::Parse would refuse: the walk stops instead of recursing.
  json::Document doc;
  doc.SetObject();
  auto& alloc = doc.GetAllocator();
  json::Value inner(rapidjson::kObjectType);
  inner.AddMember("S", "x", alloc);
  for (int i = 0; i < 20000; i++) {
    json::Value list(rapidjson::kArrayType);
    list.PushBack(inner, alloc);
    json::Value av(rapidjson::kObjectType);
    av.AddMember("L", list, alloc);
    inner = av;
  }
  json::Value item(rapidjson::kObjectType);
  item.AddMember("a", inner, alloc);
  doc.AddMember("TableName", "abc", alloc);
  doc.AddMember("Item", item, alloc);
  Status s;
  EXPECT_NO_THROW(s = CheckRequestShape("PutItem", doc));
  EXPECT_EQ(s.code(), ErrorCode::kSerialization);
}

// Random JSON made of the model's own member names, so that it reaches deep into
// the shapes, thrown at every operation.
class RandomJson {
 public:
  explicit RandomJson(uint32_t seed) : rng_(seed) {}

  // An object of 0..4 members with the model's member names.
  std::string Object(int depth) {
    std::string s = "{";
    int n = Pick(5);
    for (int i = 0; i < n; i++) {
      if (i > 0) s += ",";
      s += Key() + ":" + Value(depth + 1);
    }
    return s + "}";
  }

  std::string Value(int depth) {
    int kind = Pick(depth > 8 ? 6 : 9);
    switch (kind) {
      case 0:
        return "null";
      case 1:
        return Pick(2) ? "true" : "false";
      case 2:
        return std::to_string(static_cast<int64_t>(rng_()) - (1LL << 31));
      case 3:
        return Pick(2) ? "1.5" : "-0.25e3";
      case 4:
      case 5:
        return String();
      case 6:
      case 7:
        return Object(depth);
      default: {
        std::string s = "[";
        int n = Pick(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) s += ",";
          s += Value(depth + 1);
        }
        return s + "]";
      }
    }
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  std::string String() {
    static const char* kStrings[] = {"\"\"",
                                     "\"abc\"",
                                     "\"a;b\"",
                                     "\"AAAA\"",
                                     "\"AB==\"",
                                     "\"yes\"",
                                     "\"HASH\"",
                                     "\"ALL\"",
                                     "\"arn:aws:dynamodb:us-east-1:1:table/x\"",
                                     "\"\\u00e9\\u0000\"",
                                     "\"1\"",
                                     "\"0123456789abcdef0123456789abcdef\"",
                                     "\"TOTAL\"",
                                     "\"PAY_PER_REQUEST\""};
    return kStrings[Pick(static_cast<int>(std::size(kStrings)))];
  }

  std::string Key() {
    static const char* kKeys[] = {"\"TableName\"",
                                  "\"Item\"",
                                  "\"Key\"",
                                  "\"S\"",
                                  "\"N\"",
                                  "\"B\"",
                                  "\"BOOL\"",
                                  "\"NULL\"",
                                  "\"SS\"",
                                  "\"NS\"",
                                  "\"BS\"",
                                  "\"L\"",
                                  "\"M\"",
                                  "\"KeySchema\"",
                                  "\"AttributeName\"",
                                  "\"KeyType\"",
                                  "\"AttributeDefinitions\"",
                                  "\"AttributeType\"",
                                  "\"RequestItems\"",
                                  "\"Keys\"",
                                  "\"PutRequest\"",
                                  "\"DeleteRequest\"",
                                  "\"ProvisionedThroughput\"",
                                  "\"ReadCapacityUnits\"",
                                  "\"WriteCapacityUnits\"",
                                  "\"GlobalSecondaryIndexes\"",
                                  "\"LocalSecondaryIndexes\"",
                                  "\"IndexName\"",
                                  "\"Projection\"",
                                  "\"ProjectionType\"",
                                  "\"NonKeyAttributes\"",
                                  "\"Expected\"",
                                  "\"Value\"",
                                  "\"Exists\"",
                                  "\"ComparisonOperator\"",
                                  "\"AttributeValueList\"",
                                  "\"Limit\"",
                                  "\"Segment\"",
                                  "\"TotalSegments\"",
                                  "\"TransactItems\"",
                                  "\"Put\"",
                                  "\"Update\"",
                                  "\"Delete\"",
                                  "\"ConditionCheck\"",
                                  "\"Get\"",
                                  "\"Tags\"",
                                  "\"TagKeys\"",
                                  "\"ResourceArn\"",
                                  "\"AttributeUpdates\"",
                                  "\"Action\"",
                                  "\"ExpressionAttributeNames\"",
                                  "\"ExpressionAttributeValues\"",
                                  "\"GlobalSecondaryIndexUpdates\"",
                                  "\"Create\"",
                                  "\"ReplicaUpdates\"",
                                  "\"TimeToLiveSpecification\"",
                                  "\"Enabled\"",
                                  "\"Statements\"",
                                  "\"Parameters\"",
                                  "\"abc\"",
                                  "\"\"",
                                  "\"a;b\""};
    return kKeys[Pick(static_cast<int>(std::size(kKeys)))];
  }

  std::mt19937 rng_;
};

TEST(ShapeCheckTest, RandomJsonNeverCrashes) {
  const char* kOps[] = {"BatchExecuteStatement",
                        "BatchGetItem",
                        "BatchWriteItem",
                        "CreateBackup",
                        "CreateTable",
                        "DeleteItem",
                        "DeleteTable",
                        "DescribeTable",
                        "ExecuteTransaction",
                        "GetItem",
                        "ImportTable",
                        "ListTables",
                        "PutItem",
                        "Query",
                        "Scan",
                        "TagResource",
                        "TransactGetItems",
                        "TransactWriteItems",
                        "UntagResource",
                        "UpdateGlobalTableSettings",
                        "UpdateItem",
                        "UpdateTable",
                        "UpdateTableReplicaAutoScaling",
                        "UpdateTimeToLive"};
  RandomJson gen(20240611);
  int ok = 0, serialization = 0, validation = 0;
  for (int i = 0; i < 10000; i++) {
    std::string value = i % 10 == 0 ? gen.Value(0) : gen.Object(0);
    json::Document doc;
    ASSERT_TRUE(json::Parse(value, &doc).ok()) << value;
    for (const char* op : kOps) {
      Status s;
      ASSERT_NO_THROW(s = CheckRequestShape(op, doc)) << op << " " << value;
      switch (s.code()) {
        case ErrorCode::kOk:
          ok++;
          break;
        case ErrorCode::kSerialization:
          serialization++;
          break;
        case ErrorCode::kValidation:
          validation++;
          EXPECT_NE(s.message().find(" validation error"), std::string::npos) << s.message();
          break;
        default:
          ADD_FAILURE() << op << " " << value << " -> " << s.ToString();
      }
    }
  }
  // The generator reaches all three outcomes.
  EXPECT_GT(ok, 0);
  EXPECT_GT(serialization, 0);
  EXPECT_GT(validation, 0);
}

// The checks match ASCII names through a DFA built from each pattern's NFA;
// every answer must be the NFA's. Strings are drawn from alphabets that let
// each pattern both match and fail (digits for "[0-9]{12}", hex for
// "([0-9a-f]{16})+", ...), with some bytes beyond ASCII.
TEST(ShapeCheckTest, PatternDfaAgreesWithTheNfa) {
  const std::vector<std::string> alphabets = {
      "0123456789",
      "0123456789abcdef",
      "abcXYZ09_.-",
      "ab0_.-$ ,;:|\t\"\x01\x7f\r\n",
      "a-\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",  // bytes of e-acute, euro, an emoji
  };
  std::mt19937_64 rng(7);
  const int patterns = shape_check_internal::PatternCount();
  ASSERT_GT(patterns, 0);
  for (int p = 0; p < patterns; p++) {
    int matched = 0;
    int failed = 0;
    for (const std::string& alphabet : alphabets) {
      for (int n = 0; n < 3000; n++) {
        const size_t length = rng() % 40;
        std::string s;
        for (size_t k = 0; k < length; k++) s += alphabet[rng() % alphabet.size()];
        // Lengths the counted patterns need, now and then.
        if (n % 5 == 0) s = s.substr(0, 12);
        if (n % 7 == 0) s = s.substr(0, 16);
        const bool want = shape_check_internal::SimulatePattern(p, s);
        ASSERT_EQ(shape_check_internal::MatchesPattern(p, s), want) << "pattern " << p << " on " << s;
        (want ? matched : failed)++;
      }
    }
    EXPECT_GT(matched, 0) << "pattern " << p;
    EXPECT_GT(failed, 0) << "pattern " << p;
  }
  // Pattern 0 is the table and index names' "[a-zA-Z0-9_.-]+".
  EXPECT_TRUE(shape_check_internal::MatchesPattern(0, "bench_1.a-b"));
  EXPECT_FALSE(shape_check_internal::MatchesPattern(0, ""));
  EXPECT_FALSE(shape_check_internal::MatchesPattern(0, "a b"));
  EXPECT_FALSE(shape_check_internal::MatchesPattern(0, "caf\xc3\xa9"));
}

}  // namespace
}  // namespace dynemu
