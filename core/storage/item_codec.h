#pragma once

// The binary layout of an item stored as a LevelDB value. Compact and fast to
// decode; versioned by its first byte so the layout can evolve.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "value/attribute_value.h"

namespace dynemu::item_codec {

// Appends the encoding of `item` to *dst.
void Encode(const Item& item, std::string* dst);

// Decodes what Encode wrote. Returns InternalServerError for corrupt bytes
// (a storage fault, never client input); any input is safe.
Result<Item> Decode(std::string_view bytes);

// Writes the item Encode wrote as `bytes` straight to DynamoDB JSON: the same
// text EncodeItem (value_codec.h) writes for the decoded item, without building
// it. Returns the item's ItemSize (item_size.h). On corrupt bytes returns
// Decode's error; what was written to `out` is then to be discarded.
// With `only`, the item is projected on whole top-level attributes (a
// ProjectionExpression or AttributesToGet whose paths are each one name, see
// expr::TopLevelNames): only the attributes it names are written, as EncodeItem
// writes expr::ProjectItem's item; the rest are still read and checked, and
// counted in the returned size (the whole item's: what a read is charged on).
// `only` must be sorted (as std::string_view compares) without repeats.
// *projected_size, when given, gets the written item's ItemSize.
Result<size_t> WriteJson(std::string_view bytes, json::Writer& out,
                         const std::vector<std::string_view>* only = nullptr,
                         size_t* projected_size = nullptr);

// The ItemSize of the item Encode wrote as `bytes`, without building it; on
// corrupt bytes, Decode's error.
Result<size_t> ItemSizeOf(std::string_view bytes);

}  // namespace dynemu::item_codec
