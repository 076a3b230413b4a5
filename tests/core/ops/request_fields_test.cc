#include "ops/request_fields.h"

#include <gtest/gtest.h>

namespace dynemu {
namespace {

TEST(RequestFieldsTest, ReadsMembersAsTheFrontEndConvertsThem) {
  json::Document doc;
  ASSERT_TRUE(json::Parse(R"({"s":"x","b":"yes","f":false,"n":2.7,"big":1e30,"a":[1],"o":{},
                              "nul":null,"neg":-3})",
                          &doc)
                  .ok());
  EXPECT_EQ(fields::String(doc, "s"), "x");
  EXPECT_EQ(fields::StringView(doc, "s"), "x");
  EXPECT_EQ(fields::StringView(doc, "missing"), "");
  EXPECT_EQ(fields::Bool(doc, "b"), true);
  EXPECT_EQ(fields::Bool(doc, "f"), false);
  EXPECT_EQ(fields::Long(doc, "n"), 2);
  EXPECT_EQ(fields::Long(doc, "neg"), -3);
  EXPECT_EQ(fields::Long(doc, "big"), std::numeric_limits<int64_t>::max());
  EXPECT_NE(fields::Array(doc, "a"), nullptr);
  EXPECT_NE(fields::Object(doc, "o"), nullptr);
  // Null is absent; a member of another type reads as absent, never converted.
  EXPECT_FALSE(fields::Has(doc, "nul"));
  EXPECT_EQ(fields::String(doc, "n"), std::nullopt);
  EXPECT_EQ(fields::Array(doc, "o"), nullptr);
  EXPECT_EQ(fields::Object(doc, "a"), nullptr);
  // Not an object: nothing.
  json::Document list;
  ASSERT_TRUE(json::Parse("[1]", &list).ok());
  EXPECT_EQ(fields::Member(list, "s"), nullptr);
}

}  // namespace
}  // namespace dynemu
