#include "expr/parser.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "expr/lexer.h"

namespace dynemu::expr {
namespace {

// Parentheses and NOTs nested deeper than this are refused before the recursion
// could grow the stack. A valid expression never gets close: every level of a
// useful nesting costs an operator, and there are at most kMaxOperators.
constexpr int kMaxNesting = 400;

enum class Mode { kCondition, kUpdate, kProjection };

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool IsComparatorToken(TokenKind kind) {
  return kind == TokenKind::kEq || kind == TokenKind::kNe || kind == TokenKind::kLt ||
         kind == TokenKind::kLe || kind == TokenKind::kGt || kind == TokenKind::kGe;
}

// The operators DynamoDB counts against its limit of 300, read off the tokens
// before parsing (so a huge expression is refused before it is parsed):
// comparisons, AND, OR, NOT, BETWEEN, IN and function calls in conditions;
// function calls, + and - in updates.
int CountOperators(const std::vector<Token>& tokens, Mode mode) {
  int count = 0;
  for (size_t i = 0; i + 1 < tokens.size(); i++) {
    const Token& t = tokens[i];
    bool call = t.kind == TokenKind::kIdentifier && tokens[i + 1].kind == TokenKind::kLeftParen;
    if (mode == Mode::kCondition) {
      if (call || IsComparatorToken(t.kind) || IsKeyword(t, "AND") || IsKeyword(t, "OR") ||
          IsKeyword(t, "NOT") || IsKeyword(t, "BETWEEN") || IsKeyword(t, "IN")) {
        count++;
      }
    } else if (mode == Mode::kUpdate) {
      if (call || t.kind == TokenKind::kPlus || t.kind == TokenKind::kMinus) count++;
    }
  }
  return count;
}

// A recursive-descent parser with backtracking, in the manner of a PEG: each
// alternative either succeeds or fails, and the error reported for a text that
// does not parse is the furthest token any alternative failed on.
class Parser {
 public:
  Parser(std::string_view text, Mode mode) : text_(text), mode_(mode), tokens_(Tokenize(text)) {}

  const std::vector<Token>& tokens() const { return tokens_; }

  // ---- Conditions

  bool ParseConditionExpression(ConditionExpression* out) {
    if (!ParseOr(&out->root)) return false;
    if (!AtEnd()) return Fail();
    out->redundant_parens = redundant_parens_;
    return true;
  }

  // ---- Updates

  bool ParseUpdateExpression(UpdateExpression* out) {
    do {
      UpdateActionKind kind;
      if (!ClauseKeyword(Peek(), &kind)) return Fail();
      pos_++;
      out->clauses.push_back(kind);
      for (;;) {
        UpdateAction action;
        action.kind = kind;
        if (!ParseUpdateAction(kind, &action)) return false;
        out->actions.push_back(std::move(action));
        if (Peek().kind != TokenKind::kComma) break;
        pos_++;
      }
      UpdateActionKind next;
      if (!AtEnd() && !ClauseKeyword(Peek(), &next)) return Fail();
    } while (!AtEnd());
    return true;
  }

  // ---- Projections

  bool ParseProjectionExpression(ProjectionExpression* out) {
    for (;;) {
      Operand path;
      if (!ParsePath(&path)) return false;
      out->paths.push_back(std::move(path));
      if (Peek().kind != TokenKind::kComma) break;
      pos_++;
    }
    if (!AtEnd()) return Fail();
    return true;
  }

  bool too_deep() const { return too_deep_; }

  // DynamoDB's syntax error for the furthest failure.
  std::string SyntaxErrorMessage() const {
    size_t f = std::min(furthest_, tokens_.size() - 1);
    const Token& bad = tokens_[f];
    size_t start = f > 0 ? tokens_[f - 1].offset : bad.offset;
    size_t end;
    if (bad.kind == TokenKind::kEnd) {
      end = text_.size();
    } else if (tokens_[f + 1].kind == TokenKind::kEnd) {
      end = bad.offset + bad.text.size();
    } else {
      end = tokens_[f + 1].offset + tokens_[f + 1].text.size();
    }
    std::string token = bad.kind == TokenKind::kEnd ? "<EOF>" : std::string(bad.text);
    return "Syntax error; token: \"" + token + "\", near: \"" +
           std::string(text_.substr(start, end - start)) + "\"";
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }

  // Records a failure at the current token; always returns false.
  bool Fail() {
    furthest_ = std::max(furthest_, pos_);
    return false;
  }

  bool Expect(TokenKind kind) {
    if (Peek().kind != kind) return Fail();
    pos_++;
    return true;
  }

