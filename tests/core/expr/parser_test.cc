#include "expr/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace dynemu::expr {
namespace {

enum class Grammar { kCondition, kUpdate, kProjection };

std::string ParseError(Grammar g, std::string_view text) {
  Status s;
  switch (g) {
    case Grammar::kCondition:
      s = ParseCondition(text).status();
      break;
    case Grammar::kUpdate:
      s = ParseUpdate(text).status();
      break;
    case Grammar::kProjection:
      s = ParseProjection(text).status();
      break;
  }
  return s.ok() ? std::string() : s.message();
}

struct SyntaxCase {
  Grammar grammar;
  const char* text;
  const char* message;  // "" when the text parses
};

constexpr Grammar C = Grammar::kCondition;
constexpr Grammar U = Grammar::kUpdate;
constexpr Grammar P = Grammar::kProjection;

class ParserSyntaxTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(ParserSyntaxTest, ReportsLikeDynamoDB) {
  const SyntaxCase& c = GetParam();
  EXPECT_EQ(ParseError(c.grammar, c.text), c.message) << c.text;
}

// The messages captured from DynamoDB (see the conformance suites and the tests of
// moto and dynalite) and those that follow their rule: the token, and the text
// from the token before it to the token after it.
INSTANTIATE_TEST_SUITE_P(
    DynamoDBCaptures, ParserSyntaxTest,
    ::testing::Values(
        SyntaxCase{U, "INVALID SYNTAX HERE",
                   "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""},
        SyntaxCase{U, "SET MyStr = myNum + 1", "Syntax error; token: \"1\", near: \"+ 1\""},
        SyntaxCase{U, "SET MyStr = myNum Mystr2 myNum2",
                   "Syntax error; token: \"Mystr2\", near: \"myNum Mystr2 myNum2\""},
        SyntaxCase{U, "SET MyStr = my Num", "Syntax error; token: \"Num\", near: \"my Num\""},
        SyntaxCase{U, "SET path = VALUE 1", "Syntax error; token: \"1\", near: \"VALUE 1\""},
        SyntaxCase{C, "foo", "Syntax error; token: \"<EOF>\", near: \"foo\""},
        SyntaxCase{C, "#h = :hashId a", "Syntax error; token: \"a\", near: \":hashId a\""},
        SyntaxCase{U, "SET", "Syntax error; token: \"<EOF>\", near: \"SET\""},
        SyntaxCase{P, "a b", "Syntax error; token: \"b\", near: \"a b\""},
        SyntaxCase{P, "a,", "Syntax error; token: \"<EOF>\", near: \",\""},
        SyntaxCase{U, "SET a = numx / :v", "Syntax error; token: \"/\", near: \"numx / :v\""},
        SyntaxCase{C, "a = ", "Syntax error; token: \"<EOF>\", near: \"= \""}));

// dynalite's catalogue of texts DynamoDB refuses as syntax errors.
INSTANTIATE_TEST_SUITE_P(
    ConditionSyntax, ParserSyntaxTest,
    ::testing::Values(
        SyntaxCase{C, "things are not gonna be ok",
                   "Syntax error; token: \"are\", near: \"things are not\""},
        SyntaxCase{C, "a > 4", "Syntax error; token: \"4\", near: \"> 4\""},
        SyntaxCase{C, "attribute_exists(Pictures-RearView)",
                   "Syntax error; token: \"-\", near: \"Pictures-RearView\""},
        SyntaxCase{C, "attribute_exists(\"Pictures.RearView\")",
                   "Syntax error; token: \"\"\", near: \"(\"Pictures\""},
        SyntaxCase{C, "attribute_exists(Pictures..RearView)",
                   "Syntax error; token: \".\", near: \"..RearView\""},
        SyntaxCase{C, "attribute_exists(Pi#ctures.RearView)",
                   "Syntax error; token: \"#ctures\", near: \"Pi#ctures.\""},
        SyntaxCase{C, "attribute_exists(asdf[a])", "Syntax error; token: \"a\", near: \"[a]\""},
        SyntaxCase{C, "a in b, c", "Syntax error; token: \"b\", near: \"in b,\""},
        SyntaxCase{C, "a > between", "Syntax error; token: \"between\", near: \"> between\""},
        SyntaxCase{C, "a in b", "Syntax error; token: \"b\", near: \"in b\""},
        SyntaxCase{C, "a in (b,c,)", "Syntax error; token: \")\", near: \",)\""},
        SyntaxCase{C, "a in ()", "Syntax error; token: \")\", near: \"()\""},
        SyntaxCase{C, "(a)between(b.(c.d))and(c)", "Syntax error; token: \"(\", near: \".(c\""},
        SyntaxCase{C, "(a)between(b.c.d)and((c)", "Syntax error; token: \"<EOF>\", near: \")\""},
        SyntaxCase{C, "#$.b > a", "Syntax error; token: \"#\", near: \"#$\""},
        SyntaxCase{C, "a > :things.stuff", "Syntax error; token: \".\", near: \":things.stuff\""},
        SyntaxCase{C, "b[:a] > a", "Syntax error; token: \":a\", near: \"[:a]\""},
        SyntaxCase{C, "b[#_] > a", "Syntax error; token: \"#_\", near: \"[#_]\""},
        SyntaxCase{C, "\xc3\xbc > a", "Syntax error; token: \"\xc3\xbc\", near: \"\xc3\xbc >\""},
        SyntaxCase{C, "(a)between(b.c[4.5].#d)and(:a)",
                   "Syntax error; token: \".\", near: \"4.5\""},
        SyntaxCase{C, "size(a).b > a", "Syntax error; token: \".\", near: \").b\""},
        SyntaxCase{C, "(size(a)).b > a", "Syntax error; token: \".\", near: \").b\""},
        SyntaxCase{C, "size(a)[0] > a", "Syntax error; token: \"[\", near: \")[0\""},
        SyntaxCase{C, "(size(a))[0] > a", "Syntax error; token: \"[\", near: \")[0\""},
        SyntaxCase{C, "a = :v AND", "Syntax error; token: \"<EOF>\", near: \"AND\""},
        SyntaxCase{C, "a = :v OR OR b = :v", "Syntax error; token: \"OR\", near: \"OR OR b\""},
        SyntaxCase{C, "a == :v", "Syntax error; token: \"=\", near: \"== :v\""},
        SyntaxCase{C, "a != :v", "Syntax error; token: \"!\", near: \"a !=\""},
        SyntaxCase{C, "a BETWEEN :a :b", "Syntax error; token: \":b\", near: \":a :b\""},
        SyntaxCase{C, "a BETWEEN :a OR :b", "Syntax error; token: \"OR\", near: \":a OR :b\""},
        SyntaxCase{C, "(a = :v", "Syntax error; token: \"<EOF>\", near: \":v\""},
        SyntaxCase{C, "a = :v)", "Syntax error; token: \")\", near: \":v)\""},
        SyntaxCase{C, "f()", "Syntax error; token: \")\", near: \"()\""},
        SyntaxCase{C, "and(a)", "Syntax error; token: \"and\", near: \"and(\""},
        SyntaxCase{C, "a.and = :v", "Syntax error; token: \"and\", near: \".and =\""},
        SyntaxCase{C, "NOT", "Syntax error; token: \"<EOF>\", near: \"NOT\""},
        SyntaxCase{C, "a = # ", "Syntax error; token: \"#\", near: \"= #\""},
        SyntaxCase{C, "a[99999999999999999999999] = :v", ""},
        SyntaxCase{C, "a.b[1]", "Syntax error; token: \"<EOF>\", near: \"]\""}));

INSTANTIATE_TEST_SUITE_P(
    UpdateSyntax, ParserSyntaxTest,
    ::testing::Values(
        SyntaxCase{U, "whatever", "Syntax error; token: \"whatever\", near: \"whatever\""},
        SyntaxCase{U, "set a", "Syntax error; token: \"<EOF>\", near: \"a\""},
        SyntaxCase{U, "add a", "Syntax error; token: \"<EOF>\", near: \"a\""},
        SyntaxCase{U, "delete a", "Syntax error; token: \"<EOF>\", near: \"a\""},
        SyntaxCase{U, "set a=set", "Syntax error; token: \"set\", near: \"=set\""},
        SyntaxCase{U, "remove a = b", "Syntax error; token: \"=\", near: \"a = b\""},
        SyntaxCase{U, "add a = b", "Syntax error; token: \"=\", near: \"a = b\""},
        SyntaxCase{U, "delete a b", "Syntax error; token: \"b\", near: \"a b\""},
        SyntaxCase{U, "delete a if_not_exist(b)",
                   "Syntax error; token: \"if_not_exist\", near: \"a if_not_exist(\""},
        SyntaxCase{U, "add abort b", "Syntax error; token: \"b\", near: \"abort b\""},
        SyntaxCase{U, "remove a b", "Syntax error; token: \"b\", near: \"a b\""},
        SyntaxCase{U, "set a b", "Syntax error; token: \"b\", near: \"a b\""},
        SyntaxCase{U, "set :a = b", "Syntax error; token: \":a\", near: \"set :a =\""},
        SyntaxCase{U, "add :a b", "Syntax error; token: \":a\", near: \"add :a b\""},
        SyntaxCase{U, "remove :a", "Syntax error; token: \":a\", near: \"remove :a\""},
        SyntaxCase{U, "set a = b * c", "Syntax error; token: \"*\", near: \"b * c\""},
        SyntaxCase{U, "set a[1] = \"eight\"", "Syntax error; token: \"\"\", near: \"= \"eight\""},
        SyntaxCase{U, "set a[1] = 1", "Syntax error; token: \"1\", near: \"= 1\""},
        SyntaxCase{U, "SET a = if_not_exist(a, 100)",
                   "Syntax error; token: \"100\", near: \", 100)\""},
        SyntaxCase{U, "SET if_not_exist(a, b) = a",
                   "Syntax error; token: \"(\", near: \"if_not_exist(a\""},
        SyntaxCase{U, "set (a = (b + c))", "Syntax error; token: \"(\", near: \"set (a\""},
        SyntaxCase{U, "set a = (b.c).d + e", "Syntax error; token: \".\", near: \").d\""},
        SyntaxCase{U, "set a = (b.c)[0] + e", "Syntax error; token: \"[\", near: \")[0\""},
        SyntaxCase{U, "set a = b + c + d", "Syntax error; token: \"+\", near: \"c + d\""},
        SyntaxCase{U, "set a = (((b)))", "Syntax error; token: \"(\", near: \"((b\""},
        SyntaxCase{U, "set a = :v,", "Syntax error; token: \"<EOF>\", near: \",\""},
        SyntaxCase{U, "set a = :v remove", "Syntax error; token: \"<EOF>\", near: \"remove\""},
        SyntaxCase{U, "set add = :v", "Syntax error; token: \"add\", near: \"set add =\""},
        SyntaxCase{U, "remove a.set", "Syntax error; token: \"set\", near: \".set\""},
        SyntaxCase{U, "set a = :v and b = :w", "Syntax error; token: \"and\", near: \":v and b\""},
        SyntaxCase{U, "set a = f()", "Syntax error; token: \")\", near: \"()\""},
        SyntaxCase{U, "add a :v, b", "Syntax error; token: \"<EOF>\", near: \"b\""}));

INSTANTIATE_TEST_SUITE_P(
    ProjectionSyntax, ParserSyntaxTest,
    ::testing::Values(SyntaxCase{P, "a.", "Syntax error; token: \"<EOF>\", near: \".\""},
                      SyntaxCase{P, ":a", "Syntax error; token: \":a\", near: \":a\""},
                      SyntaxCase{P, "a[]", "Syntax error; token: \"]\", near: \"[]\""},
                      SyntaxCase{P, "a[1", "Syntax error; token: \"<EOF>\", near: \"1\""},
                      SyntaxCase{P, "(a)", "Syntax error; token: \"(\", near: \"(a\""},
                      SyntaxCase{P, "a-b", "Syntax error; token: \"-\", near: \"a-b\""},
                      SyntaxCase{P, "size(a)", "Syntax error; token: \"(\", near: \"size(a\""},
                      SyntaxCase{P, ",a", "Syntax error; token: \",\", near: \",a\""}));

// Texts that parse (their semantic errors, if any, come later).
INSTANTIATE_TEST_SUITE_P(
    Accepted, ParserSyntaxTest,
    ::testing::Values(
        SyntaxCase{C, "a = :v", ""}, SyntaxCase{C, "a<>:v", ""}, SyntaxCase{C, "a<:v", ""},
        SyntaxCase{C, "a <= :v", ""}, SyntaxCase{C, "a > :v", ""}, SyntaxCase{C, "a >= :v", ""},
        SyntaxCase{C, "a BETWEEN :lo AND :hi", ""}, SyntaxCase{C, "a between :lo and :hi", ""},
        SyntaxCase{C, "a IN (:a)", ""}, SyntaxCase{C, "a in (:a, :b, c.d)", ""},
        SyntaxCase{C, "attribute_exists(a)", ""},
        SyntaxCase{C, "attribute_not_exists(#a.b[1])", ""},
        SyntaxCase{C, "attribute_type(a, :t)", ""}, SyntaxCase{C, "begins_with(a, :p)", ""},
        SyntaxCase{C, "contains(a, :v)", ""}, SyntaxCase{C, "size(a) > :n", ""},
        SyntaxCase{C, "NOT a = :v", ""}, SyntaxCase{C, "not (a = :v)", ""},
        SyntaxCase{C, "NOT NOT a = :v", ""}, SyntaxCase{C, "a = :v AND b = :w OR c = :x", ""},
        SyntaxCase{C, "(a = :v)", ""}, SyntaxCase{C, "((a = :v))", ""},
        SyntaxCase{C, "(a) = (:v)", ""}, SyntaxCase{C, "(a.b).c = :v", ""},
        SyntaxCase{C, "(a)[1] = :v", ""}, SyntaxCase{C, "a . b [ 1 ] = :v", ""},
        SyntaxCase{C, "a.b[3].c[0] = :v", ""}, SyntaxCase{C, "#a.#b = :v", ""},
        SyntaxCase{C, "whatever(a)", ""}, SyntaxCase{C, "size(a)", ""},
        SyntaxCase{C, ":a = :b", ""}, SyntaxCase{C, "a = :v\n AND\tb = :v", ""},
        SyntaxCase{C, "_a = :v", ""}, SyntaxCase{C, "#4g = :v", ""},
        SyntaxCase{U, "SET a = :v", ""}, SyntaxCase{U, "set a=:v,b=c", ""},
        SyntaxCase{U, "SET a = b + :c, d = e - f", ""}, SyntaxCase{U, "SET a = (b + :c)", ""},
        SyntaxCase{U, "SET a = (b) + (:c)", ""}, SyntaxCase{U, "set b.c=((c[1])+(b.a))", ""},
        SyntaxCase{U, "SET a = if_not_exists(a, :v)", ""},
        SyntaxCase{U, "SET a = list_append(a, :l)", ""},
        SyntaxCase{U, "SET a = if_not_exists(a, :z) + :one", ""},
        SyntaxCase{U, "REMOVE a, b.c, d[1]", ""}, SyntaxCase{U, "ADD a :n, b :s", ""},
        SyntaxCase{U, "DELETE a :s", ""},
        SyntaxCase{U, "SET a = :v REMOVE b ADD c :n DELETE d :s", ""},
        SyntaxCase{U, "remove a set b = :v", ""}, SyntaxCase{U, "SET a = :v SET b = :w", ""},
        SyntaxCase{U, "SET and = :v", ""}, SyntaxCase{U, "SET a = size(b)", ""},
        SyntaxCase{P, "a", ""}, SyntaxCase{P, "a, b.c, d[0], #e.f[1][2]", ""},
        SyntaxCase{P, "set, add", ""}, SyntaxCase{P, "and", ""}));

INSTANTIATE_TEST_SUITE_P(EmptyAndLimits, ParserSyntaxTest,
                         ::testing::Values(SyntaxCase{C, "", "The expression can not be empty;"},
                                           SyntaxCase{C, "   ", "The expression can not be empty;"},
                                           SyntaxCase{U, "", "The expression can not be empty;"},
                                           SyntaxCase{P, "\n",
                                                      "The expression can not be empty;"}));

TEST(ParserLimits, FourKilobytes) {
  std::string at_limit = "a = :v AND b = :" + std::string(4096 - 16, 'x');
  ASSERT_EQ(at_limit.size(), 4096u);
  EXPECT_EQ(ParseError(C, at_limit), "");
  std::string over = at_limit + "x";
  EXPECT_EQ(ParseError(C, over),
            "Expression size has exceeded the maximum allowed size; expression size: 4097");
  EXPECT_EQ(ParseError(P, std::string(5000, 'a')),
            "Expression size has exceeded the maximum allowed size; expression size: 5000");
}

TEST(ParserLimits, ThreeHundredOperators) {
  // 150 comparisons joined by 149 ANDs: 299 operators.
  std::string ok = "a = :v";
  for (int i = 1; i < 150; i++) ok += " AND a = :v";
  EXPECT_EQ(ParseError(C, ok), "");
  EXPECT_EQ(ParseError(C, ok + " AND b = :v"),
            "The expression contains too many operators; number of operators: 301");
  // In updates the functions and + and - count.
  std::string update = "SET a0 = f(c)";
  for (int i = 1; i < 301; i++) update += ",a" + std::to_string(i) + "=f(c)";
  ASSERT_LT(update.size(), 4096u);
  EXPECT_EQ(ParseError(U, update),
            "The expression contains too many operators; number of operators: 301");
  update.resize(update.rfind(','));
  EXPECT_EQ(ParseError(U, update), "");
}

TEST(ParserLimits, DeepNestingIsRefusedWithoutExhaustingTheStack) {
  std::string deep = std::string(2000, '(') + "a = :v" + std::string(2000, ')');
  EXPECT_EQ(ParseError(C, deep), "The expression has redundant parentheses;");
  std::string nots;
  for (int i = 0; i < 1000; i++) nots += "NOT ";
  EXPECT_EQ(ParseError(C, nots + "a = :v"),
            "The expression contains too many operators; number of operators: 1001");
  std::string operands = "a = " + std::string(2000, '(') + ":v" + std::string(2000, ')');
  EXPECT_EQ(ParseError(C, operands), "The expression has redundant parentheses;");
  std::string calls;
  for (int i = 0; i < 200; i++) calls += "f(";
  calls += "a" + std::string(200, ')');
  EXPECT_EQ(ParseError(C, calls), "");  // 200 calls: within the limits
}

// ---- Structure

std::string Shape(const Operand& op);

std::string Shape(const Condition& c) {
  std::string out;
  switch (c.kind) {
    case Condition::Kind::kOr:
      return "(" + Shape(c.children[0]) + " OR " + Shape(c.children[1]) + ")";
    case Condition::Kind::kAnd:
      return "(" + Shape(c.children[0]) + " AND " + Shape(c.children[1]) + ")";
    case Condition::Kind::kNot:
      return "NOT " + Shape(c.children[0]);
    case Condition::Kind::kCompare:
      return Shape(c.operands[0]) + std::string(ComparatorText(c.comparator)) +
             Shape(c.operands[1]);
    case Condition::Kind::kBetween:
      return Shape(c.operands[0]) + " BETWEEN " + Shape(c.operands[1]) + "," + Shape(c.operands[2]);
    case Condition::Kind::kIn:
      out = Shape(c.operands[0]) + " IN[";
      for (size_t i = 1; i < c.operands.size(); i++)
        out += (i > 1 ? "," : "") + Shape(c.operands[i]);
      return out + "]";
    case Condition::Kind::kFunction:
      return Shape(c.operands[0]);
  }
  return "?";
}

std::string Shape(const Operand& op) {
  std::string out;
  switch (op.kind) {
    case Operand::Kind::kPath:
      for (const RawPathElement& e : op.raw_path) {
        if (e.kind == RawPathElement::Kind::kIndex) {
          out += "[" + e.text + "]";
        } else {
          out += (out.empty() ? "" : ".") + e.text;
        }
      }
      return out;
    case Operand::Kind::kValue:
      return op.name;
    case Operand::Kind::kFunction:
      out = op.name + "(";
      for (size_t i = 0; i < op.args.size(); i++) out += (i ? "," : "") + Shape(op.args[i]);
      return out + ")";
    case Operand::Kind::kPlus:
      return "(" + Shape(op.args[0]) + "+" + Shape(op.args[1]) + ")";
    case Operand::Kind::kMinus:
      return "(" + Shape(op.args[0]) + "-" + Shape(op.args[1]) + ")";
  }
  return "?";
}

struct ShapeCase {
  const char* text;
  const char* shape;
};

class ParserShapeTest : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(ParserShapeTest, Precedence) {
  Result<ConditionExpression> parsed = ParseCondition(GetParam().text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(Shape(parsed->root), GetParam().shape);
}

// NOT binds tighter than AND, AND tighter than OR; parentheses override.
INSTANTIATE_TEST_SUITE_P(
    Cases, ParserShapeTest,
    ::testing::Values(ShapeCase{"a = :a OR b = :b AND c = :c", "(a=:a OR (b=:b AND c=:c))"},
                      ShapeCase{"a = :a AND b = :b OR c = :c", "((a=:a AND b=:b) OR c=:c)"},
                      ShapeCase{"(a = :a OR b = :b) AND c = :c", "((a=:a OR b=:b) AND c=:c)"},
                      ShapeCase{"NOT a = :a AND b = :b", "(NOT a=:a AND b=:b)"},
                      ShapeCase{"NOT a = :a OR b = :b", "(NOT a=:a OR b=:b)"},
                      ShapeCase{"NOT (a = :a OR b = :b)", "NOT (a=:a OR b=:b)"},
                      ShapeCase{"a = :a OR NOT b = :b AND c = :c", "(a=:a OR (NOT b=:b AND c=:c))"},
                      ShapeCase{"a BETWEEN :x AND :y AND b = :b", "(a BETWEEN :x,:y AND b=:b)"},
                      ShapeCase{"a IN (:x, :y) OR b IN (:z)", "(a IN[:x,:y] OR b IN[:z])"},
                      ShapeCase{"a.b[3].c[0] = :v", "a.b[3].c[0]=:v"},
                      ShapeCase{"#a.#b[1] <> :v", "#a.#b[1]<>:v"},
                      ShapeCase{"(a.b).c[1] = :v", "a.b.c[1]=:v"},
                      ShapeCase{"size(a.b) >= :n", "size(a.b)>=:n"},
                      ShapeCase{"attribute_exists(a) AND begins_with(b, :p)",
                                "(attribute_exists(a) AND begins_with(b,:p))"},
                      ShapeCase{"a = :a OR b = :b OR c = :c", "((a=:a OR b=:b) OR c=:c)"},
                      ShapeCase{"NOT NOT a = :a", "NOT NOT a=:a"}, ShapeCase{":v < a", ":v<a"}));

TEST(ParserStructure, RedundantParenthesesAreFlagged) {
  for (const char* text : {"((a = :v))", "a = ((:v))", "((a)) = :v", "f(((a)))",
                           "a=a AND ((a=a AND a=a))", "(((a = :v) AND b = :v))"}) {
    Result<ConditionExpression> parsed = ParseCondition(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_TRUE(parsed->redundant_parens) << text;
  }
  for (const char* text : {"(a = :v)", "((a = :v) OR (b = :v))", "(a) = (:v)", "f((a))",
                           "(a = :v AND (b = :v))", "(attribute_exists(a))", "NOT (a = :v)"}) {
    Result<ConditionExpression> parsed = ParseCondition(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_FALSE(parsed->redundant_parens) << text;
  }
}

TEST(ParserStructure, UpdateClausesAndActions) {
  Result<UpdateExpression> parsed = ParseUpdate(
      "set a = b + :c, d = list_append(d, :l) remove e[1], f add g :n delete h :s SET x = :y");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->clauses.size(), 5u);
  EXPECT_EQ(parsed->clauses[4], UpdateActionKind::kSet);
  ASSERT_EQ(parsed->actions.size(), 7u);
  EXPECT_EQ(parsed->actions[0].kind, UpdateActionKind::kSet);
  EXPECT_EQ(Shape(parsed->actions[0].value), "(b+:c)");
  EXPECT_EQ(Shape(parsed->actions[1].value), "list_append(d,:l)");
  EXPECT_EQ(parsed->actions[2].kind, UpdateActionKind::kRemove);
  EXPECT_EQ(Shape(parsed->actions[2].path), "e[1]");
  EXPECT_EQ(parsed->actions[4].kind, UpdateActionKind::kAdd);
  EXPECT_EQ(parsed->actions[4].value.name, ":n");
  EXPECT_EQ(parsed->actions[5].kind, UpdateActionKind::kDelete);
  EXPECT_EQ(Shape(parsed->actions[6].path), "x");
}

TEST(ParserStructure, ParenthesizedSetValues) {
  Result<UpdateExpression> whole = ParseUpdate("SET a = (b - :c)");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(Shape(whole->actions[0].value), "(b-:c)");
  Result<UpdateExpression> parts = ParseUpdate("SET a = (b) - (:c)");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(Shape(parts->actions[0].value), "(b-:c)");
}

TEST(ParserStructure, ProjectionPaths) {
  Result<ProjectionExpression> parsed = ParseProjection("a, b.c, #d[2].e");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->paths.size(), 3u);
  EXPECT_EQ(Shape(parsed->paths[2]), "#d[2].e");
  EXPECT_EQ(parsed->paths[2].raw_path[0].kind, RawPathElement::Kind::kPlaceholder);
  EXPECT_EQ(parsed->paths[2].raw_path[1].kind, RawPathElement::Kind::kIndex);
}

}  // namespace
}  // namespace dynemu::expr
