// Google Benchmark: the request shape check (ops/shape_check) and the
// AttributeValue decoding (value/value_codec) that every item request pays
// before its handler runs. Run with:
//   cmake -S . -B build -DDYNEMU_BENCH=ON && ninja -C build shape_bench &&
//   build/tests/bench/shape_bench

#include <benchmark/benchmark.h>

#include <string>

#include "json/json.h"
#include "ops/shape_check.h"
#include "value/value_codec.h"

namespace dynemu {
namespace {

// A typical PutItem: an item of ten attributes of the usual types, ~1 KB.
std::string PutItemBody() {
  return R"j({"TableName":"orders","Item":{)j"
         R"j("pk":{"S":"customer#0000012345"},"sk":{"S":"order#2024-11-24T14:27:45Z#000981"},)j"
         R"j("status":{"S":"PENDING"},"version":{"N":"41"},"total":{"N":"129.95"},)j"
         R"j("gift":{"BOOL":false},"tags":{"SS":["gift","priority","express","fragile"]},)j"
         R"j("customer":{"M":{"name":{"S":"Ada Lovelace"},"tier":{"S":"gold"},)j"
         R"j("email":{"S":"ada@example.com"},"since":{"N":"2015"}}},)j"
         R"j("lines":{"L":[{"M":{"sku":{"S":"A-1"},"qty":{"N":"2"},"price":{"N":"19.99"}}},)j"
         R"j({"M":{"sku":{"S":"B-2"},"qty":{"N":"1"},"price":{"N":"89.97"}}}]},)j"
         R"j("note":{"S":"Leave the parcel with the neighbour at number 12 if nobody answers )j"
         R"j(the door; call the mobile number on file before 6 pm, never after, and do not )j"
         R"j(ring the bell twice. Fragile: glassware inside, keep upright at all times."}},)j"
         R"j("ConditionExpression":"attribute_not_exists(pk)","ReturnValues":"NONE"})j";
}

std::string GetItemBody() {
  return R"j({"TableName":"orders","Key":{"pk":{"S":"customer#0000012345"},)j"
         R"j("sk":{"S":"order#2024-11-24T14:27:45Z#000981"}},"ConsistentRead":true,)j"
         R"j("ProjectionExpression":"#s, total","ExpressionAttributeNames":{"#s":"status"}})j";
}

void CheckShape(benchmark::State& state, const char* operation, const std::string& body) {
  json::Document doc;
  if (!json::Parse(body, &doc).ok() || !CheckRequestShape(operation, doc).ok()) {
    state.SkipWithError("the benchmark body does not pass the shape check");
    return;
  }
  for (auto _ : state) {
    Status s = CheckRequestShape(operation, doc);
    benchmark::DoNotOptimize(s);
  }
}

void BM_CheckRequestShapePutItem(benchmark::State& state) {
  CheckShape(state, "PutItem", PutItemBody());
}
BENCHMARK(BM_CheckRequestShapePutItem);

void BM_CheckRequestShapeGetItem(benchmark::State& state) {
  CheckShape(state, "GetItem", GetItemBody());
}
BENCHMARK(BM_CheckRequestShapeGetItem);

// The Item of the PutItem body through DecodeItem (shape pass, then build).
void BM_DecodeItemPutItem(benchmark::State& state) {
  json::Document doc;
  const std::string body = PutItemBody();
  const json::Value* item = nullptr;
  if (json::Parse(body, &doc).ok()) item = json::FindMember(doc, "Item");
  if (item == nullptr || !DecodeItem(*item).ok()) {
    state.SkipWithError("the benchmark item does not decode");
    return;
  }
  for (auto _ : state) {
    Result<Item> decoded = DecodeItem(*item);
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_DecodeItemPutItem);

}  // namespace
}  // namespace dynemu

BENCHMARK_MAIN();