  // Enters one level of nesting; false (and the parse fails) past kMaxNesting.
  bool Enter() {
    if (depth_ >= kMaxNesting) {
      too_deep_ = true;
      return Fail();
    }
    depth_++;
    return true;
  }
  void Leave() { depth_--; }

  // The words a name cannot be in the current grammar.
  bool IsGrammarKeyword(const Token& t) const {
    if (t.kind != TokenKind::kIdentifier) return false;
    switch (mode_) {
      case Mode::kCondition:
        return IsKeyword(t, "AND") || IsKeyword(t, "OR") || IsKeyword(t, "NOT") ||
               IsKeyword(t, "BETWEEN") || IsKeyword(t, "IN");
      case Mode::kUpdate: {
        UpdateActionKind ignored;
        return ClauseKeyword(t, &ignored);
      }
      case Mode::kProjection:
        return false;
    }
    return false;
  }

  static bool ClauseKeyword(const Token& t, UpdateActionKind* kind) {
    if (IsKeyword(t, "SET")) {
      *kind = UpdateActionKind::kSet;
    } else if (IsKeyword(t, "REMOVE")) {
      *kind = UpdateActionKind::kRemove;
    } else if (IsKeyword(t, "ADD")) {
      *kind = UpdateActionKind::kAdd;
    } else if (IsKeyword(t, "DELETE")) {
      *kind = UpdateActionKind::kDelete;
    } else {
      return false;
    }
    return true;
  }

  bool IsNameToken(const Token& t) const {
    return t.kind == TokenKind::kName || (t.kind == TokenKind::kIdentifier && !IsGrammarKeyword(t));
  }

  // ---- Conditions

  bool ParseOr(Condition* out) {
    if (!ParseAnd(out)) return false;
    while (IsKeyword(Peek(), "OR")) {
      pos_++;
      Condition right;
      if (!ParseAnd(&right)) return false;
      *out = Combine(Condition::Kind::kOr, std::move(*out), std::move(right));
    }
    return true;
  }

  bool ParseAnd(Condition* out) {
    if (!ParseNot(out)) return false;
    while (IsKeyword(Peek(), "AND")) {
      pos_++;
      Condition right;
      if (!ParseNot(&right)) return false;
      *out = Combine(Condition::Kind::kAnd, std::move(*out), std::move(right));
    }
    return true;
  }

  static Condition Combine(Condition::Kind kind, Condition left, Condition right) {
    Condition c;
    c.kind = kind;
    c.children.reserve(2);
    c.children.push_back(std::move(left));
    c.children.push_back(std::move(right));
    return c;
  }

  bool ParseNot(Condition* out) {
    if (!IsKeyword(Peek(), "NOT")) return ParsePrimary(out);
    pos_++;
    if (!Enter()) return false;
    Condition inner;
    bool ok = ParseNot(&inner);
    Leave();
    if (!ok) return false;
    out->kind = Condition::Kind::kNot;
    out->children.clear();
    out->children.push_back(std::move(inner));
    return true;
  }

  bool ParsePrimary(Condition* out) {
    size_t start = pos_;
    if (ParseSimpleCondition(out)) return true;
    pos_ = start;
    if (Peek().kind != TokenKind::kLeftParen) return Fail();
    pos_++;
    if (!Enter()) return false;
    Condition inner;
    bool ok = ParseOr(&inner) && Expect(TokenKind::kRightParen);
    Leave();
    if (!ok) return false;
    if (inner.parens < 255) inner.parens++;
    if (inner.parens >= 2) redundant_parens_ = true;
    *out = std::move(inner);
    return true;
  }

  // A comparison, BETWEEN, IN or a function call used as a condition.
  bool ParseSimpleCondition(Condition* out) {
    Operand first;
    if (!ParseOperand(&first)) return false;
    const Token& t = Peek();
    if (IsComparatorToken(t.kind)) {
      out->kind = Condition::Kind::kCompare;
      out->comparator = ComparatorOf(t.kind);
      pos_++;
      Operand second;
      if (!ParseOperand(&second)) return false;
      out->operands.push_back(std::move(first));
      out->operands.push_back(std::move(second));
      return true;
    }
    if (IsKeyword(t, "BETWEEN")) {
      pos_++;
      Operand low, high;
      if (!ParseOperand(&low)) return false;
      if (!IsKeyword(Peek(), "AND")) return Fail();
      pos_++;
      if (!ParseOperand(&high)) return false;
      out->kind = Condition::Kind::kBetween;
      out->operands.push_back(std::move(first));
      out->operands.push_back(std::move(low));
      out->operands.push_back(std::move(high));
      return true;
    }
    if (IsKeyword(t, "IN")) {
      pos_++;
      if (!Expect(TokenKind::kLeftParen)) return false;
      out->kind = Condition::Kind::kIn;
      out->operands.push_back(std::move(first));
      for (;;) {
        Operand candidate;
        if (!ParseOperand(&candidate)) return false;
        out->operands.push_back(std::move(candidate));
        if (Peek().kind != TokenKind::kComma) break;
        pos_++;
      }
      return Expect(TokenKind::kRightParen);
    }
    if (first.kind == Operand::Kind::kFunction) {
      // The parentheses around a function used as a condition belong to the
      // condition: "(attribute_exists(a))" is a parenthesized condition.
      out->kind = Condition::Kind::kFunction;
      out->parens = first.parens;
      first.parens = 0;
      out->operands.push_back(std::move(first));
      return true;
    }
    return Fail();
  }

