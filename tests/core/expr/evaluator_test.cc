#include "expr/evaluator.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::ItemFromJson;
using testing::RequestJson;

// The item every case reads.
constexpr char kItem[] = R"({
  "pk": {"S": "e"},
  "s": {"S": "hello"}, "es": {"S": ""}, "u": {"S": "\u00e9t\u00e9 \ud83d\ude00"},
  "n": {"N": "5"}, "neg": {"N": "-2.5"}, "big": {"N": "1E+100"},
  "b": {"B": "aGVsbG8="}, "hi": {"B": "/w=="},
  "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["YQ==", "Yg=="]},
  "l": {"L": [{"N": "1"}, {"S": "x"}, {"M": {"k": {"S": "v"}}}, {"L": [{"N": "2"}]}]},
  "m": {"M": {"a": {"M": {"b": {"N": "1"}}}, "c": {"L": [{"N": "7"}]}, "dot.ted": {"S": "d"}}},
  "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
  "status": {"S": "active"}
})";

constexpr char kValues[] = R"({
  ":s": {"S": "hello"}, ":he": {"S": "he"}, ":zz": {"S": "zz"}, ":ell": {"S": "ell"},
  ":empty": {"S": ""}, ":x": {"S": "x"}, ":a": {"S": "a"}, ":c": {"S": "c"},
  ":n": {"N": "5"}, ":n50": {"N": "5.0"}, ":n10": {"N": "10"}, ":neg": {"N": "-1"},
  ":one": {"N": "1"}, ":two": {"N": "2"}, ":three": {"N": "3"}, ":four": {"N": "4"},
  ":seven": {"N": "7"}, ":nine": {"N": "9"}, ":bigger": {"N": "1E+101"},
  ":b": {"B": "aGVsbG8="}, ":bhe": {"B": "aGU="}, ":ya": {"B": "YQ=="}, ":ff": {"B": "/w=="},
  ":ss": {"SS": ["b", "a"]}, ":ssa": {"SS": ["a"]}, ":ns": {"NS": ["2.0", "1"]},
  ":bs": {"BS": ["Yg==", "YQ=="]},
  ":t": {"BOOL": true}, ":f": {"BOOL": false}, ":z": {"NULL": true},
  ":l": {"L": [{"N": "1"}, {"S": "x"}, {"M": {"k": {"S": "v"}}}, {"L": [{"N": "2"}]}]},
  ":l2": {"L": [{"N": "2"}]}, ":mk": {"M": {"k": {"S": "v"}}},
  ":m": {"M": {"c": {"L": [{"N": "7"}]}, "a": {"M": {"b": {"N": "1"}}}, "dot.ted": {"S": "d"}}},
  ":tS": {"S": "S"}, ":tN": {"S": "N"}, ":tB": {"S": "B"}, ":tSS": {"S": "SS"}, ":tNS": {"S": "NS"},
  ":tBS": {"S": "BS"}, ":tL": {"S": "L"}, ":tM": {"S": "M"}, ":tBOOL": {"S": "BOOL"},
  ":tNULL": {"S": "NULL"}
})";

struct Case {
  const char* condition;
  bool expected;
};

