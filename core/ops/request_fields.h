#pragma once

// Reading members of a request that the shape check has already passed. Types
// are therefore right; still, a member of an unexpected type reads as absent,
// never as the wrong type. Boolean and Integer members convert as DynamoDB's
// front end converts them ("yes" is true, Limit 2.7 is 2).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"

namespace dynemu::fields {

// The member `name` of `obj` (nullptr when `obj` is not an object, or the member
// is absent or null).
const json::Value* Member(const json::Value& obj, std::string_view name);
bool Has(const json::Value& obj, std::string_view name);

std::optional<std::string> String(const json::Value& obj, std::string_view name);
// The string without a copy; valid as long as `obj`. Empty when absent.
std::string_view StringView(const json::Value& obj, std::string_view name);
std::optional<bool> Bool(const json::Value& obj, std::string_view name);
// A Long or Integer member, rounded down; a number beyond int64 saturates.
std::optional<int64_t> Long(const json::Value& obj, std::string_view name);
const json::Value* Array(const json::Value& obj, std::string_view name);
const json::Value* Object(const json::Value& obj, std::string_view name);

}  // namespace dynemu::fields
