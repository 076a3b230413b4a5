#include "expr/substitution.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

std::string DecodeError(const char* names, const char* values) {
  json::Document n, v;
  if (names) {
    EXPECT_TRUE(json::Parse(names, &n).ok());
  }
  if (values) {
    EXPECT_TRUE(json::Parse(values, &v).ok());
  }
  Result<ExpressionAttributes> r =
      ExpressionAttributes::Decode(names ? &n : nullptr, values ? &v : nullptr);
  return r.ok() ? std::string() : r.status().message();
}

struct Case {
  const char* names;
  const char* values;
  const char* message;
};

class SubstitutionTest : public ::testing::TestWithParam<Case> {};

TEST_P(SubstitutionTest, Decodes) {
  EXPECT_EQ(DecodeError(GetParam().names, GetParam().values), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SubstitutionTest,
    ::testing::Values(
        Case{nullptr, nullptr, ""}, Case{R"({"#a":"a"})", R"({":a":{"S":"x"}})", ""},
        Case{"{}", nullptr, "ExpressionAttributeNames must not be empty"},
        Case{R"({"a":"a"})", nullptr,
             "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""},
        Case{R"({"#":"a"})", nullptr,
             "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\""},
        Case{R"({"#a-b":"a"})", nullptr,
             "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\""},
        Case{R"({"#a":""})", nullptr,
             "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"},
        Case{R"({"#_0aZ":"x"})", nullptr, ""},
        Case{nullptr, "{}", "ExpressionAttributeValues must not be empty"},
        Case{nullptr, R"({":b":{"a":""},"b":{"S":"a"}})",
             "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\""},
        Case{nullptr, R"({":b":{}})",
             "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, "
             "must contain exactly one of the supported datatypes for key :b"},
        Case{nullptr, R"({":b":{"SS":[]}})",
             "ExpressionAttributeValues contains invalid value: One or more parameter values were "
             "invalid: An string set  may not be empty for key :b"},
        Case{nullptr, R"({":b":{"NS":["1","b"]}})",
             "ExpressionAttributeValues contains invalid value: The parameter cannot be converted "
             "to a numeric value: b for key :b"},
        Case{nullptr, R"({":b":{"S":"a","N":"1"}})",
             "ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more "
             "than one datatypes set, must contain exactly one of the supported datatypes for key "
             ":b"},
        // Names are checked before values.
        Case{"{}", "{}", "ExpressionAttributeNames must not be empty"},
        Case{R"({"#a":"a"})", R"({"a":{"S":"x"}})",
             "ExpressionAttributeValues contains invalid key: Syntax error; key: \"a\""}));

TEST(SubstitutionLimits, PlaceholderLength) {
  std::string ok = "#" + std::string(254, 'a');
  std::string long_key = "#" + std::string(255, 'a');
  EXPECT_EQ(DecodeError(("{\"" + ok + "\":\"x\"}").c_str(), nullptr), "");
  EXPECT_EQ(
      DecodeError(("{\"" + long_key + "\":\"x\"}").c_str(), nullptr),
      "ExpressionAttributeNames contains invalid key: The expression attribute map contains a "
      "key that is too long");
  std::string long_value = ":" + std::string(255, 'a');
  EXPECT_EQ(
      DecodeError(nullptr, ("{\"" + long_value + "\":{\"S\":\"x\"}}").c_str()),
      "ExpressionAttributeValues contains invalid key: The expression attribute map contains a "
      "key that is too long");
}

TEST(SubstitutionUse, MarksAndReportsUnused) {
  ExpressionAttributes a = ExpressionAttributes::FromMaps(
      {{"#a", "a"}, {"#b", "b"}}, {{":a", AttributeValue::S("x")}, {":c", AttributeValue::S("y")}});
  ASSERT_NE(a.UseName("#a"), nullptr);
  EXPECT_EQ(*a.UseName("#a"), "a");
  EXPECT_EQ(a.UseName("#zz"), nullptr);
  EXPECT_EQ(a.CheckAllUsed().message(),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  a.UseName("#b");
  EXPECT_EQ(a.CheckAllUsed().message(),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}");
  ASSERT_TRUE(a.UseValue(":a"));
  EXPECT_EQ(a.UseValue(":a")->s(), "x");
  EXPECT_FALSE(a.UseValue(":zz"));
  a.UseValue(":c");
  EXPECT_TRUE(a.CheckAllUsed().ok());
}

TEST(SubstitutionUse, UnusedKeysInJavaHashOrder) {
  // Java's HashMap iterates by String.hashCode bucket, not insertion order.
  ExpressionAttributes a = ExpressionAttributes::FromMaps(
      {{"#zeta", "z"}, {"#b", "b"}, {"#a", "a"}, {"#unused", "u"}}, {});
  EXPECT_EQ(a.CheckAllUsed().message(),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#zeta, #a, "
            "#b, #unused}");
}

TEST(JavaOrder, MatchesJavaHashMap) {
  // Reference orders computed with java.util.HashMap<String, String> (keys put in
  // the order given, then keySet() iterated).
  EXPECT_EQ(JavaHashMapOrder({"#b", "#a"}), (std::vector<std::string>{"#a", "#b"}));
  EXPECT_EQ(JavaHashMapOrder({":c", ":a"}), (std::vector<std::string>{":a", ":c"}));
  // "#a" hashes to 1182 (bucket 14) and "#b" to 1183 (bucket 15); keys of one
  // bucket keep their insertion order, and 20 keys make a table of 32 buckets.
  std::vector<std::string> keys;
  for (int i = 0; i < 20; i++) keys.push_back("#k" + std::to_string(i));
  std::vector<std::string> order = JavaHashMapOrder(keys);
  EXPECT_EQ(order.size(), keys.size());
  EXPECT_TRUE(std::is_permutation(order.begin(), order.end(), keys.begin()));
}

}  // namespace
}  // namespace dynemu::expr
