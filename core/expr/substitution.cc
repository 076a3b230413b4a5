#include "expr/substitution.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "base/java_string.h"
#include "value/value_codec.h"

namespace dynemu::expr {
namespace {


bool IsPlaceholderChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "#[A-Za-z0-9_]+" or ":[A-Za-z0-9_]+".
bool IsValidPlaceholder(std::string_view key, char prefix) {
  if (key.size() < 2 || key[0] != prefix) return false;
  return std::all_of(key.begin() + 1, key.end(), IsPlaceholderChar);
}

using Member = std::pair<std::string_view, const json::Value*>;

// The members of a JSON object as (key, value) in request order; a repeated key
// keeps its first position and its last value, as a JSON parser into a map would.
// The keys are views into the document.
std::vector<Member> Members(const json::Value& object) {
  std::vector<Member> out;
  out.reserve(object.MemberCount());
  // A few members are searched in place; many through a map of positions.
  constexpr size_t kSearchedInPlace = 16;
  std::map<std::string_view, size_t> position;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view key = json::AsStringView(it->name);
    if (object.MemberCount() <= kSearchedInPlace) {
      auto same = std::find_if(out.begin(), out.end(), [&](const Member& m) { return m.first == key; });
      if (same == out.end()) {
        out.emplace_back(key, &it->value);
      } else {
        same->second = &it->value;
      }
      continue;
    }
    auto [slot, inserted] = position.emplace(key, out.size());
    if (inserted) {
      out.emplace_back(key, &it->value);
    } else {
      out[slot->second].second = &it->value;
    }
  }
  return out;
}

// The positions of `members` in the order DynamoDB's Java map iterates them.
std::vector<size_t> InJavaOrder(const std::vector<Member>& members) {
  std::vector<std::string_view> keys;
  keys.reserve(members.size());
  for (const auto& m : members) keys.push_back(m.first);
  return JavaHashOrder(keys);
}

Status CheckKey(std::string_view map_name, std::string_view key, char prefix) {
  if (key.size() > kMaxPlaceholderBytes) {
    return ValidationError(std::string(map_name) +
                           " contains invalid key: The expression attribute map contains a key "
                           "that is too long");
  }
  if (!IsValidPlaceholder(key, prefix)) {
    return ValidationError(std::string(map_name) + " contains invalid key: Syntax error; key: \"" +
                           std::string(key) + "\"");
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> JavaHashMapOrder(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (size_t i : JavaHashOrder(keys)) out.push_back(keys[i]);
  return out;
}

Result<ExpressionAttributes> ExpressionAttributes::Decode(const json::Value* names,
                                                          const json::Value* values) {
  ExpressionAttributes out;
  if (names != nullptr) {
    auto members = Members(*names);
    if (members.empty()) return ValidationError("ExpressionAttributeNames must not be empty");
    for (size_t i : InJavaOrder(members)) {
      const auto& [key, value] = members[i];
      DYN_RETURN_IF_ERROR(CheckKey("ExpressionAttributeNames", key, '#'));
      if (!value->IsString() || value->GetStringLength() == 0) {
        return ValidationError(
            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " +
            std::string(key));
      }
    }
    for (size_t i = 0; i < members.size(); i++) {
      out.names_.insert_or_assign(
          std::string(members[i].first),
          NameEntry{std::string(json::AsStringView(*members[i].second)), i, false});
    }
  }
  if (values != nullptr) {
    auto members = Members(*values);
    if (members.empty()) return ValidationError("ExpressionAttributeValues must not be empty");
    std::vector<size_t> order = InJavaOrder(members);
    for (size_t i : order) {
      DYN_RETURN_IF_ERROR(CheckKey("ExpressionAttributeValues", members[i].first, ':'));
    }
    for (size_t i : order) {
      const auto& [key, value] = members[i];
      Result<AttributeValue> decoded = DecodeAttributeValue(*value);
      if (!decoded.ok()) {
        const Status& s = decoded.status();
        if (s.code() != ErrorCode::kValidation) return s;
        return ValidationError("ExpressionAttributeValues contains invalid value: " + s.message() +
                               " for key " + std::string(key));
      }
      out.values_.insert_or_assign(
          std::string(key),
          ValueEntry{std::make_shared<const AttributeValue>(std::move(decoded).value()), i, false});
    }
  }
  return out;
}

ExpressionAttributes ExpressionAttributes::FromMaps(
    std::vector<std::pair<std::string, std::string>> names,
    std::vector<std::pair<std::string, AttributeValue>> values) {
  ExpressionAttributes out;
  for (size_t i = 0; i < names.size(); i++) {
    out.names_[names[i].first] = NameEntry{std::move(names[i].second), i, false};
  }
  for (size_t i = 0; i < values.size(); i++) {
    out.values_[values[i].first] =
        ValueEntry{std::make_shared<const AttributeValue>(std::move(values[i].second)), i, false};
  }
  return out;
}

const std::string* ExpressionAttributes::UseName(std::string_view placeholder) {
  auto it = names_.find(placeholder);
  if (it == names_.end()) return nullptr;
  it->second.used = true;
  return &it->second.name;
}

std::shared_ptr<const AttributeValue> ExpressionAttributes::UseValue(std::string_view placeholder) {
  auto it = values_.find(placeholder);
  if (it == values_.end()) return nullptr;
  it->second.used = true;
  return it->second.value;
}

Status ExpressionAttributes::CheckAllUsed() const {
  auto report = [](std::string_view map_name, std::vector<std::pair<size_t, std::string>> all,
                   const std::vector<std::string>& unused) -> Status {
    // The listing order is that of the whole map, restricted to the unused keys.
    std::sort(all.begin(), all.end());
    std::vector<std::string> keys;
    keys.reserve(all.size());
    for (auto& entry : all) keys.push_back(std::move(entry.second));
    std::set<std::string_view> unused_set(unused.begin(), unused.end());
    std::string list;
    for (size_t i : JavaHashOrder(keys)) {
      if (unused_set.count(keys[i]) == 0) continue;
      if (!list.empty()) list += ", ";
      list += keys[i];
    }
    return ValidationError("Value provided in " + std::string(map_name) +
                           " unused in expressions: keys: {" + list + "}");
  };
  std::vector<std::string> unused;
  std::vector<std::pair<size_t, std::string>> all;
  for (const auto& [key, entry] : names_) {
    all.emplace_back(entry.order, key);
    if (!entry.used) unused.push_back(key);
  }
  if (!unused.empty()) return report("ExpressionAttributeNames", std::move(all), unused);
  all.clear();
  for (const auto& [key, entry] : values_) {
    all.emplace_back(entry.order, key);
    if (!entry.used) unused.push_back(key);
  }
  if (!unused.empty()) return report("ExpressionAttributeValues", std::move(all), unused);
  return Status::OK();
}

}  // namespace dynemu::expr
