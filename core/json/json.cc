#include "json/json.h"

#include <cstdint>
#include <cstring>

#include <rapidjson/error/en.h>

namespace dynemu::json {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Nonzero when one of the eight bytes of `w` is zero.
constexpr uint64_t HasZeroByte(uint64_t w) { return (w - kOnes) & ~w & kHighBits; }

uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}

// Returns the deepest nesting of arrays and objects in `text`, stopping early
// once `limit` is passed. Brackets inside strings do not count.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  const char* p = text.data();
  const size_t n = text.size();
  for (size_t i = 0; i < n; i++) {
    if (in_string) {
      // Item bodies are mostly string contents: skip eight bytes at a time while
      // none of them is a quote or a backslash.
      while (i + 8 <= n) {
        const uint64_t w = Load8(p + i);
        if (HasZeroByte(w ^ (kOnes * '"')) | HasZeroByte(w ^ (kOnes * '\\'))) break;
        i += 8;
      }
      if (i >= n) break;
      const char c = p[i];
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (p[i]) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          max_depth = depth;
          if (max_depth > limit) return max_depth;
        }
        break;
      case ']':
      case '}':
        depth--;
        break;
      default:
        break;
    }
  }
  return max_depth;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF; the same bytes RapidJSON's kParseValidateEncodingFlag accepts.
bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (end - p >= 8 && (Load8(reinterpret_cast<const char*>(p)) & kHighBits) == 0) {
      p += 8;
      continue;
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int tails;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      tails = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      tails = 2;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      tails = 3;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (end - p <= tails) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int k = 2; k <= tails; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += tails + 1;
  }
  return true;
}

// Everything after the parsed value must be whitespace.
bool OnlyWhitespaceFrom(std::string_view text, size_t i) {
  for (; i < text.size(); i++) {
    const char c = text[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

Status Parse(std::string_view text, Document* doc) {
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) return SerializationError("");
  if (!IsValidUtf8(text)) return SerializationError("");
  // A leading byte-order mark is skipped, as RapidJSON's encoded streams do.
  const size_t begin = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  rapidjson::MemoryStream ms(text.data() + begin, text.size() - begin);
  // Iterative parsing keeps the stack flat whatever the input. The encoding was
  // validated above, in one pass over the whole text.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag;
  doc->ParseStream<kFlags, rapidjson::UTF8<>>(ms);
  if (doc->HasParseError()) return SerializationError("");
  // kParseStopWhenDoneFlag lets us reject trailing garbage ourselves, allowing
  // trailing whitespace only.
  if (!OnlyWhitespaceFrom(text, begin + ms.Tell())) return SerializationError("");
  return Status::OK();
}

Status Parse(const std::string& text, Document* doc) {
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) return SerializationError("");
  if (!IsValidUtf8(text)) return SerializationError("");
  const size_t begin = std::string_view(text).substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  // std::string guarantees the terminating NUL that StringStream stops at, and
  // RapidJSON copies unescaped runs of a StringStream 16 bytes at a time (SSE2
  // or NEON, see json.h). A NUL inside the text ends the parse early; the check
  // below then finds it and refuses the text, as the bounded stream would.
  rapidjson::StringStream ss(text.c_str() + begin);
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag;
  doc->ParseStream<kFlags, rapidjson::UTF8<>>(ss);
  if (doc->HasParseError()) return SerializationError("");
  if (!OnlyWhitespaceFrom(text, begin + ss.Tell())) return SerializationError("");
  return Status::OK();
}

Status Parse(const char* text, Document* doc) { return Parse(std::string_view(text), doc); }

std::string ToString(const Value& value) {
  StringBuffer buffer;
  Writer writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const Value* FindMember(const Value& obj, std::string_view name) {
  // RapidJSON's FindMember, with the first character compared before memcmp is
  // called: the shape checks and decoders look up every name of a structure in
  // every object, and most candidates (an attribute value's "S", "N", "B", ...)
  // have the length of the name sought (perf: ~5% of a PutItem's instructions).
  // The first member of that name wins, as in RapidJSON.
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    const Value& key = it->name;
    if (key.GetStringLength() != name.size()) continue;
    const char* k = key.GetString();
    if (!name.empty() && (k[0] != name[0] || std::memcmp(k, name.data(), name.size()) != 0)) {
      continue;
    }
    return it->value.IsNull() ? nullptr : &it->value;
  }
  return nullptr;
}

}  // namespace dynemu::json
