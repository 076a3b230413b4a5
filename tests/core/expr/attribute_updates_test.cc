#include "expr/attribute_updates.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::ItemFromJson;

std::string Apply(const char* updates, const char* item) {
  json::Document d;
  EXPECT_TRUE(json::Parse(updates, &d).ok()) << updates;
  Result<std::vector<AttributeUpdate>> decoded = DecodeAttributeUpdates(&d);
  if (!decoded.ok()) return "DECODE: " + decoded.status().message();
  Result<Item> applied = ApplyAttributeUpdates(*decoded, ItemFromJson(item));
  return applied.ok() ? ToJson(*applied) : "APPLY: " + applied.status().message();
}

struct Case {
  const char* updates;
  const char* item;
  const char* expected;
};

class AttributeUpdatesTest : public ::testing::TestWithParam<Case> {};

TEST_P(AttributeUpdatesTest, Applies) {
  EXPECT_EQ(Apply(GetParam().updates, GetParam().item), GetParam().expected) << GetParam().updates;
}

#define INVALID "DECODE: One or more parameter values were invalid: "
constexpr char kItem[] =
    R"({"k":{"S":"k"},"n":{"N":"1"},"ss":{"SS":["a","b"]},"l":{"L":[{"S":"x"}]},"s":{"S":"s"}})";

INSTANTIATE_TEST_SUITE_P(
    Cases, AttributeUpdatesTest,
    ::testing::Values(
        Case{
            R"({"s":{"Value":{"S":"new"}}})", kItem,
            R"({"k":{"S":"k"},"l":{"L":[{"S":"x"}]},"n":{"N":"1"},"s":{"S":"new"},"ss":{"SS":["a","b"]}})"},
        Case{R"({"x":{"Action":"PUT","Value":{"N":"42"}}})", R"({"k":{"S":"k"}})",
             R"({"k":{"S":"k"},"x":{"N":"42"}})"},
        Case{R"({"n":{"Action":"ADD","Value":{"N":"5"}}})", R"({"n":{"N":"1"}})",
             R"({"n":{"N":"6"}})"},
        Case{R"({"n":{"Action":"ADD","Value":{"N":"5"}}})", "{}", R"({"n":{"N":"5"}})"},
        Case{R"({"ss":{"Action":"ADD","Value":{"SS":["b","c"]}}})", R"({"ss":{"SS":["a","b"]}})",
             R"({"ss":{"SS":["a","b","c"]}})"},
        Case{R"({"l":{"Action":"ADD","Value":{"L":[{"N":"2"}]}}})", R"({"l":{"L":[{"S":"x"}]}})",
             R"({"l":{"L":[{"S":"x"},{"N":"2"}]}})"},
        Case{R"({"ss":{"Action":"DELETE","Value":{"SS":["a"]}}})", R"({"ss":{"SS":["a","b"]}})",
             R"({"ss":{"SS":["b"]}})"},
        Case{R"({"ss":{"Action":"DELETE","Value":{"SS":["a","b","z"]}}})",
             R"({"ss":{"SS":["a","b"]}})", "{}"},
        Case{R"({"ss":{"Action":"DELETE","Value":{"SS":["a"]}}})", "{}", "{}"},
        Case{R"({"s":{"Action":"DELETE"}})", R"({"s":{"S":"s"},"t":{"S":"t"}})",
             R"({"t":{"S":"t"}})"},
        Case{R"({"s":{"Action":"DELETE"}})", "{}", "{}"},
        Case{R"({"n":{"Action":"ADD","Value":{"N":"1"}}})", R"({"n":{"S":"1"}})",
             "APPLY: Type mismatch for attribute to update"},
        Case{R"({"ss":{"Action":"ADD","Value":{"NS":["1"]}}})", R"({"ss":{"SS":["a"]}})",
             "APPLY: Type mismatch for attribute to update"},
        Case{R"({"ss":{"Action":"DELETE","Value":{"NS":["1"]}}})", R"({"ss":{"SS":["a"]}})",
             "APPLY: Type mismatch for attribute to update"},
        Case{R"({"n":{"Action":"ADD","Value":{"N":"1E+125"}}})", R"({"n":{"N":"9.9E+125"}})",
             "APPLY: Number overflow. Attempting to store a number with magnitude larger than "
             "supported range"},
        // dynalite's recordings of the checks.
        Case{R"({"a":{"x":"whatever"}})", "{}",
             INVALID "Only DELETE action is allowed when no attribute value is specified"},
        Case{R"({"a":{"Action":"ADD"}})", "{}",
             INVALID "Only DELETE action is allowed when no attribute value is specified"},
        Case{R"({"a":{"Action":"DELETE","Value":{"S":"1"}}})", "{}",
             INVALID "DELETE action with value is not supported for the type S"},
        Case{R"({"a":{"Action":"DELETE","Value":{"N":"1"}}})", "{}",
             INVALID "DELETE action with value is not supported for the type N"},
        Case{R"({"a":{"Action":"DELETE","Value":{"L":[]}}})", "{}",
             INVALID "DELETE action with value is not supported for the type L"},
        Case{R"({"a":{"Action":"DELETE","Value":{"M":{}}}})", "{}",
             INVALID "DELETE action with value is not supported for the type M"},
        Case{R"({"a":{"Action":"ADD","Value":{"S":"1"}}})", "{}",
             INVALID "ADD action is not supported for the type S"},
        Case{R"({"a":{"Action":"ADD","Value":{"B":"Yg=="}}})", "{}",
             INVALID "ADD action is not supported for the type B"},
        Case{R"({"a":{"Action":"ADD","Value":{"BOOL":true}}})", "{}",
             INVALID "ADD action is not supported for the type BOOL"},
        Case{R"({"a":{"Action":"ADD","Value":{"NULL":true}}})", "{}",
             INVALID "ADD action is not supported for the type NULL"},
        Case{R"({"a":{"Action":"ADD","Value":{"M":{}}}})", "{}",
             INVALID "ADD action is not supported for the type M"},
        Case{R"({"a":{"Value":{"SS":[]}}})", "{}", INVALID "An string set  may not be empty"}));

}  // namespace
}  // namespace dynemu::expr
