#include "value/attribute_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dynemu {
namespace {

Number N(std::string_view text) { return *Number::Parse(text); }

TEST(AttributeValueTest, TypeNames) {
  EXPECT_EQ(ValueTypeName(ValueType::kS), "S");
  EXPECT_EQ(ValueTypeName(ValueType::kN), "N");
  EXPECT_EQ(ValueTypeName(ValueType::kB), "B");
  EXPECT_EQ(ValueTypeName(ValueType::kBool), "BOOL");
  EXPECT_EQ(ValueTypeName(ValueType::kNull), "NULL");
  EXPECT_EQ(ValueTypeName(ValueType::kSS), "SS");
  EXPECT_EQ(ValueTypeName(ValueType::kNS), "NS");
  EXPECT_EQ(ValueTypeName(ValueType::kBS), "BS");
  EXPECT_EQ(ValueTypeName(ValueType::kL), "L");
  EXPECT_EQ(ValueTypeName(ValueType::kM), "M");
}

TEST(AttributeValueTest, EnumeratorValuesAreStable) {
  // Storage writes these numbers; they must never change.
  EXPECT_EQ(static_cast<int>(ValueType::kS), 0);
  EXPECT_EQ(static_cast<int>(ValueType::kN), 1);
  EXPECT_EQ(static_cast<int>(ValueType::kB), 2);
  EXPECT_EQ(static_cast<int>(ValueType::kM), 9);
}

TEST(AttributeValueTest, ScalarsAndAccessors) {
  EXPECT_EQ(AttributeValue().type(), ValueType::kNull);
  EXPECT_EQ(AttributeValue::Null().type(), ValueType::kNull);
  EXPECT_EQ(AttributeValue::S("x").s(), "x");
  EXPECT_EQ(AttributeValue::B(std::string("\0\1", 2)).b(), std::string("\0\1", 2));
  EXPECT_EQ(AttributeValue::N(N("1.50")).n().ToString(), "1.5");
  EXPECT_TRUE(AttributeValue::Bool(true).boolean());
  EXPECT_FALSE(AttributeValue::Bool(false).boolean());
}

TEST(AttributeValueTest, StringAndBinarySetsSortByUnsignedBytes) {
  AttributeValue ss = AttributeValue::SS({"b", "\xc3\xa9", "a", "B", "", "a", "ab"});
  EXPECT_EQ(ss.ss(), (std::vector<std::string>{"", "B", "a", "ab", "b", "\xc3\xa9"}));
  AttributeValue bs = AttributeValue::BS({std::string("\xff", 1), std::string("\x00", 1),
                                          std::string("\x7f", 1), std::string("\x80", 1),
                                          std::string("\x00\x00", 2), std::string("\x00", 1)});
  EXPECT_EQ(bs.bs(), (std::vector<std::string>{std::string("\x00", 1), std::string("\x00\x00", 2),
                                               std::string("\x7f", 1), std::string("\x80", 1),
                                               std::string("\xff", 1)}));
}

TEST(AttributeValueTest, NumberSetsSortNumerically) {
  AttributeValue ns = AttributeValue::NS({N("10"), N("9"), N("-1"), N("1e3"), N("1000"), N("0.5")});
  std::vector<std::string> got;
  for (const Number& n : ns.ns()) got.push_back(n.ToString());
  EXPECT_EQ(got, (std::vector<std::string>{"-1", "0.5", "9", "10", "1000"}));
}

TEST(AttributeValueTest, Equality) {
  EXPECT_EQ(AttributeValue::S("a"), AttributeValue::S("a"));
  EXPECT_NE(AttributeValue::S("a"), AttributeValue::S("b"));
  // Same bytes, different types.
  EXPECT_NE(AttributeValue::S("a"), AttributeValue::B("a"));
  EXPECT_NE(AttributeValue::SS({"a"}), AttributeValue::BS({"a"}));
  EXPECT_EQ(AttributeValue::N(N("1000")), AttributeValue::N(N("1e3")));
  EXPECT_NE(AttributeValue::N(N("1")), AttributeValue::S("1"));
  EXPECT_EQ(AttributeValue::Null(), AttributeValue());
  EXPECT_NE(AttributeValue::Bool(true), AttributeValue::Bool(false));
  // Sets compare as sets.
  EXPECT_EQ(AttributeValue::SS({"a", "b"}), AttributeValue::SS({"b", "a", "a"}));
  EXPECT_EQ(AttributeValue::NS({N("1"), N("2")}), AttributeValue::NS({N("2.0"), N("1")}));
  EXPECT_NE(AttributeValue::SS({"a"}), AttributeValue::SS({"a", "b"}));
  // Lists are ordered; maps are not.
  EXPECT_NE(AttributeValue::L({AttributeValue::S("a"), AttributeValue::S("b")}),
            AttributeValue::L({AttributeValue::S("b"), AttributeValue::S("a")}));
  Map m1, m2;
  m1["x"] = AttributeValue::N(N("1"));
  m1["y"] = AttributeValue::L({AttributeValue::Null()});
  m2["y"] = AttributeValue::L({AttributeValue::Null()});
  m2["x"] = AttributeValue::N(N("1.0"));
  EXPECT_EQ(AttributeValue::M(m1), AttributeValue::M(m2));
  m2["z"] = AttributeValue::S("");
  EXPECT_NE(AttributeValue::M(m1), AttributeValue::M(m2));
  EXPECT_NE(AttributeValue::M({}), AttributeValue::L({}));
}

TEST(AttributeValueTest, MutableContainers) {
  AttributeValue l = AttributeValue::L({});
  l.mutable_l().push_back(AttributeValue::S("a"));
  EXPECT_EQ(l.l().size(), 1u);
  AttributeValue m = AttributeValue::M({});
  m.mutable_m()["k"] = AttributeValue::Bool(true);
  EXPECT_TRUE(m.m().at("k").boolean());
  // Copies are deep.
  AttributeValue copy = m;
  copy.mutable_m()["k"] = AttributeValue::Bool(false);
  EXPECT_TRUE(m.m().at("k").boolean());
}

TEST(AttributeValueDeathTest, WrongAccessorAborts) {
  EXPECT_DEATH((void)AttributeValue::S("a").n(), "");
  EXPECT_DEATH((void)AttributeValue::B("a").s(), "");
}

}  // namespace
}  // namespace dynemu
