#include "ops/request_fields.h"

#include <limits>

#include "ops/shape_check.h"

namespace dynemu::fields {

const json::Value* Member(const json::Value& obj, std::string_view name) {
  return obj.IsObject() ? json::FindMember(obj, name) : nullptr;
}

bool Has(const json::Value& obj, std::string_view name) { return Member(obj, name) != nullptr; }

std::optional<std::string> String(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(json::AsStringView(*v));
}

std::string_view StringView(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  return v != nullptr && v->IsString() ? json::AsStringView(*v) : std::string_view();
}

std::optional<bool> Bool(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  if (v == nullptr) return std::nullopt;
  return ShapeBoolean(*v);
}

std::optional<int64_t> Long(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  if (v == nullptr || !v->IsNumber()) return std::nullopt;
  if (std::optional<int64_t> n = ShapeInteger(*v)) return n;
  return v->GetDouble() > 0 ? std::numeric_limits<int64_t>::max()
                            : std::numeric_limits<int64_t>::min();
}

const json::Value* Array(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  return v != nullptr && v->IsArray() ? v : nullptr;
}

const json::Value* Object(const json::Value& obj, std::string_view name) {
  const json::Value* v = Member(obj, name);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

}  // namespace dynemu::fields
