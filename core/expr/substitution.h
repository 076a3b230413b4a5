#pragma once

// ExpressionAttributeNames and ExpressionAttributeValues: the placeholders of a
// request, what they stand for, and which of them the expressions used.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "json/json.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

// The longest placeholder DynamoDB accepts ("#name" or ":value"), in bytes.
constexpr size_t kMaxPlaceholderBytes = 255;

// Not thread-safe: one instance serves the validation of one request.
class ExpressionAttributes {
 public:
  ExpressionAttributes() = default;

  // Decodes the two request members (either may be nullptr: absent), checking
  // them as DynamoDB does, in this order, with its messages:
  //   "ExpressionAttributeNames must not be empty"
  //   "ExpressionAttributeNames contains invalid key: The expression attribute map
  //    contains a key that is too long"                 (over 255 bytes)
  //   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"k\""
  //                                                     (not #[A-Za-z0-9_]+)
  //   "ExpressionAttributeNames contains invalid value: Empty attribute name for key #k"
  //   the same three for ExpressionAttributeValues (":" instead of "#"), then
  //   "ExpressionAttributeValues contains invalid value: <value error> for key :k"
  //   where <value error> is value_codec's message.
  // Keys are checked in the order DynamoDB's Java hash map iterates them.
  // REQUIRES: each non-null member is a JSON object (the shape check ensures it),
  // whose values are strings (names) or objects (values).
  static Result<ExpressionAttributes> Decode(const json::Value* names, const json::Value* values);

  // Builds from decoded maps, in the given order, without checks. For tests and
  // for callers that hold values already.
  static ExpressionAttributes FromMaps(std::vector<std::pair<std::string, std::string>> names,
                                       std::vector<std::pair<std::string, AttributeValue>> values);

  bool has_names() const { return !names_.empty(); }
  bool has_values() const { return !values_.empty(); }

  // The attribute name "#placeholder" stands for, marking it used; nullptr when
  // the request does not define it.
  const std::string* UseName(std::string_view placeholder);

  // The value ":placeholder" stands for, marking it used; nullptr when undefined.
  std::shared_ptr<const AttributeValue> UseValue(std::string_view placeholder);

  // OK when every placeholder was used; otherwise DynamoDB's error naming the
  // unused ones, names first:
  //   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  //   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}"
  // The keys are listed in the order DynamoDB's Java hash set lists them.
  Status CheckAllUsed() const;

 private:
  struct NameEntry {
    std::string name;
    size_t order = 0;  // position in the request
    bool used = false;
  };
  struct ValueEntry {
    std::shared_ptr<const AttributeValue> value;
    size_t order = 0;
    bool used = false;
  };

  std::map<std::string, NameEntry, std::less<>> names_;
  std::map<std::string, ValueEntry, std::less<>> values_;
};

// The order in which Java's HashMap<String, ?> iterates `keys` (given in
// insertion order): by bucket of the spread String.hashCode in a table sized for
// keys.size() entries, and by insertion order within a bucket. DynamoDB lists
// placeholders in its messages in this order.
std::vector<std::string> JavaHashMapOrder(const std::vector<std::string>& keys);

}  // namespace dynemu::expr
