#include "expr/comparison.h"

#include <string_view>

namespace dynemu::expr {

bool IsOrderedType(ValueType type) {
  return type == ValueType::kN || type == ValueType::kS || type == ValueType::kB;
}

std::optional<int> CompareOrdered(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case ValueType::kN:
      return a.n().Compare(b.n());
    case ValueType::kS:
    case ValueType::kB: {
      // string_view::compare is memcmp-based: unsigned bytes, as DynamoDB orders.
      std::string_view x = a.type() == ValueType::kS ? std::string_view(a.s()) : a.b();
      std::string_view y = a.type() == ValueType::kS ? std::string_view(b.s()) : b.b();
      int c = x.compare(y);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace dynemu::expr
