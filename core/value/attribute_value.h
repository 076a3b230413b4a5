#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "value/number.h"

namespace dynemu {

// The ten DynamoDB data types. The enumerator values are stable (storage uses them).
enum class ValueType : uint8_t {
  kS = 0,
  kN = 1,
  kB = 2,
  kBool = 3,
  kNull = 4,
  kSS = 5,
  kNS = 6,
  kBS = 7,
  kL = 8,
  kM = 9,
};

// "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M".
std::string_view ValueTypeName(ValueType type);

class AttributeValue;
using List = std::vector<AttributeValue>;
using Map = std::map<std::string, AttributeValue, std::less<>>;
// An item is the top-level map of attribute names to values.
using Item = Map;

// One DynamoDB attribute value, decoded. Binary values hold raw bytes (not base64).
// Sets hold their members sorted (strings and binaries by unsigned bytes, numbers
// numerically) and without duplicates, so that set equality is plain equality.
class AttributeValue {
 public:
  AttributeValue() : type_(ValueType::kNull), v_(std::monostate{}) {}

  static AttributeValue S(std::string s);
  static AttributeValue N(Number n);
  static AttributeValue B(std::string bytes);
  static AttributeValue Bool(bool b);
  static AttributeValue Null();
  // The set builders sort and drop duplicates. Callers that must reject
  // duplicates (the JSON decoder) check before building.
  static AttributeValue SS(std::vector<std::string> members);
  static AttributeValue NS(std::vector<Number> members);
  static AttributeValue BS(std::vector<std::string> members);
  static AttributeValue L(List list);
  static AttributeValue M(Map map);

  ValueType type() const { return type_; }

  // Accessors. REQUIRES: the matching type(); DYN_CHECK-ed.
  const std::string& s() const;     // kS
  const Number& n() const;          // kN
  const std::string& b() const;     // kB (raw bytes)
  bool boolean() const;             // kBool
  const std::vector<std::string>& ss() const;  // kSS
  const std::vector<Number>& ns() const;       // kNS
  const std::vector<std::string>& bs() const;  // kBS
  const List& l() const;            // kL
  const Map& m() const;             // kM
  List& mutable_l();
  Map& mutable_m();

  // Structural equality; sets compare as sets, numbers numerically.
  bool operator==(const AttributeValue& other) const;
  bool operator!=(const AttributeValue& other) const { return !(*this == other); }

 private:
  struct StringSet { std::vector<std::string> v; bool operator==(const StringSet&) const = default; };
  struct NumberSet { std::vector<Number> v; bool operator==(const NumberSet&) const = default; };
  struct BinarySet { std::vector<std::string> v; bool operator==(const BinarySet&) const = default; };

  AttributeValue(ValueType type, std::variant<std::monostate, std::string, Number, bool, StringSet,
                                              NumberSet, BinarySet, List, Map> v)
      : type_(type), v_(std::move(v)) {}

  ValueType type_;
  // S and B both hold std::string; type_ tells them apart. NULL is monostate.
  std::variant<std::monostate, std::string, Number, bool, StringSet, NumberSet, BinarySet, List,
               Map>
      v_;
};

}  // namespace dynemu
