#include "value/attribute_value.h"

#include <algorithm>
#include <utility>

#include "base/check.h"

namespace dynemu {

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kS:
      return "S";
    case ValueType::kN:
      return "N";
    case ValueType::kB:
      return "B";
    case ValueType::kBool:
      return "BOOL";
    case ValueType::kNull:
      return "NULL";
    case ValueType::kSS:
      return "SS";
    case ValueType::kNS:
      return "NS";
    case ValueType::kBS:
      return "BS";
    case ValueType::kL:
      return "L";
    case ValueType::kM:
      return "M";
  }
  return "?";
}

namespace {

// DynamoDB orders strings and binaries by their unsigned bytes. std::string's
// compare uses char_traits<char>, which compares as unsigned char (memcmp), so
// std::sort with operator< already gives that order; spelled out for clarity.
bool BytesLess(const std::string& a, const std::string& b) {
  return std::string_view(a).compare(std::string_view(b)) < 0;
}

void SortUniqueBytes(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end(), BytesLess);
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

AttributeValue AttributeValue::S(std::string s) {
  return AttributeValue(ValueType::kS, std::move(s));
}
AttributeValue AttributeValue::N(Number n) { return AttributeValue(ValueType::kN, std::move(n)); }
AttributeValue AttributeValue::B(std::string bytes) {
  return AttributeValue(ValueType::kB, std::move(bytes));
}
AttributeValue AttributeValue::Bool(bool b) { return AttributeValue(ValueType::kBool, b); }
AttributeValue AttributeValue::Null() { return AttributeValue(); }

AttributeValue AttributeValue::SS(std::vector<std::string> members) {
  SortUniqueBytes(&members);
  return AttributeValue(ValueType::kSS, StringSet{std::move(members)});
}

AttributeValue AttributeValue::NS(std::vector<Number> members) {
  std::sort(members.begin(), members.end());
  // Numbers are held normalized, so numeric equality is field equality.
  members.erase(std::unique(members.begin(), members.end()), members.end());
  return AttributeValue(ValueType::kNS, NumberSet{std::move(members)});
}

AttributeValue AttributeValue::BS(std::vector<std::string> members) {
  SortUniqueBytes(&members);
  return AttributeValue(ValueType::kBS, BinarySet{std::move(members)});
}

AttributeValue AttributeValue::L(List list) {
  return AttributeValue(ValueType::kL, std::move(list));
}
AttributeValue AttributeValue::M(Map map) {
  AttributeValue v;
  v.type_ = ValueType::kM;
  v.v_.emplace<Map>(std::move(map));
  return v;
}

const std::string& AttributeValue::s() const {
  DYN_CHECK(type_ == ValueType::kS);
  return std::get<std::string>(v_);
}
const Number& AttributeValue::n() const {
  DYN_CHECK(type_ == ValueType::kN);
  return std::get<Number>(v_);
}
const std::string& AttributeValue::b() const {
  DYN_CHECK(type_ == ValueType::kB);
  return std::get<std::string>(v_);
}
bool AttributeValue::boolean() const {
  DYN_CHECK(type_ == ValueType::kBool);
  return std::get<bool>(v_);
}
const std::vector<std::string>& AttributeValue::ss() const {
  DYN_CHECK(type_ == ValueType::kSS);
  return std::get<StringSet>(v_).v;
}
const std::vector<Number>& AttributeValue::ns() const {
  DYN_CHECK(type_ == ValueType::kNS);
  return std::get<NumberSet>(v_).v;
}
const std::vector<std::string>& AttributeValue::bs() const {
  DYN_CHECK(type_ == ValueType::kBS);
  return std::get<BinarySet>(v_).v;
}
const List& AttributeValue::l() const {
  DYN_CHECK(type_ == ValueType::kL);
  return std::get<List>(v_);
}
const Map& AttributeValue::m() const {
  DYN_CHECK(type_ == ValueType::kM);
  return std::get<Map>(v_);
}
List& AttributeValue::mutable_l() {
  DYN_CHECK(type_ == ValueType::kL);
  return std::get<List>(v_);
}
Map& AttributeValue::mutable_m() {
  DYN_CHECK(type_ == ValueType::kM);
  return std::get<Map>(v_);
}

// Sets are held sorted and unique and numbers normalized, so structural equality of
// the variant is DynamoDB's equality; type_ separates S from B (both std::string).
bool AttributeValue::operator==(const AttributeValue& other) const {
  return type_ == other.type_ && v_ == other.v_;
}

}  // namespace dynemu
