#include "expr/projection.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

namespace dynemu::expr {
namespace {

// The projection under construction: a node is either a whole value copied from
// the item, or a map or a list of projected children.
struct Node {
  const AttributeValue* whole = nullptr;
  bool is_list = false;
  std::map<std::string, Node, std::less<>> fields;
  std::map<uint32_t, Node> elements;
};

AttributeValue Build(const Node& node) {
  if (node.whole != nullptr) return *node.whole;
  if (node.is_list) {
    List list;
    list.reserve(node.elements.size());
    for (const auto& [index, child] : node.elements) list.push_back(Build(child));
    return AttributeValue::L(std::move(list));
  }
  Map map;
  for (const auto& [name, child] : node.fields) map.emplace(name, Build(child));
  return AttributeValue::M(std::move(map));
}

}  // namespace

Item ProjectItem(const Item& item, const std::vector<const DocumentPath*>& paths) {
  Node root;
  for (const DocumentPath* path : paths) {
    if (path->empty() || (*path)[0].is_index) continue;
    const AttributeValue* value = LookupPath(item, *path);
    if (value == nullptr) continue;
    Node* node = &root;
    bool covered = false;
    for (size_t i = 0; i < path->size(); i++) {
      const PathStep& step = (*path)[i];
      if (step.is_index) {
        node->is_list = true;
        node = &node->elements[step.index];
      } else {
        node = &node->fields[step.name];
      }
      if (node->whole != nullptr) {
        covered = true;  // an outer path already keeps all of it
        break;
      }
    }
    if (covered) continue;
    node->whole = value;
    node->fields.clear();
    node->elements.clear();
  }
  Item out;
  for (const auto& [name, child] : root.fields) out.emplace(name, Build(child));
  return out;
}

std::optional<std::vector<std::string_view>> TopLevelNames(const std::vector<DocumentPath>& paths) {
  std::vector<std::string_view> names;
  names.reserve(paths.size());
  for (const DocumentPath& path : paths) {
    if (path.size() != 1 || path[0].is_index) return std::nullopt;
    names.emplace_back(path[0].name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace dynemu::expr
