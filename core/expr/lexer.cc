#include "expr/lexer.h"

#include <cctype>

namespace dynemu::expr {
namespace {

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The length of the UTF-8 sequence starting with byte `lead`, so that an unknown
// character is reported whole ("ü", not half of it). Invalid lead bytes count as
// one byte; the shape check has already refused text that is not UTF-8.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 3 + 2);
  size_t i = 0;
  const size_t n = text.size();
  auto emit = [&](TokenKind kind, size_t start, size_t end) {
    tokens.push_back(Token{kind, text.substr(start, end - start), static_cast<uint32_t>(start)});
  };
  while (i < n) {
    char c = text[i];
    if (IsSpace(c)) {
      i++;
      continue;
    }
    size_t start = i;
    if (IsIdentifierStart(c)) {
      while (i < n && IsIdentifierPart(text[i])) i++;
      emit(TokenKind::kIdentifier, start, i);
      continue;
    }
    if (IsDigit(c)) {
      while (i < n && IsDigit(text[i])) i++;
      emit(TokenKind::kNumber, start, i);
      continue;
    }
    if (c == '#' || c == ':') {
      i++;
      while (i < n && IsIdentifierPart(text[i])) i++;
      if (i == start + 1) {
        emit(TokenKind::kUnknown, start, i);
      } else {
        emit(c == '#' ? TokenKind::kName : TokenKind::kValue, start, i);
      }
      continue;
    }
    TokenKind kind = TokenKind::kUnknown;
    size_t length = 1;
    switch (c) {
      case '(':
        kind = TokenKind::kLeftParen;
        break;
      case ')':
        kind = TokenKind::kRightParen;
        break;
      case '[':
        kind = TokenKind::kLeftBracket;
        break;
      case ']':
        kind = TokenKind::kRightBracket;
        break;
      case ',':
        kind = TokenKind::kComma;
        break;
      case '.':
        kind = TokenKind::kDot;
        break;
      case '=':
        kind = TokenKind::kEq;
        break;
      case '+':
        kind = TokenKind::kPlus;
        break;
      case '-':
        kind = TokenKind::kMinus;
        break;
      case '<':
        if (i + 1 < n && text[i + 1] == '=') {
          kind = TokenKind::kLe;
          length = 2;
        } else if (i + 1 < n && text[i + 1] == '>') {
          kind = TokenKind::kNe;
          length = 2;
        } else {
          kind = TokenKind::kLt;
        }
        break;
      case '>':
        if (i + 1 < n && text[i + 1] == '=') {
          kind = TokenKind::kGe;
          length = 2;
        } else {
          kind = TokenKind::kGt;
        }
        break;
      default:
        length = Utf8Length(static_cast<unsigned char>(c));
        if (i + length > n) length = n - i;
        break;
    }
    i += length;
    emit(kind, start, i);
  }
  tokens.push_back(Token{TokenKind::kEnd, std::string_view(), static_cast<uint32_t>(n)});
  return tokens;
}

bool IsKeyword(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::kIdentifier || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); i++) {
    if (std::toupper(static_cast<unsigned char>(token.text[i])) !=
        static_cast<unsigned char>(keyword[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace dynemu::expr
