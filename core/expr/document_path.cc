#include "expr/document_path.h"

namespace dynemu::expr {

const AttributeValue* LookupPath(const Item& item, const DocumentPath& path) {
  if (path.empty() || path[0].is_index) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  const AttributeValue* current = &it->second;
  for (size_t i = 1; i < path.size(); i++) {
    const PathStep& step = path[i];
    if (step.is_index) {
      if (current->type() != ValueType::kL || step.index >= current->l().size()) return nullptr;
      current = &current->l()[step.index];
    } else {
      if (current->type() != ValueType::kM) return nullptr;
      auto found = current->m().find(step.name);
      if (found == current->m().end()) return nullptr;
      current = &found->second;
    }
  }
  return current;
}

std::string PathToString(const DocumentPath& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); i++) {
    if (i > 0) out += ", ";
    if (path[i].is_index) {
      out += '[';
      out += std::to_string(path[i].index);
      out += ']';
    } else {
      out += path[i].name;
    }
  }
  out += "]";
  return out;
}

}  // namespace dynemu::expr
