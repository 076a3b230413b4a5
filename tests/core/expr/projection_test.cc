#include "expr/projection.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::ItemFromJson;
using testing::RequestJson;

constexpr char kItem[] = R"({
  "pk": {"S": "p"}, "a": {"M": {"b": {"S": "bb"}, "c": {"N": "1"}, "d": {"M": {"e": {"S": "ee"}}}}},
  "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}, {"M": {"x": {"N": "9"}, "y": {"N": "8"}}}]},
  "s": {"S": "str"}, "ss": {"SS": ["x", "y"]}, "dot.ted": {"N": "3"}
})";

std::string Project(const std::string& projection, const std::string& names = "") {
  CompiledExpressions c = testing::Compile(RequestJson("ProjectionExpression", projection, names));
  if (!c.projection) return "<none>";
  std::vector<const DocumentPath*> paths;
  for (const Operand& p : c.projection->paths) paths.push_back(&p.path);
  return ToJson(ProjectItem(ItemFromJson(kItem), paths));
}

struct Case {
  const char* projection;
  const char* names;
  const char* expected;
};

class ProjectionTest : public ::testing::TestWithParam<Case> {};

TEST_P(ProjectionTest, Projects) {
  EXPECT_EQ(Project(GetParam().projection, GetParam().names), GetParam().expected)
      << GetParam().projection;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ProjectionTest,
    ::testing::Values(
        Case{"s", "", R"({"s":{"S":"str"}})"},
        Case{"s, pk", "", R"({"pk":{"S":"p"},"s":{"S":"str"}})"}, Case{"nope", "", "{}"},
        Case{"s, nope", "", R"({"s":{"S":"str"}})"},
        Case{"a.b", "", R"({"a":{"M":{"b":{"S":"bb"}}}})"},
        Case{"a.b, a.c", "", R"({"a":{"M":{"b":{"S":"bb"},"c":{"N":"1"}}}})"},
        Case{"a.d.e", "", R"({"a":{"M":{"d":{"M":{"e":{"S":"ee"}}}}}})"}, Case{"a.nope", "", "{}"},
        Case{"a.b.c", "", "{}"}, Case{"l[0]", "", R"({"l":{"L":[{"S":"l0"}]}})"},
        // Kept elements are compacted, in index order.
        Case{"l[2], l[0]", "", R"({"l":{"L":[{"S":"l0"},{"S":"l2"}]}})"}, Case{"l[9]", "", "{}"},
        Case{"l[3].y, l[1]", "", R"({"l":{"L":[{"S":"l1"},{"M":{"y":{"N":"8"}}}]}})"},
        Case{"l[3].x, l[3].y", "", R"({"l":{"L":[{"M":{"x":{"N":"9"},"y":{"N":"8"}}}]}})"},
        Case{"s[0]", "", "{}"}, Case{"ss[0]", "", "{}"}, Case{"a[0]", "", "{}"},
        Case{"l.x", "", "{}"}, Case{"#d", R"({"#d":"dot.ted"})", R"({"dot.ted":{"N":"3"}})"},
        Case{"dot.ted", "", "{}"},
        Case{"#a.#b", R"({"#a":"a","#b":"b"})", R"({"a":{"M":{"b":{"S":"bb"}}}})"}));

TEST(ProjectionOverlap, OuterPathKeepsEverything) {
  // Not from an expression (DynamoDB refuses overlapping projections), but from
  // the paths of an update, which never overlap either: the outer path wins.
  Item item = ItemFromJson(kItem);
  DocumentPath outer = {PathStep{false, "a", 0}};
  DocumentPath inner = {PathStep{false, "a", 0}, PathStep{false, "b", 0}};
  EXPECT_EQ(ToJson(ProjectItem(item, {&inner, &outer})), ToJson(ProjectItem(item, {&outer})));
  EXPECT_EQ(ToJson(ProjectItem(item, {&outer, &inner})), ToJson(ProjectItem(item, {&outer})));
}

}  // namespace
}  // namespace dynemu::expr
