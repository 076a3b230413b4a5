#pragma once

// DynamoDB JSON <-> AttributeValue. Decoding happens once, at the edge; the rest of
// the core sees only AttributeValue and Item.

#include <string>
#include <string_view>

#include "base/status.h"
#include "json/json.h"
#include "value/base64.h"
#include "value/attribute_value.h"

namespace dynemu {

// Nesting of L and M values beyond this depth is refused ("Nesting Levels have
// exceeded supported limits: ..."): the attribute itself is level 1, so 31 nested
// maps or lists around a scalar are accepted and 32 are not.
constexpr int kMaxValueNestingDepth = 32;

// Decodes one attribute value such as {"S":"x"} or {"M":{"a":{"N":"1"}}}.
// Any JSON input is safe. Errors are DynamoDB's ValidationExceptions, e.g.:
//   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
//   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
//   "One or more parameter values were invalid: An string set  may not be empty"
//   "One or more parameter values were invalid: An number set  may not be empty"
//   "One or more parameter values were invalid: Binary sets should not be empty"
//   "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
//   "Input collection contains duplicates" (NS)
//   "One or more parameter values were invalid: Null attribute value types must have the value of true"
//   the Number::Parse messages;
//   "Nesting Levels have exceeded supported limits: Attributes in the item have nested
//    levels beyond supported limit" (a value at level 33, the attribute being level 1).
// JSON of the wrong kind (a number where a string belongs, bad base64, ...) is a
// SerializationException with DynamoDB's text (normally caught earlier by the
// shape check, repeated here so the codec stands on its own).
Result<AttributeValue> DecodeAttributeValue(const json::Value& v);

// Decodes an object of attribute name -> attribute value (Item, Key, ...).
Result<Item> DecodeItem(const json::Value& v);

// Writes DynamoDB JSON. Numbers normalized, binaries base64-encoded.
void EncodeAttributeValue(const AttributeValue& v, json::Writer& w);
void EncodeItem(const Item& item, json::Writer& w);

// Convenience for tests and logs: the DynamoDB JSON text.
std::string ToJson(const AttributeValue& v);
std::string ToJson(const Item& item);


}  // namespace dynemu
