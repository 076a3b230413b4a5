#pragma once

// The one door to RapidJSON. Every file that needs JSON includes this header,
// never <rapidjson/...> directly, so that the configuration below holds everywhere:
//
// - RAPIDJSON_ASSERT throws json::Misuse instead of calling assert(): a failed
//   assertion means our code read a value as the wrong type, a bug that must not
//   take the server down (assert() would abort, or vanish under NDEBUG and read
//   garbage). Pipeline::Run catches it and answers InternalServerError.
// - std::string support is on.

#include <stdexcept>
#include <string>
#include <string_view>

namespace dynemu::json {
// Thrown only by RAPIDJSON_ASSERT. Never thrown by our own code.
class Misuse : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};
}  // namespace dynemu::json

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  ((x) ? (void)0 : throw ::dynemu::json::Misuse("rapidjson assertion failed: " #x))
#endif
#define RAPIDJSON_HAS_STDSTRING 1
// RapidJSON's vector paths, on every CPU the compiler targets anyway (SSE2 is
// part of x86-64, NEON of arm64): the Writer then copies runs of characters that
// need no escaping 16 bytes at a time instead of testing each one (perf: writing
// the ~1 KB string of a GetItem answer took ~20% of the server's instructions).
// Defined here, the one door, so that every file sees the same RapidJSON.
#if defined(__SSE4_2__)
#define RAPIDJSON_SSE42
#elif defined(__SSE2__)
#define RAPIDJSON_SSE2
#elif defined(__ARM_NEON)
#define RAPIDJSON_NEON
#endif

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/status.h"

namespace dynemu::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;
using StringBuffer = rapidjson::StringBuffer;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Requests nested deeper than this are refused, the parse stopping there. DynamoDB allows 32
// levels of nested attribute values, each two JSON levels deep, plus the envelope.
constexpr int kMaxDepth = 100;

// Parses `text` (a whole request body) into *doc.
// Returns SerializationException, with no message as DynamoDB sends it, when the
// text is not one JSON value, is not valid UTF-8, or nests deeper than kMaxDepth.
// The parse is iterative and stops past kMaxDepth, so no input can exhaust the
// stack, and no document deeper than kMaxDepth is ever built.
Status Parse(std::string_view text, Document* doc);
// The same, for text held in a std::string: faster, as it relies on the NUL
// that ends every std::string (the request bodies take this one).
Status Parse(const std::string& text, Document* doc);
// The same, for a NUL-terminated literal (picks neither overload above).
Status Parse(const char* text, Document* doc);

// The JSON text of `value`.
std::string ToString(const Value& value);

// Writes `s` as a JSON string (length-aware: embedded NULs survive).
inline void WriteString(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void WriteKey(Writer& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// The string of a JSON string value. REQUIRES: v.IsString().
inline std::string_view AsStringView(const Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

// Returns the member `name` of object `obj`, or nullptr when absent or when it is
// JSON null (DynamoDB's deserializer treats an explicit null as absent).
// REQUIRES: obj.IsObject().
const Value* FindMember(const Value& obj, std::string_view name);

}  // namespace dynemu::json
