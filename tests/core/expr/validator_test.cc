#include "expr/validator.h"

#include <gtest/gtest.h>

#include <string>

#include "expr_test_util.h"

namespace dynemu::expr {
namespace {

using testing::CompileError;
using testing::RequestJson;

struct Case {
  const char* member;  // the expression parameter
  const char* text;
  const char* names;    // JSON object or ""
  const char* values;   // JSON object or ""
  const char* message;  // "" when valid
};

class ValidatorTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidatorTest, ReportsDynamoDBsError) {
  const Case& c = GetParam();
  EXPECT_EQ(CompileError(RequestJson(c.member, c.text, c.names, c.values)), c.message)
      << c.member << ": " << c.text;
}

constexpr const char* F = "FilterExpression";
constexpr const char* K = "ConditionExpression";
constexpr const char* U = "UpdateExpression";
constexpr const char* P = "ProjectionExpression";

#define FE "Invalid FilterExpression: "
#define UE "Invalid UpdateExpression: "
#define PE "Invalid ProjectionExpression: "

// dynalite's recordings of DynamoDB (test/scan.js, test/updateItem.js), one per error
// and per order of precedence between errors.
INSTANTIATE_TEST_SUITE_P(
    RedundantParentheses, ValidatorTest,
    ::testing::Values(
        Case{F, "a=a and a > ((views))", "", "", FE "The expression has redundant parentheses;"},
        Case{F, "(a)between(((b.c)).d)and(c)", "", "",
             FE "The expression has redundant parentheses;"},
        Case{F, "a > whatever((:things), ((a)))", "", "",
             FE "The expression has redundant parentheses;"},
        Case{F, "a=a AND ((a=a AND a=a)) AND a=a", "", "",
             FE "The expression has redundant parentheses;"},
        Case{F, "a=a OR ((a=a OR a=a)) OR a=a", "", "",
             FE "The expression has redundant parentheses;"},
        Case{F, "a=a AND ((a=a AND (a=a AND a=a)))", "", "",
             FE "The expression has redundant parentheses;"},
        Case{F, "a=a OR ((a=a OR (a=a OR a=a)))", "", "",
             FE "The expression has redundant parentheses;"},
        Case{K, "((attribute_not_exists(pk)))", "", "",
             "Invalid ConditionExpression: The expression has redundant parentheses;"}));

INSTANTIATE_TEST_SUITE_P(
    Functions, ValidatorTest,
    ::testing::Values(
        Case{F, "a=a and whatever((:things)) > a", "", "",
             FE "Invalid function name; function: whatever"},
        Case{F, "attRIbute_exIsts((views), #a)", "", "",
             FE "Invalid function name; function: attRIbute_exIsts"},
        Case{F, "if_not_exists(a, :v) = b", "", "{\":v\":{\"S\":\"x\"}}",
             FE "The function is not allowed in a condition expression; function: if_not_exists"},
        Case{F, "list_append(a, b)", "", "",
             FE "The function is not allowed in a condition expression; function: list_append"},
        Case{F, "a=a and attribute_exists((views), (#a)) > b", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_exists"},
        Case{F, "attribute_not_exists(things) > b", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_not_exists"},
        Case{F, "attribute_type(things, :a) > b", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_type"},
        Case{F, "begins_with(things, a) > b", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "begins_with"},
        Case{
            F, "contains(:things, c) > b", "", "",
            FE
            "The function is not allowed to be used this way in an expression; function: contains"},
        Case{
            F, "size(contains(a, b)) > a", "", "",
            FE
            "The function is not allowed to be used this way in an expression; function: contains"},
        Case{F, "size(things)", "", "",
             FE "The function is not allowed to be used this way in an expression; function: size"},
        Case{F, "a between b and attribute_exists(things)", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_exists"},
        Case{F, "a in (b, attribute_exists(things))", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_exists"}));

INSTANTIATE_TEST_SUITE_P(
    ReservedWords, ValidatorTest,
    ::testing::Values(Case{F, "attribute_exists(views, #a)", "", "",
                           FE "Attribute name is a reserved keyword; reserved keyword: views"},
                      Case{F, ":a < abOrT", "", "",
                           FE "Attribute name is a reserved keyword; reserved keyword: abOrT"},
                      Case{F, "a.status = :v", "", "{\":v\":{\"S\":\"x\"}}",
                           FE "Attribute name is a reserved keyword; reserved keyword: status"},
                      Case{F, "#s = :v", "{\"#s\":\"status\"}", "{\":v\":{\"S\":\"x\"}}", ""},
                      Case{U, " set #c = :c set abOrt = true ", "{\"#a\":\"a\",\"#b\":\"b\"}",
                           "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"a\"}}",
                           UE "Attribute name is a reserved keyword; reserved keyword: abOrt"},
                      Case{U, " remove Absolute ", "", "",
                           UE "Attribute name is a reserved keyword; reserved keyword: Absolute"},
                      Case{U, "SET a = size", "", "",
                           UE "Attribute name is a reserved keyword; reserved keyword: size"},
                      Case{P, "pk, status", "", "",
                           PE "Attribute name is a reserved keyword; reserved keyword: status"},
                      Case{P, "a.b.Name", "", "",
                           PE "Attribute name is a reserved keyword; reserved keyword: Name"}));

INSTANTIATE_TEST_SUITE_P(
    Placeholders, ValidatorTest,
    ::testing::Values(
        Case{F, "attribute_exists(#Pictures.RearView, :a) and a=a", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #Pictures"},
        Case{F, "begins_with(Pictures.#RearView)", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #RearView"},
        Case{F, "(#P between :lo and :hi) and (#PC in (:cat1, :cat2))", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #P"},
        Case{F, "#4g > a", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #4g"},
        Case{F, "#_ > a", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #_"},
        Case{F, "(a)between(b.c[45].#d)and(:a)", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #d"},
        Case{F, "begins_with(:hello, #a, #b)", "", "",
             FE "An expression attribute value used in expression is not defined; attribute value: "
                ":hello"},
        Case{
            F, ":a < :b", "", "",
            FE
            "An expression attribute value used in expression is not defined; attribute value: :a"},
        Case{
            F, ":_ > a", "", "",
            FE
            "An expression attribute value used in expression is not defined; attribute value: :_"},
        Case{U, "SET #c = if_not_exists(:c)", "{\"#a\":\"a\",\"#b\":\"b\"}",
             "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"a\"}}",
             UE "An expression attribute name used in the document path is not defined; attribute "
                "name: #c"},
        Case{
            U, "SET #a = if_not_exists(:c)", "{\"#a\":\"a\",\"#b\":\"b\"}",
            "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"a\"}}",
            UE
            "An expression attribute value used in expression is not defined; attribute value: :c"},
        Case{
            U, "SET attr1 = :v", "", "",
            UE
            "An expression attribute value used in expression is not defined; attribute value: :v"},
        Case{U, "SET a = :v, #b = :w", "", "",
             UE "An expression attribute name used in the document path is not defined; attribute "
                "name: #b"},
        Case{P, "#undef", "", "",
             PE "An expression attribute name used in the document path is not defined; attribute "
                "name: #undef"}));

INSTANTIATE_TEST_SUITE_P(
    Operands, ValidatorTest,
    ::testing::Values(Case{F, "attribute_exists(things, a) and a=a", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: attribute_exists, number of operands: 2"},
                      Case{F, "attribute_not_exists(things, b)", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: attribute_not_exists, number of operands: 2"},
                      Case{F, "attribute_type(things)", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: attribute_type, number of operands: 1"},
                      Case{F, "begins_with(things)", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: begins_with, number of operands: 1"},
                      Case{F, "begins_with(things, size(a), b)", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: begins_with, number of operands: 3"},
                      Case{F, "contains(things)", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: contains, number of operands: 1"},
                      Case{F, "size(things, a) > b", "", "",
                           FE "Incorrect number of operands for operator or function; operator or "
                              "function: size, number of operands: 2"},
                      Case{U, "set a = if_not_exists(c)", "", "",
                           UE "Incorrect number of operands for operator or function; operator or "
                              "function: if_not_exists, number of operands: 1"},
                      Case{U, "set a = list_append(c)", "", "",
                           UE "Incorrect number of operands for operator or function; operator or "
                              "function: list_append, number of operands: 1"}));

INSTANTIATE_TEST_SUITE_P(
    OperandTypes, ValidatorTest,
    ::testing::Values(
        Case{F, "attribute_type(a, size(a)) and a=a and a=:a", "", "{\":a\":{\"N\":\"1\"}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: N"},
        Case{F, "attribute_type(a, :a)", "", "{\":a\":{\"BOOL\":true}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: BOOL"},
        Case{F, "attribute_type(a, :a)", "", "{\":a\":{\"SS\":[\"1\"]}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: SS"},
        Case{F, "attribute_type(a, b)", "", "",
             FE "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}"},
        Case{F, "attribute_type(a, :a)", "", "{\":a\":{\"S\":\"1\"}}",
             FE "Invalid attribute type name found; type: 1, valid types: "
                "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
        Case{F, "attribute_type(a, :a)", "", "{\":a\":{\"S\":\"SS\"}}", ""},
        Case{F, "begins_with(a, size(a)) and a=:a", "", "{\":a\":{\"N\":\"1\"}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "begins_with, operand type: N"},
        Case{F, "begins_with(a, :a)", "", "{\":a\":{\"L\":[]}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "begins_with, operand type: L"},
        Case{F, "begins_with(:a, a)", "", "{\":a\":{\"NS\":[\"1\"]}}",
             FE "Incorrect operand type for operator or function; operator or function: "
                "begins_with, operand type: NS"},
        Case{F, "begins_with(a, :a)", "", "{\":a\":{\"B\":\"YQ==\"}}", ""},
        Case{F, "size(size(a)) > :a", "", "{\":a\":{\"N\":\"1\"}}",
             FE "Incorrect operand type for operator or function; operator or function: size, "
                "operand type: N"},
        Case{F, "attribute_not_exists(size(:a))", "", "{\":a\":{\"N\":\"1\"}}",
             FE "Incorrect operand type for operator or function; operator or function: size, "
                "operand type: N"},
        Case{F, "size(:a) > a", "", "{\":a\":{\"BOOL\":true}}",
             FE "Incorrect operand type for operator or function; operator or function: size, "
                "operand type: BOOL"},
        Case{F, "size(:a) > a", "", "{\":a\":{\"NULL\":true}}",
             FE "Incorrect operand type for operator or function; operator or function: size, "
                "operand type: NULL"},
        Case{F, "size(:a) > a", "", "{\":a\":{\"M\":{}}}", ""},
        Case{F, "attribute_exists(:a) and a=a", "", "{\":a\":{\"S\":\"1\"}}",
             FE "Operator or function requires a document path; operator or function: "
                "attribute_exists"},
        Case{F, "attribute_not_exists(size(:a))", "", "{\":a\":{\"S\":\"1\"}}",
             FE "Operator or function requires a document path; operator or function: "
                "attribute_not_exists"},
        Case{F, "attribute_type(:a, :a)", "", "{\":a\":{\"S\":\"S\"}}",
             FE
             "Operator or function requires a document path; operator or function: attribute_type"},
        Case{F, "a < :a", "", "{\":a\":{\"L\":[]}}",
             FE "Incorrect operand type for operator or function; operator or function: <, operand "
                "type: L"},
        Case{F, ":a >= a", "", "{\":a\":{\"BOOL\":true}}",
             FE "Incorrect operand type for operator or function; operator or function: >=, "
                "operand type: BOOL"},
        Case{F, "a = :a", "", "{\":a\":{\"L\":[]}}", ""},
        Case{F, "a <> :a", "", "{\":a\":{\"NULL\":true}}", ""},
        Case{F, "a between :a and :b", "", "{\":a\":{\"SS\":[\"a\"]},\":b\":{\"SS\":[\"b\"]}}",
             FE "Incorrect operand type for operator or function; operator or function: BETWEEN, "
                "operand type: SS"},
        Case{U, "set a = list_append(:a, a)", "", "{\":a\":{\"S\":\"a\"}}",
             UE "Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: S"},
        Case{U, "set a = list_append(a, :b)", "", "{\":b\":{\"N\":\"1\"}}",
             UE "Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: N"},
        Case{U, "set a = list_append(:i, a)", "", "{\":i\":{\"M\":{}}}",
             UE "Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: M"},
        Case{U, "set a = a + :a", "", "{\":a\":{\"S\":\"a\"}}",
             UE "Incorrect operand type for operator or function; operator or function: +, operand "
                "type: S"},
        Case{U, "set a = :c - a", "", "{\":c\":{\"B\":\"YQ==\"}}",
             UE "Incorrect operand type for operator or function; operator or function: -, operand "
                "type: B"},
        Case{U, "set a = a - :j", "", "{\":j\":{\"L\":[]}}",
             UE "Incorrect operand type for operator or function; operator or function: -, operand "
                "type: L"},
        Case{U, "set a = if_not_exists(:a, c)", "", "{\":a\":{\"S\":\"a\"}}",
             UE
             "Operator or function requires a document path; operator or function: if_not_exists"},
        Case{U, "set a = if_not_exists(if_not_exists(a, b), c)", "", "",
             UE
             "Operator or function requires a document path; operator or function: if_not_exists"},
        Case{U, "set a = size(b)", "", "",
             UE "The function is not allowed in an update expression; function: size"},
        Case{U, "set a = attribute_exists(b)", "", "",
             UE "The function is not allowed in an update expression; function: attribute_exists"},
        Case{U, "set #c = if_not_exist(:c) set c = d", "{\"#a\":\"a\",\"#b\":\"b\"}",
             "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"a\"}}",
             UE "Invalid function name; function: if_not_exist"}));

INSTANTIATE_TEST_SUITE_P(
    AddAndDeleteOperands, ValidatorTest,
    ::testing::Values(Case{U, "set b = list_append(:a, a), c = if_not_exists(a) add a.b :a", "",
                           "{\":a\":{\"S\":\"a\"}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "delete a.b :a", "", "{\":a\":{\"S\":\"a\"}}",
                           UE "Incorrect operand type for operator or function; operator: DELETE, "
                              "operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
                      Case{U, "add a.b :a", "", "{\":a\":{\"NULL\":true}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: NULL, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "add a.b :a", "", "{\":a\":{\"BOOL\":false}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: BOOLEAN, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "add a.b :a", "", "{\":a\":{\"B\":\"YQ==\"}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: BINARY, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "add a.b :a", "", "{\":a\":{\"M\":{}}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "add a.b :a", "", "{\":a\":{\"L\":[]}}",
                           UE "Incorrect operand type for operator or function; operator: ADD, "
                              "operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"},
                      Case{U, "delete a.b :a", "", "{\":a\":{\"N\":\"1\"}}",
                           UE "Incorrect operand type for operator or function; operator: DELETE, "
                              "operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
                      Case{U, "add a :a", "", "{\":a\":{\"N\":\"1\"}}", ""},
                      Case{U, "add a :a", "", "{\":a\":{\"BS\":[\"YQ==\"]}}", ""},
                      Case{U, "delete a :a", "", "{\":a\":{\"NS\":[\"1\"]}}", ""}));

INSTANTIATE_TEST_SUITE_P(
    Distinct, ValidatorTest,
    ::testing::Values(
        Case{F, "a = a AND #a = b AND :views > a", "{\"#a\":\"a\"}", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: =, first operand: [a]"},
        Case{F, "#a <> a", "{\"#a\":\"a\"}", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: <>, first operand: [a]"},
        Case{F, "a > #a", "{\"#a\":\"a\"}", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: >, first operand: [a]"},
        Case{F, "((a=a) OR (a=a))", "", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: =, first operand: [a]"},
        Case{F, "contains(ab.bc[1].a, ab.bc[1].#a)", "{\"#a\":\"a\"}", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: contains, first operand: [ab, bc, [1], a]"},
        Case{F, "attribute_type(ab.bc[1].#a, ab.bc[1].a)", "{\"#a\":\"a\"}", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: attribute_type, first operand: [ab, bc, [1], a]"},
        Case{K, "contains(#a, #a)", "{\"#a\":\"data\"}", "",
             "Invalid ConditionExpression: The first operand must be distinct from the remaining "
             "operands for this operator or function; operator: contains, first operand: [data]"},
        Case{F, ":a > :a", "", "{\":a\":{\"N\":\"1\"}}", ""}, Case{F, "a.b = a.c", "", "", ""},
        Case{F, "a[1] = a[2]", "", "", ""}));

INSTANTIATE_TEST_SUITE_P(
    BetweenAndIn, ValidatorTest,
    ::testing::Values(
        Case{F, "a between :x and :y", "", "{\":x\":{\"N\":\"10\"},\":y\":{\"N\":\"1\"}}",
             FE "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                "bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: "
                "AttributeValue: {N:1}"},
        Case{F, "a between :x and :y", "", "{\":x\":{\"N\":\"1\"},\":y\":{\"S\":\"a\"}}",
             FE "The BETWEEN operator requires same data type for lower and upper bounds; lower "
                "bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"},
        Case{F, "a between :x and :y", "", "{\":x\":{\"S\":\"b\"},\":y\":{\"S\":\"a\"}}",
             FE "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                "bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
                "AttributeValue: {S:a}"},
        Case{
            F, "a between :x and :y", "", "{\":x\":{\"B\":\"Yg==\"},\":y\":{\"B\":\"YQ==\"}}",
            FE
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
            "lower bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}, "
            "upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}"},
        Case{F, "a between :x and :x", "", "{\":x\":{\"N\":\"1.0\"}}", ""},
        Case{F, "a between :x and b", "", "{\":x\":{\"N\":\"10\"}}", ""}));

// When an expression has several problems, the first in DynamoDB's order wins.
INSTANTIATE_TEST_SUITE_P(
    Precedence, ValidatorTest,
    ::testing::Values(
        // Parentheses before unknown functions.
        Case{F, "whatever(a) AND ((b = c))", "", "",
             FE "The expression has redundant parentheses;"},
        // Unknown functions before misuse, reserved words and undefined names.
        Case{F, "attribute_exists(a) > f(status, #x)", "", "",
             FE "Invalid function name; function: f"},
        // Misuse before reserved words.
        Case{F, "attribute_exists(status) > b", "", "",
             FE "The function is not allowed to be used this way in an expression; function: "
                "attribute_exists"},
        // Reserved words before undefined names.
        Case{F, "#x = status", "", "",
             FE "Attribute name is a reserved keyword; reserved keyword: status"},
        // The first simple condition with a problem wins, whatever the kind.
        Case{F, "a = a AND b = :undefined", "", "",
             FE "The first operand must be distinct from the remaining operands for this operator "
                "or function; operator: =, first operand: [a]"},
        Case{F, "b = :undefined AND a = a", "", "",
             FE "An expression attribute value used in expression is not defined; attribute value: "
                ":undefined"},
        // Within a simple condition: names, then operand counts, then distinct operands.
        Case{F, "begins_with(#x, #x, b)", "", "",
             FE "An expression attribute name used in the document path is not defined; attribute "
                "name: #x"},
        // Updates: reserved words, then functions, then sections, then names...
        Case{U, "set #c = :c set abOrt = f(x)", "", "",
             UE "Attribute name is a reserved keyword; reserved keyword: abOrt"},
        Case{U, "set #c = f(:c) set a = :v", "", "", UE "Invalid function name; function: f"},
        Case{U, "set a = #c set c = :d", "", "",
             UE "The \"SET\" section can only be used once in an update expression;"},
        Case{U, "remove #d set a = b remove e", "", "",
             UE "The \"REMOVE\" section can only be used once in an update expression;"},
        Case{U, "add #d :e set a = b add e :f", "", "",
             UE "The \"ADD\" section can only be used once in an update expression;"},
        Case{U, "delete #d :e set a = b delete #e :f", "", "",
             UE "The \"DELETE\" section can only be used once in an update expression;"},
        Case{U, "set a = :v, b = #c", "", "",
             UE "An expression attribute name used in the document path is not defined; attribute "
                "name: #c"},
        Case{
            U, "set a = :v, a = #c", "{\"#c\":\"c\"}", "",
            UE
            "An expression attribute value used in expression is not defined; attribute value: :v"},
        Case{U, "set a = :v, a.b = :v", "", "{\":v\":{\"SS\":[\"x\"]}}",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a, b]"},
        Case{U, "set a = :v, a.b = list_append(:v, :v) add c :v", "", "{\":v\":{\"S\":\"x\"}}",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a, b]"},
        Case{U, "set a = list_append(:v, :v) add c :v", "", "{\":v\":{\"S\":\"x\"}}",
             UE "Incorrect operand type for operator or function; operator: ADD, operand type: "
                "STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"}));

INSTANTIATE_TEST_SUITE_P(
    Overlaps, ValidatorTest,
    ::testing::Values(
        Case{U, "set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)",
             "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [c, [1], a], path two: [c]"},
        Case{U, "set c.b.#c = a, c = a, #d = a", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [c, b, c], path two: [c]"},
        Case{U, "set a = b remove a, #c, #d", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a]"},
        Case{U, "set #c[3].#d = a, #c[3] = a", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [c, [3], [3]], path two: [c, [3]]"},
        Case{U, "remove c, #c.a, #d", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [c], path two: [c, a]"},
        Case{U, "remove a, #c, a, #d", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a]"},
        Case{U, "set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", "{\"#c\":\"c\",\"#d\":\"[3]\"}",
             "",
             UE "Two document paths conflict with each other; must remove or rewrite one of these "
                "paths; path one: [c, [3], [3]], path two: [c, [3], [3]]"},
        Case{U, "remove a.#c set a[1] = #d", "{\"#c\":\"c\",\"#d\":\"[3]\"}", "",
             UE "Two document paths conflict with each other; must remove or rewrite one of these "
                "paths; path one: [a, c], path two: [a, [1]]"},
        Case{U, "SET #v = :a, #v = :b", "{\"#v\":\"val\"}",
             "{\":a\":{\"S\":\"x\"},\":b\":{\"S\":\"y\"}}",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [val], path two: [val]"},
        Case{U, "SET a.b = :v, a.c = :v, a.b.c = :v", "", "{\":v\":{\"S\":\"x\"}}",
             UE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a, b], path two: [a, b, c]"},
        Case{U, "SET a[1] = :v, a[2] = :v REMOVE a[3]", "", "{\":v\":{\"S\":\"x\"}}", ""},
        Case{U, "SET a = b, b = a", "", "", ""},
        Case{P, "#a, #a.#b", "{\"#a\":\"a\",\"#b\":\"b\"}", "",
             PE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a, b]"},
        Case{P, "#a, #a", "{\"#a\":\"a\"}", "",
             PE "Two document paths overlap with each other; must remove or rewrite one of these "
                "paths; path one: [a], path two: [a]"},
        Case{P, "l[1], l.x", "", "",
             PE "Two document paths conflict with each other; must remove or rewrite one of these "
                "paths; path one: [l, [1]], path two: [l, x]"},
        Case{P, "l[2], l[0], m.a, m.b", "", "", ""}));

std::string DeepPath(int levels) {
  std::string path = "a";
  for (int i = 1; i < levels; i++) path += ".a";
  return path;
}

INSTANTIATE_TEST_SUITE_P(
    PathLimits, ValidatorTest,
    ::testing::Values(
        Case{F, "a[2147483647] = :v", "", "{\":v\":{\"N\":\"1\"}}", ""},
        Case{F, "a[2147483648] = :v", "", "{\":v\":{\"N\":\"1\"}}",
             FE "List index is not within the allowable range; index: [2147483648]"},
        Case{P, "a[99999999999999999999999]", "", "",
             PE "List index is not within the allowable range; index: [99999999999999999999999]"}));

TEST(ValidatorDepth, ThirtyTwoLevels) {
  EXPECT_EQ(CompileError(RequestJson(P, DeepPath(32))), "");
  EXPECT_EQ(CompileError(RequestJson(P, DeepPath(33))),
            PE "The document path has too many nesting levels; nesting levels: 33");
  EXPECT_EQ(CompileError(RequestJson(U, "REMOVE " + DeepPath(40))),
            UE "The document path has too many nesting levels; nesting levels: 40");
}

TEST(ValidatorIn, OneHundredOperands) {
  std::string values = "{\":v\":{\"N\":\"1\"}}";
  std::string in = "a IN (:v";
  for (int i = 1; i < 100; i++) in += ",:v";
  EXPECT_EQ(CompileError(RequestJson(F, in + ")", "", values)), "");
  EXPECT_EQ(CompileError(RequestJson(F, in + ",:v)", "", values)),
            FE "The IN operator is provided with too many operands; number of operands: 101");
}

TEST(ValidatorResolution, FillsPathsAndValues) {
  CompiledExpressions c =
      testing::Compile(RequestJson("ConditionExpression", "#a.b[3].#c = :v",
                                   "{\"#a\":\"x.y\",\"#c\":\"z\"}", "{\":v\":{\"N\":\"007\"}}"));
  ASSERT_TRUE(c.condition.has_value());
  const Condition& cmp = c.condition->root;
  ASSERT_EQ(cmp.operands[0].path.size(), 4u);
  EXPECT_EQ(PathToString(cmp.operands[0].path), "[x.y, b, [3], z]");
  ASSERT_TRUE(cmp.operands[1].value);
  EXPECT_EQ(cmp.operands[1].value->n().ToString(), "7");
}

}  // namespace
}  // namespace dynemu::expr