  static Comparator ComparatorOf(TokenKind kind) {
    switch (kind) {
      case TokenKind::kNe:
        return Comparator::kNe;
      case TokenKind::kLt:
        return Comparator::kLt;
      case TokenKind::kLe:
        return Comparator::kLe;
      case TokenKind::kGt:
        return Comparator::kGt;
      case TokenKind::kGe:
        return Comparator::kGe;
      default:
        return Comparator::kEq;
    }
  }

  // ---- Operands

  // An operand, possibly in parentheses. In the condition grammar any number of
  // parentheses parse (two or more are reported as redundant), and a path in
  // parentheses may go on: "(a.b).c". In the update grammar an operand takes at
  // most one pair, and nothing follows it.
  bool ParseOperand(Operand* out) {
    if (Peek().kind != TokenKind::kLeftParen) return ParseBareOperand(out);
    pos_++;
    if (!Enter()) return false;
    Operand inner;
    bool ok = (mode_ == Mode::kCondition ? ParseOperand(&inner) : ParseBareOperand(&inner)) &&
              Expect(TokenKind::kRightParen);
    Leave();
    if (!ok) return false;
    if (inner.parens < 255) inner.parens++;
    if (inner.parens >= 2) redundant_parens_ = true;
    if (mode_ == Mode::kCondition && inner.kind == Operand::Kind::kPath &&
        (Peek().kind == TokenKind::kDot || Peek().kind == TokenKind::kLeftBracket)) {
      // The parentheses group a path prefix, not the operand.
      inner.parens = 0;
      if (!ParsePathTail(&inner)) return false;
    }
    *out = std::move(inner);
    return true;
  }

  bool ParseBareOperand(Operand* out) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kValue) {
      out->kind = Operand::Kind::kValue;
      out->name = std::string(t.text);
      pos_++;
      return true;
    }
    if (t.kind == TokenKind::kIdentifier && !IsGrammarKeyword(t) &&
        Peek(1).kind == TokenKind::kLeftParen) {
      return ParseFunctionCall(out);
    }
    return ParsePath(out);
  }

  bool ParseFunctionCall(Operand* out) {
    out->kind = Operand::Kind::kFunction;
    out->name = std::string(Peek().text);
    pos_ += 2;  // the name and "("
    if (!Enter()) return false;
    bool ok = true;
    for (;;) {
      Operand arg;
      if (!ParseOperand(&arg)) {
        ok = false;
        break;
      }
      out->args.push_back(std::move(arg));
      if (Peek().kind != TokenKind::kComma) break;
      pos_++;
    }
    Leave();
    return ok && Expect(TokenKind::kRightParen);
  }

  bool ParsePath(Operand* out) {
    const Token& t = Peek();
    if (!IsNameToken(t)) return Fail();
    out->kind = Operand::Kind::kPath;
    out->raw_path.push_back(NameElement(t));
    pos_++;
    return ParsePathTail(out);
  }

  bool ParsePathTail(Operand* out) {
    for (;;) {
      if (Peek().kind == TokenKind::kDot) {
        pos_++;
        if (!IsNameToken(Peek())) return Fail();
        out->raw_path.push_back(NameElement(Peek()));
        pos_++;
      } else if (Peek().kind == TokenKind::kLeftBracket) {
        pos_++;
        if (Peek().kind != TokenKind::kNumber) return Fail();
        RawPathElement index;
        index.kind = RawPathElement::Kind::kIndex;
        index.text = std::string(Peek().text);
        pos_++;
        if (!Expect(TokenKind::kRightBracket)) return false;
        out->raw_path.push_back(std::move(index));
      } else {
        return true;
      }
    }
  }

