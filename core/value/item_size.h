#pragma once

#include <cstddef>
#include <string_view>

#include "value/attribute_value.h"

namespace dynemu {

// DynamoDB's maximum item size: names plus values.
constexpr size_t kMaxItemBytes = 400 * 1024;

// The size DynamoDB bills and limits for a value, as documented:
// S: UTF-8 bytes; B: raw bytes; N: Number::ByteSize() (about 1 + ceil(digits / 2));
// BOOL and NULL: 1; sets: sum of members; L and M: 3 + the size of each element
// (+1 byte per element overhead), with map keys counted like attribute names.
size_t AttributeValueSize(const AttributeValue& v);

// Names (UTF-8 bytes) plus values.
size_t ItemSize(const Item& item);

}  // namespace dynemu