class EvaluatorTest : public ::testing::TestWithParam<Case> {
 protected:
  static bool Evaluate(const char* condition) {
    // Only the values the condition names: the request must use every one.
    json::Document all;
    EXPECT_TRUE(json::Parse(kValues, &all).ok());
    std::string values = "{";
    for (auto it = all.MemberBegin(); it != all.MemberEnd(); ++it) {
      std::string key(json::AsStringView(it->name));
      std::string text = condition;
      size_t at = text.find(key);
      bool used = false;
      while (at != std::string::npos) {
        size_t end = at + key.size();
        if (end == text.size() ||
            !(isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
          used = true;
          break;
        }
        at = text.find(key, at + 1);
      }
      if (!used) continue;
      if (values.size() > 1) values += ",";
      values += "\"" + key + "\":" + json::ToString(it->value);
    }
    values += "}";
    std::string names;
    std::string text = condition;
    if (text.find("#st") != std::string::npos) names += R"("#st":"status")";
    if (text.find("#dot") != std::string::npos) {
      names += std::string(names.empty() ? "" : ",") + R"("#dot":"dot.ted")";
    }
    if (!names.empty()) names = "{" + names + "}";
    CompiledExpressions c = testing::Compile(
        RequestJson("ConditionExpression", condition, names, values == "{}" ? "" : values));
    EXPECT_TRUE(c.condition.has_value()) << condition;
    if (!c.condition) return false;
    return EvaluateCondition(c.condition->root, ItemFromJson(kItem));
  }
};

TEST_P(EvaluatorTest, Evaluates) {
  EXPECT_EQ(Evaluate(GetParam().condition), GetParam().expected) << GetParam().condition;
}

INSTANTIATE_TEST_SUITE_P(
    Comparisons, EvaluatorTest,
    ::testing::Values(Case{"s = :s", true}, Case{"s <> :s", false}, Case{"s = :he", false},
                      Case{"s <> :he", true}, Case{"s < :zz", true}, Case{"s > :he", true},
                      Case{"s >= :s", true}, Case{"s <= :he", false}, Case{"es = :empty", true},
                      Case{"es < :a", true}, Case{"n = :n50", true}, Case{"n = :n", true},
                      Case{"n < :n10", true}, Case{"n > :n10", false}, Case{"n > :neg", true},
                      Case{"neg < :neg", true}, Case{"n >= :n50", true}, Case{"n <= :n50", true},
                      Case{"big < :bigger", true}, Case{"big > :n10", true}, Case{"b = :b", true},
                      Case{"b > :bhe", true}, Case{"b < :bhe", false},
                      // Binaries compare as unsigned bytes: 0xFF is the largest.
                      Case{"hi > :b", true}, Case{"hi > :ya", true}, Case{"ss = :ss", true},
                      Case{"ss = :ssa", false}, Case{"ns = :ns", true}, Case{"bs = :bs", true},
                      Case{"t = :t", true}, Case{"t = :f", false}, Case{"f = :f", true},
                      Case{"z = :z", true}, Case{"l = :l", true}, Case{"m = :m", true},
                      Case{"l = :l2", false}, Case{"m.a.b = :one", true},
                      Case{"m.c[0] = :seven", true}, Case{"l[0] = :one", true},
                      Case{"l[2].k = :x", false}, Case{"l[3][0] = :two", true},
                      Case{"m.#dot = :x", false}, Case{":n = n", true}, Case{":n10 > n", true},
                      Case{":a < s", true}, Case{"s = n", false}, Case{"n = s", false},
                      Case{"#st = :s", false}));

// Values of different types are never equal and never ordered.
INSTANTIATE_TEST_SUITE_P(
    AcrossTypes, EvaluatorTest,
    ::testing::Values(Case{"n = :s", false}, Case{"n <> :s", true}, Case{"n < :s", false},
                      Case{"n > :s", false}, Case{"s < :n", false}, Case{"s >= :n", false},
                      Case{"b = :s", false}, Case{"ss = :a", false}, Case{"t = :one", false},
                      Case{"z = :empty", false}, Case{"ns = :one", false},
                      Case{"n BETWEEN :a AND :zz", false}, Case{"l[0] = :x", false}));

// A path that does not exist: comparisons are false, <> is true.
INSTANTIATE_TEST_SUITE_P(
    MissingPaths, EvaluatorTest,
    ::testing::Values(Case{"nope = :s", false}, Case{"nope <> :s", true}, Case{"nope < :n", false},
                      Case{"nope >= :n", false}, Case{"nope BETWEEN :one AND :two", false},
                      Case{"nope IN (:s, :n)", false}, Case{"m.nope = :one", false},
                      Case{"m.a.b.c = :one", false}, Case{"l[9] = :one", false},
                      Case{"s[0] = :s", false}, Case{"s.x = :s", false}, Case{"ss[0] = :a", false},
                      Case{"m[0] = :one", false}, Case{"l.x = :one", false},
                      Case{"NOT nope = :s", true}, Case{"begins_with(nope, :a)", false},
                      Case{"contains(nope, :a)", false}, Case{"size(nope) = :one", false},
                      Case{"size(nope) <> :one", true}, Case{"attribute_type(nope, :tS)", false}));

INSTANTIATE_TEST_SUITE_P(
    BetweenAndIn, EvaluatorTest,
    ::testing::Values(Case{"n BETWEEN :one AND :n10", true}, Case{"n BETWEEN :n AND :n", true},
                      Case{"n BETWEEN :n50 AND :n10", true},
                      Case{"n BETWEEN :seven AND :n10", false}, Case{"s BETWEEN :he AND :zz", true},
                      Case{"s BETWEEN :s AND :zz", true}, Case{"s BETWEEN :zz AND :zz", false},
                      Case{"b BETWEEN :bhe AND :ff", true},
                      Case{"size(l) BETWEEN :three AND :four", true}, Case{"s IN (:he, :s)", true},
                      Case{"s IN (:he, :zz)", false}, Case{"n IN (:n50)", true},
                      Case{"n IN (:s, :n)", true}, Case{"ss IN (:ssa, :ss)", true},
                      Case{"l IN (:l2, :l)", true}, Case{"m IN (:m)", true},
                      Case{"t IN (:f)", false}));

INSTANTIATE_TEST_SUITE_P(
    Functions, EvaluatorTest,
    ::testing::Values(Case{"attribute_exists(s)", true}, Case{"attribute_exists(nope)", false},
                      Case{"attribute_not_exists(nope)", true},
                      Case{"attribute_not_exists(s)", false}, Case{"attribute_exists(m.a.b)", true},
                      Case{"attribute_exists(m.a.c)", false},
                      Case{"attribute_exists(l[2].k)", true}, Case{"attribute_exists(l[4])", false},
                      Case{"attribute_exists(z)", true}, Case{"attribute_exists(f)", true},
                      Case{"attribute_exists(es)", true}, Case{"attribute_exists(m.#dot)", true},
                      Case{"attribute_type(s, :tS)", true}, Case{"attribute_type(n, :tN)", true},
                      Case{"attribute_type(b, :tB)", true}, Case{"attribute_type(ss, :tSS)", true},
                      Case{"attribute_type(ns, :tNS)", true},
                      Case{"attribute_type(bs, :tBS)", true}, Case{"attribute_type(l, :tL)", true},
                      Case{"attribute_type(m, :tM)", true}, Case{"attribute_type(t, :tBOOL)", true},
                      Case{"attribute_type(z, :tNULL)", true},
                      Case{"attribute_type(s, :tN)", false}, Case{"attribute_type(ss, :tS)", false},
                      Case{"begins_with(s, :he)", true}, Case{"begins_with(s, :s)", true},
                      Case{"begins_with(s, :empty)", true}, Case{"begins_with(s, :ell)", false},
                      Case{"begins_with(s, :zz)", false}, Case{"begins_with(b, :bhe)", true},
                      Case{"begins_with(b, :he)", false}, Case{"begins_with(ss, :a)", false},
                      Case{"begins_with(:s, :he)", true}, Case{"contains(s, :ell)", true},
                      Case{"contains(s, :zz)", false}, Case{"contains(s, :empty)", true},
                      Case{"contains(b, :bhe)", true}, Case{"contains(ss, :a)", true},
                      Case{"contains(ss, :c)", false}, Case{"contains(ns, :one)", true},
                      Case{"contains(ns, :three)", false}, Case{"contains(bs, :ya)", true},
                      Case{"contains(l, :x)", true}, Case{"contains(l, :one)", true},
                      Case{"contains(l, :mk)", true}, Case{"contains(l, :l2)", true},
                      Case{"contains(l, :two)", false}, Case{"contains(ss, :ss)", false},
                      Case{"contains(n, :n)", false}, Case{"contains(m, :a)", false},
                      Case{"contains(s, :n)", false}));

INSTANTIATE_TEST_SUITE_P(
    Size, EvaluatorTest,
    ::testing::Values(Case{"size(s) = :n", true}, Case{"size(es) < :one", true},
                      // "été 😀": 5 characters, one of them outside the BMP: 6 UTF-16 units.
                      Case{"size(u) = :n", false}, Case{"size(u) > :n", true},
                      Case{"size(b) = :n", true}, Case{"size(ss) = :two", true},
                      Case{"size(ns) = :two", true}, Case{"size(bs) = :two", true},
                      Case{"size(l) = :four", true}, Case{"size(m) = :three", true},
                      Case{"size(m.c) = :one", true}, Case{"size(l[3]) = :one", true},
                      Case{"size(n) = :one", false}, Case{"size(t) = :one", false},
                      Case{"size(z) = :one", false}, Case{"size(n) <> :one", true},
                      Case{"size(s) > size(ss)", true}, Case{"size(ss) < :three", true}));

INSTANTIATE_TEST_SUITE_P(
    Logic, EvaluatorTest,
    ::testing::Values(
        Case{"s = :s AND n = :n", true}, Case{"s = :s AND n = :one", false},
        Case{"s = :zz OR n = :n", true}, Case{"s = :zz OR n = :one", false},
        Case{"NOT s = :s", false}, Case{"NOT NOT s = :s", true},
        Case{"NOT (s = :zz OR n = :one)", true},
        // AND binds tighter than OR: this is zz OR (n AND f) = false OR (true AND false).
        Case{"s = :zz OR n = :n AND t = :f", false}, Case{"(s = :zz OR n = :n) AND t = :f", false},
        Case{"s = :s OR n = :one AND t = :f", true}, Case{"(s = :s OR n = :one) AND t = :f", false},
        // NOT binds tighter than AND.
        Case{"NOT s = :zz AND n = :n", true}, Case{"NOT (s = :zz AND n = :n)", true},
        Case{"NOT s = :s OR n = :n", true},
        Case{"s = :s AND (n = :n10 OR (t = :t AND z = :z))", true},
        Case{"attribute_exists(s) AND attribute_not_exists(nope) AND size(ss) = :two", true},
        Case{"(attribute_exists(pk)) AND (#st = :s)", false}));

TEST(EvaluatorEmptyItem, IsWhatAnAbsentItemLooksLike) {
  CompiledExpressions c = testing::Compile(RequestJson("ConditionExpression",
                                                       "attribute_not_exists(pk) AND NOT pk = :v",
                                                       "", R"({":v":{"S":"a"}})"));
  EXPECT_TRUE(EvaluateCondition(c.condition->root, Item()));
  CompiledExpressions exists =
      testing::Compile(RequestJson("ConditionExpression", "attribute_exists(pk)"));
  EXPECT_FALSE(EvaluateCondition(exists.condition->root, Item()));
}

}  // namespace
}  // namespace dynemu::expr
