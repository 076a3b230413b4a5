#include "expr/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dynemu::expr {
namespace {

std::string Kinds(std::string_view text) {
  std::string out;
  for (const Token& t : Tokenize(text)) {
    switch (t.kind) {
      case TokenKind::kIdentifier:
        out += "id(" + std::string(t.text) + ")";
        break;
      case TokenKind::kName:
        out += "name(" + std::string(t.text) + ")";
        break;
      case TokenKind::kValue:
        out += "value(" + std::string(t.text) + ")";
        break;
      case TokenKind::kNumber:
        out += "num(" + std::string(t.text) + ")";
        break;
      case TokenKind::kUnknown:
        out += "?(" + std::string(t.text) + ")";
        break;
      case TokenKind::kEnd:
        out += "END";
        break;
      default:
        out += "'" + std::string(t.text) + "'";
        break;
    }
    out += " ";
  }
  return out;
}

struct LexCase {
  const char* text;
  const char* tokens;
};

class LexerTest : public ::testing::TestWithParam<LexCase> {};

TEST_P(LexerTest, Tokenizes) { EXPECT_EQ(Kinds(GetParam().text), GetParam().tokens); }

INSTANTIATE_TEST_SUITE_P(
    Cases, LexerTest,
    ::testing::Values(
        LexCase{"", "END "}, LexCase{"  \t\r\n ", "END "}, LexCase{"a", "id(a) END "},
        LexCase{"_a1 B_2", "id(_a1) id(B_2) END "}, LexCase{"#n :v", "name(#n) value(:v) END "},
        LexCase{"#_ :_0", "name(#_) value(:_0) END "},
        LexCase{"a.b[12]", "id(a) '.' id(b) '[' num(12) ']' END "},
        LexCase{"a<>b<=c>=d<e>f=g",
                "id(a) '<>' id(b) '<=' id(c) '>=' id(d) '<' id(e) '>' id(f) '=' id(g) END "},
        LexCase{"(a,b)+-", "'(' id(a) ',' id(b) ')' '+' '-' END "},
        LexCase{"4g", "num(4) id(g) END "}, LexCase{"# :", "?(#) ?(:) END "},
        LexCase{"a!b", "id(a) ?(!) id(b) END "},
        LexCase{"\xc3\xbc > a", "?(\xc3\xbc) '>' id(a) END "},
        LexCase{"\"x\"", "?(\") id(x) ?(\") END "}, LexCase{"#a#b", "name(#a) name(#b) END "},
        LexCase{"a/b*c", "id(a) ?(/) id(b) ?(*) id(c) END "}));

TEST(LexerOffsets, PointIntoTheText) {
  std::vector<Token> tokens = Tokenize("ab  = :v");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].offset, 0u);
  EXPECT_EQ(tokens[1].offset, 4u);
  EXPECT_EQ(tokens[2].offset, 6u);
  EXPECT_EQ(tokens[3].offset, 8u);
  EXPECT_EQ(tokens[3].kind, TokenKind::kEnd);
}

TEST(LexerKeywords, MatchInAnyCase) {
  std::vector<Token> tokens = Tokenize("and AnD ANDx");
  EXPECT_TRUE(IsKeyword(tokens[0], "AND"));
  EXPECT_TRUE(IsKeyword(tokens[1], "AND"));
  EXPECT_FALSE(IsKeyword(tokens[2], "AND"));
  EXPECT_FALSE(IsKeyword(tokens[3], "AND"));
}

TEST(LexerTruncatedUtf8, NeverReadsPastTheEnd) {
  std::string text = "a \xe2\x82";  // a three-byte sequence cut short
  std::vector<Token> tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kUnknown);
  EXPECT_EQ(tokens[1].text, "\xe2\x82");
}

}  // namespace
}  // namespace dynemu::expr
