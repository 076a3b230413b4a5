#pragma once

// Helpers shared by the expression tests: values and items from DynamoDB JSON,
// and whole expressions compiled the way a request compiles them.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "expr/request_expressions.h"
#include "json/json.h"
#include "value/value_codec.h"

namespace dynemu::expr::testing {

inline Item ItemFromJson(std::string_view text) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(text, &doc).ok()) << text;
  Result<Item> item = DecodeItem(doc);
  EXPECT_TRUE(item.ok()) << text << ": " << item.status().ToString();
  return item.ok() ? *item : Item();
}

inline AttributeValue ValueFromJson(std::string_view text) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(text, &doc).ok()) << text;
  Result<AttributeValue> v = DecodeAttributeValue(doc);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? *v : AttributeValue();
}

// A request body holding `member`: `text`, and the two maps when non-empty
// (given as JSON object texts).
inline std::string RequestJson(std::string_view member, std::string_view text,
                               std::string_view names = "", std::string_view values = "") {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::WriteKey(w, member);
  json::WriteString(w, text);
  w.EndObject();
  std::string body(buffer.GetString(), buffer.GetSize());
  body.pop_back();  // reopen the object
  if (!names.empty()) body += ",\"ExpressionAttributeNames\":" + std::string(names);
  if (!values.empty()) body += ",\"ExpressionAttributeValues\":" + std::string(values);
  return body + "}";
}

// Compiles a request body; the error message, or "" when it compiles.
inline std::string CompileError(const std::string& body, bool takes_values = true) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(body, &doc).ok()) << body;
  Result<CompiledExpressions> compiled = CompileExpressions(doc, takes_values);
  return compiled.ok() ? std::string() : compiled.status().message();
}

inline CompiledExpressions Compile(const std::string& body) {
  json::Document doc;
  EXPECT_TRUE(json::Parse(body, &doc).ok()) << body;
  Result<CompiledExpressions> compiled = CompileExpressions(doc, true);
  EXPECT_TRUE(compiled.ok()) << body << ": " << compiled.status().ToString();
  return compiled.ok() ? std::move(compiled).value() : CompiledExpressions();
}

}  // namespace dynemu::expr::testing
