// libFuzzer target for the expression language: the input is an expression of
// one of the five kinds (chosen by its first byte), which is parsed, validated
// against a fixed set of placeholders and, when valid, evaluated on or applied to
// a fixed item. Any input must end in a tree or an error, never a crash, a
// sanitizer report or unbounded recursion.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/evaluator.h"
#include "expr/key_condition.h"
#include "expr/parser.h"
#include "expr/projection.h"
#include "expr/substitution.h"
#include "expr/update_applier.h"
#include "expr/validator.h"

namespace dynemu::expr {
namespace {

AttributeValue Num(int64_t v) { return AttributeValue::N(Number::FromInt64(v)); }

ExpressionAttributes Placeholders() {
  return ExpressionAttributes::FromMaps(
      {{"#a", "a"}, {"#b", "b"}, {"#l", "l"}, {"#m", "m"}, {"#d", "dot.ted"}},
      {{":s", AttributeValue::S("str")},
       {":n", Num(5)},
       {":z", AttributeValue::N(*Number::Parse("-1.5E-3"))},
       {":big", AttributeValue::N(*Number::Parse("9.9999999999999999999999999999999999999E+125"))},
       {":b", AttributeValue::B("\x01\xff")},
       {":ss", AttributeValue::SS({"a", "b"})},
       {":ns", AttributeValue::NS({Number::FromInt64(1), Number::FromInt64(2)})},
       {":bs", AttributeValue::BS({"x"})},
       {":l", AttributeValue::L({AttributeValue::S("x"), Num(1)})},
       {":m", AttributeValue::M({{"k", AttributeValue::S("v")}})},
       {":t", AttributeValue::Bool(true)},
       {":null", AttributeValue::Null()},
       {":tS", AttributeValue::S("S")}});
}

Item SampleItem() {
  Item item;
  item["a"] = AttributeValue::S("hello");
  item["b"] = Num(7);
  item["l"] = AttributeValue::L({Num(0), AttributeValue::S("x"),
                                 AttributeValue::M({{"k", AttributeValue::S("v")}}),
                                 AttributeValue::L({Num(1)})});
  item["m"] = AttributeValue::M(
      {{"a", AttributeValue::M({{"b", Num(1)}})}, {"c", AttributeValue::L({Num(7)})}});
  item["ss"] = AttributeValue::SS({"a", "c"});
  item["ns"] = AttributeValue::NS({Number::FromInt64(2)});
  item["dot.ted"] = AttributeValue::Bool(false);
  return item;
}

}  // namespace
}  // namespace dynemu::expr

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynemu::expr;
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 4;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  static const dynemu::Item kItem = SampleItem();
  ExpressionAttributes attributes = Placeholders();
  switch (mode) {
    case 0:
    case 1: {
      dynemu::Result<ConditionExpression> parsed = ParseCondition(text);
      if (!parsed.ok() || !ValidateCondition(*parsed, attributes).ok()) break;
      (void)EvaluateCondition(parsed->root, kItem);
      (void)EvaluateCondition(parsed->root, dynemu::Item());
      if (mode == 1) (void)ExtractKeyConditions(*parsed);
      break;
    }
    case 2: {
      dynemu::Result<UpdateExpression> parsed = ParseUpdate(text);
      if (!parsed.ok() || !ValidateUpdate(*parsed, attributes).ok()) break;
      (void)ApplyUpdate(*parsed, kItem);
      (void)ApplyUpdate(*parsed, dynemu::Item());
      break;
    }
    case 3: {
      dynemu::Result<ProjectionExpression> parsed = ParseProjection(text);
      if (!parsed.ok() || !ValidateProjection(*parsed, attributes).ok()) break;
      std::vector<const DocumentPath*> paths;
      for (const Operand& p : parsed->paths) paths.push_back(&p.path);
      (void)ProjectItem(kItem, paths);
      break;
    }
  }
  (void)attributes.CheckAllUsed();
  return 0;
}
