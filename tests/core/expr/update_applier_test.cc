#include "expr/update_applier.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::ItemFromJson;
using testing::RequestJson;

constexpr char kItem[] = R"({
  "pk": {"S": "k"},
  "n": {"N": "5"}, "s": {"S": "str"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
  "bs": {"BS": ["YQ=="]},
  "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}, {"S": "l3"}]},
  "m": {"M": {"a": {"N": "1"}, "b": {"N": "2"}, "c": {"N": "3"},
              "li": {"L": [{"M": {"x": {"S": "x0"}}}, {"M": {"x": {"S": "x1"}}}]}}},
  "el": {"L": []}
})";

constexpr char kValues[] = R"({
  ":v": {"S": "new"}, ":one": {"N": "1"}, ":ten": {"N": "10"}, ":neg": {"N": "-7.25"},
  ":ss": {"SS": ["b", "c"]}, ":ssa": {"SS": ["a", "b"]}, ":ns": {"NS": ["3"]}, ":ns12": {"NS": ["1", "2"]},
  ":bs": {"BS": ["Yg=="]}, ":l": {"L": [{"S": "x"}, {"S": "y"}]}, ":el": {"L": []},
  ":m": {"M": {"k": {"S": "v"}}}, ":big": {"N": "99999999999999999999999999999999999999"},
  ":tiny": {"N": "0.00000000000000000000000000000000000001"},
  ":huge": {"N": "9.9999999999999999999999999999999999999E+125"}, ":z": {"N": "0"},
  ":s": {"S": "s"}, ":t": {"BOOL": true}
})";

// The used subset of kValues for `expression`.
std::string ValuesFor(const std::string& expression) {
  json::Document all;
  EXPECT_TRUE(json::Parse(kValues, &all).ok());
  std::string values;
  for (auto it = all.MemberBegin(); it != all.MemberEnd(); ++it) {
    std::string key(json::AsStringView(it->name));
    size_t at = 0;
    while ((at = expression.find(key, at)) != std::string::npos) {
      size_t end = at + key.size();
      if (end == expression.size() || !(isalnum(static_cast<unsigned char>(expression[end])))) {
        values += (values.empty() ? "" : ",") + ("\"" + key + "\":" + json::ToString(it->value));
        break;
      }
      at = end;
    }
  }
  return values.empty() ? "" : "{" + values + "}";
}

// Applies `expression` to `item`: the new item as DynamoDB JSON, or the error.
std::string Apply(const std::string& expression, const char* item = kItem) {
  CompiledExpressions c =
      testing::Compile(RequestJson("UpdateExpression", expression, "", ValuesFor(expression)));
  if (!c.update) return "<no update>";
  Result<Item> updated = ApplyUpdate(*c.update, ItemFromJson(item));
  return updated.ok() ? ToJson(*updated) : "ERROR: " + updated.status().message();
}

// One attribute of the updated item, as DynamoDB JSON ("" when absent).
std::string Attr(const std::string& expression, const std::string& name, const char* item = kItem) {
  CompiledExpressions c =
      testing::Compile(RequestJson("UpdateExpression", expression, "", ValuesFor(expression)));
  if (!c.update) return "<no update>";
  Result<Item> updated = ApplyUpdate(*c.update, ItemFromJson(item));
  if (!updated.ok()) return "ERROR: " + updated.status().message();
  auto it = updated->find(name);
  return it == updated->end() ? "" : ToJson(it->second);
}

struct Case {
  const char* expression;
  const char* attribute;
  const char* expected;  // the attribute after the update, "" when absent, or "ERROR: ..."
};

class UpdateApplierTest : public ::testing::TestWithParam<Case> {};

TEST_P(UpdateApplierTest, Applies) {
  EXPECT_EQ(Attr(GetParam().expression, GetParam().attribute), GetParam().expected)
      << GetParam().expression;
}

