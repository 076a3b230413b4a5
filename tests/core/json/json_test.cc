#include "json/json.h"

#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace dynemu::json {
namespace {

// Parses `text` through both overloads (the bounded view and the NUL-terminated
// std::string) and requires that they agree; returns whether it parsed.
bool Parses(const std::string& text) {
  Document by_view;
  Document by_string;
  const bool view_ok = Parse(std::string_view(text), &by_view).ok();
  const bool string_ok = Parse(text, &by_string).ok();
  EXPECT_EQ(view_ok, string_ok) << "the overloads disagree on: " << text;
  if (view_ok && string_ok) {
    EXPECT_EQ(ToString(by_view), ToString(by_string));
  }
  return view_ok;
}

TEST(JsonParseTest, AcceptsOneValueWithSurroundingWhitespace) {
  EXPECT_TRUE(Parses(R"({"a":{"S":"b"}})"));
  EXPECT_TRUE(Parses(" \t\r\n{\"a\":[1,2,{\"b\":null}]} \n\t "));
  EXPECT_TRUE(Parses("[]"));
  Document doc;
  ASSERT_TRUE(Parse(std::string(R"({"k":"v"})"), &doc).ok());
  EXPECT_EQ(AsStringView(doc["k"]), "v");
  ASSERT_TRUE(Parse("{\"lit\":1}", &doc).ok());  // the literal overload
  EXPECT_EQ(doc["lit"].GetInt(), 1);
}

TEST(JsonParseTest, RefusesAnyTrailingCharacter) {
  EXPECT_FALSE(Parses("{}x"));
  EXPECT_FALSE(Parses("{} x"));
  EXPECT_FALSE(Parses("{}}"));
  EXPECT_FALSE(Parses("[1] [2]"));
  EXPECT_FALSE(Parses(std::string("{}\0", 3)));
  EXPECT_FALSE(Parses(std::string("{\"a\":\"b\0c\"}", 11)));
  EXPECT_FALSE(Parses(""));
  EXPECT_FALSE(Parses("   "));
  EXPECT_FALSE(Parses("{\"a\":"));
}

TEST(JsonParseTest, LongStringsSurviveTheVectorPaths) {
  // Long enough for the 8- and 16-byte steps, with escapes at every offset
  // around a block boundary.
  for (size_t at = 0; at < 40; ++at) {
    std::string value(100, 'x');
    value.insert(at, "\\\"\\\\\\u00e9");
    const std::string text = "{\"k\":\"" + value + "\",\"n\":[{\"m\":\"]}\"}]}";
    Document doc;
    ASSERT_TRUE(Parses(text)) << text;
    ASSERT_TRUE(Parse(text, &doc).ok());
    std::string expected(100, 'x');
    expected.insert(at, "\"\\\xC3\xA9");
    EXPECT_EQ(AsStringView(doc["k"]), expected);
    EXPECT_EQ(AsStringView(doc["n"][0]["m"]), "]}");
  }
}

TEST(JsonParseTest, RefusesRawControlCharactersAtEveryOffset) {
  // RapidJSON 1.1.0's SSE2 scan let 0x1A..0x1F through inside aligned blocks.
  for (int c = 0x01; c < 0x20; ++c) {
    for (size_t at = 0; at < 40; ++at) {
      std::string value(64, 'x');
      value[at] = static_cast<char>(c);
      EXPECT_FALSE(Parses("{\"k\":\"" + value + "\"}")) << "byte " << c << " at " << at;
    }
  }
}

TEST(JsonWriteTest, EscapesWhatJsonRequiresAtEveryOffset) {
  std::string specials = "\"\\";
  for (int c = 0; c < 0x20; ++c) specials.push_back(static_cast<char>(c));
  for (char special : specials) {
    for (size_t at = 0; at < 40; ++at) {
      // Multi-byte UTF-8 around it: copied as is, never escaped.
      std::string value = "\xC3\xA9" + std::string(62, 'x');
      value[at + 2] = special;
      StringBuffer buffer;
      Writer writer(buffer);
      writer.StartObject();
      WriteKey(writer, "k");
      WriteString(writer, value);
      writer.EndObject();
      const std::string text(buffer.GetString(), buffer.GetSize());
      for (char b : text) {
        ASSERT_GE(static_cast<unsigned char>(b), 0x20) << "raw byte in " << text;
      }
      Document doc;
      ASSERT_TRUE(Parse(text, &doc).ok()) << text;
      EXPECT_EQ(AsStringView(doc["k"]), value);
    }
  }
  StringBuffer buffer;
  Writer writer(buffer);
  WriteString(writer, std::string("\x1A\x1F\n\"\\\xC3\xA9", 7));
  EXPECT_EQ(std::string(buffer.GetString(), buffer.GetSize()),
            "\"\\u001A\\u001F\\n\\\"\\\\\xC3\xA9\"");
}

TEST(JsonWriteTest, RandomStringsAreEscapedAsByTheRules) {
  // The rules RapidJSON applies byte by byte, written out here: the Writer's
  // bulk scan must only ever skip bytes these leave as they are.
  auto escaped = [](const std::string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out = "\"";
    for (char ch : s) {
      const unsigned char c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
          } else {
            out += ch;
          }
      }
    }
    return out + "\"";
  };
  std::mt19937_64 rng(17);
  const std::string alphabet = std::string("ab\"\\\x01\x1a\x1f\x7f \xc3\xa9", 12);
  for (int i = 0; i < 20000; ++i) {
    std::string value(rng() % 70, 'x');
    for (char& ch : value) {
      if (rng() % 4 == 0) ch = alphabet[rng() % alphabet.size()];
    }
    StringBuffer buffer;
    Writer writer(buffer);
    WriteString(writer, value);
    ASSERT_EQ(std::string(buffer.GetString(), buffer.GetSize()), escaped(value));
  }
}

