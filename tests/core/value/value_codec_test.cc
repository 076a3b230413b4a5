#include "value/value_codec.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace dynemu {
namespace {

constexpr char kNesting[] =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";

Result<AttributeValue> Decode(const std::string& text) {
  json::Document doc;
  Status s = json::Parse(text, &doc);
  EXPECT_TRUE(s.ok()) << "bad test JSON: " << text;
  if (!s.ok()) return s;
  return DecodeAttributeValue(doc);
}

Result<Item> DecodeItemText(const std::string& text) {
  json::Document doc;
  Status s = json::Parse(text, &doc);
  EXPECT_TRUE(s.ok()) << "bad test JSON: " << text;
  if (!s.ok()) return s;
  return DecodeItem(doc);
}

struct ErrorCase {
  std::string json;
  ErrorCode code;
  std::string message;
};

void ExpectErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    Result<AttributeValue> r = Decode(c.json);
    ASSERT_FALSE(r.ok()) << c.json << " decoded as " << ToJson(*r);
    EXPECT_EQ(r.status().code(), c.code) << c.json << ": " << r.status().ToString();
    EXPECT_EQ(r.status().message(), c.message) << c.json;
  }
}

TEST(ValueCodecTest, DecodesEveryType) {
  EXPECT_EQ(*Decode(R"({"S":"hello"})"), AttributeValue::S("hello"));
  EXPECT_EQ(*Decode(R"({"S":""})"), AttributeValue::S(""));
  EXPECT_EQ(*Decode(R"({"N":"00042.0"})"), AttributeValue::N(Number::FromInt64(42)));
  EXPECT_EQ(*Decode(R"({"B":"AP8="})"), AttributeValue::B(std::string("\x00\xff", 2)));
  EXPECT_EQ(*Decode(R"({"B":""})"), AttributeValue::B(""));
  EXPECT_EQ(*Decode(R"({"BOOL":true})"), AttributeValue::Bool(true));
  EXPECT_EQ(*Decode(R"({"BOOL":false})"), AttributeValue::Bool(false));
  EXPECT_EQ(*Decode(R"({"NULL":true})"), AttributeValue::Null());
  EXPECT_EQ(*Decode(R"({"SS":["b","a",""]})"), AttributeValue::SS({"", "a", "b"}));
  EXPECT_EQ(
      *Decode(R"({"NS":["10","2","-1.5"]})"),
      AttributeValue::NS({*Number::Parse("-1.5"), *Number::Parse("2"), *Number::Parse("10")}));
  EXPECT_EQ(*Decode(R"({"BS":["AQ==","AA=="]})"),
            AttributeValue::BS({std::string(1, '\0'), std::string(1, '\1')}));
  EXPECT_EQ(*Decode(R"({"L":[]})"), AttributeValue::L({}));
  EXPECT_EQ(*Decode(R"({"M":{}})"), AttributeValue::M({}));
  Result<AttributeValue> nested =
      Decode(R"({"M":{"a":{"L":[{"N":"1"},{"S":"x"}]},"b":{"NULL":true}}})");
  ASSERT_TRUE(nested.ok()) << nested.status().ToString();
  Map expected;
  expected["a"] =
      AttributeValue::L({AttributeValue::N(Number::FromInt64(1)), AttributeValue::S("x")});
  expected["b"] = AttributeValue::Null();
  EXPECT_EQ(*nested, AttributeValue::M(expected));
}

TEST(ValueCodecTest, BooleanFieldsAcceptJavaStrings) {
  for (const char* t : {"true", "TRUE", "True", "1", "yes", "YES"}) {
    EXPECT_EQ(*Decode(std::string(R"({"BOOL":")") + t + "\"}"), AttributeValue::Bool(true)) << t;
  }
  for (const char* f : {"false", "0", "no", "No"}) {
    EXPECT_EQ(*Decode(std::string(R"({"BOOL":")") + f + "\"}"), AttributeValue::Bool(false)) << f;
  }
  EXPECT_EQ(*Decode(R"({"NULL":"yes"})"), AttributeValue::Null());
}