INSTANTIATE_TEST_SUITE_P(
    Set, UpdateApplierTest,
    ::testing::Values(
        Case{"SET s = :v", "s", R"({"S":"new"})"}, Case{"SET x = :v", "x", R"({"S":"new"})"},
        Case{"SET x = s", "x", R"({"S":"str"})"}, Case{"SET x = m.b", "x", R"({"N":"2"})"},
        Case{"SET x = l[1]", "x", R"({"S":"l1"})"},
        Case{"SET x = :m", "x", R"({"M":{"k":{"S":"v"}}})"},
        Case{
            "SET m.a = :v", "m",
            R"({"M":{"a":{"S":"new"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{
            "SET m.d = :one", "m",
            R"({"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"},"d":{"N":"1"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{
            "SET m.li[1].x = :v", "m",
            R"({"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"new"}}}]}}})"},
        Case{"SET l[1] = :v", "l", R"({"L":[{"S":"l0"},{"S":"new"},{"S":"l2"},{"S":"l3"}]})"},
        // Past the end: appended.
        Case{"SET l[10] = :v", "l",
             R"({"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"},{"S":"l3"},{"S":"new"}]})"},
        Case{"SET el[0] = :v", "el", R"({"L":[{"S":"new"}]})"},
        Case{"SET el[5] = :v, el[2] = :one", "el", R"({"L":[{"N":"1"},{"S":"new"}]})"},
        // Every action reads the old item: a swap.
        Case{"SET s = n, n = s", "s", R"({"N":"5"})"},
        Case{"SET s = n, n = s", "n", R"({"S":"str"})"},
        Case{"SET x = n, n = :one", "x", R"({"N":"5"})"},
        Case{
            "SET m.a = m.b, m.b = m.a", "m",
            R"({"M":{"a":{"N":"2"},"b":{"N":"1"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{"SET x = nope", "x",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"},
        Case{"SET x = m.nope", "x",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"},
        Case{"SET x = l[9]", "x",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"},
        Case{"SET nope.x = :v", "nope",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET s.x = :v", "s",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET s[0] = :v", "s",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET m[0] = :v", "m",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET l.x = :v", "l",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET m.nope.x = :v", "m",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"SET l[9].x = :v", "l",
             "ERROR: The document path provided in the update expression is invalid for update"}));

