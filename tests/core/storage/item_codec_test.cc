#include "storage/item_codec.h"

#include "expr/projection.h"
#include "value/item_size.h"
#include "value/value_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace dynemu::item_codec {
namespace {

std::string RandomBytes(std::mt19937_64& rng, size_t max_len) {
  std::string s(rng() % (max_len + 1), '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

Number RandomNumber(std::mt19937_64& rng) {
  if (rng() % 10 == 0) return Number();
  std::string d(1 + rng() % 38, '0');
  for (char& c : d) c = static_cast<char>('0' + rng() % 10);
  d.front() = static_cast<char>('1' + rng() % 9);
  d.back() = static_cast<char>('1' + rng() % 9);
  int exponent = -129 + static_cast<int>(rng() % 256);
  std::optional<Number> n = Number::FromParts(rng() % 2 == 0, d, exponent);
  EXPECT_TRUE(n.has_value());
  return n ? *n : Number();
}

AttributeValue RandomValue(std::mt19937_64& rng, int depth) {
  int type = static_cast<int>(rng() % (depth >= 6 ? 8 : 10));
  switch (static_cast<ValueType>(type)) {
    case ValueType::kS:
      return AttributeValue::S(RandomBytes(rng, 20));
    case ValueType::kN:
      return AttributeValue::N(RandomNumber(rng));
    case ValueType::kB:
      return AttributeValue::B(RandomBytes(rng, 20));
    case ValueType::kBool:
      return AttributeValue::Bool(rng() % 2 == 0);
    case ValueType::kNull:
      return AttributeValue::Null();
    case ValueType::kSS:
    case ValueType::kBS: {
      std::vector<std::string> members(1 + rng() % 5);
      for (std::string& m : members) m = RandomBytes(rng, 6);
      return type == static_cast<int>(ValueType::kSS) ? AttributeValue::SS(members)
                                                      : AttributeValue::BS(members);
    }
    case ValueType::kNS: {
      std::vector<Number> members(1 + rng() % 5);
      for (Number& m : members) m = RandomNumber(rng);
      return AttributeValue::NS(members);
    }
    case ValueType::kL: {
      List list(rng() % 4);
      for (AttributeValue& e : list) e = RandomValue(rng, depth + 1);
      return AttributeValue::L(std::move(list));
    }
    case ValueType::kM: {
      Map map;
      size_t n = rng() % 4;
      for (size_t i = 0; i < n; i++) map[RandomBytes(rng, 4)] = RandomValue(rng, depth + 1);
      return AttributeValue::M(std::move(map));
    }
  }
  return AttributeValue::Null();
}

Item RandomItem(std::mt19937_64& rng) {
  Item item;
  size_t n = rng() % 8;
  for (size_t i = 0; i < n; i++) item[RandomBytes(rng, 8)] = RandomValue(rng, 1);
  return item;
}

std::string EncodeToString(const Item& item) {
  std::string out;
  Encode(item, &out);
  return out;
}

TEST(ItemCodecTest, RoundTripsEveryType) {
  Item item;
  item["s"] = AttributeValue::S(std::string("a\0\xff", 3));
  item["empty"] = AttributeValue::S("");
  item["n"] = AttributeValue::N(*Number::Parse("-123.456e-7"));
  item["zero"] = AttributeValue::N(Number());
  item["big"] = AttributeValue::N(*Number::Parse("9.9999999999999999999999999999999999999e125"));
  item["tiny"] = AttributeValue::N(*Number::Parse("-1e-130"));
  item["b"] = AttributeValue::B(std::string("\0\1\2", 3));
  item["t"] = AttributeValue::Bool(true);
  item["f"] = AttributeValue::Bool(false);
  item["null"] = AttributeValue::Null();
  item["ss"] = AttributeValue::SS({"x", "", "y"});
  item["ns"] = AttributeValue::NS({*Number::Parse("1"), *Number::Parse("-2.5")});
  item["bs"] = AttributeValue::BS({std::string(1, '\0'), "\xff"});
  item["l"] =
      AttributeValue::L({AttributeValue::Null(), AttributeValue::L({}), AttributeValue::M({})});
  Map inner;
  inner[""] = AttributeValue::S("empty name");
  inner["k"] = AttributeValue::L({AttributeValue::N(Number::FromInt64(1))});
  item["m"] = AttributeValue::M(inner);

  std::string bytes = EncodeToString(item);
  EXPECT_EQ(bytes[0], '\x01');  // version first
  Result<Item> back = Decode(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, item);
  // Equal items give equal bytes.
  EXPECT_EQ(EncodeToString(*back), bytes);
}

TEST(ItemCodecTest, EmptyItem) {
  std::string bytes = EncodeToString(Item());
  EXPECT_EQ(bytes, std::string("\x01\x00", 2));
  Result<Item> back = Decode(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST(ItemCodecTest, EncodeAppends) {
  std::string out = "prefix";
  Encode(Item(), &out);
  EXPECT_EQ(out, std::string("prefix\x01\x00", 8));
}

TEST(ItemCodecTest, NumbersAreCompact) {
  Item item;
  item["n"] = AttributeValue::N(*Number::Parse(std::string(38, '7')));
  // version, count, name (2), type, header, exponent, 19 packed bytes.
  EXPECT_EQ(EncodeToString(item).size(), 1u + 1u + 2u + 1u + 1u + 1u + 19u);
}

TEST(ItemCodecTest, RandomItemsRoundTrip) {
  std::mt19937_64 rng(1234);
  for (int i = 0; i < 3000; i++) {
    Item item = RandomItem(rng);
    std::string bytes = EncodeToString(item);
    Result<Item> back = Decode(bytes);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    ASSERT_EQ(*back, item);
  }
}

// The JSON EncodeItem writes for `item`.
std::string EncodeItemJson(const Item& item) {
  json::StringBuffer buffer;
  json::Writer writer(buffer);
  EncodeItem(item, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// WriteJson's text for `bytes`, or its error.
Result<std::pair<std::string, size_t>> WriteJsonText(std::string_view bytes) {
  json::StringBuffer buffer;
  json::Writer writer(buffer);
  DYN_ASSIGN_OR_RETURN(size_t size, WriteJson(bytes, writer));
  return std::make_pair(std::string(buffer.GetString(), buffer.GetSize()), size);
}

TEST(ItemCodecTest, WriteJsonIsEncodeItemOfTheDecodedItem) {
  std::mt19937_64 rng(4321);
  for (int i = 0; i < 3000; i++) {
    Item item = RandomItem(rng);
    Result<std::pair<std::string, size_t>> out = WriteJsonText(EncodeToString(item));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(out->first, EncodeItemJson(item));
    ASSERT_EQ(out->second, ItemSize(item));
    Result<size_t> size = ItemSizeOf(EncodeToString(item));
    ASSERT_TRUE(size.ok());
    ASSERT_EQ(*size, ItemSize(item));
  }
  Result<std::pair<std::string, size_t>> empty = WriteJsonText(EncodeToString(Item{}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->first, "{}");
  EXPECT_EQ(empty->second, 0u);
}

// A projection on whole top-level attributes, written from the stored bytes, is
// what EncodeItem writes for expr::ProjectItem's item; the sizes are the whole
// item's and the projected one's. The names asked for are some of the item's,
// some it lacks, in any order and now and then twice.
TEST(ItemCodecTest, WriteJsonOnlyIsEncodeItemOfTheProjectedItem) {
  std::mt19937_64 rng(987);
  for (int i = 0; i < 3000; i++) {
    Item item = RandomItem(rng);
    std::vector<expr::DocumentPath> paths;
    for (const auto& [name, value] : item) {
      if (rng() % 2 == 0) paths.push_back({expr::PathStep{false, name, 0}});
    }
    const size_t absent = rng() % 3;
    for (size_t k = 0; k < absent; k++) paths.push_back({expr::PathStep{false, RandomBytes(rng, 8), 0}});
    if (!paths.empty() && rng() % 4 == 0) paths.push_back(paths.front());
    std::shuffle(paths.begin(), paths.end(), rng);

    std::optional<std::vector<std::string_view>> names = expr::TopLevelNames(paths);
    ASSERT_TRUE(names.has_value());
    std::vector<const expr::DocumentPath*> path_ptrs;
    for (const expr::DocumentPath& p : paths) path_ptrs.push_back(&p);
    const Item projected = expr::ProjectItem(item, path_ptrs);

    json::StringBuffer buffer;
    json::Writer writer(buffer);
    size_t projected_size = 12345;
    Result<size_t> size = WriteJson(EncodeToString(item), writer, &*names, &projected_size);
    ASSERT_TRUE(size.ok()) << size.status().ToString();
    ASSERT_EQ(std::string(buffer.GetString(), buffer.GetSize()), EncodeItemJson(projected));
    ASSERT_EQ(*size, ItemSize(item));
    ASSERT_EQ(projected_size, ItemSize(projected));
  }
}

TEST(ItemCodecTest, OnlyPathsOfOneNameAreTopLevelNames) {
  using expr::PathStep;
  std::vector<expr::DocumentPath> paths = {{PathStep{false, "b", 0}}, {PathStep{false, "a", 0}},
                                           {PathStep{false, "b", 0}}};
  std::optional<std::vector<std::string_view>> names = expr::TopLevelNames(paths);
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, (std::vector<std::string_view>{"a", "b"}));
  paths.push_back({PathStep{false, "m", 0}, PathStep{false, "x", 0}});  // m.x
  EXPECT_FALSE(expr::TopLevelNames(paths).has_value());
  paths.back() = {PathStep{false, "l", 0}, PathStep{true, "", 2}};  // l[2]
  EXPECT_FALSE(expr::TopLevelNames(paths).has_value());
}

TEST(ItemCodecTest, CorruptBytesAreRefused) {
  auto expect_corrupt = [](const std::string& bytes) {
    Result<Item> r = Decode(bytes);
    ASSERT_FALSE(r.ok()) << "decoded " << bytes.size() << " bytes";
    EXPECT_EQ(r.status().code(), ErrorCode::kInternalServerError);
    Result<std::pair<std::string, size_t>> json = WriteJsonText(bytes);
    ASSERT_FALSE(json.ok()) << "transcoded " << bytes.size() << " bytes";
    EXPECT_EQ(json.status().code(), ErrorCode::kInternalServerError);
    EXPECT_FALSE(ItemSizeOf(bytes).ok());
  };
  expect_corrupt("");
  expect_corrupt(std::string("\x02\x00", 2));      // unknown version
  expect_corrupt(std::string("\x01", 1));          // no count
  expect_corrupt(std::string("\x01\x00\x00", 3));  // trailing byte
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x0a",
                  5));  // unknown type 10
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x03\x02",
                  6));  // boolean 2
  expect_corrupt(
      std::string("\x01\x05\x01"
                  "a\x04",
                  5));  // count larger than the bytes
  expect_corrupt(
      std::string("\x01\x02\x01"
                  "a\x04\x01"
                  "a\x04",
                  8));  // repeated name
  expect_corrupt(
      std::string("\x01\x02\x01"
                  "b\x04\x01"
                  "a\x04",
                  8));  // names out of order
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x05\x02\x01y\x01x",
                  10));  // SS out of order
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x05\x02\x01x\x01x",
                  10));  // SS member repeated
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x06\x02\x02\x02\x20\x02\x02\x10",
                  12));  // NS {2, 1}
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
                  15));
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x05\x00",
                  6));  // empty SS
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x01",
                  6));  // negative zero
  // Number "1" is header 0x02, exponent zigzag(1) = 0x02, digits 0x10.
  EXPECT_TRUE(Decode(std::string("\x01\x01\x01"
                                 "a\x01\x02\x02\x10",
                                 8))
                  .ok());
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x02\x02\x11",
                  8));  // odd pad not zero
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x02\x02\xa0",
                  8));  // digit 10
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x02\x02\x00",
                  8));  // leading zero
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x02\xfe\x01\x10",
                  9));  // exponent 127
  expect_corrupt(
      std::string("\x01\x01\x01"
                  "a\x01\x4e\x02",
                  7));  // 39 digits
  // Lists nested past any legal depth.
  std::string deep = std::string(
      "\x01\x01\x01"
      "a",
      4);
  for (int i = 0; i < 100000; i++) deep += std::string("\x08\x01", 2);
  deep += "\x04";
  expect_corrupt(deep);
}

