// Google Benchmark: the cost of the expression language on the request path.
// Each iteration does what a request does with its expression: parse, validate
// against the request's placeholders, then evaluate the condition on an item or
// apply the update to one. Run with:
//   cmake -S . -B build -DDYNEMU_BENCH=ON && ninja -C build expr_bench &&
//   build/tests/bench/expr_bench

#include <benchmark/benchmark.h>

#include "expr/evaluator.h"
#include "expr/parser.h"
#include "expr/substitution.h"
#include "expr/update_applier.h"
#include "expr/validator.h"

namespace dynemu::expr {
namespace {

AttributeValue Num(int64_t v) { return AttributeValue::N(Number::FromInt64(v)); }

Item Order() {
  Item item;
  item["pk"] = AttributeValue::S("order#1234");
  item["status"] = AttributeValue::S("PENDING");
  item["version"] = Num(41);
  item["total"] = AttributeValue::N(*Number::Parse("129.95"));
  item["tags"] = AttributeValue::SS({"gift", "priority"});
  item["customer"] =
      AttributeValue::M({{"name", AttributeValue::S("Ada")}, {"tier", AttributeValue::S("gold")}});
  item["lines"] = AttributeValue::L({AttributeValue::M({{"sku", AttributeValue::S("A-1")}}),
                                     AttributeValue::M({{"sku", AttributeValue::S("B-2")}})});
  return item;
}

// "Optimistic locking plus a business rule", the typical ConditionExpression.
void BM_ConditionParseEvaluate(benchmark::State& state) {
  const Item item = Order();
  for (auto _ : state) {
    ExpressionAttributes attributes =
        ExpressionAttributes::FromMaps({{"#s", "status"}, {"#v", "version"}, {"#t", "total"}},
                                       {{":pending", AttributeValue::S("PENDING")},
                                        {":v", Num(41)},
                                        {":gold", AttributeValue::S("gold")},
                                        {":max", Num(1000)}});
    Result<ConditionExpression> parsed = ParseCondition(
        "attribute_exists(pk) AND #s = :pending AND #v = :v AND "
        "(customer.tier = :gold OR #t < :max)");
    if (!ValidateCondition(*parsed, attributes).ok()) {
      state.SkipWithError("invalid condition");
      break;
    }
    bool ok = EvaluateCondition(parsed->root, item);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_ConditionParseEvaluate);

// A counter, a status change, a list append and a set add in one update.
void BM_UpdateParseApply(benchmark::State& state) {
  const Item item = Order();
  for (auto _ : state) {
    ExpressionAttributes attributes = ExpressionAttributes::FromMaps(
        {{"#s", "status"}, {"#v", "version"}, {"#l", "lines"}},
        {{":shipped", AttributeValue::S("SHIPPED")},
         {":one", Num(1)},
         {":line", AttributeValue::L({AttributeValue::M({{"sku", AttributeValue::S("C-3")}})})},
         {":tag", AttributeValue::SS({"shipped"})},
         {":zero", Num(0)}});
    Result<UpdateExpression> parsed = ParseUpdate(
        "SET #s = :shipped, #v = #v + :one, #l = list_append(#l, :line), "
        "shipments = if_not_exists(shipments, :zero) + :one ADD tags :tag");
    if (!ValidateUpdate(*parsed, attributes).ok()) {
      state.SkipWithError("invalid update");
      break;
    }
    Result<Item> updated = ApplyUpdate(*parsed, item);
    if (!updated.ok()) {
      state.SkipWithError("update failed");
      break;
    }
    benchmark::DoNotOptimize(updated);
  }
}
BENCHMARK(BM_UpdateParseApply);

// The parts on their own.
void BM_ConditionParseOnly(benchmark::State& state) {
  for (auto _ : state) {
    Result<ConditionExpression> parsed = ParseCondition(
        "attribute_exists(pk) AND #s = :pending AND #v = :v AND "
        "(customer.tier = :gold OR #t < :max)");
    benchmark::DoNotOptimize(parsed);
  }
}
BENCHMARK(BM_ConditionParseOnly);

void BM_ConditionEvaluateOnly(benchmark::State& state) {
  const Item item = Order();
  ExpressionAttributes attributes =
      ExpressionAttributes::FromMaps({{"#s", "status"}, {"#v", "version"}, {"#t", "total"}},
                                     {{":pending", AttributeValue::S("PENDING")},
                                      {":v", Num(41)},
                                      {":gold", AttributeValue::S("gold")},
                                      {":max", Num(1000)}});
  Result<ConditionExpression> parsed = ParseCondition(
      "attribute_exists(pk) AND #s = :pending AND #v = :v AND "
      "(customer.tier = :gold OR #t < :max)");
  if (!ValidateCondition(*parsed, attributes).ok()) state.SkipWithError("invalid");
  for (auto _ : state) {
    bool ok = EvaluateCondition(parsed->root, item);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_ConditionEvaluateOnly);

}  // namespace
}  // namespace dynemu::expr

BENCHMARK_MAIN();
