#include "value/item_size.h"

#include <gtest/gtest.h>

#include <string>

#include "value/value_codec.h"

namespace dynemu {
namespace {

Item ItemOf(const std::string& text) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(text, &doc).ok()) << text;
  Result<Item> item = DecodeItem(doc);
  EXPECT_TRUE(item.ok()) << text << ": " << item.status().ToString();
  return item.ok() ? *item : Item();
}

AttributeValue ValueOf(const std::string& text) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(text, &doc).ok()) << text;
  Result<AttributeValue> v = DecodeAttributeValue(doc);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? *v : AttributeValue();
}

// One rule per bullet of the AWS guide ("DynamoDB item sizes and formats").
TEST(ItemSizeTest, DocumentedRules) {
  // Strings: UTF-8 bytes of the name plus UTF-8 bytes of the value.
  EXPECT_EQ(ItemSize(ItemOf(R"({"name":{"S":"hello"}})")), 4u + 5u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"é":{"S":"日本"}})")), 2u + 6u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"s":{"S":""}})")), 1u);
  // Binary: raw bytes, not the base64 text.
  EXPECT_EQ(ItemSize(ItemOf(R"({"b":{"B":"AAECAw=="}})")), 1u + 4u);
  // Null and Boolean: one byte.
  EXPECT_EQ(ItemSize(ItemOf(R"({"n":{"NULL":true}})")), 2u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"t":{"BOOL":false}})")), 2u);
  // List or Map: 3 bytes of overhead, plus 1 per element; empty ones cost 3.
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"L":[]})")), 3u);
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"M":{}})")), 3u);
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"L":[{"S":"ab"},{"NULL":true}]})")), 3u + 3u + 2u);
  // Map entries count their names too.
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"M":{"key":{"S":"ab"}}})")), 3u + 1u + 3u + 2u);
  // Numbers: about 1 byte per two significant digits plus 1; leading and trailing
  // zeros are trimmed.
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"N":"2099"})")), 3u);
  EXPECT_EQ(AttributeValueSize(ValueOf(R"({"N":"000120000"})")),
            AttributeValueSize(ValueOf(R"({"N":"12e4"})")));
}

// Expected sizes computed by dynalite's db/index.js itemSize, whose number and
// container rules were fitted to DynamoDB's ConsumedCapacity.
TEST(ItemSizeTest, MatchesDynaliteOracle) {
  EXPECT_EQ(ItemSize(ItemOf(R"({"id":{"S":"abc"},"n":{"N":"12345"},"flag":{"BOOL":true},)"
                            R"("l":{"L":[{"S":"xy"}]}})")),
            22u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"a":{"N":"0"},"b":{"N":"1"},"c":{"N":"1.2"},"d":{"N":"-1"},)"
                            R"("e":{"N":"-12.5"},"f":{"N":"100"},"g":{"N":"0.001"},)"
                            R"("h":{"N":"99999999999999999999999999999999999999"}})")),
            45u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"ss":{"SS":["a","bc",""]},"ns":{"NS":["1","22","-3.5"]},)"
                            R"("bs":{"BS":["AAE=","/w=="]}})")),
            20u);
  EXPECT_EQ(
      ItemSize(ItemOf(R"({"m":{"M":{"x":{"NULL":true},)"
                      R"("yy":{"L":[{"BOOL":false},{"M":{}},{"L":[]}]},"z":{"B":"AAECAw=="}}}})")),
      29u);
  EXPECT_EQ(ItemSize(ItemOf(R"({"e1":{"L":[]},"e2":{"M":{}}})")), 10u);
}

TEST(ItemSizeTest, MaxItemBytes) {
  EXPECT_EQ(kMaxItemBytes, 409600u);
  Item item;
  item["p"] = AttributeValue::S(std::string(kMaxItemBytes - 1, 'x'));
  EXPECT_EQ(ItemSize(item), kMaxItemBytes);
  item["q"] = AttributeValue::Null();
  EXPECT_GT(ItemSize(item), kMaxItemBytes);
}

}  // namespace
}  // namespace dynemu
