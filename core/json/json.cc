#include "json/json.h"

#include <cstdint>
#include <cstring>

#include <rapidjson/error/en.h>

namespace dynemu::json {
namespace {

using internal::BytesBelow;
using internal::kHighBits;
using internal::Load8;

// Hands RapidJSON's parse events to the document being built, and stops the
// parse (as a failed handler does) at a container nested deeper than kMaxDepth.
// The check rides on the parse itself instead of a pass of its own over the
// text (~1,000 instructions for a GetItem's body, ~4,500 for a 1 KB item).
class DepthLimitedHandler {
 public:
  explicit DepthLimitedHandler(Document& doc) : doc_(doc) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return ++depth_ <= kMaxDepth && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return ++depth_ <= kMaxDepth && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

 private:
  Document& doc_;
  int depth_ = 0;
};

// Parses one JSON value from `stream` into *doc through DepthLimitedHandler.
// Iterative parsing keeps the stack flat whatever the input; the encoding is
// validated beforehand, in one pass over the whole text.
template <typename Stream>
bool ParseLimited(Stream& stream, Document* doc) {
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag;
  bool parsed = false;
  auto generate = [&](Document& target) {
    DepthLimitedHandler handler(target);
    rapidjson::Reader reader;
    parsed = !reader.Parse<kFlags>(stream, handler).IsError();
    return parsed;
  };
  doc->Populate(generate);
  return parsed;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF; the same bytes RapidJSON's kParseValidateEncodingFlag accepts. And
// none of the bytes 0x1A to 0x1F, which JSON allows nowhere (a control
// character only escaped inside a string, and outside one only \t \n \r as
// whitespace) and RapidJSON's SSE2 string scan lets through (json.h).
bool IsValidJsonBytes(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (end - p >= 8) {
      const uint64_t w = Load8(reinterpret_cast<const char*>(p));
      // Eight ASCII bytes, none below 0x20: skipped whole. Otherwise the
      // bytes are taken one by one below.
      if ((w & kHighBits) == 0 && BytesBelow(w, 0x20) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c >= 0x1A && c < 0x20) return false;
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
  if (!IsValidJsonBytes(text)) return SerializationError("");
  // A leading byte-order mark is skipped, as RapidJSON's encoded streams do.
  const size_t begin = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  rapidjson::MemoryStream ms(text.data() + begin, text.size() - begin);
  if (!ParseLimited(ms, doc)) return SerializationError("");
  // kParseStopWhenDoneFlag lets us reject trailing garbage ourselves, allowing
  // trailing whitespace only.
  if (!OnlyWhitespaceFrom(text, begin + ms.Tell())) return SerializationError("");
  return Status::OK();
}

Status Parse(const std::string& text, Document* doc) {
  if (!IsValidJsonBytes(text)) return SerializationError("");
  const size_t begin = std::string_view(text).substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  // std::string guarantees the terminating NUL that StringStream stops at, and
  // RapidJSON copies unescaped runs of a StringStream 16 bytes at a time (SSE2,
  // see json.h). A NUL inside the text ends the parse early; the check
  // below then finds it and refuses the text, as the bounded stream would.
  rapidjson::StringStream ss(text.c_str() + begin);
  if (!ParseLimited(ss, doc)) return SerializationError("");
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
