#include "expr/key_condition.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::RequestJson;

constexpr char kValues[] = R"({":p":{"S":"p"},":a":{"N":"1"},":b":{"N":"2"},":s":{"S":"x"}})";

// The key conditions, rendered, or the error.
std::string Extract(const std::string& text) {
  std::string values = "{";
  for (const char* v : {":p", ":a", ":b", ":s"}) {
    if (text.find(v) == std::string::npos) continue;
    json::Document all;
    EXPECT_TRUE(json::Parse(kValues, &all).ok());
    if (values.size() > 1) values += ",";
    values += "\"" + std::string(v) + "\":" + json::ToString(all[v]);
  }
  values += "}";
  std::string names = text.find("#k") != std::string::npos ? R"({"#k":"key"})" : "";
  CompiledExpressions c = testing::Compile(
      RequestJson("KeyConditionExpression", text, names, values == "{}" ? "" : values));
  if (!c.key_condition) return "<invalid>";
  Result<std::vector<KeyCondition>> conditions = ExtractKeyConditions(*c.key_condition);
  if (!conditions.ok()) return conditions.status().message();
  std::string out;
  for (const KeyCondition& k : *conditions) {
    static const char* kOps[] = {"EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH"};
    out += k.attribute + " " + kOps[static_cast<int>(k.op)];
    for (const AttributeValue& v : k.values) out += " " + ToJson(v);
    out += ";";
  }
  return out;
}

struct Case {
  const char* text;
  const char* expected;
};

class KeyConditionTest : public ::testing::TestWithParam<Case> {};

TEST_P(KeyConditionTest, Extracts) {
  EXPECT_EQ(Extract(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KeyConditionTest,
    ::testing::Values(
        Case{"pk = :p", R"(pk EQ {"S":"p"};)"},
        Case{"pk = :p AND sk < :a", R"(pk EQ {"S":"p"};sk LT {"N":"1"};)"},
        Case{"pk = :p AND sk <= :a", R"(pk EQ {"S":"p"};sk LE {"N":"1"};)"},
        Case{"pk = :p AND sk > :a", R"(pk EQ {"S":"p"};sk GT {"N":"1"};)"},
        Case{"pk = :p AND sk >= :a", R"(pk EQ {"S":"p"};sk GE {"N":"1"};)"},
        Case{"pk = :p AND sk BETWEEN :a AND :b",
             R"(pk EQ {"S":"p"};sk BETWEEN {"N":"1"} {"N":"2"};)"},
        Case{"pk = :p AND begins_with(sk, :s)", R"(pk EQ {"S":"p"};sk BEGINS_WITH {"S":"x"};)"},
        Case{":p = pk", R"(pk EQ {"S":"p"};)"}, Case{":a < sk", R"(sk GT {"N":"1"};)"},
        Case{":a >= sk", R"(sk LE {"N":"1"};)"},
        Case{"(pk = :p) AND (sk > :a)", R"(pk EQ {"S":"p"};sk GT {"N":"1"};)"},
        Case{"#k = :p", R"(key EQ {"S":"p"};)"},
        Case{"pk = :p OR sk = :a", "Invalid operator used in KeyConditionExpression: OR"},
        Case{"NOT pk = :p", "Invalid operator used in KeyConditionExpression: NOT"},
        Case{"pk IN (:p)", "Invalid operator used in KeyConditionExpression: IN"},
        Case{"pk <> :p", "Invalid operator used in KeyConditionExpression: <>"},
        Case{"attribute_exists(pk)",
             "Invalid operator used in KeyConditionExpression: attribute_exists"},
        Case{"attribute_not_exists(pk)",
             "Invalid operator used in KeyConditionExpression: attribute_not_exists"},
        Case{"contains(pk, :s)", "Invalid operator used in KeyConditionExpression: contains"},
        Case{"size(pk) = :a", "KeyConditionExpressions cannot contain nested operations"},
        Case{":a BETWEEN sk AND :b",
             "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
             "attribute as its first operand"},
        Case{"begins_with(:s, sk)",
             "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
             "attribute as its first operand"},
        Case{"pk = sk",
             "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
             "condition"},
        Case{"pk.a = :p", "KeyConditionExpressions cannot have conditions on nested attributes"},
        Case{":p = :s", "Invalid condition in KeyConditionExpression: No key attribute specified"},
        Case{"pk = :p AND pk = :s",
             "KeyConditionExpressions must only contain one condition per key"}));

}  // namespace
}  // namespace dynemu::expr