  static RawPathElement NameElement(const Token& t) {
    RawPathElement e;
    e.kind = t.kind == TokenKind::kName ? RawPathElement::Kind::kPlaceholder
                                        : RawPathElement::Kind::kName;
    e.text = std::string(t.text);
    return e;
  }

  // ---- Update actions

  bool ParseUpdateAction(UpdateActionKind kind, UpdateAction* action) {
    if (!ParsePath(&action->path)) return false;
    switch (kind) {
      case UpdateActionKind::kSet:
        if (!Expect(TokenKind::kEq)) return false;
        return ParseSetValue(&action->value);
      case UpdateActionKind::kRemove:
        return true;
      case UpdateActionKind::kAdd:
      case UpdateActionKind::kDelete:
        if (Peek().kind != TokenKind::kValue) return Fail();
        action->value.kind = Operand::Kind::kValue;
        action->value.name = std::string(Peek().text);
        pos_++;
        return true;
    }
    return Fail();
  }

  // A SET value, which may be wrapped whole in one pair of parentheses:
  // "(a + :b)". "(a) + :b" parses too: the wrapped reading is tried first and
  // given up when an operator follows it.
  bool ParseSetValue(Operand* out) {
    size_t start = pos_;
    if (Peek().kind == TokenKind::kLeftParen) {
      pos_++;
      Operand inner;
      if (ParseArithmetic(&inner) && Expect(TokenKind::kRightParen) &&
          Peek().kind != TokenKind::kPlus && Peek().kind != TokenKind::kMinus) {
        *out = std::move(inner);
        return true;
      }
      pos_ = start;
    }
    return ParseArithmetic(out);
  }

  bool ParseArithmetic(Operand* out) {
    Operand left;
    if (!ParseOperand(&left)) return false;
    TokenKind op = Peek().kind;
    if (op != TokenKind::kPlus && op != TokenKind::kMinus) {
      *out = std::move(left);
      return true;
    }
    pos_++;
    Operand right;
    if (!ParseOperand(&right)) return false;
    out->kind = op == TokenKind::kPlus ? Operand::Kind::kPlus : Operand::Kind::kMinus;
    out->args.clear();
    out->args.push_back(std::move(left));
    out->args.push_back(std::move(right));
    return true;
  }

  std::string_view text_;
  Mode mode_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  size_t furthest_ = 0;
  int depth_ = 0;
  bool too_deep_ = false;
  bool redundant_parens_ = false;
};

// The checks every kind of expression starts with, in DynamoDB's order.
Status CheckText(std::string_view text) {
  if (IsBlank(text)) return ValidationError("The expression can not be empty;");
  if (text.size() > kMaxExpressionBytes) {
    return ValidationError(
        "Expression size has exceeded the maximum allowed size; expression size: " +
        std::to_string(text.size()));
  }
  return Status::OK();
}

Status CheckOperators(const Parser& parser, Mode mode) {
  int operators = CountOperators(parser.tokens(), mode);
  if (operators > kMaxOperators) {
    return ValidationError("The expression contains too many operators; number of operators: " +
                           std::to_string(operators));
  }
  return Status::OK();
}

Status ParseFailure(const Parser& parser, Mode mode) {
  if (parser.too_deep() && mode == Mode::kCondition) {
    return ValidationError("The expression has redundant parentheses;");
  }
  return ValidationError(parser.SyntaxErrorMessage());
}

}  // namespace

Result<ConditionExpression> ParseCondition(std::string_view text) {
  DYN_RETURN_IF_ERROR(CheckText(text));
  Parser parser(text, Mode::kCondition);
  DYN_RETURN_IF_ERROR(CheckOperators(parser, Mode::kCondition));
  ConditionExpression out;
  if (!parser.ParseConditionExpression(&out)) return ParseFailure(parser, Mode::kCondition);
  return out;
}

Result<UpdateExpression> ParseUpdate(std::string_view text) {
  DYN_RETURN_IF_ERROR(CheckText(text));
  Parser parser(text, Mode::kUpdate);
  DYN_RETURN_IF_ERROR(CheckOperators(parser, Mode::kUpdate));
  UpdateExpression out;
  if (!parser.ParseUpdateExpression(&out)) return ParseFailure(parser, Mode::kUpdate);
  return out;
}

Result<ProjectionExpression> ParseProjection(std::string_view text) {
  DYN_RETURN_IF_ERROR(CheckText(text));
  Parser parser(text, Mode::kProjection);
  ProjectionExpression out;
  if (!parser.ParseProjectionExpression(&out)) return ParseFailure(parser, Mode::kProjection);
  return out;
}

}  // namespace dynemu::expr
