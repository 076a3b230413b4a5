#include "expr/legacy_conditions.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::ItemFromJson;

std::string ExpectedError(const char* expected, const char* op = nullptr) {
  json::Document e, o;
  EXPECT_TRUE(json::Parse(expected, &e).ok()) << expected;
  if (op) {
    EXPECT_TRUE(json::Parse(op, &o).ok());
  }
  Result<LegacyConditions> r = DecodeExpected(&e, op ? &o : nullptr);
  return r.ok() ? std::string() : r.status().message();
}

bool Matches(const char* expected, const char* item, const char* op = nullptr) {
  json::Document e, o;
  EXPECT_TRUE(json::Parse(expected, &e).ok()) << expected;
  if (op) {
    EXPECT_TRUE(json::Parse(op, &o).ok());
  }
  Result<LegacyConditions> r = DecodeExpected(&e, op ? &o : nullptr);
  EXPECT_TRUE(r.ok()) << expected << ": " << r.status().ToString();
  return r.ok() && EvaluateLegacyConditions(*r, ItemFromJson(item));
}

#define INVALID "One or more parameter values were invalid: "

struct ErrorCase {
  const char* expected;
  const char* message;
};

class ExpectedValidationTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ExpectedValidationTest, Checks) {
  EXPECT_EQ(ExpectedError(GetParam().expected), GetParam().message) << GetParam().expected;
}

// dynalite's recordings (test/putItem.js, test/updateItem.js).
INSTANTIATE_TEST_SUITE_P(
    Cases, ExpectedValidationTest,
    ::testing::Values(
        ErrorCase{R"({"a":{"ComparisonOperator":"LT"}})",
                  INVALID "Value or AttributeValueList must be used with ComparisonOperator: LT "
                          "for Attribute: a"},
        ErrorCase{R"({"a":{"Exists":true,"ComparisonOperator":"LT"}})",
                  INVALID "Exists and ComparisonOperator cannot be used together for Attribute: a"},
        ErrorCase{
            R"({"a":{"AttributeValueList":[{"S":"a"}],"Value":{"S":"a"},"ComparisonOperator":"LT"}})",
            INVALID "Value and AttributeValueList cannot be used together for Attribute: a"},
        ErrorCase{R"({"a":{"AttributeValueList":[{"S":"a"}]}})", INVALID
                  "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
        ErrorCase{R"({"a":{"Exists":true,"AttributeValueList":[{"S":"a"}]}})", INVALID
                  "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
        ErrorCase{R"({"a":{"AttributeValueList":[],"ComparisonOperator":"EQ"}})",
                  INVALID "Invalid number of argument(s) for the EQ ComparisonOperator"},
        ErrorCase{R"({"a":{"AttributeValueList":[{"S":"a"}],"ComparisonOperator":"NULL"}})",
                  INVALID "Invalid number of argument(s) for the NULL ComparisonOperator"},
        ErrorCase{R"({"a":{"AttributeValueList":[],"ComparisonOperator":"IN"}})",
                  INVALID "Invalid number of argument(s) for the IN ComparisonOperator"},
        ErrorCase{
            R"({"a":{"AttributeValueList":[{"N":"1"},{"N":"10"},{"N":"12"}],"ComparisonOperator":"BETWEEN"}})",
            INVALID "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
        ErrorCase{R"({"a":{"Value":{"S":"a"},"ComparisonOperator":"NULL"}})",
                  INVALID "Invalid number of argument(s) for the NULL ComparisonOperator"},
        ErrorCase{R"({"a":{"Value":{"S":"a"},"ComparisonOperator":"BETWEEN"}})",
                  INVALID "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
        ErrorCase{R"({"a":{"AttributeValueList":[{"N":"1"},{"S":"a"}],"ComparisonOperator":"IN"}})",
                  INVALID "AttributeValues inside AttributeValueList must be of same type"},
        ErrorCase{
            R"({"a":{"AttributeValueList":[{"N":"10"},{"N":"1"}],"ComparisonOperator":"BETWEEN"}})",
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound"},
        ErrorCase{R"({"a":{}})",
                  INVALID "Value must be provided when Exists is null for Attribute: a"},
        ErrorCase{R"({"a":{"Exists":true}})",
                  INVALID "Value must be provided when Exists is true for Attribute: a"},
        ErrorCase{R"({"a":{"Exists":"yes"}})",
                  INVALID "Value must be provided when Exists is true for Attribute: a"},
        ErrorCase{R"({"a":{"Exists":false,"Value":{"S":"a"}}})",
                  INVALID "Value cannot be used when Exists is false for Attribute: a"},
        ErrorCase{R"({"a":{"Value":{"SS":[]}}})", INVALID "An string set  may not be empty"},
        ErrorCase{
            R"({"a":{"Exists":false},"b":{"Value":{"N":"1"}},"c":{"ComparisonOperator":"NOT_NULL"}})",
            ""}));

struct MatchCase {
  const char* expected;
  const char* item;
  bool matches;
};

class ExpectedEvaluationTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(ExpectedEvaluationTest, Evaluates) {
  EXPECT_EQ(Matches(GetParam().expected, GetParam().item), GetParam().matches)
      << GetParam().expected << " on " << GetParam().item;
}

constexpr char kItem[] =
    R"({"a":{"S":"abc"},"n":{"N":"5"},"ss":{"SS":["x","y"]},"l":{"L":[{"S":"x"},{"N":"1"}]},"b":{"B":"YWJj"}})";

INSTANTIATE_TEST_SUITE_P(
    Cases, ExpectedEvaluationTest,
    ::testing::Values(
        MatchCase{R"({"a":{"Value":{"S":"abc"}}})", kItem, true},
        MatchCase{R"({"a":{"Value":{"S":"abd"}}})", kItem, false},
        MatchCase{R"({"a":{"Exists":true,"Value":{"S":"abc"}}})", kItem, true},
        MatchCase{R"({"z":{"Exists":false}})", kItem, true},
        MatchCase{R"({"a":{"Exists":false}})", kItem, false},
        MatchCase{R"({"z":{"Value":{"S":"abc"}}})", kItem, false},
        MatchCase{R"({"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"abc"}]}})", kItem,
                  true},
        MatchCase{R"({"a":{"ComparisonOperator":"EQ","Value":{"S":"abc"}}})", kItem, true},
        MatchCase{R"({"a":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"abc"}]}})", kItem,
                  false},
        MatchCase{R"({"z":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"abc"}]}})", kItem,
                  true},
        MatchCase{R"({"n":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"5"}]}})", kItem,
                  true},
        MatchCase{R"({"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"10"}]}})", kItem,
                  true},
        MatchCase{R"({"n":{"ComparisonOperator":"LE","AttributeValueList":[{"N":"5.0"}]}})", kItem,
                  true},
        MatchCase{R"({"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"5"}]}})", kItem,
                  false},
        MatchCase{R"({"n":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"5"}]}})", kItem,
                  true},
        MatchCase{R"({"n":{"ComparisonOperator":"GT","AttributeValueList":[{"S":"1"}]}})", kItem,
                  false},
        MatchCase{R"({"a":{"ComparisonOperator":"NOT_NULL"}})", kItem, true},
        MatchCase{R"({"z":{"ComparisonOperator":"NOT_NULL"}})", kItem, false},
        MatchCase{R"({"z":{"ComparisonOperator":"NULL"}})", kItem, true},
        MatchCase{R"({"a":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"bc"}]}})",
                  kItem, true},
        MatchCase{R"({"ss":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"y"}]}})",
                  kItem, true},
        MatchCase{R"({"l":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"N":"1"}]}})",
                  kItem, true},
        MatchCase{R"({"b":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"B":"Yg=="}]}})",
                  kItem, true},
        MatchCase{
            R"({"ss":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"y"}]}})",
            kItem, false},
        MatchCase{
            R"({"ss":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"q"}]}})",
            kItem, true},
        MatchCase{R"({"z":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"q"}]}})",
                  kItem, true},
        MatchCase{R"({"a":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"S":"ab"}]}})",
                  kItem, true},
        MatchCase{R"({"a":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"S":"b"}]}})",
                  kItem, false},
        MatchCase{
            R"({"a":{"ComparisonOperator":"IN","AttributeValueList":[{"S":"x"},{"S":"abc"}]}})",
            kItem, true},
        MatchCase{R"({"z":{"ComparisonOperator":"IN","AttributeValueList":[{"S":"x"}]}})", kItem,
                  false},
        MatchCase{
            R"({"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"},{"N":"5"}]}})",
            kItem, true},
        MatchCase{
            R"({"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"6"},{"N":"9"}]}})",
            kItem, false},
        MatchCase{R"({"a":{"Value":{"S":"abc"}},"z":{"Exists":false}})", kItem, true},
        MatchCase{R"({"a":{"Value":{"S":"abc"}},"n":{"Value":{"N":"6"}}})", kItem, false}));