TEST(ValueCodecTest, IgnoresUnknownAndNullMembers) {
  EXPECT_EQ(*Decode(R"({"S":"a","X":1,"N":null})"), AttributeValue::S("a"));
  // The last of repeated members wins, as in JSON.parse.
  EXPECT_EQ(*Decode(R"({"S":"a","S":"b"})"), AttributeValue::S("b"));
}

TEST(ValueCodecTest, ValidationMessages) {
  const std::string p = "One or more parameter values were invalid: ";
  ExpectErrors({
      {R"({})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"Z":"x"})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"S":null})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"S":"a","BOOL":true})", ErrorCode::kValidation,
       "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
       "supported datatypes"},
      {R"({"N":""})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value"},
      {R"({"N":"abc"})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value: abc"},
      {R"({"N":"1e126"})", ErrorCode::kValidation,
       "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {R"({"N":"1e-131"})", ErrorCode::kValidation,
       "Number underflow. Attempting to store a number with magnitude smaller than supported "
       "range"},
      {R"({"N":"1.2345678901234567890123456789012345678901"})", ErrorCode::kValidation,
       "Attempting to store more than 38 significant digits in a Number"},
      {R"({"NULL":false})", ErrorCode::kValidation,
       p + "Null attribute value types must have the value of true"},
      {R"({"NULL":"no"})", ErrorCode::kValidation,
       p + "Null attribute value types must have the value of true"},
      {R"({"SS":[]})", ErrorCode::kValidation, p + "An string set  may not be empty"},
      {R"({"NS":[]})", ErrorCode::kValidation, p + "An number set  may not be empty"},
      {R"({"BS":[]})", ErrorCode::kValidation, p + "Binary sets should not be empty"},
      {R"({"SS":["a","a"]})", ErrorCode::kValidation,
       p + "Input collection [a, a] contains duplicates."},
      {R"({"SS":["x","a","b","a"]})", ErrorCode::kValidation,
       p + "Input collection [x, a, b, a] contains duplicates."},
      {R"({"NS":["1","1.0"]})", ErrorCode::kValidation, "Input collection contains duplicates"},
      {R"({"NS":["1","x"]})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value: x"},
      {R"({"NS":["1",""]})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value"},
      {R"({"BS":["QQ==","QQ=="]})", ErrorCode::kValidation,
       p + "Input collection [QQ==, QQ==]of type BS contains duplicates."},
      {R"({"L":[{"S":"a"},{}]})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"L":[null]})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"M":{"a":{"N":"x"}}})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value: x"},
  });
}

