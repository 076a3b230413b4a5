#include "ops/capacity.h"

namespace dynemu {

ReturnConsumedCapacity ParseReturnConsumedCapacity(const json::Value& request) {
  const json::Value* v = json::FindMember(request, "ReturnConsumedCapacity");
  if (v == nullptr || !v->IsString()) return ReturnConsumedCapacity::kNone;
  std::string_view s = json::AsStringView(*v);
  if (s == "TOTAL") return ReturnConsumedCapacity::kTotal;
  if (s == "INDEXES") return ReturnConsumedCapacity::kIndexes;
  return ReturnConsumedCapacity::kNone;
}

double ReadUnits(size_t bytes, bool consistent) {
  double units = bytes == 0 ? 1.0 : static_cast<double>((bytes + 4095) / 4096);
  return consistent ? units : units / 2;
}

double WriteUnits(size_t bytes) {
  return bytes == 0 ? 1.0 : static_cast<double>((bytes + 1023) / 1024);
}

void WriteConsumedCapacity(ReturnConsumedCapacity mode, std::string_view table, double units,
                           json::Writer& w) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  json::WriteKey(w, "ConsumedCapacity");
  w.StartObject();
  json::WriteKey(w, "TableName");
  json::WriteString(w, table);
  json::WriteKey(w, "CapacityUnits");
  w.Double(units);
  if (mode == ReturnConsumedCapacity::kIndexes) {
    json::WriteKey(w, "Table");
    w.StartObject();
    json::WriteKey(w, "CapacityUnits");
    w.Double(units);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace dynemu
