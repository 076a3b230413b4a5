#pragma once

// A document path after substitution: the attribute name, then map keys and
// list indexes ("a.b[3].c" is a, b, [3], c), and how to read one in an item.

#include <cstdint>
#include <string>
#include <vector>

#include "value/attribute_value.h"

namespace dynemu::expr {

struct PathStep {
  bool is_index = false;
  std::string name;    // the map key or attribute name, when !is_index
  uint32_t index = 0;  // the list index, when is_index

  bool operator==(const PathStep& other) const {
    return is_index == other.is_index && (is_index ? index == other.index : name == other.name);
  }
};

// REQUIRES (for every function below): the first step is a name.
using DocumentPath = std::vector<PathStep>;

// The value at `path` in `item`, or nullptr when some step does not exist: a
// missing name, an index past the end, a name step on a non-map or an index
// step on a non-list. The pointer is into `item`.
const AttributeValue* LookupPath(const Item& item, const DocumentPath& path);

// DynamoDB's rendering of a path in messages: "[a, b, [3], c]".
std::string PathToString(const DocumentPath& path);

}  // namespace dynemu::expr