INSTANTIATE_TEST_SUITE_P(
    Arithmetic, UpdateApplierTest,
    ::testing::Values(
        Case{"SET n = n + :one", "n", R"({"N":"6"})"},
        Case{"SET n = n - :ten", "n", R"({"N":"-5"})"},
        Case{"SET n = :ten + n", "n", R"({"N":"15"})"},
        Case{"SET n = n + :neg", "n", R"({"N":"-2.25"})"},
        Case{"SET n = :one - :one", "n", R"({"N":"0"})"},
        Case{"SET x = m.a + m.c", "x", R"({"N":"4"})"},
        Case{"SET n = (n + :one)", "n", R"({"N":"6"})"},
        Case{"SET n = (n) - (:one)", "n", R"({"N":"4"})"},
        // Exact: 38 significant digits.
        Case{"SET x = :big + :one", "x", R"({"N":"100000000000000000000000000000000000000"})"},
        // A result that needs more than 38 digits is refused with the overflow text
        // (DynamoDB's wording, see Number::Add).
        Case{"SET x = :big + :big", "x",
             "ERROR: Number overflow. Attempting to store a number with magnitude larger than "
             "supported range"},
        Case{"SET x = :big - :big", "x", R"({"N":"0"})"},
        Case{"SET x = :one + :tiny", "x",
             "ERROR: Number overflow. Attempting to store a number with magnitude larger than "
             "supported range"},
        Case{"SET x = :tiny + :tiny", "x", R"({"N":"0.00000000000000000000000000000000000002"})"},
        Case{"SET x = :huge + :huge", "x",
             "ERROR: Number overflow. Attempting to store a number with magnitude larger than "
             "supported range"},
        Case{
            "SET x = :z - :huge", "x",
            R"({"N":"-999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"})"},
        Case{"SET n = if_not_exists(n, :z) + :one", "n", R"({"N":"6"})"},
        Case{"SET x = if_not_exists(x, :z) + :one", "x", R"({"N":"1"})"},
        Case{"SET n = s + :one", "n",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"SET n = n + s", "n",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"SET n = ss - :one", "n",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"SET n = nope + :one", "n",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"}));

INSTANTIATE_TEST_SUITE_P(
    Functions, UpdateApplierTest,
    ::testing::Values(
        Case{"SET s = if_not_exists(s, :v)", "s", R"({"S":"str"})"},
        Case{"SET x = if_not_exists(x, :v)", "x", R"({"S":"new"})"},
        Case{"SET x = if_not_exists(m.a, :v)", "x", R"({"N":"1"})"},
        Case{"SET x = if_not_exists(nope, s)", "x", R"({"S":"str"})"},
        Case{"SET x = if_not_exists(nope, nada)", "x",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"},
        Case{"SET l = list_append(l, :l)", "l",
             R"({"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"},{"S":"l3"},{"S":"x"},{"S":"y"}]})"},
        Case{"SET l = list_append(:l, l)", "l",
             R"({"L":[{"S":"x"},{"S":"y"},{"S":"l0"},{"S":"l1"},{"S":"l2"},{"S":"l3"}]})"},
        Case{"SET x = list_append(:el, :l)", "x", R"({"L":[{"S":"x"},{"S":"y"}]})"},
        Case{"SET x = list_append(if_not_exists(x, :el), :l)", "x",
             R"({"L":[{"S":"x"},{"S":"y"}]})"},
        Case{"SET x = list_append(s, :l)", "x",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"SET x = list_append(:l, ss)", "x",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"SET x = list_append(nope, :l)", "x",
             "ERROR: The provided expression refers to an attribute that does not exist in the "
             "item"}));

INSTANTIATE_TEST_SUITE_P(
    Remove, UpdateApplierTest,
    ::testing::Values(
        Case{"REMOVE s", "s", ""}, Case{"REMOVE nope", "nope", ""},
        Case{
            "REMOVE m.a", "m",
            R"({"M":{"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{
            "REMOVE m.nope", "m",
            R"({"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{"REMOVE l[1]", "l", R"({"L":[{"S":"l0"},{"S":"l2"},{"S":"l3"}]})"},
        Case{"REMOVE l[3]", "l", R"({"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"}]})"},
        Case{"REMOVE l[9]", "l", R"({"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"},{"S":"l3"}]})"},
        // Indexes name the old list: removing 1 and 2 removes l1 and l2.
        Case{"REMOVE l[1], l[2]", "l", R"({"L":[{"S":"l0"},{"S":"l3"}]})"},
        Case{"REMOVE l[2], l[1]", "l", R"({"L":[{"S":"l0"},{"S":"l3"}]})"},
        Case{"REMOVE l[0], l[1], l[2], l[3]", "l", R"({"L":[]})"},
        Case{"REMOVE l[0] SET l[2] = :v", "l", R"({"L":[{"S":"l1"},{"S":"new"},{"S":"l3"}]})"},
        Case{"REMOVE l[0] SET l[7] = :v", "l",
             R"({"L":[{"S":"l1"},{"S":"l2"},{"S":"l3"},{"S":"new"}]})"},
        Case{
            "REMOVE m.li[0] SET m.li[1].x = :v", "m",
            R"({"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"new"}}}]}}})"},
        Case{"REMOVE m.li[0].x, m.li[1]", "m",
             R"({"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{}}]}}})"},
        Case{"REMOVE nope.x", "nope",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"REMOVE s.x", "s",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"REMOVE s[1]", "s",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"REMOVE m[1]", "m",
             "ERROR: The document path provided in the update expression is invalid for update"}));

INSTANTIATE_TEST_SUITE_P(
    AddAndDelete, UpdateApplierTest,
    ::testing::Values(
        Case{"ADD n :one", "n", R"({"N":"6"})"}, Case{"ADD n :neg", "n", R"({"N":"-2.25"})"},
        Case{"ADD x :one", "x", R"({"N":"1"})"},
        Case{
            "ADD m.a :ten", "m",
            R"({"M":{"a":{"N":"11"},"b":{"N":"2"},"c":{"N":"3"},"li":{"L":[{"M":{"x":{"S":"x0"}}},{"M":{"x":{"S":"x1"}}}]}}})"},
        Case{"ADD n :big", "n",
             "ERROR: Number overflow. Attempting to store a number with magnitude larger than "
             "supported range"},
        Case{"ADD ss :ss", "ss", R"({"SS":["a","b","c"]})"},
        Case{"ADD ns :ns", "ns", R"({"NS":["1","2","3"]})"},
        Case{"ADD bs :bs", "bs", R"({"BS":["YQ==","Yg=="]})"},
        Case{"ADD x :ss", "x", R"({"SS":["b","c"]})"},
        Case{"ADD l[9] :one", "l",
             R"({"L":[{"S":"l0"},{"S":"l1"},{"S":"l2"},{"S":"l3"},{"N":"1"}]})"},
        Case{"ADD s :one", "s",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"ADD ss :ns", "ss",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"ADD n :ss", "n",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"ADD nope.x :one", "nope",
             "ERROR: The document path provided in the update expression is invalid for update"},
        Case{"DELETE ss :ss", "ss", R"({"SS":["a"]})"}, Case{"DELETE ss :ssa", "ss", ""},
        Case{"DELETE ns :ns12", "ns", ""}, Case{"DELETE ns :ns", "ns", R"({"NS":["1","2"]})"},
        Case{"DELETE x :ss", "x", ""}, Case{"DELETE bs :bs", "bs", R"({"BS":["YQ=="]})"},
        Case{"DELETE ss :ns", "ss",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"DELETE s :ss", "s",
             "ERROR: An operand in the update expression has an incorrect data type"},
        Case{"DELETE s.x :ss", "s",
             "ERROR: The document path provided in the update expression is invalid for update"}));

