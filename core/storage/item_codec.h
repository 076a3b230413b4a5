#pragma once

// The binary layout of an item stored as a LevelDB value. Compact and fast to
// decode; versioned by its first byte so the layout can evolve.

#include <string>
#include <string_view>

#include "base/status.h"
#include "value/attribute_value.h"

namespace dynemu::item_codec {

// Appends the encoding of `item` to *dst.
void Encode(const Item& item, std::string* dst);

// Decodes what Encode wrote. Returns InternalServerError for corrupt bytes
// (a storage fault, never client input); any input is safe.
Result<Item> Decode(std::string_view bytes);

}  // namespace dynemu::item_codec