TEST(ExpectedConditionalOperator, OrMeansAny) {
  const char* two = R"({"a":{"Value":{"S":"nope"}},"n":{"Value":{"N":"5"}}})";
  EXPECT_FALSE(Matches(two, kItem));
  EXPECT_FALSE(Matches(two, kItem, R"("AND")"));
  EXPECT_TRUE(Matches(two, kItem, R"("OR")"));
  EXPECT_FALSE(Matches(R"({"a":{"Value":{"S":"x"}},"n":{"Value":{"N":"1"}}})", kItem, R"("OR")"));
}

std::string FilterError(const char* conditions) {
  json::Document d;
  EXPECT_TRUE(json::Parse(conditions, &d).ok());
  Result<std::vector<AttributeCondition>> r = DecodeConditionMap(&d);
  return r.ok() ? std::string() : r.status().message();
}

TEST(ConditionMaps, ChecksLikeDynamoDB) {
  EXPECT_EQ(FilterError(R"({"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}})"),
            "");
  EXPECT_EQ(FilterError(R"({"a":{"ComparisonOperator":"EQ"}})"),
            INVALID "Invalid number of argument(s) for the EQ ComparisonOperator");
  EXPECT_EQ(FilterError(R"({"a":{"ComparisonOperator":"LT","AttributeValueList":[{"SS":["x"]}]}})"),
            INVALID "ComparisonOperator LT is not valid for SS AttributeValue type");
  EXPECT_EQ(
      FilterError(R"({"a":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"N":"1"}]}})"),
      INVALID "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
  EXPECT_EQ(FilterError(
                R"({"a":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"S":"1"}]}})"),
            INVALID "AttributeValues inside AttributeValueList must be of same type");
  EXPECT_EQ(
      FilterError(
          R"({"a":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"S":"b"},{"S":"a"}]}})"),
      "The BETWEEN condition was provided a range where the lower bound is greater than the upper "
      "bound");
  EXPECT_EQ(FilterError(R"({"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"NS":[]}]}})"),
            INVALID "An number set  may not be empty");
  EXPECT_EQ(
      FilterError(
          R"({"a":{"ComparisonOperator":"NULL"},"b":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"N":"2"},{"N":"3"}]}})"),
      "");
  EXPECT_EQ(ComparisonOperatorName(ComparisonOperator::kNotContains), "NOT_CONTAINS");
}

}  // namespace
}  // namespace dynemu::expr
