#pragma once

// Projection of an item onto document paths, as ProjectionExpression,
// AttributesToGet and the UPDATED_OLD / UPDATED_NEW return values do it.

#include <optional>
#include <string_view>
#include <vector>

#include "expr/document_path.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

// The parts of `item` at `paths`, nested as in the item: "a.b" gives {a: {b: ..}}.
// Paths that do not exist are left out. The elements a list keeps are compacted in
// index order, whatever the order of the paths: "l[2], l[0]" gives {l: [l0, l2]}.
// When one path lies inside another, the whole value of the outer one is kept.
Item ProjectItem(const Item& item, const std::vector<const DocumentPath*>& paths);

// When each of `paths` is one attribute name ("a", "#b": whole top-level
// attributes), those names, sorted and without repeats (views into `paths`);
// otherwise nullopt. item_codec::WriteJson projects an item's stored
// bytes on them without decoding it.
std::optional<std::vector<std::string_view>> TopLevelNames(const std::vector<DocumentPath>& paths);

}  // namespace dynemu::expr