TEST(UpdateApplierWhole, AllClausesTogether) {
  EXPECT_EQ(Apply("SET s = :v, x = n + :one REMOVE l[0], m ADD ns :ns DELETE ss :ssa",
                  R"({"pk":{"S":"k"},"s":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"N":"0"},{"N":"1"}]},)"
                  R"("m":{"M":{}},"ns":{"NS":["1"]},"ss":{"SS":["a","b"]}})"),
            R"({"l":{"L":[{"N":"1"}]},"n":{"N":"1"},"ns":{"NS":["1","3"]},"pk":{"S":"k"},)"
            R"("s":{"S":"new"},"x":{"N":"2"}})");
}

// dynalite's "should update nested attributes", recorded from DynamoDB: appends
// past the end land in index order, whatever order the actions are written in.
TEST(UpdateApplierWhole, AppendsInIndexOrder) {
  const char* item =
      R"({"a":{"S":"key"},"b":{"M":{"a":{"N":"1"},"b":{"N":"2"},"c":{"N":"3"}}},"c":{"L":[{"N":"1"},{"N":"3"}]}})";
  CompiledExpressions c = testing::Compile(RequestJson(
      "UpdateExpression",
      "set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a",
      "", R"({":a":{"N":"2"},":b":{"SS":["a"]}})"));
  ASSERT_TRUE(c.update.has_value());
  Result<Item> updated = ApplyUpdate(*c.update, ItemFromJson(item));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(ToJson(*updated),
            R"({"a":{"S":"key"},"b":{"M":{"a":{"S":"key"},"b":{"N":"2"},"c":{"N":"4"}}},)"
            R"("c":{"L":[{"N":"1"},{"S":"key"},{"N":"3"},{"N":"-1"},{"N":"2"},{"SS":["a"]}]}})");
}

TEST(UpdateApplierWhole, NestingLimit) {
  // 31 maps around a scalar are fine; a SET that puts a 31-deep value one level
  // down makes 33 levels.
  std::string value = R"({"S":"x"})";
  for (int i = 0; i < 31; i++) value = R"({"M":{"k":)" + value + "}}";
  CompiledExpressions ok =
      testing::Compile(RequestJson("UpdateExpression", "SET a = :v", "", "{\":v\":" + value + "}"));
  EXPECT_TRUE(ApplyUpdate(*ok.update, ItemFromJson(R"({"pk":{"S":"k"}})")).ok());
  CompiledExpressions deep = testing::Compile(
      RequestJson("UpdateExpression", "SET m.a = :v", "", "{\":v\":" + value + "}"));
  Result<Item> r = ApplyUpdate(*deep.update, ItemFromJson(R"({"pk":{"S":"k"},"m":{"M":{}}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested "
            "levels beyond supported limit");
}

TEST(UpdateApplierWhole, OnAnEmptyItem) {
  EXPECT_EQ(Apply("SET a = :v ADD n :one, s :ss", "{}"),
            R"({"a":{"S":"new"},"n":{"N":"1"},"s":{"SS":["b","c"]}})");
  EXPECT_EQ(Apply("REMOVE a DELETE s :ss", "{}"), "{}");
  EXPECT_EQ(Apply("SET a.b = :v", "{}"),
            "ERROR: The document path provided in the update expression is invalid for update");
  EXPECT_EQ(Apply("SET a[0] = :v", "{}"),
            "ERROR: The document path provided in the update expression is invalid for update");
}

}  // namespace
}  // namespace dynemu::expr
