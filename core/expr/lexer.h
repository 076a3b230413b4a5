#pragma once

// The tokens of DynamoDB's expression language. One lexer serves all five kinds
// of expression; keywords (AND, SET, ...) are plain identifiers here and each
// parser decides which words it reserves.

#include <cstdint>
#include <string_view>
#include <vector>

namespace dynemu::expr {

enum class TokenKind : uint8_t {
  kIdentifier,  // [A-Za-z_][A-Za-z0-9_]*
  kName,        // #[A-Za-z0-9_]+  (an ExpressionAttributeNames placeholder)
  kValue,       // :[A-Za-z0-9_]+  (an ExpressionAttributeValues placeholder)
  kNumber,      // [0-9]+          (only valid as a list index)
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kEq,       // =
  kNe,       // <>
  kLt,       // <
  kLe,       // <=
  kGt,       // >
  kGe,       // >=
  kPlus,     // +
  kMinus,    // -
  kUnknown,  // any other character (one UTF-8 sequence), or a lone '#' or ':'
  kEnd,      // the end of the text
};

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the tokenized text; empty for kEnd
  uint32_t offset;        // byte offset of text in the expression
};

// Splits `text` into tokens, skipping spaces, tabs, carriage returns and
// newlines. Never fails: characters outside the language become kUnknown
// tokens, which no parser accepts. The last token is always kEnd.
// The tokens point into `text`, which must outlive them.
// REQUIRES: text.size() < 2^32.
std::vector<Token> Tokenize(std::string_view text);

// True for the identifier `token` spelled as `keyword`, in any letter case.
// REQUIRES: `keyword` is upper case.
bool IsKeyword(const Token& token, std::string_view keyword);

}  // namespace dynemu::expr