TEST(ValueCodecTest, ValidationOrderFollowsTheTypeOrder) {
  const std::string p = "One or more parameter values were invalid: ";
  ExpectErrors({
      // Types are checked S, B, N, BOOL, NULL, BS, NS, SS, L, M whatever the JSON order;
      // the "more than one" check comes last.
      {R"({"NULL":false,"N":"x"})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value: x"},
      {R"({"SS":[],"NS":[]})", ErrorCode::kValidation, p + "An number set  may not be empty"},
      {R"({"SS":[],"BS":[]})", ErrorCode::kValidation, p + "Binary sets should not be empty"},
      {R"({"M":{"a":{}},"S":"a"})", ErrorCode::kValidation,
       "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      // Empty comes before the member checks, which come before duplicates.
      {R"({"NS":["x","x"]})", ErrorCode::kValidation,
       "The parameter cannot be converted to a numeric value: x"},
      {R"({"L":[{"N":"1e999"},{"NULL":false}]})", ErrorCode::kValidation,
       "Number overflow. Attempting to store a number with magnitude larger than supported range"},
  });
}

TEST(ValueCodecTest, SerializationMessages) {
  ExpectErrors({
      {R"("x")", ErrorCode::kSerialization, "Unexpected value type in payload"},
      {R"(1)", ErrorCode::kSerialization, "Unexpected value type in payload"},
      {R"(true)", ErrorCode::kSerialization, "Unexpected value type in payload"},
      {R"([])", ErrorCode::kSerialization,
       "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
      {R"({"S":1})", ErrorCode::kSerialization, "NUMBER_VALUE cannot be converted to String"},
      {R"({"S":1.5})", ErrorCode::kSerialization, "DECIMAL_VALUE cannot be converted to String"},
      {R"({"N":123})", ErrorCode::kSerialization, "NUMBER_VALUE cannot be converted to String"},
      {R"({"S":true})", ErrorCode::kSerialization, "TRUE_VALUE cannot be converted to String"},
      {R"({"S":false})", ErrorCode::kSerialization, "FALSE_VALUE cannot be converted to String"},
      {R"({"S":{}})", ErrorCode::kSerialization,
       "Start of structure or map found where not expected"},
      {R"({"S":[]})", ErrorCode::kSerialization,
       "Unrecognized collection type class java.lang.String"},
      {R"({"B":1})", ErrorCode::kSerialization,
       "only base-64-encoded strings are convertible to bytes"},
      {R"({"B":true})", ErrorCode::kSerialization,
       "only base-64-encoded strings are convertible to bytes"},
      {R"({"B":[]})", ErrorCode::kSerialization,
       "Unrecognized collection type class java.nio.ByteBuffer"},
      {R"({"B":{}})", ErrorCode::kSerialization,
       "Start of structure or map found where not expected"},
      {R"({"B":"abc"})", ErrorCode::kSerialization,
       "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
      // Lengths count UTF-16 units, as Java does: é is one, 😀 is two.
      {R"({"B":"é"})", ErrorCode::kSerialization,
       "Base64 encoded length is expected a multiple of 4 bytes but found: 1"},
      {R"({"B":"a😀"})", ErrorCode::kSerialization,
       "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
      {R"({"B":"QR=="})", ErrorCode::kSerialization,
       "Invalid last non-pad Base64 character dectected"},
      {R"({"B":"ab$="})", ErrorCode::kSerialization,
       "Invalid last non-pad Base64 character dectected"},
      {R"({"B":"a-_b"})", ErrorCode::kSerialization,
       "Invalid last non-pad Base64 character dectected"},
      {R"({"B":"QQ==QQ=="})", ErrorCode::kSerialization,
       "Invalid last non-pad Base64 character dectected"},
      {R"({"B":"===="})", ErrorCode::kSerialization,
       "Invalid last non-pad Base64 character dectected"},
      {R"({"BOOL":1})", ErrorCode::kSerialization, "NUMBER_VALUE cannot be converted to Boolean"},
      {R"({"NULL":0.5})", ErrorCode::kSerialization,
       "DECIMAL_VALUE cannot be converted to Boolean"},
      {R"({"BOOL":"maybe"})", ErrorCode::kSerialization, "Unexpected token received from parser"},
      {R"({"BOOL":[]})", ErrorCode::kSerialization,
       "Unrecognized collection type class java.lang.Boolean"},
      {R"({"BOOL":{}})", ErrorCode::kSerialization,
       "Start of structure or map found where not expected"},
      {R"({"SS":"a"})", ErrorCode::kSerialization, "Unexpected field type"},
      {R"({"NS":1})", ErrorCode::kSerialization, "Unexpected field type"},
      {R"({"BS":true})", ErrorCode::kSerialization, "Unexpected field type"},
      {R"({"L":{}})", ErrorCode::kSerialization,
       "Start of structure or map found where not expected"},
      {R"({"SS":[1]})", ErrorCode::kSerialization, "NUMBER_VALUE cannot be converted to String"},
      {R"({"NS":[1]})", ErrorCode::kSerialization, "NUMBER_VALUE cannot be converted to String"},
      {R"({"BS":["abc"]})", ErrorCode::kSerialization,
       "Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
      {R"({"L":["a"]})", ErrorCode::kSerialization, "Unexpected value type in payload"},
      {R"({"L":[[]]})", ErrorCode::kSerialization,
       "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
      {R"({"M":"a"})", ErrorCode::kSerialization, "Unexpected field type"},
      {R"({"M":[]})", ErrorCode::kSerialization,
       "Unrecognized collection type java.util.Map<java.lang.String, "
       "com.amazonaws.dynamodb.v20120810.AttributeValue>"},
      {R"({"M":{"a":5}})", ErrorCode::kSerialization, "Unexpected value type in payload"},
      // The whole value is deserialized before any validation.
      {R"({"L":[{"N":"x"},{"S":5}]})", ErrorCode::kSerialization,
       "NUMBER_VALUE cannot be converted to String"},
      {R"({"NULL":false,"B":"a"})", ErrorCode::kSerialization,
       "Base64 encoded length is expected a multiple of 4 bytes but found: 1"},
  });
}

std::string NestedMaps(int wraps) {
  std::string s = R"({"S":"leaf"})";
  for (int i = 0; i < wraps; i++) s = R"({"M":{"n":)" + s + "}}";
  return s;
}

std::string NestedLists(int wraps) {
  std::string s = R"({"N":"1"})";
  for (int i = 0; i < wraps; i++) s = R"({"L":[)" + s + "]}";
  return s;
}

TEST(ValueCodecTest, NestingLimit) {
  // The attribute itself is level 1: 31 wraps put the leaf at level 32, accepted.
  EXPECT_TRUE(Decode(NestedMaps(31)).ok());
  EXPECT_TRUE(Decode(NestedLists(31)).ok());
  ExpectErrors({
      {NestedMaps(32), ErrorCode::kValidation, kNesting},
      {NestedLists(32), ErrorCode::kValidation, kNesting},
      {NestedLists(45), ErrorCode::kValidation, kNesting},
  });
  // 32 levels of containers with nothing inside is still 32 levels.
  std::string empty_at_32 = R"({"M":{}})";
  for (int i = 0; i < 31; i++) empty_at_32 = R"({"L":[)" + empty_at_32 + "]}";
  EXPECT_TRUE(Decode(empty_at_32).ok());
  // In an item, each attribute value starts at level 1.
  EXPECT_TRUE(DecodeItemText(R"({"a":)" + NestedMaps(31) + "}").ok());
  Result<Item> deep = DecodeItemText(R"({"a":)" + NestedMaps(32) + "}");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), kNesting);
}

TEST(ValueCodecTest, HandBuiltDeepValueIsSafe) {
  // Deeper than json::Parse ever allows: the decoder must refuse it without recursing
  // without bound.
  json::Document doc;
  json::Value* cur = &doc;
  cur->SetObject();
  auto& alloc = doc.GetAllocator();
  for (int i = 0; i < 5000; i++) {
    json::Value list(rapidjson::kArrayType);
    list.PushBack(json::Value(rapidjson::kObjectType), alloc);
    cur->AddMember("L", list, alloc);
    cur = &(*cur)["L"][0];
  }
  Result<AttributeValue> r = DecodeAttributeValue(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kNesting);
}

TEST(ValueCodecTest, DecodeItem) {
  Result<Item> item = DecodeItemText(R"({"id":{"S":"1"},"n":{"N":"1e3"}})");
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  EXPECT_EQ(item->size(), 2u);
  EXPECT_EQ(item->at("n"), AttributeValue::N(Number::FromInt64(1000)));
  EXPECT_TRUE(DecodeItemText("{}").ok());

  Result<Item> not_map = DecodeItemText(R"("x")");
  ASSERT_FALSE(not_map.ok());
  EXPECT_EQ(not_map.status().code(), ErrorCode::kSerialization);
  EXPECT_EQ(not_map.status().message(), "Unexpected field type");
  Result<Item> array = DecodeItemText(R"([])");
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.status().message(),
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  // Serialization errors anywhere win over validation errors anywhere.
  Result<Item> mixed = DecodeItemText(R"({"a":{"N":"x"},"b":{"S":1}})");
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().code(), ErrorCode::kSerialization);
  Result<Item> null_value = DecodeItemText(R"({"a":null})");
  ASSERT_FALSE(null_value.ok());
  EXPECT_EQ(null_value.status().code(), ErrorCode::kValidation);
}

TEST(ValueCodecTest, EncodeNormalizesAndRoundTrips) {
  EXPECT_EQ(ToJson(*Decode(R"({"N":"1.50E2"})")), R"({"N":"150"})");
  EXPECT_EQ(ToJson(*Decode(R"({"NS":["3","1","2.0"]})")), R"({"NS":["1","2","3"]})");
  EXPECT_EQ(ToJson(*Decode(R"({"B":"AP8="})")), R"({"B":"AP8="})");
  EXPECT_EQ(ToJson(*Decode(R"({"NULL":true})")), R"({"NULL":true})");
  EXPECT_EQ(ToJson(*Decode(R"({"BOOL":"no"})")), R"({"BOOL":false})");
  EXPECT_EQ(ToJson(AttributeValue::S(std::string("a\0b", 3))), R"({"S":"a\u0000b"})");

  const std::string doc =
      R"({"M":{"a":{"L":[{"S":"x"},{"N":"-0.5"},{"BS":["AA==","AQ=="]},{"SS":["a","b"]}]},)"
      R"("b":{"BOOL":true},"c":{"NULL":true},"d":{"M":{}}}})";
  Result<AttributeValue> v = Decode(doc);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(ToJson(*v), doc);
  EXPECT_EQ(*Decode(ToJson(*v)), *v);

  Item item;
  item["k"] = AttributeValue::S("v");
  item["n"] = AttributeValue::N(Number::FromInt64(7));
  EXPECT_EQ(ToJson(item), R"({"k":{"S":"v"},"n":{"N":"7"}})");
}

TEST(ValueCodecTest, Base64) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {std::string("\x00\xff\xfe", 3), "AP/+"},
  };
  for (const auto& [bytes, text] : table) {
    EXPECT_EQ(Base64Encode(bytes), text);
    std::string out;
    ASSERT_TRUE(Base64Decode(text, &out)) << text;
    EXPECT_EQ(out, bytes);
  }
  std::string out;
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Z===", "=Zg=", "Zg==Zg==", "Zm9v\n", "Zm-v",
                          "Zm_v", " Zm9", "Zm9v===="}) {
    EXPECT_FALSE(Base64Decode(bad, &out)) << bad;
  }
  // Every byte string survives the round trip.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; i++) {
    std::string bytes(rng() % 40, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    ASSERT_TRUE(Base64Decode(Base64Encode(bytes), &out));
    EXPECT_EQ(out, bytes);
  }
}