TEST(ItemCodecTest, FuzzedBytesNeverCrash) {
  std::mt19937_64 rng(99);
  int decoded = 0;  // for the debugger; most mutations decode to an error
  for (int i = 0; i < 2000; i++) {
    std::string bytes = EncodeToString(RandomItem(rng));
    // Every truncation.
    for (size_t cut = 0; cut < bytes.size(); cut++) {
      Result<Item> r = Decode(std::string_view(bytes).substr(0, cut));
      ASSERT_EQ(WriteJsonText(std::string_view(bytes).substr(0, cut)).ok(), r.ok());
      if (r.ok()) decoded++;
    }
    // Random byte flips and insertions.
    for (int j = 0; j < 20; j++) {
      std::string mutated = bytes;
      size_t pos = rng() % mutated.size();
      switch (rng() % 3) {
        case 0:
          mutated[pos] = static_cast<char>(rng());
          break;
        case 1:
          mutated[pos] ^= static_cast<char>(1 << (rng() % 8));
          break;
        default:
          mutated.insert(pos, 1, static_cast<char>(rng()));
          break;
      }
      Result<Item> r = Decode(mutated);
      // The transcoder accepts exactly what Decode accepts, and writes its item.
      Result<std::pair<std::string, size_t>> json = WriteJsonText(mutated);
      ASSERT_EQ(json.ok(), r.ok());
      ASSERT_EQ(ItemSizeOf(mutated).ok(), r.ok());
      if (r.ok()) {
        ASSERT_EQ(json->first, EncodeItemJson(*r));
        ASSERT_EQ(json->second, ItemSize(*r));
        ASSERT_EQ(*ItemSizeOf(mutated), ItemSize(*r));
      }
      if (r.ok()) {
        decoded++;
        // Whatever decodes is a valid item that encodes and decodes again.
        Result<Item> again = Decode(EncodeToString(*r));
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(*again, *r);
      } else {
        EXPECT_EQ(r.status().code(), ErrorCode::kInternalServerError);
      }
    }
  }
  // Pure noise, with and without a valid version byte.
  for (int i = 0; i < 20000; i++) {
    std::string noise = RandomBytes(rng, 64);
    if (i % 2 == 0 && !noise.empty()) noise[0] = '\x01';
    Result<Item> r = Decode(noise);
    ASSERT_EQ(WriteJsonText(noise).ok(), r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInternalServerError);
    }
  }
}

}  // namespace
}  // namespace dynemu::item_codec