TEST(JsonParseTest, ValidatesUtf8Strictly) {
  EXPECT_TRUE(Parses("{\"k\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}"));  // é € 😀
  EXPECT_TRUE(Parses("{\"k\":\"\xED\x9F\xBF\xEE\x80\x80\xF4\x8F\xBF\xBF\"}"));  // U+D7FF U+E000 U+10FFFF
  const char* bad[] = {
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // surrogate U+D800
      "\xF0\x80\x80\xAF",  // overlong
      "\xF4\x90\x80\x80",  // past U+10FFFF
      "\xF5\x80\x80\x80",  // no such lead byte
      "\x80",              // lone continuation
      "\xC3",              // truncated
      "\xE2\x82",          // truncated
      "\xC3\x28",          // bad continuation
  };
  for (const char* b : bad) {
    EXPECT_FALSE(Parses("{\"k\":\"" + std::string(b) + "\"}")) << "accepted: " << b;
    // At the very end of the text, and past the 8-byte fast path.
    EXPECT_FALSE(Parses("{\"k\":\"abcdefghijklmnop\"}" + std::string(b)));
  }
}

TEST(JsonParseTest, SkipsALeadingByteOrderMark) {
  EXPECT_TRUE(Parses("\xEF\xBB\xBF{\"a\":1}"));
  EXPECT_FALSE(Parses("\xEF\xBB{\"a\":1}"));
}

TEST(JsonParseTest, RefusesNestingPastTheLimit) {
  std::string deep(kMaxDepth, '[');
  deep += std::string(kMaxDepth, ']');
  EXPECT_TRUE(Parses(deep));
  std::string deeper(kMaxDepth + 1, '[');
  deeper += std::string(kMaxDepth + 1, ']');
  EXPECT_FALSE(Parses(deeper));
  // Brackets inside strings, after escaped quotes, do not count.
  std::string quoted = "{\"k\":\"\\\"" + std::string(kMaxDepth + 10, '[') + "\"}";
  EXPECT_TRUE(Parses(quoted));
  // Depth is counted down as containers close: siblings at the limit pass, and
  // one past it fails wherever it stands; objects and arrays count alike.
  const auto nested = [](int depth) {
    std::string open, close;
    for (int i = 0; i < depth; ++i) {
      if (i % 2 == 0) {
        open += "{\"a\":";
        close = "}" + close;
      } else {
        open += "[";
        close = "]" + close;
      }
    }
    return open + "1" + close;
  };
  const std::string at_limit = nested(kMaxDepth - 1);
  EXPECT_TRUE(Parses("[" + at_limit + "," + at_limit + "," + at_limit + "]"));
  EXPECT_FALSE(Parses("[" + at_limit + "," + nested(kMaxDepth) + "," + at_limit + "]"));
  EXPECT_TRUE(Parses(nested(kMaxDepth)));
  EXPECT_FALSE(Parses(nested(kMaxDepth + 1)));
}

TEST(JsonFindMemberTest, FirstOfTheNameAndNullAsAbsent) {
  Document doc;
  ASSERT_TRUE(Parse(R"({"S":"1","N":"2","SS":3,"":4,"n":null,"S":"dup"})", &doc).ok());
  ASSERT_NE(FindMember(doc, "S"), nullptr);
  EXPECT_EQ(AsStringView(*FindMember(doc, "S")), "1");
  EXPECT_EQ(AsStringView(*FindMember(doc, "N")), "2");
  EXPECT_EQ(FindMember(doc, "SS")->GetInt(), 3);
  EXPECT_EQ(FindMember(doc, "")->GetInt(), 4);
  EXPECT_EQ(FindMember(doc, "n"), nullptr);  // explicit null
  EXPECT_EQ(FindMember(doc, "B"), nullptr);
  EXPECT_EQ(FindMember(doc, "SSS"), nullptr);
  EXPECT_EQ(FindMember(doc, std::string_view("S\0", 2)), nullptr);
}

}  // namespace
}  // namespace dynemu::json