TEST(ValueCodecTest, RandomJsonNeverCrashes) {
  // Random documents built from the pieces the decoder looks at; each must decode or
  // fail with a Status, never throw or abort.
  const std::vector<std::string> atoms = {
      R"("x")",    "1",         "1.5",      "true",  "false",     "null",         "[]",
      "{}",        R"("AA==")", R"("1e3")", R"("")", R"("QR==")", R"(["a","a"])", R"(["1","1.0"])",
      R"([null])", R"([1])",    R"([{}])"};
  const std::vector<std::string> keys = {"S",  "N",  "B", "BOOL", "NULL", "SS",
                                         "NS", "BS", "L", "M",    "Q"};
  std::mt19937_64 rng(42);
  std::function<std::string(int)> gen = [&](int depth) -> std::string {
    int pick = static_cast<int>(rng() % 10);
    if (depth > 4 || pick < 3) return atoms[rng() % atoms.size()];
    if (pick < 5) {
      std::string s = "[";
      int n = static_cast<int>(rng() % 3);
      for (int i = 0; i < n; i++) {
        if (i) s += ",";
        s += gen(depth + 1);
      }
      return s + "]";
    }
    std::string s = "{";
    int n = static_cast<int>(rng() % 3);
    for (int i = 0; i < n; i++) {
      if (i) s += ",";
      s += "\"";
      s += keys[rng() % keys.size()];
      s += "\":";
      s += gen(depth + 1);
    }
    return s + "}";
  };
  int ok = 0;
  for (int i = 0; i < 20000; i++) {
    std::string text = gen(0);
    json::Document doc;
    ASSERT_TRUE(json::Parse(text, &doc).ok()) << text;
    Result<AttributeValue> r = DecodeAttributeValue(doc);
    if (r.ok()) {
      ok++;
      // Whatever decodes re-encodes to JSON that decodes to the same value.
      EXPECT_EQ(*Decode(ToJson(*r)), *r) << text;
    } else {
      EXPECT_TRUE(r.status().code() == ErrorCode::kValidation ||
                  r.status().code() == ErrorCode::kSerialization);
    }
    Result<Item> item = DecodeItem(doc);
    (void)item;
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace dynemu
