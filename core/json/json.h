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
// RapidJSON's SSE2 paths are on for reading (SSE2 is part of x86-64): the
// Reader copies runs of string bytes 16 at a time instead of one by one (perf:
// the ~1 KB string of a PutItem took ~20% of its instructions one by one). In
// the 1.1.0 that Debian ships, that path's test for "a control character" is
// max(c, 0x19) == 0x19, which misses 0x1A to 0x1F: Parse refuses those bytes
// in its UTF-8 pass instead (they are valid nowhere in JSON). The Writer has
// the same flawed test, so it is included without SSE2 and scans with ours
// (below), eight bytes at a time. Every file includes RapidJSON through this
// header, so every file sees this same configuration.
#if defined(__SSE2__)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/document.h>
#undef RAPIDJSON_SSE2
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/status.h"

namespace dynemu::json::internal {

// Eight bytes at a time (SWAR): each test flags a matching byte by its high
// bit. A borrow can also flag bytes above a true match (toward higher
// addresses on a little-endian machine), never below one.
constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}
// Bytes of `w` below `n` (n <= 0x80).
constexpr uint64_t BytesBelow(uint64_t w, uint8_t n) { return (w - kOnes * n) & ~w & kHighBits; }
// Bytes of `w` equal to `c`.
constexpr uint64_t BytesEqual(uint64_t w, uint8_t c) { return BytesBelow(w ^ (kOnes * c), 1); }

// The first byte in [p, end) that a JSON string must escape ('"', '\\' or a
// byte below 0x20), or end. With SSE2 sixteen bytes at a time, then eight
// (or, without it, eight at a time throughout); of the eight, the lowest flag
// is the first match.
inline const char* FindEscape(const char* p, const char* end) {
#if defined(__SSE2__)
  // Sixteen at a time: c <= 0x1F is max(c, 0x1F) == 0x1F, unsigned.
  const __m128i controls = _mm_set1_epi8(0x1F);
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i backslashes = _mm_set1_epi8('\\');
  while (end - p >= 16) {
    const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(s, controls), controls),
                     _mm_or_si128(_mm_cmpeq_epi8(s, quotes), _mm_cmpeq_epi8(s, backslashes)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + std::countr_zero(mask);
    p += 16;
  }
#endif
  while (end - p >= 8) {
    const uint64_t w = Load8(p);
    const uint64_t flags = BytesBelow(w, 0x20) | BytesEqual(w, '"') | BytesEqual(w, '\\');
    // (On a big-endian machine a borrow runs toward lower addresses: the
    // bytes of a flagged word are then tested one by one, below.)
    if (flags != 0) {
      if constexpr (std::endian::native == std::endian::little) {
        return p + std::countr_zero(flags) / 8;
      }
      break;
    }
    p += 8;
  }
  for (; p < end; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') return p;
  }
  return end;
}

}  // namespace dynemu::json::internal

// The Writer's hook for copying a run of bytes that need no escaping (RapidJSON
// calls it before each byte it would otherwise test one by one; the output has
// been reserved for the whole string). Declared before any Writer is used.
template <>
inline bool rapidjson::Writer<rapidjson::StringBuffer>::ScanWriteUnescapedString(
    rapidjson::StringStream& is, size_t length) {
  const char* p = is.src_;
  const char* end = is.head_ + length;
  const char* stop = dynemu::json::internal::FindEscape(p, end);
  if (stop != p) {
    std::memcpy(os_->PushUnsafe(static_cast<size_t>(stop - p)), p, static_cast<size_t>(stop - p));
    is.src_ = stop;
  }
  return stop < end;
}

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
