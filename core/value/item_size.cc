#include "value/item_size.h"

namespace dynemu {

// The rule implemented, from the AWS developer guide ("DynamoDB item sizes and
// formats", CapacityUnitCalculations.html), with the details of dynalite's
// db/index.js itemSize/valSize, which were fitted to DynamoDB's ConsumedCapacity:
//
//   S     UTF-8 bytes of the string
//   B     raw bytes (not the base64 text)
//   N     Number::ByteSize(): 1 for zero, else 1 + base-100 digits aligned on the
//         decimal point (+1 when negative); the guide rounds this to "1 byte per two
//         significant digits, plus 1"
//   BOOL  1          NULL  1
//   SS/BS sum of the members' sizes as S/B;  NS  sum of the members' ByteSize()
//   L     3 + for each element (1 + its size)
//   M     3 + for each entry (1 + UTF-8 bytes of its name + the size of its value)
//   item  for each attribute, UTF-8 bytes of its name + the size of its value
//
// The guide's "3 bytes of overhead, regardless of its contents" plus "each List or
// Map element requires an additional 1 byte" is what the L and M lines say.
size_t AttributeValueSize(const AttributeValue& v) {
  switch (v.type()) {
    case ValueType::kS:
      return v.s().size();
    case ValueType::kB:
      return v.b().size();
    case ValueType::kN:
      return v.n().ByteSize();
    case ValueType::kBool:
    case ValueType::kNull:
      return 1;
    case ValueType::kSS: {
      size_t size = 0;
      for (const std::string& s : v.ss()) size += s.size();
      return size;
    }
    case ValueType::kNS: {
      size_t size = 0;
      for (const Number& n : v.ns()) size += n.ByteSize();
      return size;
    }
    case ValueType::kBS: {
      size_t size = 0;
      for (const std::string& b : v.bs()) size += b.size();
      return size;
    }
    case ValueType::kL: {
      size_t size = 3;
      for (const AttributeValue& element : v.l()) size += 1 + AttributeValueSize(element);
      return size;
    }
    case ValueType::kM: {
      size_t size = 3;
      for (const auto& [name, value] : v.m()) size += 1 + name.size() + AttributeValueSize(value);
      return size;
    }
  }
  return 0;
}

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + AttributeValueSize(value);
  return size;
}

}  // namespace dynemu
