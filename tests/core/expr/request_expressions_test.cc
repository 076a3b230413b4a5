#include "expr/request_expressions.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

std::string ParamsError(const char* body, const ExpressionParams& params) {
  json::Document d;
  EXPECT_TRUE(json::Parse(body, &d).ok()) << body;
  Status s = CheckExpressionParams(d, params);
  return s.ok() ? std::string() : s.message();
}

const ExpressionParams kPut{{"ConditionExpression"}, {"Expected", "ConditionalOperator"}};
const ExpressionParams kUpdate{{"UpdateExpression", "ConditionExpression"},
                               {"AttributeUpdates", "Expected", "ConditionalOperator"}};
const ExpressionParams kGet{{"ProjectionExpression"}, {"AttributesToGet"}};
const ExpressionParams kQuery{
    {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
    {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}};

TEST(ExpressionParams, MixingIsRefused) {
  EXPECT_EQ(
      ParamsError(
          R"j({"Expected":{"pk":{"Exists":false}},"ConditionExpression":"attribute_not_exists(pk)"})j",
          kPut),
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
  EXPECT_EQ(ParamsError(
                R"({"Key":{},"Expected":{},"AttributeUpdates":{},"ExpressionAttributeNames":{},)"
                R"("ExpressionAttributeValues":{},"ConditionExpression":"","UpdateExpression":""})",
                kUpdate),
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: "
            "{UpdateExpression, ConditionExpression}");
  EXPECT_EQ(
      ParamsError(R"({"UpdateExpression":"SET a = :v","AttributeUpdates":{}})", kUpdate),
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
  EXPECT_EQ(ParamsError(R"({"ConditionExpression":"a = :v","ConditionalOperator":"OR"})", kPut),
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {ConditionalOperator} Expression parameters: "
            "{ConditionExpression}");
  EXPECT_EQ(
      ParamsError(R"({"ProjectionExpression":"a","AttributesToGet":["a"]})", kGet),
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
  // Query: KeyConditions may come with the other expressions, not with KeyConditionExpression.
  EXPECT_EQ(ParamsError(R"({"FilterExpression":"a = :v","KeyConditions":{}})", kQuery), "");
  EXPECT_EQ(
      ParamsError(R"({"KeyConditionExpression":"a = :v","KeyConditions":{},"QueryFilter":{}})",
                  kQuery),
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {QueryFilter, KeyConditions} Expression parameters: "
      "{KeyConditionExpression}");
  // JSON null is absent.
  EXPECT_EQ(ParamsError(R"({"ConditionExpression":"a = :v","Expected":null})", kPut), "");
}

TEST(ExpressionParams, MapsNeedExpressions) {
  EXPECT_EQ(
      ParamsError(
          R"({"Expected":{"a":{}},"ExpressionAttributeNames":{},"ExpressionAttributeValues":{}})",
          kUpdate),
      "ExpressionAttributeNames can only be specified when using expressions");
  EXPECT_EQ(
      ParamsError(R"({"Expected":{"a":{}},"ExpressionAttributeValues":{}})", kUpdate),
      "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression "
      "and ConditionExpression are null");
  EXPECT_EQ(ParamsError(R"({"ExpressionAttributeValues":{":v":{"S":"x"}}})", kPut),
            "ExpressionAttributeValues can only be specified when using expressions: "
            "ConditionExpression is null");
  // A projection takes names, never values; GetItem has no values at all.
  EXPECT_EQ(
      ParamsError(R"({"ExpressionAttributeNames":{"#a":"a"},"ProjectionExpression":"#a"})", kGet),
      "");
  EXPECT_EQ(
      ParamsError(R"({"ExpressionAttributeValues":{":v":{"S":"x"}},"ProjectionExpression":"a"})",
                  kGet),
      "");
  EXPECT_EQ(
      ParamsError(R"({"ExpressionAttributeValues":{":v":{"S":"x"}},"ProjectionExpression":"a"})",
                  kQuery),
      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression "
      "and KeyConditionExpression are null");
}

using testing::CompileError;

TEST(CompileExpressions, OrderOfChecks) {
  // The maps first, then each expression in turn (update, condition, key
  // condition, filter, projection), then unused placeholders (names first).
  EXPECT_EQ(
      CompileError(
          R"({"ExpressionAttributeNames":{},"ExpressionAttributeValues":{},"ConditionExpression":"","UpdateExpression":""})"),
      "ExpressionAttributeNames must not be empty");
  EXPECT_EQ(CompileError(R"({"ConditionExpression":"","UpdateExpression":""})"),
            "Invalid UpdateExpression: The expression can not be empty;");
  EXPECT_EQ(CompileError(R"({"ConditionExpression":""})"),
            "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(
      CompileError(
          R"({"UpdateExpression":"SET a = :v","ConditionExpression":"b = :w OR","ExpressionAttributeValues":{":v":{"S":"x"}}})"),
      "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"OR\"");
  EXPECT_EQ(
      CompileError(
          R"({"FilterExpression":"a = :v","ProjectionExpression":"","ExpressionAttributeValues":{":0":{"S":"b"}}})"),
      "Invalid FilterExpression: An expression attribute value used in expression is not defined; "
      "attribute value: :v");
  EXPECT_EQ(CompileError(R"({"FilterExpression":"a > b","ProjectionExpression":""})"),
            "Invalid ProjectionExpression: The expression can not be empty;");
  EXPECT_EQ(
      CompileError(
          R"({"KeyConditionExpression":"a = :v","FilterExpression":"","ExpressionAttributeValues":{":v":{"S":"x"}}})"),
      "Invalid FilterExpression: The expression can not be empty;");
  EXPECT_EQ(
      CompileError(
          R"j({"UpdateExpression":"remove a set b = list_append(b, if_not_exists(a, :a))",)j"
          R"("ConditionExpression":"a = :b","ExpressionAttributeValues":{":a":{"S":"a"},":b":{"S":"a"}},)"
          R"("ExpressionAttributeNames":{"#a":"a","#b":"b"}})"),
      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");
  EXPECT_EQ(CompileError(
                R"({"UpdateExpression":"remove a","ConditionExpression":"a = :b",)"
                R"("ExpressionAttributeValues":{":a":{"S":"a"},":b":{"S":"a"},":c":{"S":"a"}}})"),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}");
  // A name used by one expression counts for all.
  EXPECT_EQ(
      CompileError(
          R"j({"UpdateExpression":"SET #a = :v","ConditionExpression":"attribute_exists(#a)",)j"
          R"("ExpressionAttributeNames":{"#a":"a"},"ExpressionAttributeValues":{":v":{"N":"1"}}})"),
      "");
  // GetItem: values are not part of the operation, so never reported unused.
  EXPECT_EQ(
      CompileError(R"({"ProjectionExpression":"a","ExpressionAttributeValues":{":v":{"S":"x"}}})",
                   /*takes_values=*/false),
      "");
}

TEST(CompileExpressions, EveryKindCompiles) {
  CompiledExpressions c = testing::Compile(
      R"j({"UpdateExpression":"SET a = :v","ConditionExpression":"attribute_exists(b)",)j"
      R"("KeyConditionExpression":"pk = :v","FilterExpression":"c <> :v","ProjectionExpression":"d, e",)"
      R"("ExpressionAttributeValues":{":v":{"S":"x"}}})");
  EXPECT_TRUE(c.update.has_value());
  EXPECT_TRUE(c.condition.has_value());
  EXPECT_TRUE(c.key_condition.has_value());
  EXPECT_TRUE(c.filter.has_value());
  ASSERT_TRUE(c.projection.has_value());
  EXPECT_EQ(c.projection->paths.size(), 2u);
}

}  // namespace
}  // namespace dynemu::expr
